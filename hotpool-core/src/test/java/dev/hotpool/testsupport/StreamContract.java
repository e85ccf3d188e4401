package dev.hotpool.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Checks {@link InputStream}'s contract on a stream by running a random sequence of its calls beside a model of the
 * same bytes: {@code read()}, {@code read(b, off, len)} (len 0 and bad bounds too), both {@code readNBytes},
 * {@code readAllBytes}, {@code skip} and {@code skipNBytes} (negative, past the end), {@code transferTo},
 * {@code available}, {@code mark} with any read limit (0, small, {@code Integer.MAX_VALUE}) and {@code reset} (also
 * after more than the limit was read), {@code close} twice and every call after it.
 *
 * <p>The model is a {@link java.io.ByteArrayInputStream}'s, with what hotpool's bodies promise where
 * {@code InputStream} leaves a choice: {@code reset} fails without a mark or after more than its read limit was read
 * since (exactly), every read fails with an {@link IOException} after {@code close} (except the calls
 * {@code InputStream} answers without reading: {@code skip(n <= 0)}, {@code skipNBytes(n <= 0)},
 * {@code readNBytes(b, off, 0)}), and {@code available} is 0 after close. A short read is allowed ({@code read(b, off,
 * len)} may return fewer bytes than asked), but never a wrong byte, a wrong end, or a wrong exception type.
 *
 * <p>Not thread-safe.
 */
public final class StreamContract {

    /**
     * What a run did: whether the stream said it ended, how far into the bytes it was read, and where it was closed.
     *
     * @param eofSeen whether a call saw the end of the stream (before it was closed)
     * @param furthest the furthest position read (before close)
     * @param closed whether the sequence closed the stream
     * @param ops the calls, for a failure's report
     */
    public record Outcome(boolean eofSeen, int furthest, boolean closed, List<String> ops) {
    }

    private final InputStream actual;
    private final byte[] bytes;
    private final boolean markSupported;
    private final Choices choices;
    private final List<String> ops = new ArrayList<>();

    private int pos;
    private int markPos = -1;
    private int markLimit;
    /** The furthest position read since the mark. */
    private int sinceMark;
    private boolean closed;
    private boolean eofSeen;
    private int furthest;

    private StreamContract(InputStream actual, byte[] bytes, boolean markSupported, Choices choices) {
        this.actual = actual;
        this.bytes = bytes;
        this.markSupported = markSupported;
        this.choices = choices;
    }

    /**
     * Runs up to {@code maxOps} random calls on {@code actual}, whose bytes must be {@code bytes}.
     *
     * @throws AssertionError at the first call whose result differs from the model's, with the calls so far
     */
    public static Outcome run(InputStream actual, byte[] bytes, boolean markSupported, Choices choices, int maxOps)
            throws IOException {
        StreamContract contract = new StreamContract(actual, bytes, markSupported, choices);
        if (actual.markSupported() != markSupported) {
            throw new AssertionError("markSupported() is " + actual.markSupported());
        }
        int n = choices.between(1, maxOps);
        for (int i = 0; i < n; i++) {
            contract.step();
        }
        return new Outcome(contract.eofSeen, contract.furthest, contract.closed, List.copyOf(contract.ops));
    }

    private void step() throws IOException {
        int op = this.choices.nextInt(100);
        if (op < 10) {
            readOne();
        }
        else if (op < 38) {
            readInto();
        }
        else if (op < 46) {
            readN();
        }
        else if (op < 51) {
            readNInto();
        }
        else if (op < 59) {
            skip();
        }
        else if (op < 64) {
            skipN();
        }
        else if (op < 69) {
            available();
        }
        else if (op < 79) {
            mark();
        }
        else if (op < 89) {
            reset();
        }
        else if (op < 92) {
            transferTo();
        }
        else if (op < 95) {
            readAll();
        }
        else if (op < 97) {
            close();
        }
        else {
            badArguments();
        }
    }

    private int remaining() {
        return this.bytes.length - this.pos;
    }

    private void advance(int n) {
        this.pos += n;
        this.furthest = Math.max(this.furthest, this.pos);
        if (this.markPos >= 0) {
            this.sinceMark = Math.max(this.sinceMark, this.pos - this.markPos);
        }
    }

