package dev.hotpool.internal.tls;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The JA3 and JA4 fingerprints of a parsed {@link ClientHello}, as their definitions have them; GREASE values
 * (RFC 8701) are left out.
 *
 * <ul>
 * <li><b>JA3</b> (Salesforce): {@code legacy_version,ciphers,extensions,groups,point_formats} in decimal, each list
 * dash-joined in wire order, GREASE removed; {@link #ja3Md5} is its MD5 in lower-case hex.</li>
 * <li><b>JA4</b> (FoxIO): {@code t} + the highest {@code supported_versions} entry (else the legacy version) +
 * {@code d}/{@code i} for SNI or none + two-digit cipher and extension counts (GREASE left out, SCSV, SNI and ALPN
 * counted) + first and last character of the first ALPN value ({@code 00} for none) {@code _} the first 12 hex
 * characters of the SHA-256 of the sorted cipher list {@code _} the same of the sorted extension list without SNI
 * and ALPN, followed by {@code _} and the signature algorithms in wire order.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
final class HelloFingerprints {

    private HelloFingerprints() {
    }

    /** The JA3 string. */
    static String ja3(ClientHello hello) {
        return hello.legacyVersion() + "," + decimal(hello.cipherSuites()) + "," + decimal(hello.extensions()) + ","
                + decimal(hello.namedGroups()) + "," + hello.pointFormats().stream().map(String::valueOf)
                    .collect(Collectors.joining("-"));
    }

    /** The MD5 of {@link #ja3}, lower-case hex. */
    static String ja3Md5(ClientHello hello) {
        return HexFormat.of().formatHex(digest("MD5", ja3(hello)));
    }

    /** The JA4 fingerprint ({@code t13d0911h1_…_…}). */
    static String ja4(ClientHello hello) {
        List<String> ciphers = hex(hello.cipherSuites());
        List<String> exts = hex(hello.extensions());
        exts.remove("0000");
        exts.remove("0010");
        String sortedExts = String.join(",", sorted(exts));
        List<String> sigs = hex(hello.signatureAlgorithms());
        String extsAndSigs = sigs.isEmpty() ? sortedExts : sortedExts + "_" + String.join(",", sigs);
        return ja4a(hello) + "_" + truncatedSha256(String.join(",", sorted(ciphers))) + "_"
                + (exts.isEmpty() ? "000000000000" : truncatedSha256(extsAndSigs));
    }

    /** JA4 in its raw form ({@code ja4_r}): the sorted lists instead of their hashes. */
    static String ja4Raw(ClientHello hello) {
        List<String> exts = hex(hello.extensions());
        exts.remove("0000");
        exts.remove("0010");
        List<String> sigs = hex(hello.signatureAlgorithms());
        return ja4a(hello) + "_" + String.join(",", sorted(hex(hello.cipherSuites()))) + "_"
                + String.join(",", sorted(exts)) + (sigs.isEmpty() ? "" : "_" + String.join(",", sigs));
    }

    private static String ja4a(ClientHello hello) {
        int version = hello.supportedVersions().stream().filter((v) -> !ClientHello.isGrease(v))
            .max(Integer::compare).orElse(hello.legacyVersion());
        return "t" + ja4Version(version) + (hello.extensions().contains(ClientHello.EXT_SERVER_NAME) ? "d" : "i")
                + twoDigits(hex(hello.cipherSuites()).size()) + twoDigits(hex(hello.extensions()).size())
                + ja4Alpn(hello.firstAlpn());
    }

    private static String ja4Version(int version) {
        return switch (version) {
            case 0x0304 -> "13";
            case 0x0303 -> "12";
            case 0x0302 -> "11";
            case 0x0301 -> "10";
            case 0x0300 -> "s3";
            case 0x0002 -> "s2";
            case 0xfeff -> "d1";
            case 0xfefd -> "d2";
            case 0xfefc -> "d3";
            default -> "00";
        };
    }

    private static String ja4Alpn(byte[] first) {
        if (first == null || first.length == 0) {
            return "00";
        }
        char a = (char) (first[0] & 0xff);
        char b = (char) (first[first.length - 1] & 0xff);
        if (isAlphanumeric(a) && isAlphanumeric(b)) {
            return "" + a + b;
        }
        String hex = HexFormat.of().formatHex(first);
        return "" + hex.charAt(0) + hex.charAt(hex.length() - 1);
    }

    private static boolean isAlphanumeric(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static String twoDigits(int n) {
        return String.format(Locale.ROOT, "%02d", Math.min(n, 99));
    }

    private static String decimal(List<Integer> values) {
        return values.stream().filter((v) -> !ClientHello.isGrease(v)).map(String::valueOf)
            .collect(Collectors.joining("-"));
    }

    /** Four-digit lower-case hex values, GREASE left out. */
    private static List<String> hex(List<Integer> values) {
        List<String> out = new ArrayList<>(values.size());
        for (int v : values) {
            if (!ClientHello.isGrease(v)) {
                out.add(String.format(Locale.ROOT, "%04x", v));
            }
        }
        return out;
    }

    private static List<String> sorted(List<String> values) {
        List<String> copy = new ArrayList<>(values);
        Collections.sort(copy);
        return copy;
    }

    private static String truncatedSha256(String text) {
        if (text.isEmpty()) {
            return "000000000000";
        }
        return HexFormat.of().formatHex(digest("SHA-256", text)).substring(0, 12);
    }

    private static byte[] digest(String algorithm, String text) {
        try {
            return MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.US_ASCII));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(algorithm + " is required of every JVM", ex);
        }
    }
}
