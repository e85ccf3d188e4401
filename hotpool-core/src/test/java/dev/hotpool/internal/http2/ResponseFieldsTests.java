package dev.hotpool.internal.http2;

import dev.hotpool.Header;
import dev.hotpool.MalformedResponseException;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** RFC 9113 §8.1-§8.3 response checks: what passes, and each defect with its message. */
class ResponseFieldsTests {

    private static final String ORIGIN = "https://h2.test:443";

    private static List<Header> fields(String... nameValues) {
        List<Header> list = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            list.add(new Header(nameValues[i], nameValues[i + 1]));
        }
        return list;
    }

    private static void malformed(List<Header> fields, boolean trailers, String what) {
        assertThatThrownBy(() -> ResponseFields.check(fields, trailers, 5, ORIGIN))
                .isInstanceOfSatisfying(Http2Exception.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
                    assertThat(e.isConnectionError()).isFalse();
                    assertThat(e.streamId()).isEqualTo(5);
                    assertThat(e.getMessage()).isEqualTo("hotpool: malformed response from " + ORIGIN + ": " + what);
                    MalformedResponseException m = e.toMalformedResponse();
                    assertThat(m.getMessage()).isEqualTo(e.getMessage());
                    assertThat(m.getCause()).isSameAs(e);
                });
    }

    @Test
    void aWellFormedResponseGivesStatusFieldsInOrderAndLength() throws Http2Exception {
        ResponseFields.Head head = ResponseFields.check(fields(":status", "200", "content-type", "text/plain",
                "content-length", "42", "x-b", "2", "x-a", "1", "x-empty", ""), false, 1, ORIGIN);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.isInterim()).isFalse();
        assertThat(head.contentLength()).isEqualTo(42);
        assertThat(head.fields()).containsExactly(new Header("content-type", "text/plain"),
                new Header("content-length", "42"), new Header("x-b", "2"), new Header("x-a", "1"),
                new Header("x-empty", ""));
    }

    @Test
    void aResponseWithoutFieldsHasNoLength() throws Http2Exception {
        ResponseFields.Head head = ResponseFields.check(fields(":status", "204"), false, 1, ORIGIN);
        assertThat(head.fields()).isEmpty();
        assertThat(head.contentLength()).isEqualTo(-1);
    }

    @Test
    void interimHeadsPassAsInterim() throws Http2Exception {
        assertThat(ResponseFields.check(fields(":status", "103", "link", "</a.css>; rel=preload"), false, 1, ORIGIN)
                .isInterim()).isTrue();
        assertThat(ResponseFields.check(fields(":status", "100"), false, 1, ORIGIN).isInterim()).isTrue();
    }

    @Test
    void trailersHaveNoStatusAndAnyRegularFields() throws Http2Exception {
        ResponseFields.Head t = ResponseFields.check(fields("grpc-status", "0", "x-checksum", "abc"), true, 1, ORIGIN);
        assertThat(t.status()).isZero();
        assertThat(t.fields()).hasSize(2);
        assertThat(ResponseFields.check(List.of(), true, 1, ORIGIN).fields()).isEmpty();
    }

    @Test
    void repeatedContentLengthsOfOneValuePass() throws Http2Exception {
        assertThat(ResponseFields.check(fields(":status", "200", "content-length", "7, 7", "content-length", "7"),
                false, 1, ORIGIN).contentLength()).isEqualTo(7);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2000 | a :status that is not three digits",
        "20   | a :status that is not three digits",
        "2x0  | a :status that is not three digits",
        "' 200' | a :status that is not three digits",
        "099  | the status code 099 (outside 100-599)",
        "600  | the status code 600 (outside 100-599)",
        "101  | the status code 101, which HTTP/2 does not allow (RFC 9113 §8.6)" })
    void aStatusMustBeThreeDigitsFrom100To599But101(String status, String what) {
        malformed(fields(":status", status), false, what);
    }

    @Test
    void statusExactlyOnceAndFirst() {
        malformed(fields("content-type", "a"), false, "a response without :status");
        malformed(List.of(), false, "a response without :status");
        malformed(fields(":status", "200", ":status", "200"), false, "more than one :status");
        malformed(fields("server", "x", ":status", "200"), false, "the pseudo-header field :status after a regular field");
    }

    @Test
    void requestAndUnknownPseudoHeadersAreRefused() {
        malformed(fields(":status", "200", ":path", "/"), false,
                "the pseudo-header field :path, which a response does not have");
        malformed(fields(":method", "GET", ":status", "200"), false,
                "the pseudo-header field :method, which a response does not have");
        malformed(fields(":status", "200", ":x\u0001", "1"), false,
                "the pseudo-header field (a name that is not a token), which a response does not have");
        malformed(fields(":", "1"), false,
                "the pseudo-header field (a name that is not a token), which a response does not have");
    }

    @Test
    void pseudoHeadersInTrailersAreRefused() {
        malformed(fields(":status", "200"), true, "the pseudo-header field :status in trailers");
        malformed(fields("x-a", "1", ":path", "/"), true, "the pseudo-header field :path in trailers");
    }

    @Test
    void namesAreLowerCaseTokens() {
        malformed(fields(":status", "200", "Content-Type", "a"), false,
                "a field name with an upper-case letter (Content-Type)");
        malformed(fields(":status", "200", "x y", "a"), false,
                "a field name with a character that is not a token character");
        malformed(fields(":status", "200", "x:y", "a"), false,
                "a field name with a character that is not a token character");
        malformed(fields(":status", "200", "caf\u00e9", "a"), false,
                "a field name with a character that is not a token character");
        malformed(fields(":status", "200", "", "a"), false, "a field with an empty name");
    }

    @Test
    void valuesWithoutNulCrLfOrSurroundingWhitespace() {
        malformed(fields(":status", "200", "x-a", "a\u0000b"), false, "a NUL, CR or LF in the value of x-a");
        malformed(fields(":status", "200", "x-a", "a\rb"), false, "a NUL, CR or LF in the value of x-a");
        malformed(fields(":status", "200", "x-a", "a\nb"), false, "a NUL, CR or LF in the value of x-a");
        malformed(fields(":status", "200", "x-a", " a"), false, "a space or tab at the start or end of the value of x-a");
        malformed(fields(":status", "200", "x-a", "a\t"), false, "a space or tab at the start or end of the value of x-a");
        malformed(fields("x-a", "a\r\nx-evil: 1"), true, "a NUL, CR or LF in the value of x-a");
    }

    @Test
    void valuesMayHoldInnerSpacesAndOtherOctets() throws Http2Exception {
        assertThat(ResponseFields.check(fields(":status", "200", "x-a", "a b\tc\u0001\u00ff"), false, 1, ORIGIN)
                .fields()).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({ "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade" })
    void connectionSpecificFieldsAreRefused(String name) {
        malformed(fields(":status", "200", name, "x"), false,
                "the connection-specific field " + name + ", which HTTP/2 does not allow (RFC 9113 §8.2.2)");
        malformed(fields(name, "x"), true,
                "the connection-specific field " + name + ", which HTTP/2 does not allow (RFC 9113 §8.2.2)");
    }

    @Test
    void contentLengthIsDigitsWithOneValue() {
        malformed(fields(":status", "200", "content-length", "1", "content-length", "2"), false,
                "conflicting Content-Length values 1 and 2");
        malformed(fields(":status", "200", "content-length", "3,4"), false, "conflicting Content-Length values 3 and 4");
        malformed(fields(":status", "200", "content-length", "-1"), false,
                "an invalid Content-Length: not a decimal number");
        malformed(fields(":status", "200", "content-length", "0x10"), false,
                "an invalid Content-Length: not a decimal number");
        malformed(fields(":status", "200", "content-length", "1,"), false, "an empty Content-Length");
        malformed(fields(":status", "200", "content-length", ""), false, "an empty Content-Length");
        malformed(fields(":status", "200", "content-length", "1234567890123456789"), false,
                "a Content-Length of more than 18 digits");
    }

    @Test
    void messagesNeverHoldValues() {
        assertThatThrownBy(() -> ResponseFields.check(fields(":status", "200", "x-token", "s3cret\r"), false, 1,
                ORIGIN)).hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> ResponseFields.check(fields(":status", "200", "content-length", "s3cret"), false, 1,
                ORIGIN)).hasMessageNotContaining("s3cret");
    }
}
