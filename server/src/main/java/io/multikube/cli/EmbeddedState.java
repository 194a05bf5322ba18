package io.multikube.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.multikube.pki.Certificates;
import io.multikube.pki.KeyAndCertificate;
import io.multikube.pki.KeyType;
import io.multikube.pki.Pem;

/**
 * The state folder of the embedded default: a local CA, a serving certificate for 127.0.0.1/localhost and a
 * token signer, generated once and reused on later starts so client kubeconfigs stay valid across restarts.
 */
final class EmbeddedState {
    private static final System.Logger LOG = System.getLogger(EmbeddedState.class.getName());
    private static final Duration VALIDITY = Duration.ofDays(365);

    private final Path folder;

    EmbeddedState(Path folder) {
        this.folder = folder;
    }

    Path caCertificate() {
        return folder.resolve("ca.pem");
    }

    Path servingCertificate() {
        return folder.resolve("serving.pem");
    }

    Path servingKey() {
        return folder.resolve("serving-key.pem");
    }

    Path signerCertificate() {
        return folder.resolve("signer.pem");
    }

    Path signerKey() {
        return folder.resolve("signer-key.pem");
    }

    Path clientKubeconfig() {
        return folder.resolve("client-kubeconfig.yaml");
    }

    /** Creates whatever is missing; keeps what a previous start generated. */
    EmbeddedState ensure() {
        try {
            Files.createDirectories(folder);
            restrict(folder, "rwx------");
            if (!Files.exists(servingKey()) || !Files.exists(caCertificate())) {
                KeyAndCertificate ca = Certificates.selfSignedCa("multikube local CA", KeyType.EC_P256, VALIDITY);
                KeyAndCertificate serving = Certificates.issue(ca, "multikube", Certificates.Usage.SERVER,
                        List.of("localhost", "127.0.0.1", "::1"), KeyType.EC_P256, VALIDITY);
                write(caCertificate(), ca.certificatePem());
                write(servingCertificate(), Pem.write(serving.certificate(), ca.certificate()));
                write(servingKey(), serving.keyPem());
                LOG.log(Level.INFO, "generated a local CA and serving certificate in " + folder);
            }
            if (!Files.exists(signerKey())) {
                KeyAndCertificate ca = Certificates.selfSignedCa("multikube token signer", KeyType.EC_P256, VALIDITY);
                write(signerCertificate(), ca.certificatePem());
                write(signerKey(), ca.keyPem());
                LOG.log(Level.INFO, "generated a token signer key in " + folder);
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the state folder " + folder + ": " + e.getMessage(), e);
        }
    }

    void write(Path file, String content) throws IOException {
        PrivateFiles.write(file, content);
    }

    private static void restrict(Path path, String permissions) throws IOException {
        PrivateFiles.restrict(path, permissions);
    }
}
