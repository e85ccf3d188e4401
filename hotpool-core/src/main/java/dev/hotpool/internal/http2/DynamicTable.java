package dev.hotpool.internal.http2;

import dev.hotpool.Header;

/**
 * An HPACK dynamic table (RFC 7541 §2.3.2, §4): entries newest first, evicted oldest first to keep their size
 * (name octets + value octets + 32 each, §4.1) within the capacity. Names and values are ISO-8859-1 strings, one char
 * per octet. Each entry also has an absolute number, its rank among all entries ever inserted, which the encoder's
 * lookup maps use.
 *
 * <p>Not thread-safe: one per connection and direction, used under the connection's reader or writer.
 */
final class DynamicTable {

    /** Told of each entry that leaves the table. */
    interface Evictions {
        void evicted(Header entry, long number);
    }

    /** The per-entry overhead of RFC 7541 §4.1. */
    static final int ENTRY_OVERHEAD = 32;

    private final Evictions evictions;
    private Header[] ring = new Header[16];
    /** Index in {@link #ring} of the oldest entry. */
    private int tail;
    private int length;
    private long size;
    private int capacity;
    /** Entries inserted since the table was made; the newest has number {@code inserted - 1}. */
    private long inserted;

    DynamicTable(int capacity, Evictions evictions) {
        this.capacity = capacity;
        this.evictions = evictions;
    }

    static long sizeOf(Header h) {
        return (long) h.name().length() + h.value().length() + ENTRY_OVERHEAD;
    }

    static long sizeOf(int nameLength, int valueLength) {
        return (long) nameLength + valueLength + ENTRY_OVERHEAD;
    }

    int capacity() {
        return this.capacity;
    }

    /** The sum of the entries' sizes. */
    long size() {
        return this.size;
    }

    /** The number of entries. */
    int length() {
        return this.length;
    }

    long inserted() {
        return this.inserted;
    }

    /** The entry at {@code i}, 0 being the newest; {@code i < length()}. */
    Header get(int i) {
        return this.ring[(this.tail + this.length - 1 - i) & (this.ring.length - 1)];
    }

    /** The relative index (0 newest) of the entry with absolute number {@code number}, or -1 when evicted. */
    int indexOfNumber(long number) {
        long i = this.inserted - 1 - number;
        return i >= 0 && i < this.length ? (int) i : -1;
    }

    /** Changes the capacity, evicting what no longer fits. */
    void setCapacity(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("a table capacity is not negative: " + capacity);
        }
        this.capacity = capacity;
        evictTo(capacity);
    }

    /**
     * Inserts an entry after evicting what makes room for it; an entry larger than the capacity empties the table and
     * is not inserted (§4.4).
     */
    void add(Header h) {
        long s = sizeOf(h);
        if (s > this.capacity) {
            evictTo(0);
            return;
        }
        evictTo(this.capacity - s);
        if (this.length == this.ring.length) {
            Header[] bigger = new Header[this.ring.length * 2];
            for (int i = 0; i < this.length; i++) {
                bigger[i] = this.ring[(this.tail + i) & (this.ring.length - 1)];
            }
            this.ring = bigger;
            this.tail = 0;
        }
        this.ring[(this.tail + this.length) & (this.ring.length - 1)] = h;
        this.length++;
        this.size += s;
        this.inserted++;
    }

    private void evictTo(long target) {
        while (this.size > target) {
            Header oldest = this.ring[this.tail];
            this.ring[this.tail] = null;
            this.tail = (this.tail + 1) & (this.ring.length - 1);
            this.length--;
            this.size -= sizeOf(oldest);
            if (this.evictions != null) {
                this.evictions.evicted(oldest, this.inserted - 1 - this.length);
            }
        }
    }
}
