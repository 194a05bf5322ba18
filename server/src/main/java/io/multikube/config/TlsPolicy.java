package io.multikube.config;

import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * What the TLS listener speaks: the lowest TLS version ({@code --tls-min-version}, named as kube-apiserver names it)
 * and the TLS 1.2 cipher suites ({@code --tls-cipher-suites}, IANA names). TLS 1.3 is always on with its three
 * AEAD suites. The default is Mozilla's "intermediate" profile: TLS 1.2+ with ECDHE key exchange and AEAD ciphers
 * only (no RSA key exchange, no CBC, no SHA-1 MACs).
 *
 * @param minVersion   {@code VersionTLS12} or {@code VersionTLS13}
 * @param cipherSuites the TLS 1.2 suites, in order of preference
 */
public record TlsPolicy(String minVersion, List<String> cipherSuites) {
    public static final String TLS12 = "VersionTLS12";
    public static final String TLS13 = "VersionTLS13";
    /** TLS 1.3's suites; the JDK enables a TLS 1.3 suite only when it is listed with the others. */
    public static final List<String> TLS13_SUITES = List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256");
    public static final List<String> DEFAULT_SUITES = List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    public static final TlsPolicy DEFAULT = new TlsPolicy(TLS12, DEFAULT_SUITES);

    public TlsPolicy {
        if (!TLS12.equals(minVersion) && !TLS13.equals(minVersion)) {
            throw new IllegalArgumentException("--tls-min-version: " + minVersion + " (expected: " + TLS12 + " or "
                    + TLS13 + "; multikube never speaks TLS 1.0 or 1.1)");
        }
        cipherSuites = List.copyOf(new LinkedHashSet<>(cipherSuites));
        if (cipherSuites.isEmpty()) {
            throw new IllegalArgumentException("--tls-cipher-suites: empty (expected: at least one suite)");
        }
        Set<String> supported = supportedSuites();
        List<String> unknown = cipherSuites.stream().filter(suite -> !supported.contains(suite)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("--tls-cipher-suites: " + String.join(", ", unknown)
                    + " not supported by this Java runtime (expected: IANA names such as "
                    + DEFAULT_SUITES.getFirst() + ")");
        }
    }

    /** The flags' values: a version name (any case) and a comma-separated list, or null for the defaults. */
    public static TlsPolicy parse(String minVersion, String cipherSuites) {
        String version = minVersion == null ? TLS12 : minVersion.strip();
        for (String known : List.of(TLS12, TLS13)) {
            version = known.toLowerCase(Locale.ROOT).equals(version.toLowerCase(Locale.ROOT)) ? known : version;
        }
        List<String> suites = cipherSuites == null || cipherSuites.isBlank() ? DEFAULT_SUITES
                : List.of(cipherSuites.split(",")).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
        return new TlsPolicy(version, suites);
    }

    /** The JDK protocol names to enable. */
    public List<String> protocols() {
        return TLS13.equals(minVersion) ? List.of("TLSv1.3") : List.of("TLSv1.3", "TLSv1.2");
    }

    /** The JDK cipher suites to enable: TLS 1.3's, then the TLS 1.2 ones when TLS 1.2 is on. */
    public List<String> enabledSuites() {
        List<String> suites = new ArrayList<>(TLS13_SUITES);
        if (TLS12.equals(minVersion)) {
            suites.addAll(cipherSuites.stream().filter(suite -> !TLS13_SUITES.contains(suite)).toList());
        }
        return List.copyOf(suites);
    }

    private static Set<String> supportedSuites() {
        try {
            // A bare context: the default one would load the JDK's trust store, ~150 certificates, to answer this.
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[0], new TrustManager[0], null);
            return Set.of(context.getSupportedSSLParameters().getCipherSuites());
        } catch (NoSuchAlgorithmException | KeyManagementException e) {
            throw new IllegalStateException("every JDK has a TLS context", e);
        }
    }
}
