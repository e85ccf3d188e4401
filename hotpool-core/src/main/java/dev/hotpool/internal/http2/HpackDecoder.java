package dev.hotpool.internal.http2;

import dev.hotpool.Header;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes HPACK field blocks (RFC 7541) into fields, keeping the connection's dynamic table for the blocks that
 * follow. Names and values are read as ISO-8859-1 (one char per octet), as the HTTP/1.1 side reads them.
 *
 * <p>Limits, checked while decoding so that memory follows them, not the block:
 * <ul>
 * <li>everything RFC 7541 calls a decoding error is a connection error COMPRESSION_ERROR (the dynamic table can no
 * longer be kept in step with the peer's): an index of 0 or past the tables, an integer above 2^31-1 or in more octets
 * than needed, a string longer than what is left of the block, a block ending inside a representation, a dynamic table
 * size update above the advertised SETTINGS_HEADER_TABLE_SIZE or after the first field, a missing one after that
 * setting dropped below the table's capacity, and in a Huffman-coded string the EOS symbol, padding longer than 7 bits
 * or padding that is not all ones;</li>
 * <li>the decoded header list's size (name + value + 32 octets per field, RFC 7541 §4.1) above
 * {@code maxHeaderListSize} is a stream error PROTOCOL_ERROR: fields stop being collected the moment the sum passes
 * the limit (a block referring to one large table entry many times, an "HPACK bomb", costs no more than the limit),
 * and the rest of the block is still decoded so that the table stays in step and the connection can go on.</li>
 * </ul>
 *
 * <p>Not thread-safe: one per connection, used by its reader thread.
 */
public final class HpackDecoder {

    /** The initial SETTINGS_HEADER_TABLE_SIZE of both ends (RFC 9113 §6.5.2). */
    public static final int DEFAULT_HEADER_TABLE_SIZE = 4096;

    private final DynamicTable table;
    private final String origin;
    private int maxHeaderTableSize;
    private int maxHeaderListSize;
    /** Set when the advertised table size dropped below the capacity: the next block must start with an update. */
    private boolean updateRequired;

    private byte[] in;
    private int pos;
    private int end;
    private char[] chars = new char[64];

    /** {@link #HpackDecoder(int, int, String)} without an origin for messages. */
    public HpackDecoder(int maxHeaderTableSize, int maxHeaderListSize) {
        this(maxHeaderTableSize, maxHeaderListSize, null);
    }

    /**
     * @param maxHeaderTableSize the SETTINGS_HEADER_TABLE_SIZE this endpoint advertises: the largest dynamic table the
     *     peer may ask for (the table starts at the protocol's 4096, or is required to shrink to this when smaller)
     * @param maxHeaderListSize the largest decoded header list accepted (SETTINGS_MAX_HEADER_LIST_SIZE)
     * @param origin the peer, for messages, or {@code null}
     */
    public HpackDecoder(int maxHeaderTableSize, int maxHeaderListSize, String origin) {
        if (maxHeaderTableSize < 0 || maxHeaderListSize < 0) {
            throw new IllegalArgumentException("HPACK limits are not negative: " + maxHeaderTableSize + ", "
                    + maxHeaderListSize);
        }
        this.table = new DynamicTable(DEFAULT_HEADER_TABLE_SIZE, null);
        this.origin = origin;
        this.maxHeaderListSize = maxHeaderListSize;
        this.maxHeaderTableSize = DEFAULT_HEADER_TABLE_SIZE;
        setMaxHeaderTableSize(maxHeaderTableSize);
    }

    /**
     * Changes the advertised SETTINGS_HEADER_TABLE_SIZE (once the peer acknowledged it). When it falls below the
     * table's current capacity, the peer's next block must start with a size update that fits it (RFC 7541 §4.2).
     */
    public void setMaxHeaderTableSize(int maxHeaderTableSize) {
        if (maxHeaderTableSize < 0) {
            throw new IllegalArgumentException("a header table size is not negative: " + maxHeaderTableSize);
        }
        this.maxHeaderTableSize = maxHeaderTableSize;
        if (maxHeaderTableSize < this.table.capacity()) {
            this.updateRequired = true;
        }
    }

    public void setMaxHeaderListSize(int maxHeaderListSize) {
        if (maxHeaderListSize < 0) {
            throw new IllegalArgumentException("a header list size is not negative: " + maxHeaderListSize);
        }
        this.maxHeaderListSize = maxHeaderListSize;
    }

    /**
     * Sets the table's capacity as if the peer's size update to it had been read (no update is then required): for the
     * examples of RFC 7541 Appendix C, whose blocks assume it.
     */
    void assumeTableCapacity(int capacity) {
        this.table.setCapacity(capacity);
        this.updateRequired = false;
    }

    /** The dynamic table's capacity, as the peer last set it. */
    public int tableCapacity() {
        return this.table.capacity();
    }

    /** The dynamic table's size (RFC 7541 §4.1). */
    public long tableSize() {
        return this.table.size();
    }

    /** The number of dynamic table entries. */
    public int tableLength() {
        return this.table.length();
    }

    /** A dynamic table entry, 0 being the newest. */
    public Header tableEntry(int i) {
        return this.table.get(i);
    }

    /** {@code decode(block, 0, block.length, streamId)}. */
    public List<Header> decode(byte[] block, int streamId) throws Http2Exception {
        return decode(block, 0, block.length, streamId);
    }

    /**
     * Decodes one complete field block (HEADERS and its CONTINUATION fragments joined, see {@link FieldBlock}).
     *
     * @param streamId the stream the block came on, for a stream error
     * @return the fields in block order
     * @throws Http2Exception a connection error COMPRESSION_ERROR, or a stream error when the header list is too large
     */
    public List<Header> decode(byte[] block, int off, int len, int streamId) throws Http2Exception {
        this.in = block;
        this.pos = off;
        this.end = off + len;
        try {
            return decodeBlock(streamId);
        }
        finally {
            this.in = null;
        }
    }

    private List<Header> decodeBlock(int streamId) throws Http2Exception {
        List<Header> fields = new ArrayList<>();
        long listSize = 0;
        boolean over = false;
        boolean atStart = true;
        while (this.pos < this.end) {
            int b = this.in[this.pos] & 0xff;
            if ((b & 0xe0) == 0x20) {
                if (!atStart) {
                    throw compression("a dynamic table size update after a field (allowed only at a block's start)");
                }
                int size = integer(5);
                if (size > this.maxHeaderTableSize) {
                    throw compression("a dynamic table size update to " + size + ", above the advertised "
                            + "SETTINGS_HEADER_TABLE_SIZE " + this.maxHeaderTableSize);
                }
                this.table.setCapacity(size);
                this.updateRequired = false;
                continue;
            }
            if (this.updateRequired) {
                throw compression("no dynamic table size update at the start of the first block after "
                        + "SETTINGS_HEADER_TABLE_SIZE dropped to " + this.maxHeaderTableSize);
            }
            atStart = false;
            Header field;
            long size;
            if ((b & 0x80) != 0) {
                field = entry(integer(7));
                size = DynamicTable.sizeOf(field);
            }
            else {
                boolean indexing = (b & 0xc0) == 0x40;
                int index = integer(indexing ? 6 : 4);
                if (over && !indexing) {
                    // Past the limit already: the field is skipped, not made into strings.
                    if (index == 0) {
                        string(-1);
                    }
                    else {
                        entry(index);
                    }
                    string(-1);
                    continue;
                }
                String name = index == 0 ? string(Long.MAX_VALUE) : entry(index).name();
                // A value that would pass the limit is not made into a string unless the table needs it.
                long budget = indexing ? Long.MAX_VALUE
                        : this.maxHeaderListSize - listSize - DynamicTable.sizeOf(name.length(), 0);
                String value = string(budget);
                if (value == null) {
                    over = true;
                    continue;
                }
                field = new Header(name, value);
                size = DynamicTable.sizeOf(field);
                if (indexing) {
                    this.table.add(field);
                }
            }
            if (!over) {
                listSize += size;
                if (listSize > this.maxHeaderListSize) {
                    over = true;
                }
                else {
                    fields.add(field);
                }
            }
        }
        if (this.updateRequired) {
            throw compression("no dynamic table size update at the start of the first block after "
                    + "SETTINGS_HEADER_TABLE_SIZE dropped to " + this.maxHeaderTableSize);
        }
        if (over) {
            String what = "a header list larger than SETTINGS_MAX_HEADER_LIST_SIZE " + this.maxHeaderListSize
                    + " (RFC 7541 §4.1 sizes: name + value + 32 per field)";
            if (streamId <= 0) {
                throw Http2Exception.connection(ErrorCode.PROTOCOL_ERROR, this.origin, what);
            }
            throw Http2Exception.stream(ErrorCode.PROTOCOL_ERROR, streamId, this.origin, what);
        }
        return fields;
    }

    private Header entry(int index) throws Http2Exception {
        if (index >= 1 && index <= StaticTable.LENGTH) {
            return StaticTable.get(index);
        }
        int dynamic = index - StaticTable.LENGTH - 1;
        if (index == 0 || dynamic >= this.table.length()) {
            throw compression("index " + index + " outside the tables (static 1-61, dynamic "
                    + (this.table.length() == 0 ? "empty" : "62-" + (StaticTable.LENGTH + this.table.length())) + ")");
        }
        return this.table.get(dynamic);
    }

    /** An integer with an N-bit prefix (RFC 7541 §5.1), at most 2^31-1 and in no more octets than needed. */
    private int integer(int prefixBits) throws Http2Exception {
        int mask = (1 << prefixBits) - 1;
        int value = this.in[this.pos++] & mask;
        if (value < mask) {
            return value;
        }
        long v = mask;
        for (int shift = 0, octets = 1; ; shift += 7, octets++) {
            if (this.pos == this.end) {
                throw compression("a block ending inside an integer");
            }
            int b = this.in[this.pos++] & 0xff;
            v += (long) (b & 0x7f) << shift;
            if (v > Integer.MAX_VALUE) {
                throw compression("an integer above 2^31-1");
            }
            if ((b & 0x80) == 0 && b == 0 && octets > 1 || octets > 5) {
                // 2^31-1 takes at most five octets after the prefix; a sixth that did not overflow adds nothing.
                throw compression("an integer in more octets than needed");
            }
            if ((b & 0x80) == 0) {
                return (int) v;
            }
        }
    }

    /**
     * A string literal (RFC 7541 §5.2), or {@code null} when its decoded length passes {@code budget}; it is then
     * skipped, not made into a string.
     */
    private String string(long budget) throws Http2Exception {
        if (this.pos == this.end) {
            throw compression("a block ending before a string literal");
        }
        boolean huffman = (this.in[this.pos] & 0x80) != 0;
        int length = integer(7);
        if (length > this.end - this.pos) {
            throw compression("a string literal of " + length + " octets, longer than the " + (this.end - this.pos)
                    + " left in the block");
        }
        int start = this.pos;
        this.pos += length;
        if (!huffman) {
            return length > budget ? null : new String(this.in, start, length, StandardCharsets.ISO_8859_1);
        }
        int most = (int) Math.max(0, Math.min((long) length * 8 / 5, budget));
        if (this.chars.length < most) {
            this.chars = new char[(int) Math.max(most, Math.min(this.chars.length * 2L, length * 8L / 5))];
        }
        int n;
        try {
            n = Huffman.decode(this.in, start, length, this.chars, most);
        }
        catch (IllegalArgumentException e) {
            throw compression(e.getMessage());
        }
        return n < 0 ? null : new String(this.chars, 0, n);
    }

    private Http2Exception compression(String what) {
        return Http2Exception.connection(ErrorCode.COMPRESSION_ERROR, this.origin, what);
    }
}
