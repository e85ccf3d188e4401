package dev.hotpool.internal.tls;

import dev.hotpool.tls.Fingerprint;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One TLS ClientHello as it went on the wire, parsed from the records that carried it, with its JA3 and JA4
 * fingerprints (computed by {@link HelloFingerprints}). Everything is kept in wire order; GREASE values are kept too
 * and left out only by the fingerprints, as their definitions ask.
 *
 * <p>Immutable and thread-safe.
 */
final class ClientHello {

    static final int EXT_SERVER_NAME = 0x0000;
    static final int EXT_SUPPORTED_GROUPS = 0x000a;
    static final int EXT_EC_POINT_FORMATS = 0x000b;
    static final int EXT_SIGNATURE_ALGORITHMS = 0x000d;
    static final int EXT_ALPN = 0x0010;
    static final int EXT_SUPPORTED_VERSIONS = 0x002b;
    static final int EXT_PSK_KEY_EXCHANGE_MODES = 0x002d;
    static final int EXT_SIGNATURE_ALGORITHMS_CERT = 0x0032;
    static final int EXT_KEY_SHARE = 0x0033;

    private static final int CONTENT_HANDSHAKE = 22;
    private static final int HANDSHAKE_CLIENT_HELLO = 1;

    private final int recordVersion;
    private final int legacyVersion;
    private final List<Integer> cipherSuites;
    private final List<Integer> extensions;
    private final String serverName;
    private final List<Integer> namedGroups;
    private final List<Integer> pointFormats;
    private final List<Integer> signatureAlgorithms;
    private final List<Integer> signatureAlgorithmsCert;
    private final List<String> alpn;
    private final byte[] firstAlpn;
    private final List<Integer> supportedVersions;
    private final List<Integer> keyShares;
    private final int length;

    private ClientHello(Reader r, int recordVersion, int length) {
        this.recordVersion = recordVersion;
        this.length = length;
        this.legacyVersion = r.u16();
        r.skip(32);
        r.skip(r.u8());
        int cipherBytes = r.u16();
        List<Integer> ciphers = new ArrayList<>();
        for (int end = r.pos + cipherBytes; r.pos < end;) {
            ciphers.add(r.u16());
        }
        this.cipherSuites = List.copyOf(ciphers);
        r.skip(r.u8());
        List<Integer> exts = new ArrayList<>();
        String sni = null;
        List<Integer> groups = List.of();
        List<Integer> formats = List.of();
        List<Integer> sigs = List.of();
        List<Integer> sigsCert = List.of();
        List<String> protocols = List.of();
        byte[] first = null;
        List<Integer> versions = List.of();
        List<Integer> shares = List.of();
        if (r.remaining() > 0) {
            int extBytes = r.u16();
            for (int end = r.pos + extBytes; r.pos < end;) {
                int type = r.u16();
                Reader data = r.slice(r.u16());
                exts.add(type);
                switch (type) {
                    case EXT_SERVER_NAME -> sni = serverName(data);
                    case EXT_SUPPORTED_GROUPS -> groups = data.slice(data.u16()).u16List();
                    case EXT_EC_POINT_FORMATS -> formats = data.slice(data.u8()).u8List();
                    case EXT_SIGNATURE_ALGORITHMS -> sigs = data.slice(data.u16()).u16List();
                    case EXT_SIGNATURE_ALGORITHMS_CERT -> sigsCert = data.slice(data.u16()).u16List();
                    case EXT_SUPPORTED_VERSIONS -> versions = data.slice(data.u8()).u16List();
                    case EXT_ALPN -> {
                        Reader list = data.slice(data.u16());
                        List<String> names = new ArrayList<>();
                        while (list.remaining() > 0) {
                            byte[] name = list.bytes(list.u8());
                            if (first == null) {
                                first = name;
                            }
                            names.add(new String(name, StandardCharsets.ISO_8859_1));
                        }
                        protocols = List.copyOf(names);
                    }
                    case EXT_KEY_SHARE -> {
                        Reader list = data.slice(data.u16());
                        List<Integer> groupsShared = new ArrayList<>();
                        while (list.remaining() > 0) {
                            groupsShared.add(list.u16());
                            list.skip(list.u16());
                        }
                        shares = List.copyOf(groupsShared);
                    }
                    default -> {
                        // Only its type and place matter to the fingerprints.
                    }
                }
            }
        }
        this.extensions = List.copyOf(exts);
        this.serverName = sni;
        this.namedGroups = groups;
        this.pointFormats = formats;
        this.signatureAlgorithms = sigs;
        this.signatureAlgorithmsCert = sigsCert;
        this.alpn = protocols;
        this.firstAlpn = first;
        this.supportedVersions = versions;
        this.keyShares = shares;
    }

