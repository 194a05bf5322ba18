package io.multikube.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        var builder = Tls.builder()
                .privateKey(Pem.privateKey(read(key, "--tls-key")))
                .privateKeyCertChain(Pem.certificates(read(certificate, "--tls-certificate")))
                .enabledProtocols(policy.protocols())
                .enabledCipherSuites(policy.enabledSuites())
                // Helidon puts the key in an in-memory key store under a random password. PKCS#12, the default,
                // derives that password with 10,000 PBKDF2 rounds twice: ~0.4 s of a start on one core, and as much
                // JIT work. JKS's key protection costs nothing, and this store never leaves memory.
                .internalKeystoreType("JKS");
        clientCa.ifPresent(ca -> builder
                .trust(Pem.certificates(read(ca, "--tls-ca")))
                .clientAuth(TlsClientAuth.REQUIRED));
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
