package dev.hotpool.internal.tls;

import dev.hotpool.tls.Fingerprint;
import dev.hotpool.tls.TlsProfiles;

import java.util.List;
import java.util.Map;

/** What a pool checks of its TLS profiles when it is made ({@link TlsSetup}), for tests of the profiles alone. */
final class Verify {

    private Verify() {
    }

    /** The profiles, once the provider on this JVM was found to send what they ask ({@link TlsSetup#verify}). */
    static TlsProfiles checked(TlsProfiles profiles) {
        TlsSetup.verify(profiles, List.of());
        return profiles;
    }

    /** The fingerprints of the profiles in use, as a pool made of them has them. */
    static Map<String, Fingerprint> fingerprints(TlsProfiles profiles) {
        return TlsSetup.verify(profiles, List.of()).inUseFingerprints();
    }
}
