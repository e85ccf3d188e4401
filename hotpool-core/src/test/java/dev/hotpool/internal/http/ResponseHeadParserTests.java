package dev.hotpool.internal.http;

import dev.hotpool.Header;
import dev.hotpool.MalformedResponseException;
import dev.hotpool.Origin;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The response head parser: what it builds from a head, what it reads leniently and why, and the limits it enforces
 * as bytes arrive, on one connection's buffer. The whole grammar is covered by the framing corpus
 * ({@link StrictFramingTests}); these are the parser's own facts.
 */
class ResponseHeadParserTests {

    private static final Origin ORIGIN = Origin.parse("http://example.test");

    private final ResponseHeadParser parser = new ResponseHeadParser(64, 5, 1024);

    private static WireReader bytes(String text) {
        return new WireReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private ResponseHead parse(WireReader in) throws IOException {
        return this.parser.parse(in, ORIGIN);
    }

    @Test
    void statusLineAndHeadersInOrderWithTrimmedValues() throws Exception {
        ResponseHead head = parse(bytes("HTTP/1.1 404 Not Found\r\nContent-Length:  3 \r\nX-A: one\r\n"
                + "x-a:two\r\n\r\nabc"));

        assertThat(head.code()).isEqualTo(404);
        assertThat(head.reason()).isEqualTo("Not Found");
        assertThat(head.protocol()).isEqualTo("HTTP/1.1");
        assertThat(head.fields()).containsExactly(new Header("Content-Length", "3"), new Header("X-A", "one"),
                new Header("x-a", "two"));
        assertThat(head.has(ResponseHead.CONTENT_LENGTH)).isTrue();
        assertThat(head.has(ResponseHead.TRANSFER_ENCODING)).isFalse();
        assertThat(head.lenient()).isNull();
    }

    @Test
    void headsOneAfterAnotherOnOneConnectionShareNothing() throws Exception {
        WireReader in = bytes("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\n\r\nHTTP/1.1 204 No Content\r\nC: 3\r\n\r\n");

        ResponseHead first = parse(in);
        ResponseHead second = parse(in);

        assertThat(first.fields()).extracting(Header::name).containsExactly("A", "B");
        assertThat(second.code()).isEqualTo(204);
        assertThat(second.fields()).extracting(Header::name).containsExactly("C");
        assertThat(first.fields()).extracting(Header::value).containsExactly("1", "2");
        assertThat(in.hasBufferedData()).isFalse();
    }

    @Test
    void givesTheFieldsUnmodifiableAndTheHeadsSizeOnTheWire() throws Exception {
        String first = "HTTP/1.1 200 OK\r\nA: 1\r\nX-Long: x\r\n\r\n";
        String second = "HTTP/1.1 204 No Content\r\nC: 3\r\n\r\n";
        WireReader in = bytes(first + second + "HTTP/1.1 200 OK\r\n\r\n");

        ResponseHead one = parse(in);
        assertThat(one.fields()).containsExactly(new Header("A", "1"), new Header("X-Long", "x"));
        assertThat(one.size()).isEqualTo(first.length());
        assertThatThrownBy(() -> one.fields().add(new Header("B", "2")))
            .isInstanceOf(UnsupportedOperationException.class);

        ResponseHead two = parse(in);
        assertThat(two.fields()).containsExactly(new Header("C", "3"));
        assertThat(two.size()).isEqualTo(second.length());

        ResponseHead three = parse(in);
        assertThat(three.fields()).isEmpty();
        assertThat(three.size()).isEqualTo("HTTP/1.1 200 OK\r\n\r\n".length());
    }

    @Test
    void foldedContinuationLinesJoinThePreviousValueAndMakeTheHeadLenient() throws Exception {
        ResponseHead head = parse(bytes("HTTP/1.1 200 OK\r\nX-Long: first\r\n \t second\r\n\tthird\r\n\r\n"));

        assertThat(head.first("X-Long")).isEqualTo("first second third");
        assertThat(head.lenient()).isEqualTo("a folded header line (obs-fold), read as a space");
    }

    @Test
    void aBareCrOrNulInAValueIsReadAsASpace() throws Exception {
        ResponseHead head = parse(bytes("HTTP/1.1 200 OK\r\nX-A: a\rb\0c\r\n\r\n"));

        assertThat(head.first("X-A")).isEqualTo("a b c");
        assertThat(head.lenient()).isEqualTo("a CR or NUL in a field value, read as a space");
    }

    @Test
    void aHeadAcrossManySmallReadsIsReadWhole() throws Exception {
        byte[] wire = "HTTP/1.1 200 OK\r\nX-A: one\r\nX-B: two\r\n\r\nrest".getBytes(StandardCharsets.ISO_8859_1);
        InputStream trickle = new InputStream() {
            private int at;

            @Override
            public int read() {
                return this.at < wire.length ? wire[this.at++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int c = read();
                if (c < 0) {
                    return -1;
                }
                b[off] = (byte) c;
                return 1;
            }
        };
        WireReader in = new WireReader(trickle);

        ResponseHead head = parse(in);

        assertThat(head.fields()).containsExactly(new Header("X-A", "one"), new Header("X-B", "two"));
        assertThat(head.lenient()).isNull();
        assertThat(in.received()).isEqualTo(wire.length - 4); // Not a byte past the head.
    }

    @Test
    void noHeadAtAllWhenTheStreamEndsFirst() throws Exception {
        assertThat(parse(bytes(""))).isNull();
    }

    @Test
    void limitsAreEnforcedAsBytesArriveAndNameTheirProperty() {
        assertThatThrownBy(() -> parse(bytes("HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\nF: 6\r\n\r\n")))
            .isInstanceOf(MalformedResponseException.class)
            .hasMessage("hotpool: malformed response from http://example.test:80: more than 5 header fields "
                    + "(hotpool.max-response-header-count)");
        assertThatThrownBy(() -> new ResponseHeadParser(64, 5, 1024).parse(
                bytes("HTTP/1.1 200 OK\r\nX-Long: " + "a".repeat(40) + "\r\n " + "b".repeat(40) + "\r\n\r\n"), ORIGIN))
            .isInstanceOf(MalformedResponseException.class)
            .hasMessage("hotpool: malformed response from http://example.test:80: a folded header field longer than "
                    + "hotpool.max-response-line-length (64)");
        assertThatThrownBy(() -> new ResponseHeadParser(64, 5, 1024).parse(
                new WireReader(new EndlessLine()), ORIGIN))
            .isInstanceOf(MalformedResponseException.class)
            .hasMessage("hotpool: malformed response from http://example.test:80: a line of the response head is longer "
                    + "than hotpool.max-response-line-length (64)");
        assertThatThrownBy(() -> new ResponseHeadParser(64, 100, 100).parse(
                bytes("HTTP/1.1 200 OK\r\n" + "X-A: 1234567890\r\n".repeat(10)), ORIGIN))
            .isInstanceOf(MalformedResponseException.class)
            .hasMessageStartingWith("hotpool: the response head from http://example.test:80 is about ")
            .hasMessageEndingWith(" bytes, more than hotpool.max-response-head-size (100)");
    }

    @Test
    void malformedLinesAreErrorsThatNameWhatWasWrongButNotTheValues() {
        assertThatThrownBy(() -> parse(bytes("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")))
            .isInstanceOf(MalformedResponseException.class)
            .hasMessage("hotpool: malformed response from http://example.test:80: a header field name with a character "
                    + "that is not a token character");
        assertThatThrownBy(() -> new ResponseHeadParser(64, 5, 1024).parse(bytes("NOT-HTTP\r\n\r\n"), ORIGIN))
            .isInstanceOf(MalformedResponseException.class)
            .hasMessage("hotpool: malformed response from http://example.test:80: the status line does not start with an "
                    + "HTTP version (HTTP/1.1)");
        assertThatThrownBy(() -> parse(bytes("HTTP/1.1 200 OK\r\nContent-Length: secret\u000b\r\n\r\n")))
            .isInstanceOf(MalformedResponseException.class)
            .hasMessage("hotpool: malformed response from http://example.test:80: a control character in the "
                    + "Content-Length field");
    }

    /** A status line that never ends. */
    private static final class EndlessLine extends InputStream {

        private final byte[] start = "HTTP/1.1 200 ".getBytes(StandardCharsets.ISO_8859_1);
        private long at;

        @Override
        public int read() {
            return this.at < this.start.length ? this.start[(int) this.at++] : 'x';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) {
                b[off + i] = (byte) read();
            }
            return len;
        }
    }

    @Test
    void fieldsListsAreTheOnesOfTheirOwnHead() throws Exception {
        WireReader in = bytes("HTTP/1.1 200 OK\r\nA: 1\r\n\r\nHTTP/1.1 200 OK\r\nB: 2\r\n\r\n");
        List<Header> first = parse(in).fields();
        parse(in);
        assertThat(first).containsExactly(new Header("A", "1"));
    }
}
