package dev.hotpool.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.MessageConstraintException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.io.DefaultHttpResponseParser;
import org.apache.hc.core5.http.io.SessionInputBuffer;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.message.BasicLineParser;
import org.apache.hc.core5.util.CharArrayBuffer;

/**
 * httpcore5's response parser with one line buffer per connection instead of one per header line: the status line
 * is parsed as httpcore5 does, each header line is read into the reused buffer and split at once into a name and a
 * value ({@link BasicLineParser}), so a response costs its {@link Header} objects and their strings and no
 * per-line buffers. The same pass gives the head's size on the wire ({@link #headSize()}) and the fields as
 * hotpool's own {@link dev.hotpool.Header}s ({@link #fields()}), so neither is copied out of the message again.
 * Limits and their messages are httpcore5's: {@code Maximum header count exceeded},
 * {@code Maximum line length limit exceeded} (a folded header counts with its continuation lines).
 *
 * <p>{@link #parse} returns {@code null} when the stream ends before a status line. A blocking parser: a head is
 * read whole by one call. Not thread-safe: used only by the connection's current lease holder.
 */
final class ResponseHeadParser extends DefaultHttpResponseParser {

    private final Http1Config h1;

    private final CharArrayBuffer line = new CharArrayBuffer(128);

    private final List<Header> headers = new ArrayList<>();

    /** Bytes of the last head read: its lines and their line ends. */
    private long headSize;

    /** The last head's fields, in order; a new list per head (it is handed to the response). */
    private List<dev.hotpool.Header> fields = List.of();

    ResponseHeadParser(Http1Config h1) {
        super(h1);
        this.h1 = h1;
    }

    @Override
    public ClassicHttpResponse parse(SessionInputBuffer buffer, InputStream in) throws IOException, HttpException {
        ClassicHttpResponse response = null;
        this.headSize = 0;
        this.fields = List.of();
        for (int n = 0; n < this.h1.getMaxEmptyLineCount() && response == null; n++) {
            this.line.clear();
            if (buffer.readLine(this.line, in) == -1) {
                return null; // As httpcore5: the connection ended before a response began.
            }
            if (this.line.length() > 0) {
                response = createMessage(this.line);
            }
            this.headSize += this.line.length() + 2;
        }
        if (response == null) {
            throw new MessageConstraintException("Maximum empty line limit exceeded");
        }
        try {
            readHeaders(buffer, in);
            int n = this.headers.size();
            Header[] all = new Header[n];
            List<dev.hotpool.Header> own = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Header h = this.headers.get(i);
                all[i] = h;
                own.add(new dev.hotpool.Header(h.getName(), h.getValue()));
            }
            response.setHeaders(all);
            this.fields = Collections.unmodifiableList(own);
        }
        finally {
            this.headers.clear();
        }
        return response;
    }

    private void readHeaders(SessionInputBuffer buffer, InputStream in) throws IOException, HttpException {
        int maxCount = this.h1.getMaxHeaderCount();
        int maxLength = this.h1.getMaxLineLength();
        while (true) {
            this.line.clear();
            if (buffer.readLine(this.line, in) == -1) {
                return;
            }
            this.headSize += this.line.length() + 2;
            if (this.line.isEmpty()) {
                return;
            }
            char first = this.line.charAt(0);
            if ((first == ' ' || first == '\t') && !this.headers.isEmpty()) {
                unfold(maxLength);
            }
            else {
                this.headers.add(BasicLineParser.INSTANCE.parseHeader(this.line));
            }
            if (maxCount > 0 && this.headers.size() >= maxCount) {
                throw new MessageConstraintException("Maximum header count exceeded");
            }
        }
    }

    /** Bytes of the head {@link #parse} read last (status line, header lines, the empty line; each with CRLF). */
    long headSize() {
        return this.headSize;
    }

    /** The header fields of the head {@link #parse} returned last, unmodifiable; empty before the first. */
    List<dev.hotpool.Header> fields() {
        return this.fields;
    }

    /** An obsolete continuation line (RFC 9112 §5.2): its text joins the previous header's value after a space. */
    private void unfold(int maxLength) throws MessageConstraintException {
        int start = 0;
        while (start < this.line.length() && (this.line.charAt(start) == ' ' || this.line.charAt(start) == '\t')) {
            start++;
        }
        Header previous = this.headers.get(this.headers.size() - 1);
        String more = this.line.substringTrimmed(start, this.line.length());
        int length = previous.getName().length() + 2 + previous.getValue().length() + 1 + more.length();
        if (maxLength > 0 && length > maxLength) {
            throw new MessageConstraintException("Maximum line length limit exceeded");
        }
        this.headers.set(this.headers.size() - 1,
                new BasicHeader(previous.getName(), previous.getValue() + " " + more));
    }
}
