package io.multikube.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import io.multikube.testing.TestPki;

/**
 * A real Kubernetes API server the suite routes to, however it was started (local binaries here, k3s where
 * Docker runs). Every IT talks to clusters through this interface only.
 */
interface TestCluster extends AutoCloseable {
    /** The name of this cluster's context in multikube's kubeconfig. */
    String name();

    /** The API server's base URL, e.g. {@code https://127.0.0.1:40123}. */
    String server();

    /** The PEM file of the CA that signed the API server's serving certificate. */
    Path caFile();

    /** A token of a cluster administrator (system:masters), for setting up and checking directly. */
    String adminToken();

    /** The token of multikube's own identity, allowed nothing but impersonation. */
    String multikubeToken();

    /** The API server's audit log (JSON lines), when this cluster writes one this machine can read. */
    Optional<Path> auditLog();

    /**
     * Whether the API server can reach a kubelet listening on 127.0.0.1 of this machine, as {@link FakeKubelet}
     * does: true where it runs here too, false inside a container.
     */
    boolean reachesFakeKubelet();

    /** One line for the suite's console: what runs, which version, where its logs are. */
    String describe();

    /** An SSLContext trusting this API server's CA, for requests made directly to it. */
    default SSLContext tls() {
        try {
            return TestPki.trusting(Files.readString(caFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    void close();
}
