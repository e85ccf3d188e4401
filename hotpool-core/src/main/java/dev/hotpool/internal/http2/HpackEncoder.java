package dev.hotpool.internal.http2;

import dev.hotpool.Header;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes field lists into HPACK field blocks (RFC 7541), in the order given (the order is part of an HTTP/2
 * fingerprint), keeping the connection's dynamic table in step with the peer's decoder.
 *
 * <p>Per field: a name and value in the static or dynamic table are sent as an index; otherwise a literal, its name
 * indexed when a table has it, its strings Huffman-coded when that is shorter. Literals are added to the dynamic table
 * (incremental indexing) when they take at most half of it, except {@code :path} and {@code content-length}, which
 * change from request to request; {@code authorization}, {@code proxy-authorization} and {@code cookie} are sent as
 * never-indexed literals (RFC 7541 §7.1.3): no table entry, and an intermediary must not index them either. Names are
 * sent in lower case (RFC 9113 §8.2.1).
 *
 * <p>Table size: the encoder uses {@code min(maxHeaderTableSize, peer's SETTINGS_HEADER_TABLE_SIZE)}; a change is
 * signalled by a dynamic table size update at the start of the next block (the smallest size since the last block
 * first when it shrank and grew again, RFC 7541 §4.2).
 *
 * <p>Not thread-safe: one per connection, used under the connection's write lock (blocks must reach the wire in the
 * order they were encoded).
 */
public final class HpackEncoder {

    private final int maxHeaderTableSize;
    private final DynamicTable table;
    /** Newest absolute entry number per field and per name; an entry leaves when evicted (see {@link #evicted}). */
    private final Map<Header, Long> fieldNumbers = new HashMap<>();
    private final Map<String, Long> nameNumbers = new HashMap<>();
    /** The smallest capacity since the last block, or -1 when the capacity has not changed since. */
    private int pendingMin = -1;

    private byte[] out = new byte[256];
    private int pos;

    /**
     * @param maxHeaderTableSize the most of the peer's dynamic table this encoder uses (the peer allows 4096 until
     *     its SETTINGS say otherwise)
     */
    public HpackEncoder(int maxHeaderTableSize) {
        if (maxHeaderTableSize < 0) {
            throw new IllegalArgumentException("a header table size is not negative: " + maxHeaderTableSize);
        }
        this.maxHeaderTableSize = maxHeaderTableSize;
        this.table = new DynamicTable(HpackDecoder.DEFAULT_HEADER_TABLE_SIZE, this::evicted);
        resize(Math.min(maxHeaderTableSize, HpackDecoder.DEFAULT_HEADER_TABLE_SIZE));
    }

    /** The peer's SETTINGS_HEADER_TABLE_SIZE changed; the next block starts with a size update if ours changes. */
    public void setPeerMaxHeaderTableSize(long peerMaxHeaderTableSize) {
        resize((int) Math.min(this.maxHeaderTableSize, peerMaxHeaderTableSize));
    }

    public int tableCapacity() {
        return this.table.capacity();
    }

    public long tableSize() {
        return this.table.size();
    }

    public int tableLength() {
        return this.table.length();
    }

    /** A dynamic table entry, 0 being the newest. */
    public Header tableEntry(int i) {
        return this.table.get(i);
    }

    /**
     * One field block for the fields, in their order.
     *
     * @throws IllegalArgumentException a name or value with a character above 0xff (HPACK strings are octets;
     *     requests are checked before they get here)
     */
    public byte[] encode(List<Header> fields) {
        this.pos = 0;
        if (this.pendingMin >= 0) {
            if (this.pendingMin < this.table.capacity()) {
                integer(0x20, 5, this.pendingMin);
            }
            integer(0x20, 5, this.table.capacity());
            this.pendingMin = -1;
        }
        for (Header h : fields) {
            field(h);
        }
        return Arrays.copyOf(this.out, this.pos);
    }

    private void field(Header h) {
        String name = lowerCase(h.name());
        Header f = name == h.name() ? h : new Header(name, h.value());
        String value = f.value();
        boolean sensitive = isSensitive(name);
        if (!sensitive) {
            int index = StaticTable.indexOf(f);
            if (index == 0) {
                index = dynamicIndex(this.fieldNumbers.get(f));
            }
            if (index > 0) {
                integer(0x80, 7, index);
                return;
            }
        }
        int nameIndex = StaticTable.indexOfName(name);
        if (nameIndex == 0) {
            nameIndex = Math.max(0, dynamicIndex(this.nameNumbers.get(name)));
        }
        boolean indexing = !sensitive && !name.equals(":path") && !name.equals("content-length")
                && DynamicTable.sizeOf(f) <= this.table.capacity() / 2;
        if (indexing) {
            integer(0x40, 6, nameIndex);
        }
        else {
            integer(sensitive ? 0x10 : 0x00, 4, nameIndex);
        }
        if (nameIndex == 0) {
            string(name);
        }
        string(value);
        if (indexing) {
            this.table.add(f);
            long number = this.table.inserted() - 1;
            this.fieldNumbers.put(f, number);
            this.nameNumbers.put(name, number);
        }
    }

    /** The HPACK index of a dynamic entry by its absolute number, or -1 when gone or {@code null}. */
    private int dynamicIndex(Long number) {
        if (number == null) {
            return -1;
        }
        int i = this.table.indexOfNumber(number);
        return i < 0 ? -1 : StaticTable.LENGTH + 1 + i;
    }

    private void evicted(Header entry, long number) {
        this.fieldNumbers.remove(entry, number);
        this.nameNumbers.remove(entry.name(), number);
    }

    private void resize(int capacity) {
        if (capacity == this.table.capacity()) {
            return;
        }
        this.table.setCapacity(capacity);
        this.pendingMin = this.pendingMin < 0 ? capacity : Math.min(this.pendingMin, capacity);
    }

    private static boolean isSensitive(String name) {
        return name.equals("authorization") || name.equals("proxy-authorization") || name.equals("cookie");
    }

    /** The name with ASCII upper-case letters lowered (only those: RFC 9113 §8.2.1); the same instance if none. */
    static String lowerCase(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] chars = name.toCharArray();
                for (int j = i; j < chars.length; j++) {
                    if (chars[j] >= 'A' && chars[j] <= 'Z') {
                        chars[j] += 'a' - 'A';
                    }
                }
                return new String(chars);
            }
        }
        return name;
    }

    /** An integer with an N-bit prefix (RFC 7541 §5.1), the prefix's other bits being {@code first}. */
    private void integer(int first, int prefixBits, int value) {
        ensure(6);
        int mask = (1 << prefixBits) - 1;
        if (value < mask) {
            this.out[this.pos++] = (byte) (first | value);
            return;
        }
        this.out[this.pos++] = (byte) (first | mask);
        int rest = value - mask;
        while (rest >= 0x80) {
            this.out[this.pos++] = (byte) ((rest & 0x7f) | 0x80);
            rest >>>= 7;
        }
        this.out[this.pos++] = (byte) rest;
    }

    /** A string literal, Huffman-coded when that is shorter. */
    private void string(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) > 0xff) {
                throw new IllegalArgumentException("hotpool: a header field with a character that is not ISO-8859-1"
                        + " cannot be sent (HPACK strings are octets)");
            }
        }
        int huffman = Huffman.encodedLength(s);
        if (huffman < n) {
            integer(0x80, 7, huffman);
            ensure(huffman);
            this.pos = Huffman.encode(s, this.out, this.pos);
            return;
        }
        integer(0x00, 7, n);
        ensure(n);
        for (int i = 0; i < n; i++) {
            this.out[this.pos++] = (byte) s.charAt(i);
        }
    }

    private void ensure(int more) {
        if (this.pos + more > this.out.length) {
            this.out = Arrays.copyOf(this.out, Math.max(this.pos + more, this.out.length * 2));
        }
    }
}
