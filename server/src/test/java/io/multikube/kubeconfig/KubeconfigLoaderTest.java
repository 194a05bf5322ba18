package io.multikube.kubeconfig;

import static io.multikube.testing.TestKubeconfigs.base64;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.multikube.pki.KeyAndCertificate;
import io.multikube.pki.KeyType;
import io.multikube.spi.credentials.UpstreamCredentials;
import io.multikube.testing.TestKubeconfigs;

/** Kubeconfigs that load: which fields are read and what they become. */
class KubeconfigLoaderTest {
    private static final KeyAndCertificate SERVER_CA = TestPki.ca("cluster-ca");
    private static final KeyAndCertificate SERVER = TestPki.server(SERVER_CA, "127.0.0.1");
    private static final KeyAndCertificate CLIENT_CA = TestPki.ca("client-ca");

    @TempDir
    Path dir;

    @Test
    void loadsInlineCaAndClientCertificate() throws Exception {
        KeyAndCertificate client = TestPki.client(CLIENT_CA, "inline-admin", KeyType.EC_P256);
        try (TlsTestServer server = TlsTestServer.start(SERVER, CLIENT_CA.certificate())) {
            Path file = TestKubeconfigs.builder()
                    .context("prod", Map.of("server", "https://127.0.0.1:" + server.port(),
                                    "certificate-authority-data", base64(SERVER_CA.certificatePem())),
                            Map.of("client-certificate-data", base64(client.certificatePem()),
                                    "client-key-data", base64(KeyForm.pkcs8(client.key()))))
                    .write(dir.resolve("config"));

            Kubeconfig kubeconfig = KubeconfigLoader.load(file);

            assertThat(kubeconfig.problems()).isEmpty();
            ClusterContext prod = kubeconfig.context("prod").orElseThrow();
            assertThat(prod.server()).isEqualTo(URI.create("https://127.0.0.1:" + server.port()));
            assertThat(Lookups.bearerToken(prod)).isEmpty();
            assertThat(server.connect(Lookups.tls(prod), "127.0.0.1").clientSubject())
                    .contains("CN=inline-admin");
        }
    }

    @ParameterizedTest
    @EnumSource(KeyForm.class)
    void loadsClientKeyInEachPemForm(KeyForm form) throws Exception {
        KeyAndCertificate client = TestPki.client(CLIENT_CA, "admin-" + form, form.keyType);
        String keyPem = form.pem(client);
        assertThat(keyPem).startsWith("-----BEGIN " + form.pemType + "-----");
        try (TlsTestServer server = TlsTestServer.start(SERVER, CLIENT_CA.certificate())) {
            Path file = TestKubeconfigs.builder()
                    .context("prod", Map.of("server", "https://127.0.0.1:" + server.port(),
                                    "certificate-authority-data", base64(SERVER_CA.certificatePem())),
                            Map.of("client-certificate-data", base64(client.certificatePem()),
                                    "client-key", TestPki.write(dir.resolve("client.key"), keyPem).toString()))
                    .write(dir.resolve("config"));

            Kubeconfig kubeconfig = KubeconfigLoader.load(file);

            assertThat(kubeconfig.problems()).isEmpty();
            UpstreamTls tls = Lookups.tls(kubeconfig.context("prod").orElseThrow());
            assertThat(server.connect(tls, "127.0.0.1").clientSubject()).contains("CN=admin-" + form);
        }
    }

    @Test
    void resolvesRelativeFilesAgainstKubeconfigFolder() throws Exception {
        KeyAndCertificate client = TestPki.client(CLIENT_CA, "file-admin", KeyType.EC_P256);
        Path folder = dir.resolve("home/.kube");
        TestPki.write(folder.resolve("ca.crt"), SERVER_CA.certificatePem());
        TestPki.write(folder.resolve("certs/client.crt"), client.certificatePem());
        TestPki.write(folder.resolve("certs/client.key"), KeyForm.pkcs8(client.key()));
        TestPki.write(folder.resolve("token"), "file-token\n");
        try (TlsTestServer server = TlsTestServer.start(SERVER, CLIENT_CA.certificate())) {
            Path file = TestKubeconfigs.builder()
                    .context("prod", Map.of("server", "https://127.0.0.1:" + server.port(),
                                    "certificate-authority", "ca.crt"),
                            Map.of("client-certificate", "certs/client.crt", "client-key", "./certs/client.key",
                                    "tokenFile", "token"))
                    .write(folder.resolve("config"));

            Kubeconfig kubeconfig = KubeconfigLoader.load(file);

            assertThat(kubeconfig.problems()).isEmpty();
            ClusterContext prod = kubeconfig.context("prod").orElseThrow();
            assertThat(Lookups.bearerToken(prod)).contains("file-token");
            assertThat(server.connect(Lookups.tls(prod), "127.0.0.1").clientSubject())
                    .contains("CN=file-admin");
        }
    }

