package io.multikube.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.auth.TokenRequest;
import io.multikube.cli.Cli;
import io.multikube.pki.Certificates;
import io.multikube.pki.KeyAndCertificate;
import io.multikube.testing.ProxyFixture;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfigs;
import io.multikube.testing.TestPki;

/** Tokens bound to one cluster's CA, and the user's UID, over the wire to a TLS cluster. */
class ClusterBindingTest {
    @TempDir
    Path folder;

    private final TestPki clusterCa = TestPki.create("cluster CA");
    private RecordingUpstream tlsCluster;
    private RecordingUpstream plainCluster;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws IOException {
        tlsCluster = RecordingUpstream.tls(clusterCa.sslContextServing(clusterCa.server("127.0.0.1")));
        plainCluster = RecordingUpstream.plain();
        Path kubeconfig = TestKubeconfigs.builder()
                .context("prod", Map.of("server", "https://127.0.0.1:" + tlsCluster.port(),
                        "certificate-authority-data", TestKubeconfigs.base64(clusterCa.ca().certificatePem())),
                        Map.of("token", "cluster-token"))
                .context("lab", Map.of("server", "http://127.0.0.1:" + plainCluster.port()), Map.of("token", "t"))
                .write(folder.resolve("kubeconfig"));
        proxy = ProxyFixture.start(folder, kubeconfig, ProxyFixture.Options.defaults());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        tlsCluster.close();
        plainCluster.close();
    }

    private String token(String context, Optional<String> boundTo, Optional<String> uid) {
        return proxy.token(new TokenRequest("jane", List.of(context), List.of(), Duration.ofMinutes(5),
                Optional.empty(), uid, boundTo));
    }

    private HttpResponse<String> get(String token) throws Exception {
        return proxy.client(HttpClient.Version.HTTP_1_1).send(proxy.request("/api/v1/pods", token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTokenBoundToTheClustersCaIsServed() throws Exception {
        String fingerprint = Certificates.sha256Fingerprint(clusterCa.ca().certificate());
        assertThat(get(token("prod", Optional.of(fingerprint), Optional.empty())).statusCode()).isEqualTo(200);
        assertThat(tlsCluster.take().headers().all("Impersonate-User")).containsExactly("jane");
    }

    @Test
    void aTokenBoundToAnotherClusterIsRefusedBeforeAnyRequest() throws Exception {
        String other = Certificates.sha256Fingerprint(TestPki.create("another cluster").ca().certificate());
        HttpResponse<String> response = get(token("prod", Optional.of(other), Optional.empty()));

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("the token is bound to the cluster with CA fingerprint " + other)
                .contains("context \\\"prod\\\" does not trust that CA");
        assertThat(tlsCluster.pending()).isZero();
        assertThat(tlsCluster.connectionsAccepted()).isZero();
    }

    @Test
    void aBoundTokenCannotReachAContextWithoutACa() throws Exception {
        String fingerprint = Certificates.sha256Fingerprint(clusterCa.ca().certificate());
        assertThat(get(token("lab", Optional.of(fingerprint), Optional.empty())).statusCode()).isEqualTo(403);
        assertThat(plainCluster.pending()).isZero();
    }

    @Test
    void theTokensUidIsImpersonated() throws Exception {
        assertThat(get(token("lab", Optional.empty(), Optional.of("u-42"))).statusCode()).isEqualTo(200);
        assertThat(plainCluster.take().headers().all("Impersonate-Uid")).containsExactly("u-42");
    }

    @Test
    void theTokenCommandBindsToACaFile() throws Exception {
        Path keys = folder.resolve("keys");
        assertThat(Cli.execute("keys", "--out", keys.toString())).isZero();
        Path ca = Files.writeString(folder.resolve("cluster-ca.pem"), clusterCa.ca().certificatePem());
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.out;
        System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(Cli.execute("token", "--signer-key", keys.resolve("signer-key.pem").toString(), "--sub",
                    "jane", "--ctx", "prod", "--bind-cluster-ca", ca.toString(), "--uid", "u-7")).isZero();
        } finally {
            System.setOut(original);
        }
        String payload = new String(java.util.Base64.getUrlDecoder().decode(
                printed.toString(java.nio.charset.StandardCharsets.UTF_8).strip().split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(payload).contains("\"cfp\":\"" + Certificates.sha256Fingerprint(clusterCa.ca().certificate())
                + "\"").contains("\"uid\":\"u-7\"");
    }
}