    /**
     * Parses the ClientHello from the start of a client's byte stream: one or more TLS records of content type
     * handshake, reassembled until the whole handshake message is there.
     *
     * @throws IllegalArgumentException when the bytes are not (the start of) a complete ClientHello
     */
    public static ClientHello parse(byte[] records) {
        Reassembled hello = reassemble(records, records.length);
        if (hello == null) {
            throw new IllegalArgumentException("not a complete TLS ClientHello (" + records.length + " bytes)");
        }
        Reader r = new Reader(hello.message(), 0, hello.message().length);
        if (r.u8() != HANDSHAKE_CLIENT_HELLO) {
            throw new IllegalArgumentException("the first handshake message is not a ClientHello");
        }
        int bodyLength = r.u24();
        try {
            return new ClientHello(r.slice(bodyLength), ((records[1] & 0xff) << 8) | (records[2] & 0xff),
                    hello.message().length);
        }
        catch (IndexOutOfBoundsException ex) {
            throw new IllegalArgumentException("malformed TLS ClientHello", ex);
        }
    }

    /**
     * How many of the first {@code available} bytes of {@code records} hold a complete first handshake message
     * (up to the end of the record that completes it), or -1 when more are needed. Lets a reader stop at the end of
     * the hello without waiting for bytes that will not come.
     *
     * @throws IllegalArgumentException when a record is not a handshake record
     */
    static int completeLength(byte[] records, int available) {
        Reassembled hello = reassemble(records, available);
        return hello == null ? -1 : hello.recordsLength();
    }

    /** The first handshake message, and the length of the records that carried it; {@code null} while incomplete. */
    private static Reassembled reassemble(byte[] records, int available) {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        int pos = 0;
        while (pos + 5 <= available) {
            if ((records[pos] & 0xff) != CONTENT_HANDSHAKE) {
                throw new IllegalArgumentException("not a TLS handshake record (content type " + (records[pos] & 0xff)
                        + ")");
            }
            int length = ((records[pos + 3] & 0xff) << 8) | (records[pos + 4] & 0xff);
            if (pos + 5 + length > available) {
                return null;
            }
            message.write(records, pos + 5, length);
            pos += 5 + length;
            byte[] m = message.toByteArray();
            if (m.length >= 4) {
                int needed = 4 + (((m[1] & 0xff) << 16) | ((m[2] & 0xff) << 8) | (m[3] & 0xff));
                if (m.length >= needed) {
                    return new Reassembled(Arrays.copyOf(m, needed), pos);
                }
            }
        }
        return null;
    }

    /** A reassembled handshake message and the length of the records it came in. */
    private record Reassembled(byte[] message, int recordsLength) {
    }

