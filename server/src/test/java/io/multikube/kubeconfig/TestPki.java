package io.multikube.kubeconfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.multikube.pki.Certificates;
import io.multikube.pki.Certificates.Usage;
import io.multikube.pki.KeyAndCertificate;
import io.multikube.pki.KeyType;

/** Certificates for kubeconfig tests, issued with the production {@link Certificates}; EC keys keep it fast. */
final class TestPki {
    private static final Duration DAY = Duration.ofDays(1);

    private TestPki() {
    }

    static KeyAndCertificate ca(String name) {
        return Certificates.selfSignedCa(name, KeyType.EC_P256, DAY);
    }

    static KeyAndCertificate server(KeyAndCertificate ca, String... names) {
        return Certificates.issue(ca, "kube-apiserver", Usage.SERVER, List.of(names), KeyType.EC_P256, DAY);
    }

    static KeyAndCertificate client(KeyAndCertificate ca, String commonName, KeyType keyType) {
        return Certificates.issue(ca, commonName, Usage.CLIENT, List.of(), keyType, DAY);
    }

    /** Writes the text, creating parent folders, and returns the file. */
    static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