    /** Any length, weighted to small, to the bytes left and to huge ones. */
    private int length() {
        return switch (this.choices.nextInt(7)) {
            case 0 -> 0;
            case 1 -> this.choices.between(1, 16);
            case 2 -> this.choices.between(1, 9000);
            case 3 -> Math.max(0, remaining() + this.choices.between(-2, 2));
            case 4 -> this.choices.between(1, 70_000);
            case 5 -> 8192 + this.choices.between(-3, 3);
            default -> Integer.MAX_VALUE;
        };
    }

    private void readOne() throws IOException {
        this.ops.add("read()");
        if (this.closed) {
            expectThrows(IOException.class, this.actual::read);
            return;
        }
        int r = this.actual.read();
        if (remaining() == 0) {
            check(r == -1, "read() at the end gave " + r);
            this.eofSeen = true;
        }
        else {
            check(r == (this.bytes[this.pos] & 0xff), "read() gave " + r + ", expected " + (this.bytes[this.pos] & 0xff));
            advance(1);
        }
    }

    private void readInto() throws IOException {
        int len = Math.min(length(), 100_000);
        int off = this.choices.nextInt(4) == 0 ? this.choices.between(0, 7) : 0;
        byte[] b = new byte[off + len + this.choices.between(0, 3)];
        this.ops.add("read(b[" + b.length + "], " + off + ", " + len + ")");
        if (this.closed) {
            expectThrows(IOException.class, () -> this.actual.read(b, off, len));
            return;
        }
        int n = this.actual.read(b, off, len);
        if (len == 0) {
            check(n == 0, "read(b, off, 0) gave " + n);
        }
        else if (remaining() == 0) {
            check(n == -1, "read(b, off, len) at the end gave " + n);
            this.eofSeen = true;
        }
        else {
            check(n >= 1 && n <= Math.min(len, remaining()), "read(b, off, " + len + ") gave " + n + " with "
                    + remaining() + " left");
            checkBytes(b, off, n);
            advance(n);
        }
    }

    private void readN() throws IOException {
        int len = length();
        this.ops.add("readNBytes(" + len + ")");
        if (this.closed) {
            expectThrows(IOException.class, () -> this.actual.readNBytes(len));
            return;
        }
        byte[] b = this.actual.readNBytes(len);
        int expected = Math.min(len, remaining());
        check(b.length == expected, "readNBytes(" + len + ") gave " + b.length + " bytes, expected " + expected);
        checkBytes(b, 0, b.length);
        if (len > remaining()) {
            this.eofSeen = true;
        }
        advance(b.length);
    }

    private void readNInto() throws IOException {
        int len = Math.min(length(), 100_000);
        int off = this.choices.nextInt(3) == 0 ? this.choices.between(0, 5) : 0;
        byte[] b = new byte[off + len];
        this.ops.add("readNBytes(b[" + b.length + "], " + off + ", " + len + ")");
        if (this.closed && len > 0) {
            expectThrows(IOException.class, () -> this.actual.readNBytes(b, off, len));
            return;
        }
        int n = this.actual.readNBytes(b, off, len);
        int expected = this.closed ? 0 : Math.min(len, remaining());
        check(n == expected, "readNBytes(b, off, " + len + ") gave " + n + ", expected " + expected);
        checkBytes(b, off, n);
        if (len > remaining()) {
            this.eofSeen = true;
        }
        advance(n);
    }

    private void readAll() throws IOException {
        this.ops.add("readAllBytes()");
        if (this.closed) {
            expectThrows(IOException.class, this.actual::readAllBytes);
            return;
        }
        byte[] b = this.actual.readAllBytes();
        check(b.length == remaining(), "readAllBytes() gave " + b.length + " bytes, expected " + remaining());
        checkBytes(b, 0, b.length);
        this.eofSeen = true;
        advance(b.length);
    }

    private void transferTo() throws IOException {
        this.ops.add("transferTo(out)");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (this.closed) {
            expectThrows(IOException.class, () -> this.actual.transferTo(out));
            return;
        }
        long n = this.actual.transferTo(out);
        byte[] b = out.toByteArray();
        check(n == b.length && b.length == remaining(), "transferTo gave " + n + " (" + b.length + " written), "
                + "expected " + remaining());
        checkBytes(b, 0, b.length);
        this.eofSeen = true;
        advance(b.length);
    }