    private static String serverName(Reader data) {
        Reader list = data.slice(data.u16());
        while (list.remaining() > 0) {
            int type = list.u8();
            byte[] name = list.bytes(list.u16());
            if (type == 0) {
                return new String(name, StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    /** Whether a 16-bit value is a GREASE value (RFC 8701): {@code 0x0a0a}, {@code 0x1a1a}, … {@code 0xfafa}. */
    static boolean isGrease(int value) {
        return (value & 0x0f0f) == 0x0a0a && (value >> 8) == (value & 0xff);
    }

    /** The record layer's version ({@code 0x0301} from BCJSSE, {@code 0x0303} from SunJSSE). */
    public int recordVersion() {
        return this.recordVersion;
    }

    /** The ClientHello's {@code legacy_version} ({@code 0x0303} when TLS 1.2 or 1.3 is offered). */
    public int legacyVersion() {
        return this.legacyVersion;
    }

    /** Cipher suites in wire order, SCSV and GREASE included. */
    public List<Integer> cipherSuites() {
        return this.cipherSuites;
    }

    /** Extension types in wire order. */
    public List<Integer> extensions() {
        return this.extensions;
    }

    /** The SNI host name, or {@code null} when none was sent. */
    String serverName() {
        return this.serverName;
    }

    /** {@code supported_groups} in wire order. */
    public List<Integer> namedGroups() {
        return this.namedGroups;
    }

    /** {@code ec_point_formats}. */
    public List<Integer> pointFormats() {
        return this.pointFormats;
    }

    /** {@code signature_algorithms} in wire order. */
    public List<Integer> signatureAlgorithms() {
        return this.signatureAlgorithms;
    }

    /** {@code signature_algorithms_cert} in wire order (empty when not sent). */
    public List<Integer> signatureAlgorithmsCert() {
        return this.signatureAlgorithmsCert;
    }

    /** ALPN protocol names in wire order (empty when the extension was not sent). */
    public List<String> alpn() {
        return this.alpn;
    }

    /** {@code supported_versions} in wire order (empty when not sent: TLS 1.2 and below only). */
    public List<Integer> supportedVersions() {
        return this.supportedVersions;
    }

    /** The groups of the {@code key_share} entries, in wire order. */
    public List<Integer> keyShares() {
        return this.keyShares;
    }

    /** The size of the handshake message, header included. */
    int length() {
        return this.length;
    }

    /** The protocols offered, as JSSE names ({@code TLSv1.3}, {@code TLSv1.2}), highest first as on the wire. */
    public List<String> protocols() {
        if (this.supportedVersions.isEmpty()) {
            return List.of(protocolName(this.legacyVersion));
        }
        return this.supportedVersions.stream().filter((v) -> !isGrease(v)).map(ClientHello::protocolName).toList();
    }

    static String protocolName(int version) {
        return switch (version) {
            case 0x0304 -> "TLSv1.3";
            case 0x0303 -> "TLSv1.2";
            case 0x0302 -> "TLSv1.1";
            case 0x0301 -> "TLSv1";
            case 0x0300 -> "SSLv3";
            default -> String.format("0x%04x", version);
        };
    }

    /** The first ALPN value's bytes (a copy), or {@code null} when no ALPN was sent. */
    byte[] firstAlpn() {
        return this.firstAlpn == null ? null : this.firstAlpn.clone();
    }

    /** The JA3 string (see {@link HelloFingerprints#ja3}). */
    public String ja3() {
        return HelloFingerprints.ja3(this);
    }

    /** The MD5 of {@link #ja3()}, lower-case hex. */
    public String ja3Md5() {
        return HelloFingerprints.ja3Md5(this);
    }

    /** The JA4 fingerprint ({@code t13d0911h1_…_…}; see {@link HelloFingerprints#ja4}). */
    public String ja4() {
        return HelloFingerprints.ja4(this);
    }

    /** JA4 in its raw form ({@code ja4_r}): the sorted lists instead of their hashes. */
    public String ja4Raw() {
        return HelloFingerprints.ja4Raw(this);
    }

    @Override
    public String toString() {
        return "ClientHello[" + this.length + " bytes, " + protocols() + ", sni=" + this.serverName + ", alpn="
                + this.alpn + ", " + ja4() + "]";
    }

    /** A bounds-checked big-endian reader over a byte range. */
    private static final class Reader {

        private final byte[] bytes;
        private final int end;
        private int pos;

        Reader(byte[] bytes, int pos, int end) {
            if (end > bytes.length || pos > end) {
                throw new IndexOutOfBoundsException("length " + (end - pos) + " runs past the message");
            }
            this.bytes = bytes;
            this.pos = pos;
            this.end = end;
        }

        int remaining() {
            return this.end - this.pos;
        }

        int u8() {
            need(1);
            return this.bytes[this.pos++] & 0xff;
        }

        int u16() {
            need(2);
            int v = ((this.bytes[this.pos] & 0xff) << 8) | (this.bytes[this.pos + 1] & 0xff);
            this.pos += 2;
            return v;
        }

        int u24() {
            need(3);
            int v = ((this.bytes[this.pos] & 0xff) << 16) | ((this.bytes[this.pos + 1] & 0xff) << 8)
                    | (this.bytes[this.pos + 2] & 0xff);
            this.pos += 3;
            return v;
        }

        void skip(int n) {
            need(n);
            this.pos += n;
        }

        byte[] bytes(int n) {
            need(n);
            byte[] out = Arrays.copyOfRange(this.bytes, this.pos, this.pos + n);
            this.pos += n;
            return out;
        }

        Reader slice(int n) {
            need(n);
            Reader r = new Reader(this.bytes, this.pos, this.pos + n);
            this.pos += n;
            return r;
        }

        List<Integer> u16List() {
            List<Integer> out = new ArrayList<>();
            while (remaining() >= 2) {
                out.add(u16());
            }
            return List.copyOf(out);
        }

        List<Integer> u8List() {
            List<Integer> out = new ArrayList<>();
            while (remaining() >= 1) {
                out.add(u8());
            }
            return List.copyOf(out);
        }

        private void need(int n) {
            if (n < 0 || this.pos + n > this.end) {
                throw new IndexOutOfBoundsException("needs " + n + " bytes, " + remaining() + " left");
            }
        }
    }

    /** Its fingerprints, as the API gives them. */
    public Fingerprint.Hello fingerprint() {
        return new Fingerprint.Hello(ja3(), ja3Md5(), ja4(), ja4Raw(), length());
    }
}
