package io.multikube.kubeconfig;

import static io.multikube.testing.TestKubeconfigs.base64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.pki.KeyAndCertificate;
import io.multikube.pki.KeyType;
import io.multikube.spi.credentials.UpstreamCredentials;
import io.multikube.testing.TestKubeconfigs;

/** Real TLS handshakes between the SSLContext a kubeconfig yields and a JDK TLS server. */
class UpstreamTlsTest {
    private static final KeyAndCertificate SERVER_CA = TestPki.ca("cluster-ca");
    private static final KeyAndCertificate CLIENT_CA = TestPki.ca("client-ca");
    private static final KeyAndCertificate CLIENT = TestPki.client(CLIENT_CA, "multikube-admin", KeyType.EC_P256);

    @TempDir
    Path dir;

    @Test
    void handshakeSucceedsAndServerSeesClientCertificate() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(TestPki.server(SERVER_CA, "127.0.0.1"),
                CLIENT_CA.certificate())) {
            UpstreamTls tls = tls(server, Map.of("certificate-authority-data", base64(SERVER_CA.certificatePem())));

            TlsTestServer.Seen seen = server.connect(tls, "127.0.0.1");

            assertThat(seen.clientSubject()).contains("CN=multikube-admin");
        }
    }

    @Test
    void handshakeFailsWithADifferentCa() throws Exception {
        KeyAndCertificate otherCa = TestPki.ca("other-ca");
        try (TlsTestServer server = TlsTestServer.start(TestPki.server(SERVER_CA, "127.0.0.1"),
                CLIENT_CA.certificate())) {
            UpstreamTls tls = tls(server, Map.of("certificate-authority-data", base64(otherCa.certificatePem())));

            assertThatThrownBy(() -> server.connect(tls, "127.0.0.1")).isInstanceOf(SSLException.class);
        }
    }

    @Test
    void withoutCaTheJdkDefaultTrustStoreIsUsed() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(TestPki.server(SERVER_CA, "127.0.0.1"), null)) {
            UpstreamTls tls = tls(server, Map.of());

            // The test CA is not among the JDK's roots, so the path cannot be built.
            assertThatThrownBy(() -> server.connect(tls, "127.0.0.1"))
                    .isInstanceOf(SSLException.class)
                    .hasMessageContaining("PKIX path building failed");
        }
    }

    @Test
    void tlsServerNameIsVerifiedInsteadOfUrlHost() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(TestPki.server(SERVER_CA, "kubernetes.test"), null)) {
            UpstreamTls tls = tls(server, Map.of("certificate-authority-data", base64(SERVER_CA.certificatePem()),
                    "tls-server-name", "kubernetes.test"));

            TlsTestServer.Seen seen = server.connect(tls, "127.0.0.1");

            assertThat(seen.serverNames()).containsExactly("kubernetes.test");
        }
    }

    @Test
    void withoutTlsServerNameTheUrlHostIsVerified() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(TestPki.server(SERVER_CA, "kubernetes.test"), null)) {
            UpstreamTls tls = tls(server, Map.of("certificate-authority-data", base64(SERVER_CA.certificatePem())));

            assertThatThrownBy(() -> server.connect(tls, "127.0.0.1"))
                    .isInstanceOf(SSLException.class)
                    .hasMessageContaining("127.0.0.1");
        }
    }

    @Test
    void tlsServerNameMismatchFallsBackToUrlHost() throws Exception {
        // Documents the JDK (X509TrustManagerImpl.checkIdentity): when the SNI name does not match, the
        // certificate is checked against the connection's host. Go would refuse this one.
        try (TlsTestServer server = TlsTestServer.start(TestPki.server(SERVER_CA, "127.0.0.1"), null)) {
            UpstreamTls tls = tls(server, Map.of("certificate-authority-data", base64(SERVER_CA.certificatePem()),
                    "tls-server-name", "kubernetes.test"));

            assertThat(server.connect(tls, "127.0.0.1").serverNames()).containsExactly("kubernetes.test");
        }
    }

    @Test
    void urlHostIsSentAsSniWithoutTlsServerName() throws Exception {
        try (TlsTestServer server = TlsTestServer.start(TestPki.server(SERVER_CA, "kubernetes.test"), null)) {
            UpstreamTls tls = tls(server, Map.of("certificate-authority-data", base64(SERVER_CA.certificatePem())));

            TlsTestServer.Seen seen = server.connect(tls, "kubernetes.test");

            assertThat(seen.serverNames()).containsExactly("kubernetes.test");
        }
    }

    @Test
    void insecureSkipTlsVerifyDisablesHostnameCheck() throws Exception {
        KeyAndCertificate unknownCa = TestPki.ca("unknown-ca");
        try (TlsTestServer server = TlsTestServer.start(TestPki.server(unknownCa, "elsewhere.test"),
                CLIENT_CA.certificate())) {
            UpstreamTls tls = tls(server, Map.of("insecure-skip-tls-verify", true));

            assertThat(tls.verifyHostname()).isFalse();
            assertThat(tls.parameters("127.0.0.1").getEndpointIdentificationAlgorithm()).isNull();
            assertThat(server.connect(tls, "127.0.0.1").clientSubject()).contains("CN=multikube-admin");
        }
    }

    @Test
    void parametersOfferTls13And12AndCheckTheHost() {
        UpstreamTls tls = tls(0, Map.of("tls-server-name", "kubernetes.test"));

        SSLParameters parameters = tls.parameters("10.0.0.1");

        assertThat(parameters.getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(parameters.getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(parameters.getServerNames()).containsExactly(new SNIHostName("kubernetes.test"));
    }

    @Test
    void ipLiteralHostsGetNoSni() {
        UpstreamTls tls = tls(0, Map.of());

        assertThat(tls.parameters("10.0.0.1").getServerNames()).isEmpty();
        assertThat(tls.parameters("[::1]").getServerNames()).isEmpty();
        assertThat(tls.parameters("api.example.com.").getServerNames())
                .containsExactly(new SNIHostName("api.example.com"));
    }

    /** The TLS contexts key the connection pools: a burst presenting a new certificate must share one. */
    @Test
    void requestsPresentingANewCertificateTogetherGetOneContext() throws Exception {
        Map<String, Object> cluster = new HashMap<>(Map.of("server", "https://127.0.0.1:6443",
                "certificate-authority-data", base64(SERVER_CA.certificatePem())));
        Path file = TestKubeconfigs.builder().context("test", cluster, Map.of("token", "t")).write(dir.resolve("config"));
        UpstreamTls base = KubeconfigLoader.load(file).context("test").orElseThrow().tls().orElseThrow();
        Optional<UpstreamCredentials> credentials = Optional.of(new UpstreamCredentials(Optional.empty(),
                Optional.of(CLIENT.certificatePem()), Optional.of(KeyForm.pkcs8(CLIENT.key())), Optional.empty()));
        CyclicBarrier together = new CyclicBarrier(16);

        List<Future<UpstreamTls>> presented = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(16)) {
            for (int i = 0; i < 16; i++) {
                presented.add(threads.submit(() -> {
                    together.await();
                    return base.presenting(credentials);
                }));
            }
        }

        UpstreamTls first = presented.getFirst().get();
        for (Future<UpstreamTls> tls : presented) {
            assertThat(tls.get()).isSameAs(first);
        }
        assertThat(first).isNotSameAs(base);
        assertThat(base.presenting(credentials)).isSameAs(first);
    }

    private UpstreamTls tls(TlsTestServer server, Map<String, ?> clusterFields) {
        return tls(server.port(), clusterFields);
    }

    /** Loads a kubeconfig for https://127.0.0.1:port with the fields given and the client certificate. */
    private UpstreamTls tls(int port, Map<String, ?> clusterFields) {
        Map<String, Object> cluster = new HashMap<>(clusterFields);
        cluster.put("server", "https://127.0.0.1:" + port);
        Path file = TestKubeconfigs.builder()
                .context("test", cluster, Map.of(
                        "client-certificate", TestPki.write(dir.resolve("client.crt"), CLIENT.certificatePem())
                                .toString(),
                        "client-key", TestPki.write(dir.resolve("client.key"), KeyForm.pkcs8(CLIENT.key()))
                                .toString()))
                .write(dir.resolve("config"));
        Kubeconfig kubeconfig = KubeconfigLoader.load(file);
        assertThat(kubeconfig.problems()).isEmpty();
        return Lookups.tls(kubeconfig.context("test").orElseThrow());
    }
}