    private void skip() throws IOException {
        long n = switch (this.choices.nextInt(4)) {
            case 0 -> -this.choices.between(0, 10);
            case 1 -> Long.MAX_VALUE;
            default -> length();
        };
        this.ops.add("skip(" + n + ")");
        if (this.closed && n > 0) {
            expectThrows(IOException.class, () -> this.actual.skip(n));
            return;
        }
        long skipped = this.actual.skip(n);
        long most = this.closed ? 0 : Math.max(0, Math.min(n, remaining()));
        check(skipped >= 0 && skipped <= most, "skip(" + n + ") gave " + skipped + ", at most " + most);
        if (n > remaining() && skipped == remaining()) {
            this.eofSeen = !this.closed;
        }
        advance((int) skipped);
    }

    private void skipN() throws IOException {
        long n = this.choices.nextInt(4) == 0 ? -this.choices.between(0, 10) : length();
        this.ops.add("skipNBytes(" + n + ")");
        if (this.closed && n > 0) {
            expectThrows(IOException.class, () -> {
                this.actual.skipNBytes(n);
                return null;
            });
            return;
        }
        if (n > remaining()) {
            expectThrows(EOFException.class, () -> {
                this.actual.skipNBytes(n);
                return null;
            });
            this.eofSeen = true;
            advance(remaining());
            return;
        }
        this.actual.skipNBytes(n);
        advance((int) Math.max(0, n));
    }

    private void available() throws IOException {
        this.ops.add("available()");
        int a = this.actual.available();
        int most = this.closed ? 0 : remaining();
        check(a >= 0 && a <= most, "available() gave " + a + ", at most " + most);
    }

    private void mark() {
        int limit = switch (this.choices.nextInt(5)) {
            case 0 -> 0;
            case 1 -> this.choices.between(1, 16);
            case 2 -> Integer.MAX_VALUE;
            case 3 -> -this.choices.between(1, 5);
            default -> this.choices.between(1, 100_000);
        };
        this.ops.add("mark(" + limit + ")");
        this.actual.mark(limit);
        if (this.closed || !this.markSupported) {
            return;
        }
        this.markPos = this.pos;
        this.markLimit = Math.max(limit, 0);
        this.sinceMark = 0;
    }

    private void reset() throws IOException {
        this.ops.add("reset()");
        boolean valid = !this.closed && this.markSupported && this.markPos >= 0 && this.sinceMark <= this.markLimit;
        if (!valid) {
            expectThrows(IOException.class, () -> {
                this.actual.reset();
                return null;
            });
            return;
        }
        this.actual.reset();
        this.pos = this.markPos;
    }

    private void close() throws IOException {
        this.ops.add("close()");
        this.actual.close();
        this.closed = true;
    }

    private void badArguments() {
        byte[] b = new byte[8];
        int kind = this.choices.nextInt(4);
        this.ops.add("bad arguments #" + kind);
        switch (kind) {
            case 0 -> expectThrows(IndexOutOfBoundsException.class, () -> this.actual.read(b, -1, 2));
            case 1 -> expectThrows(IndexOutOfBoundsException.class, () -> this.actual.read(b, 4, 5));
            case 2 -> expectThrows(IndexOutOfBoundsException.class, () -> this.actual.readNBytes(b, 2, -1));
            default -> expectThrows(IllegalArgumentException.class, () -> this.actual.readNBytes(-1));
        }
    }

    private void checkBytes(byte[] b, int off, int n) {
        if (!Arrays.equals(b, off, off + n, this.bytes, this.pos, this.pos + n)) {
            throw new AssertionError("wrong bytes at " + this.pos + " (" + n + " read); calls: " + this.ops);
        }
    }

    private void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what + "; calls: " + this.ops);
        }
    }

    private interface Call {
        Object run() throws IOException;
    }

    private void expectThrows(Class<? extends Exception> type, Call call) {
        try {
            Object result = call.run();
            throw new AssertionError("expected " + type.getSimpleName() + " but got " + describe(result) + "; calls: "
                    + this.ops);
        }
        catch (AssertionError e) {
            throw e;
        }
        catch (Throwable t) {
            if (!type.isInstance(t)) {
                AssertionError e = new AssertionError("expected " + type.getSimpleName() + " but got " + t
                        + "; calls: " + this.ops);
                e.initCause(t);
                throw e;
            }
        }
    }

    private static String describe(Object result) {
        return result instanceof byte[] b ? b.length + " bytes" : String.valueOf(result);
    }
}
