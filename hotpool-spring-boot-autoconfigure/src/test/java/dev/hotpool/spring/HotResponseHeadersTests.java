package dev.hotpool.spring;

import java.util.List;

import dev.hotpool.Header;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HotResponseHeaders}: Spring's {@link HttpHeaders} over a response's own header list.
 */
class HotResponseHeadersTests {

    private final List<Header> list = List.of(new Header("Content-Type", "application/json"),
            new Header("Content-Length", "12"), new Header("X-Reply", "one"), new Header("x-reply", "two"));

    private final HttpHeaders headers = new HttpHeaders(new HotResponseHeaders(this.list));

    @Test
    void lookupsIgnoreCaseAndSeeEveryValue() {
        assertThat(this.headers.getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
        assertThat(this.headers.getContentLength()).isEqualTo(12);
        assertThat(this.headers.get("X-REPLY")).containsExactly("one", "two");
        assertThat(this.headers.getFirst("x-Reply")).isEqualTo("one");
        assertThat(this.headers.containsHeader("content-type")).isTrue();
        assertThat(this.headers.get("X-Missing")).isNull();
        assertThat(this.headers.getFirst("X-Missing")).isNull();
        assertThat(this.headers.containsHeader("X-Missing")).isFalse();
        assertThat(this.headers.isEmpty()).isFalse();
    }

    @Test
    void iteratingSeesOneNameForEachHeaderInOrder() {
        assertThat(this.headers.size()).isEqualTo(3);
        assertThat(this.headers.headerNames()).containsExactly("Content-Type", "Content-Length", "X-Reply");
        assertThat(this.headers.toString()).contains("X-Reply:\"one\", \"two\"");
    }

    @Test
    void changesWorkOnACopyAndLeaveTheResponseAlone() {
        this.headers.set("X-Reply", "three");
        this.headers.add("X-Added", "yes");
        this.headers.remove("content-length");

        assertThat(this.headers.get("x-reply")).containsExactly("three");
        assertThat(this.headers.getFirst("X-ADDED")).isEqualTo("yes");
        assertThat(this.headers.getContentLength()).isEqualTo(-1);
        assertThat(this.headers.headerNames()).containsExactly("Content-Type", "X-Reply", "X-Added");
        assertThat(this.list).hasSize(4).first().isEqualTo(new Header("Content-Type", "application/json"));
    }

    @Test
    void noHeadersIsEmpty() {
        HttpHeaders none = new HttpHeaders(new HotResponseHeaders(List.of()));
        assertThat(none.isEmpty()).isTrue();
        assertThat(none.getContentType()).isNull();
        assertThat(none.size()).isZero();
    }
}
