package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.kubeconfig.ClusterContext;
import io.multikube.kubeconfig.KubeconfigCredentials;
import io.multikube.kubeconfig.ProxyUrl;
import io.multikube.pki.KeyAndCertificate;
import io.multikube.testing.ConnectProxy;
import io.multikube.testing.ProxyFixture;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfigs;
import io.multikube.testing.TestPki;
import io.multikube.upstream.UpstreamSockets;

/** A cluster behind {@code proxy-url}: ordinary requests and upgrade connections go through a real CONNECT proxy. */
class ProxyUrlTest {
    @TempDir
    Path dir;

    private ConnectProxy connectProxy;
    private RecordingUpstream upstream;
    private ProxyFixture proxy;

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (connectProxy != null) {
            connectProxy.close();
        }
    }

    @Test
    void ordinaryRequestsToAnHttpsClusterTunnelThroughTheProxy() throws Exception {
        connectProxy = ConnectProxy.start();
        TestPki cluster = TestPki.create("cluster CA");
        KeyAndCertificate serving = cluster.server("127.0.0.1");
        upstream = RecordingUpstream.tls(cluster.sslContextServing(serving));
        Path kubeconfig = TestKubeconfigs.builder()
                .context("dev", Map.of("server", "https://127.0.0.1:" + upstream.port(),
                                "certificate-authority-data", TestKubeconfigs.base64(cluster.ca().certificatePem()),
                                "proxy-url", "http://127.0.0.1:" + connectProxy.port()),
                        Map.of("token", "cluster-token"))
                .write(dir.resolve("kubeconfig"));
        proxy = ProxyFixture.start(dir, kubeconfig, ProxyFixture.Options.defaults());

        HttpResponse<String> response = proxy.client(HttpClient.Version.HTTP_1_1).send(
                proxy.request("/api", proxy.token("alice", "dev")).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.take().headers().all("Authorization")).containsExactly("Bearer cluster-token");
        assertThat(connectProxy.targets()).containsOnly("127.0.0.1:" + upstream.port());
        assertThat(connectProxy.bytesRelayed()).isGreaterThan(1000); // a TLS handshake and the exchange
    }

    @Test
    void upgradeConnectionsTunnelThroughTheProxyWithItsCredentials() throws Exception {
        connectProxy = ConnectProxy.start();
        upstream = RecordingUpstream.plain();
        URI proxyUrl = URI.create("http://127.0.0.1:" + connectProxy.port());
        ClusterContext context = new ClusterContext("dev", URI.create("http://127.0.0.1:" + upstream.port()),
                Optional.empty(), KubeconfigCredentials.of("dev", Optional.empty()),
                Optional.of(new ProxyUrl(proxyUrl, "127.0.0.1", connectProxy.port(), Optional.of("multikube"),
                        Optional.of("s3cret"))), "dev");

        try (Socket socket = new UpstreamSockets(Duration.ofSeconds(2)).open(context)) {
            socket.getOutputStream().write("GET /api HTTP/1.1\r\nHost: cluster\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            assertThat(statusLine(socket.getInputStream())).isEqualTo("HTTP/1.1 200 X");
        }
        assertThat(upstream.take().target()).isEqualTo("/api");
        assertThat(connectProxy.targets()).containsExactly("127.0.0.1:" + upstream.port());
        assertThat(connectProxy.authorizations()).containsExactly("Basic "
                + Base64.getEncoder().encodeToString("multikube:s3cret".getBytes(StandardCharsets.UTF_8)));
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.append((char) b);
        }
        return line.toString().strip();
    }
}
