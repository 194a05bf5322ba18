package io.multikube.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import io.helidon.common.tls.Tls;
import io.helidon.common.tls.TlsClientAuth;
import io.multikube.pki.Pem;
import io.multikube.config.TlsPolicy;

/**
 * The TLS listener's configuration: serving certificate and key, the versions and cipher suites of the
 * {@link TlsPolicy}, and mutual TLS with {@code --tls-ca}.
 */
final class ServerTls {
    private ServerTls() {
    }

    static Tls create(Path certificate, Path key, Optional<Path> clientCa, TlsPolicy policy) {
        List<X509Certificate> chain = Pem.certificates(read(certificate, "--tls-certificate"));
        var builder = Tls.builder()
                .privateKey(Pem.privateKey(read(key, "--tls-key")))
                .privateKeyCertChain(chain)
                .enabledProtocols(policy.protocols())
                .enabledCipherSuites(policy.enabledSuites())
                // Helidon puts the key in an in-memory key store under a random password. PKCS#12, the default,
                // derives that password with 10,000 PBKDF2 rounds twice: a fresh JVM on one core took 720-810 ms to
                // store and read a key, against 93-102 ms with JKS, whose protection costs nothing. The store never
                // leaves memory.
                .internalKeystoreType("JKS");
        if (clientCa.isPresent()) {
            builder.trust(Pem.certificates(read(clientCa.get(), "--tls-ca"))).clientAuth(TlsClientAuth.REQUIRED);
        } else {
            // No client certificate is asked for, so this trust is never consulted. Without one, Helidon leaves
            // it to the JDK, which loads its ~150 root certificates (~0.2 s of a start) to answer nothing.
            builder.trust(chain).clientAuth(TlsClientAuth.NONE);
        }
        return builder.build();
    }

    private static String read(Path file, String flag) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(flag + ": cannot read " + file + " (" + e.getMessage() + ")", e);
        }
    }
}
