package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.testing.ProxyFixture;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfig;

/** What multikube itself refuses or fails with reaches the client as a Kubernetes Status, and nothing is forwarded. */
class ErrorStatusTest {
    @TempDir
    Path folder;

    private RecordingUpstream upstream;
    private ProxyFixture proxy;
    private int deadPort;

    @BeforeEach
    void start() throws IOException {
        upstream = RecordingUpstream.plain();
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        proxy = ProxyFixture.start(folder, new TestKubeconfig()
                .add(TestKubeconfig.Cluster.plain("dev", upstream.port()))
                .add(TestKubeconfig.Cluster.plain("down", deadPort)));
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        upstream.close();
    }

    @Test
    void missingTokenIs401StatusAndNothingIsForwarded() throws Exception {
        HttpResponse<String> response = send(proxy.request("/api", "x").header("Authorization", "Basic YTpi"));

        assertStatus(response, 401, "Unauthorized");
        assertThat(upstream.connectionsAccepted()).isZero();
    }

    @Test
    void tokenFromAnUntrustedKeyIs401AndNothingIsForwarded() throws Exception {
        String forged = new io.multikube.auth.TokenMinter(ProxyFixture.foreignKey().getPrivate())
                .mint(new io.multikube.auth.TokenRequest("admin", java.util.List.of("dev"), java.util.List.of(),
                        java.time.Duration.ofMinutes(5), java.util.Optional.empty()));

        HttpResponse<String> response = send(proxy.request("/api", forged));

        assertStatus(response, 401, "Unauthorized");
        assertThat(response.body()).doesNotContain(forged).doesNotContain(forged.substring(forged.lastIndexOf('.')));
        assertThat(upstream.connectionsAccepted()).isZero();
    }

    @Test
    void unknownContextIs404ContextNotFound() throws Exception {
        HttpResponse<String> response = send(proxy.request("/api", proxy.token("alice", "prod")));

        assertStatus(response, 404, "NotFound");
        assertThat(response.body()).contains("ContextNotFound: context \\\"prod\\\" is not configured");
        assertThat(upstream.connectionsAccepted()).isZero();
    }

    @Test
    void pathPrefixOutsideTheTokenIs403() throws Exception {
        HttpResponse<String> response = send(proxy.request("/clusters/down/api", proxy.token("alice", "dev")));

        assertStatus(response, 403, "Forbidden");
    }

    @Test
    void clusterThatRefusesConnectionsIs503() throws Exception {
        HttpResponse<String> response = send(proxy.request("/api", proxy.token("alice", "down")));

        assertStatus(response, 503, "ServiceUnavailable");
        assertThat(response.body()).contains("\\\"down\\\"");
    }

    @Test
    void otherClustersKeepWorkingWhileOneIsDown() throws Exception {
        send(proxy.request("/api", proxy.token("alice", "down")));

        assertThat(send(proxy.request("/api", proxy.token("alice", "dev"))).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> send(java.net.http.HttpRequest.Builder request) throws Exception {
        return proxy.client(HttpClient.Version.HTTP_2).send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertStatus(HttpResponse<String> response, int code, String reason) {
        assertThat(response.statusCode()).isEqualTo(code);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(response.body()).startsWith("{\"kind\":\"Status\",\"apiVersion\":\"v1\"")
                .contains("\"status\":\"Failure\"", "\"reason\":\"" + reason + "\"", "\"code\":" + code);
    }
}