    @Test
    void ignoresCurrentContext() {
        Path file = TestKubeconfigs.builder()
                .currentContext("not-defined-anywhere")
                .context("a", Map.of("server", "https://a.example:6443"), Map.of())
                .context("b", Map.of("server", "https://b.example:6443"), Map.of())
                .write(dir.resolve("config"));

        Kubeconfig kubeconfig = KubeconfigLoader.load(file);

        assertThat(kubeconfig.contexts()).containsOnlyKeys("a", "b");
        assertThat(kubeconfig.problems()).isEmpty();
    }

    @Test
    void tokenBecomesBearerToken() {
        Path file = TestKubeconfigs.builder()
                .context("prod", Map.of("server", "https://10.0.0.1:6443"), Map.of("token", "literal-token"))
                .write(dir.resolve("config"));

        UpstreamCredentials credentials = Lookups.credentials(KubeconfigLoader.load(file).context("prod")
                .orElseThrow()).orElseThrow();

        assertThat(credentials.bearerToken()).contains("literal-token");
        assertThat(credentials.toString()).doesNotContain("literal-token");
    }

    @Test
    void tokenFileWinsOverTokenAsInClientGo() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), "from-file");
        Path file = TestKubeconfigs.builder()
                .context("prod", Map.of("server", "https://10.0.0.1:6443"),
                        Map.of("token", "literal-token", "tokenFile", tokenFile.toString()))
                .write(dir.resolve("config"));

        ClusterContext prod = KubeconfigLoader.load(file).context("prod").orElseThrow();

        assertThat(Lookups.bearerToken(prod)).contains("from-file");
    }

    @Test
    void acceptsIpv6LiteralServer() {
        Path file = TestKubeconfigs.builder()
                .context("v6", Map.of("server", "https://[::1]:6443"), Map.of())
                .write(dir.resolve("config"));

        ClusterContext v6 = KubeconfigLoader.load(file).context("v6").orElseThrow();

        assertThat(v6.server().getHost()).isEqualTo("[::1]");
        assertThat(v6.port()).isEqualTo(6443);
        assertThat(v6.tls().orElseThrow().parameters(v6.server().getHost()).getServerNames()).isEmpty();
    }

    @Test
    void serverWithoutSchemeMeansHttpsLikeKubectl() {
        Path file = TestKubeconfigs.builder()
                .context("bare", Map.of("server", "10.0.0.1:6443"), Map.of())
                .write(dir.resolve("config"));

        ClusterContext bare = KubeconfigLoader.load(file).context("bare").orElseThrow();

        assertThat(bare.server()).isEqualTo(URI.create("https://10.0.0.1:6443"));
        assertThat(bare.tls()).isPresent();
    }

    @Test
    void httpServerHasNoTls() {
        Path file = TestKubeconfigs.builder()
                .context("plain", Map.of("server", "http://127.0.0.1:8080/prefix/"), Map.of("token", "t"))
                .write(dir.resolve("config"));

        ClusterContext plain = KubeconfigLoader.load(file).context("plain").orElseThrow();

        assertThat(plain.tls()).isEmpty();
        assertThat(plain.pathPrefix()).isEqualTo("/prefix");
    }

    @Test
    void userWithoutCredentialsIsAllowed() {
        Path file = TestKubeconfigs.builder()
                .context("anonymous", Map.of("server", "https://10.0.0.1:6443"), Map.of())
                .write(dir.resolve("config"));

        Kubeconfig kubeconfig = KubeconfigLoader.load(file);

        assertThat(kubeconfig.problems()).isEmpty();
        assertThat(Lookups.credentials(kubeconfig.context("anonymous").orElseThrow())).isEmpty();
    }
}
