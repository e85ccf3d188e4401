package dev.hotpool.internal.tls;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes synthetic ClientHello records for parser and fingerprint tests: any legacy version, cipher list and
 * extensions in any order (GREASE too), split over records of a chosen size. Not thread-safe; one per hello.
 */
final class HelloBytes {

    private int legacyVersion = 0x0303;
    private final List<Integer> cipherSuites = new ArrayList<>();
    private final ByteArrayOutputStream extensions = new ByteArrayOutputStream();
    private boolean hasExtensions;
    private int recordSize = 16_384;

    static HelloBytes hello() {
        return new HelloBytes();
    }

    HelloBytes legacyVersion(int version) {
        this.legacyVersion = version;
        return this;
    }

    HelloBytes ciphers(int... codes) {
        for (int c : codes) {
            this.cipherSuites.add(c);
        }
        return this;
    }

    /** Splits the handshake message over records of at most this many bytes. */
    HelloBytes recordSize(int size) {
        this.recordSize = size;
        return this;
    }

    HelloBytes extension(int type, byte[] data) {
        this.hasExtensions = true;
        u16(this.extensions, type);
        u16(this.extensions, data.length);
        this.extensions.writeBytes(data);
        return this;
    }

    HelloBytes empty(int type) {
        return extension(type, new byte[0]);
    }

    HelloBytes sni(String host) {
        byte[] name = host.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream entry = new ByteArrayOutputStream();
        entry.write(0);
        u16(entry, name.length);
        entry.writeBytes(name);
        return extension(0x0000, withU16Length(entry.toByteArray()));
    }

    HelloBytes groups(int... codes) {
        return extension(0x000a, withU16Length(u16s(codes)));
    }

    HelloBytes pointFormats(int... formats) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(formats.length);
        for (int f : formats) {
            out.write(f);
        }
        return extension(0x000b, out.toByteArray());
    }

    HelloBytes signatureAlgorithms(int... codes) {
        return extension(0x000d, withU16Length(u16s(codes)));
    }

    HelloBytes alpn(String... protocols) {
        byte[][] raw = new byte[protocols.length][];
        for (int i = 0; i < protocols.length; i++) {
            raw[i] = protocols[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return alpnBytes(raw);
    }

    HelloBytes alpnBytes(byte[]... protocols) {
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        for (byte[] p : protocols) {
            list.write(p.length);
            list.writeBytes(p);
        }
        return extension(0x0010, withU16Length(list.toByteArray()));
    }

    HelloBytes supportedVersions(int... versions) {
        byte[] body = u16s(versions);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(body.length);
        out.writeBytes(body);
        return extension(0x002b, out.toByteArray());
    }

    HelloBytes keyShares(int... groups) {
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        for (int g : groups) {
            u16(list, g);
            u16(list, 32);
            list.writeBytes(new byte[32]);
        }
        return extension(0x0033, withU16Length(list.toByteArray()));
    }

    /** The records. */
    byte[] bytes() {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u16(body, this.legacyVersion);
        body.writeBytes(new byte[32]);
        body.write(32);
        body.writeBytes(new byte[32]);
        u16(body, this.cipherSuites.size() * 2);
        for (int c : this.cipherSuites) {
            u16(body, c);
        }
        body.write(1);
        body.write(0);
        if (this.hasExtensions) {
            byte[] ext = this.extensions.toByteArray();
            u16(body, ext.length);
            body.writeBytes(ext);
        }
        byte[] b = body.toByteArray();
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.write(1);
        message.write(b.length >> 16);
        message.write(b.length >> 8);
        message.write(b.length);
        message.writeBytes(b);
        byte[] m = message.toByteArray();
        ByteArrayOutputStream records = new ByteArrayOutputStream();
        for (int pos = 0; pos < m.length; pos += this.recordSize) {
            int len = Math.min(this.recordSize, m.length - pos);
            records.write(22);
            u16(records, 0x0301);
            u16(records, len);
            records.write(m, pos, len);
        }
        return records.toByteArray();
    }

    private static byte[] u16s(int... values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int v : values) {
            u16(out, v);
        }
        return out.toByteArray();
    }

    private static byte[] withU16Length(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        u16(out, data.length);
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >> 8);
        out.write(v);
    }
}
