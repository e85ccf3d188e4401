package dev.hotpool.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.ParseException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.SessionInputBufferImpl;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The response head parser: what it builds from a head, and the limits it enforces, on a reused buffer. */
class ResponseHeadParserTests {

    private final Http1Config h1 = Http1Config.custom().setMaxLineLength(64).setMaxHeaderCount(5).build();

    private final ResponseHeadParser parser = new ResponseHeadParser(this.h1);

    private final SessionInputBufferImpl buffer = new SessionInputBufferImpl(1024, 64);

    private ClassicHttpResponse parse(InputStream in) throws IOException, HttpException {
        return this.parser.parse(this.buffer, in);
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void statusLineAndHeadersInOrderWithTrimmedValues() throws Exception {
        ClassicHttpResponse head = parse(bytes("HTTP/1.1 404 Not Found\r\nContent-Length:  3 \r\nX-A: one\r\n"
                + "x-a:two\r\n\r\nabc"));

        assertThat(head.getCode()).isEqualTo(404);
        assertThat(head.getReasonPhrase()).isEqualTo("Not Found");
        assertThat(head.getHeaders()).extracting(Header::getName, Header::getValue)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("Content-Length", "3"),
                    org.assertj.core.groups.Tuple.tuple("X-A", "one"), org.assertj.core.groups.Tuple.tuple("x-a", "two"));
        assertThat(head.getHeaders("X-A")).hasSize(2);
    }

    @Test
    void headsOneAfterAnotherOnOneConnectionShareNothing() throws Exception {
        InputStream in = bytes("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\n\r\nHTTP/1.1 204 No Content\r\nC: 3\r\n\r\n");

        ClassicHttpResponse first = parse(in);
        ClassicHttpResponse second = parse(in);

        assertThat(first.getHeaders()).extracting(Header::getName).containsExactly("A", "B");
        assertThat(second.getCode()).isEqualTo(204);
        assertThat(second.getHeaders()).extracting(Header::getName).containsExactly("C");
        assertThat(first.getHeaders()).extracting(Header::getValue).containsExactly("1", "2");
    }

    @Test
    void givesTheFieldsAsHotpoolHeadersAndTheHeadsSizeOnTheWire() throws Exception {
        String first = "HTTP/1.1 200 OK\r\nA: 1\r\nX-Long: x\r\n y\r\n\r\n";
        String second = "HTTP/1.1 204 No Content\r\nC: 3\r\n\r\n";
        InputStream in = bytes(first + second + "HTTP/1.1 200 OK\r\n\r\n");

        parse(in);
        java.util.List<dev.hotpool.Header> fields = this.parser.fields();
        assertThat(fields).containsExactly(new dev.hotpool.Header("A", "1"), new dev.hotpool.Header("X-Long", "x y"));
        assertThat(this.parser.headSize()).isEqualTo(first.length());
        assertThatThrownBy(() -> fields.add(new dev.hotpool.Header("B", "2")))
            .isInstanceOf(UnsupportedOperationException.class);

        parse(in);
        assertThat(this.parser.fields()).containsExactly(new dev.hotpool.Header("C", "3"));
        assertThat(this.parser.headSize()).isEqualTo(second.length());
        assertThat(fields).hasSize(2); // The first response's list is its own.

        parse(in);
        assertThat(this.parser.fields()).isEmpty();
        assertThat(this.parser.headSize()).isEqualTo("HTTP/1.1 200 OK\r\n\r\n".length());
    }

    @Test
    void foldedContinuationLinesJoinThePreviousValue() throws Exception {
        ClassicHttpResponse head = parse(bytes("HTTP/1.1 200 OK\r\nX-Long: first\r\n \t second\r\n\tthird\r\n\r\n"));

        assertThat(head.getFirstHeader("X-Long").getValue()).isEqualTo("first second third");
    }

    @Test
    void noHeadAtAllWhenTheStreamEndsFirst() throws Exception {
        assertThat(parse(bytes(""))).isNull();
    }

    @Test
    void limitsAreEnforcedWithHttpcoresMessages() {
        assertThatThrownBy(() -> parse(bytes("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\nF: 6\r\n\r\n")))
            .isInstanceOf(MessageConstraintException.class)
            .hasMessage("Maximum header count exceeded");
        assertThatThrownBy(() -> new ResponseHeadParser(this.h1).parse(new SessionInputBufferImpl(1024, 64),
                bytes("HTTP/1.1 200 OK\r\nX-Long: " + "a".repeat(40) + "\r\n " + "b".repeat(40) + "\r\n\r\n")))
            .isInstanceOf(MessageConstraintException.class)
            .hasMessage("Maximum line length limit exceeded");
    }

    @Test
    void malformedLinesAreErrors() {
        assertThatThrownBy(() -> parse(bytes("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")))
            .isInstanceOf(ParseException.class)
            .hasMessageContaining("Invalid header");
        assertThatThrownBy(() -> new ResponseHeadParser(this.h1).parse(new SessionInputBufferImpl(1024, 64),
                bytes("NOT-HTTP\r\n\r\n")))
            .isInstanceOf(ParseException.class);
    }
}
