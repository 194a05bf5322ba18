package io.multikube.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class TlsPolicyTest {
    @Test
    void defaultsToTls12WithEcdheAndAeadSuitesOnly() {
        TlsPolicy policy = TlsPolicy.parse(null, null);

        assertThat(policy).isEqualTo(TlsPolicy.DEFAULT);
        assertThat(policy.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(policy.enabledSuites()).startsWith("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
                "TLS_CHACHA20_POLY1305_SHA256");
        assertThat(policy.enabledSuites()).allSatisfy(suite -> {
            assertThat(suite).doesNotContain("CBC", "_SHA,", "3DES", "RC4", "NULL");
            assertThat(suite.startsWith("TLS_ECDHE_") || TlsPolicy.TLS13_SUITES.contains(suite)).isTrue();
        });
    }

    @Test
    void tls13OnlyLeavesTheTls12SuitesOut() {
        TlsPolicy policy = TlsPolicy.parse("versiontls13", null);

        assertThat(policy.protocols()).containsExactly("TLSv1.3");
        assertThat(policy.enabledSuites()).containsExactlyElementsOf(TlsPolicy.TLS13_SUITES);
    }

    @Test
    void takesTheSuitesInTheOrderGiven() {
        TlsPolicy policy = TlsPolicy.parse("VersionTLS12",
                " TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 ,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,");

        assertThat(policy.cipherSuites()).containsExactly("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void refusesOlderVersionsAndUnknownSuitesClearly() {
        assertThatThrownBy(() -> TlsPolicy.parse("VersionTLS10", null))
                .hasMessage("--tls-min-version: VersionTLS10 (expected: VersionTLS12 or VersionTLS13; multikube "
                        + "never speaks TLS 1.0 or 1.1)");
        assertThatThrownBy(() -> TlsPolicy.parse(null, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_MADE_UP"))
                .hasMessage("--tls-cipher-suites: TLS_MADE_UP not supported by this Java runtime (expected: IANA "
                        + "names such as TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)");
        assertThatThrownBy(() -> new TlsPolicy(TlsPolicy.TLS12, List.of()))
                .hasMessage("--tls-cipher-suites: empty (expected: at least one suite)");
    }
}
