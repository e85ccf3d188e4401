package dev.hotpool.internal.http;

import java.util.Arrays;

/**
 * What {@code mark}/{@code reset} of a response body keep: the bytes read after the mark, in a buffer that grows as they
 * are read (never to a size the caller's read limit names before the bytes came), up to the limit; reading more than the
 * limit since the mark gives the mark up and lets its bytes go. After a reset, reads take the kept bytes first. The same
 * rules as {@link ResponseBody}'s, for {@link Http2Body}.
 *
 * <p>Not thread-safe: owned by one body.
 */
final class MarkBuffer {

    /** The first buffer of a mark is at most this large; a larger one is not kept for the next mark. */
    private static final int FIRST = 64;

    /** Buffers above this size are dropped at a new mark rather than kept. */
    private static final int KEPT = 64 * 1024;

    /** The bytes from the mark to the furthest point read since (its first {@link #length}). */
    private byte[] kept;
    private int length;
    /** The next replayed byte in {@link #kept}, or -1 when reads come from the stream. */
    private int replay = -1;
    private int limit;
    private boolean valid;

    /** Marks the current place; bytes read after it and not yet replayed stay replayable. */
    void mark(int readlimit) {
        int pending = replayable();
        if (pending > 0) {
            System.arraycopy(this.kept, this.replay, this.kept, 0, pending);
            this.replay = 0;
        }
        else if (this.kept != null && this.kept.length > KEPT) {
            this.kept = null;
        }
        this.length = pending;
        this.limit = Math.max(readlimit, 0);
        this.valid = true;
        if (this.kept == null) {
            this.kept = new byte[Math.min(this.limit, FIRST)];
        }
    }

    /** Goes back to the mark; false when there is none or more than its read limit was read since. */
    boolean reset() {
        if (!this.valid) {
            return false;
        }
        this.replay = this.length > 0 ? 0 : -1;
        return true;
    }

    /** Bytes after a reset not yet read again. */
    int replayable() {
        return this.replay >= 0 ? this.length - this.replay : 0;
    }

    /** Reads kept bytes again, after a reset; only when {@link #replayable()} is above 0. */
    int replay(byte[] b, int off, int len) {
        int n = Math.min(len, this.length - this.replay);
        System.arraycopy(this.kept, this.replay, b, off, n);
        this.replay += n;
        if (this.valid && this.replay > this.limit) {
            this.valid = false; // Read further than the mark's limit.
        }
        if (this.replay == this.length) {
            this.replay = -1;
            if (!this.valid) {
                this.kept = null;
                this.length = 0;
            }
        }
        return n;
    }

    /** Keeps bytes just read from the stream, growing the buffer as needed; past the limit, gives the mark up. */
    void record(byte[] b, int off, int n) {
        if (!this.valid || n <= 0) {
            return;
        }
        long grown = (long) this.length + n;
        if (grown > this.limit) {
            clear();
            return;
        }
        if (grown > this.kept.length) {
            this.kept = Arrays.copyOf(this.kept, (int) Math.min(this.limit, Math.max(grown, 2L * this.kept.length)));
        }
        System.arraycopy(b, off, this.kept, this.length, n);
        this.length = (int) grown;
    }

    /** Forgets the mark and its bytes. */
    void clear() {
        this.kept = null;
        this.length = 0;
        this.replay = -1;
        this.valid = false;
    }
}
