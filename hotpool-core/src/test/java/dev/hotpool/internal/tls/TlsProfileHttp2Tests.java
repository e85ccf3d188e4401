package dev.hotpool.internal.tls;

import dev.hotpool.tls.TlsProfile;
import dev.hotpool.tls.TlsProfile.Http2Setting;

import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A profile's HTTP/2 fingerprint (SETTINGS, WINDOW_UPDATE, pseudo-header order): what each built-in sends, and what
 * {@link TlsProfile.Builder#build()} refuses, naming the property, because no connection of hotpool's could send or
 * honour it.
 */
class TlsProfileHttp2Tests {

    private static TlsProfile.Builder profile() {
        return TlsProfile.builder("h2");
    }

    @Test
    void browserLikeSendsChromesSettingsWindowAndPseudoHeaderOrder() {
        TlsProfile p = TlsProfile.BROWSER_LIKE;
        assertThat(p.http2Settings()).containsExactly(new Http2Setting(1, 65_536), new Http2Setting(2, 0),
                new Http2Setting(4, 6_291_456), new Http2Setting(6, 262_144));
        assertThat(p.http2WindowUpdate()).hasValue(15_663_105);
        assertThat(p.http2PseudoHeaderOrder()).isEqualTo("m,a,s,p");
    }

    @Test
    void theOtherBuiltInsAndANewProfileSendHotpoolsOwn() {
        for (TlsProfile p : List.of(TlsProfile.DEFAULT, TlsProfile.MODERN, TlsProfile.COMPATIBLE, profile().build())) {
            assertThat(p.http2Settings()).as(p.name()).isEmpty();
            assertThat(p.http2WindowUpdate()).as(p.name()).isEqualTo(OptionalInt.empty());
            assertThat(p.http2PseudoHeaderOrder()).as(p.name()).isEqualTo("m,a,s,p");
        }
    }

    @Test
    void theValuesAreKeptByAVariantAndShownInToString() {
        TlsProfile p = profile().http2Settings("2:0;3:100;4:2097152;9:1").http2WindowUpdate(0)
            .http2PseudoHeaderOrder("msap").build();
        TlsProfile variant = p.toBuilder().protocols(List.of("TLSv1.3")).build();
        assertThat(variant.http2Settings()).isEqualTo(p.http2Settings());
        assertThat(variant.http2WindowUpdate()).hasValue(0);
        assertThat(variant.http2PseudoHeaderOrder()).isEqualTo("m,s,a,p");
        assertThat(p.toString()).endsWith("http2 2:0;3:100;4:2097152;9:1|0|0|m,s,a,p]");
        assertThat(TlsProfile.DEFAULT.toString()).doesNotContain("http2");
    }

    @Test
    void unknownIdentifiersSuchAsGreaseAndAnyServerPushCapPass() {
        TlsProfile p = profile().http2Settings("2:0;3:0;2570:2570;65535:4294967295").build();
        assertThat(p.http2Settings()).extracting(Http2Setting::id).containsExactly(2, 3, 2570, 65_535);
    }

    @ParameterizedTest
    @ValueSource(strings = { "m,a,s", "m,a,s,s", "m,a,s,p,m", "x,a,s,p", "M,A,S,P", "" })
    void aPseudoHeaderOrderThatIsNotAPermutationOfMaspIsRefused(String order) {
        assertThatIllegalArgumentException().isThrownBy(() -> profile().http2PseudoHeaderOrder(order).build())
            .withMessage("hotpool.tls.profiles.h2.http2.pseudo-header-order (" + order + ") must name m, a, s and p"
                    + " each once (:method, :authority, :scheme, :path), e.g. m,a,s,p");
    }

    @ParameterizedTest
    @ValueSource(ints = { -1, 2_147_418_113, Integer.MAX_VALUE })
    void aWindowUpdateThatWouldTakeTheWindowPast2To31IsRefused(int increment) {
        assertThatIllegalArgumentException().isThrownBy(() -> profile().http2WindowUpdate(increment).build())
            .withMessageStartingWith("hotpool.tls.profiles.h2.http2.window-update (" + increment + ") must be from 0"
                    + " (none) to 2147418112");
        assertThat(profile().http2WindowUpdate(2_147_418_112).build().http2WindowUpdate()).hasValue(2_147_418_112);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '!', value = {
        "2:1!2:1 would let the server push (SETTINGS_ENABLE_PUSH), which hotpool does not take: send 2:0",
        "2:0;1:2147483648!1:2147483648 is outside 0..2147483647 for SETTINGS_HEADER_TABLE_SIZE",
        "2:0;4:65534!4:65534 is outside 65535..2147483647 for SETTINGS_INITIAL_WINDOW_SIZE",
        "2:0;4:2147483648!4:2147483648 is outside 65535..2147483647 for SETTINGS_INITIAL_WINDOW_SIZE",
        "2:0;5:16383!5:16383 is outside 16384..16777215 for SETTINGS_MAX_FRAME_SIZE",
        "2:0;5:16777216!5:16777216 is outside 16384..16777215 for SETTINGS_MAX_FRAME_SIZE",
        "2:0;6:1023!6:1023 is outside 1024..2147483647 for SETTINGS_MAX_HEADER_LIST_SIZE",
        "2:0;8:2!8:2 is outside 0..1 for SETTINGS_ENABLE_CONNECT_PROTOCOL",
        "2:0;9:2!9:2 is outside 0..1 for SETTINGS_NO_RFC7540_PRIORITIES",
        "2:0;4:65535;4:65536!sets identifier 4 twice",
        "1:65536;4:6291456!must hold 2:0 (SETTINGS_ENABLE_PUSH 0)",
    })
    void settingsNoConnectionCouldSendOrHonourAreRefused(String settings, String problem) {
        assertThatIllegalArgumentException().isThrownBy(() -> profile().http2Settings(settings).build())
            .withMessageStartingWith("hotpool.tls.profiles.h2.http2.settings (" + settings + ")")
            .withMessageContaining(problem);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '!', quoteCharacter = '"', value = {
        "1=65536!'1=65536' is not id:value (e.g. 4:6291456)",
        "2:0;;4:65535!'' is not id:value (e.g. 4:6291456)",
        "a:1!'a:1' is not id:value in decimal (e.g. 4:6291456)",
        "2:-1!'2:-1' is not id:value in decimal (e.g. 4:6291456)",
        "65536:1!'65536:1': an identifier is 0 to 65535",
        "2:4294967296!'2:4294967296': a value is 0 to 4294967295",
    })
    void settingsTextThatCannotBeReadIsRefusedNamingTheProperty(String settings, String problem) {
        assertThatIllegalArgumentException().isThrownBy(() -> profile().http2Settings(settings))
            .withMessage("hotpool.tls.profiles.h2.http2.settings (" + settings + "): " + problem);
    }

    @Test
    void settingsTextIsReadInOrderWithBlanksAroundItsParts() {
        assertThat(Http2Setting.parseAll(" 1:65536 ; 2:0;4: 6291456 ")).containsExactly(new Http2Setting(1, 65_536),
                new Http2Setting(2, 0), new Http2Setting(4, 6_291_456));
        assertThat(Http2Setting.parseAll("")).isEmpty();
        assertThat(new Http2Setting(4, 6_291_456)).hasToString("4:6291456");
    }
}
