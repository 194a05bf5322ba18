package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.testing.ExecScript;
import io.multikube.testing.ProxyFixture;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfigs;

/**
 * multikube's own credentials for a cluster, end to end: an exec plugin (a real script) or a token file supplies
 * them, the cluster's 401 makes multikube fetch fresh ones and try once more.
 */
class UpstreamCredentialsTest {
    private static final String CLUSTER_401 = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
            + "\"message\":\"from the cluster\",\"reason\":\"Unauthorized\",\"code\":401}";

    @TempDir
    Path dir;

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
    }

    @Test
    void theExecPluginsTokenReachesTheCluster() throws Exception {
        ExecScript plugin = ExecScript.create(dir.resolve("plugin"));
        start(Map.of("exec", plugin.execEntry(true)));

        assertThat(get("/api").statusCode()).isEqualTo(200);
        assertThat(get("/api").statusCode()).isEqualTo(200);

        assertThat(upstream.take().headers().all("Authorization")).containsExactly("Bearer token-1");
        assertThat(upstream.take().headers().all("Authorization")).containsExactly("Bearer token-1");
        assertThat(plugin.runs()).isEqualTo(1);
    }

    @Test
    void a401RunsThePluginAgainAndRetriesOnceWithTheFreshToken() throws Exception {
        ExecScript plugin = ExecScript.create(dir.resolve("plugin"));
        start(Map.of("exec", plugin.execEntry(false)));
        upstream.respondWith(rejecting("Bearer token-1"));

        HttpResponse<String> response = get("/api/v1/namespaces");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.take().headers().all("Authorization")).containsExactly("Bearer token-1");
        assertThat(upstream.take().headers().all("Authorization")).containsExactly("Bearer token-2");
        assertThat(plugin.runs()).isEqualTo(2);
    }

    @Test
    void aSecond401GoesBackToTheClientAsTheClusterSentIt() throws Exception {
        ExecScript plugin = ExecScript.create(dir.resolve("plugin"));
        start(Map.of("exec", plugin.execEntry(false)));
        upstream.respondWith(RecordingUpstream.json(401, CLUSTER_401));

        HttpResponse<String> response = get("/api");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo(CLUSTER_401);
        upstream.take();
        upstream.take();
        assertThat(upstream.pending()).isZero();
        assertThat(plugin.runs()).isEqualTo(2);
    }

    @Test
    void aRequestWithABodyIsNotReplayedButTheNextOneUsesFreshCredentials() throws Exception {
        ExecScript plugin = ExecScript.create(dir.resolve("plugin"));
        start(Map.of("exec", plugin.execEntry(false)));
        upstream.respondWith(rejecting("Bearer token-1"));

        HttpResponse<String> post = send(proxy.request("/api/v1/namespaces", token())
                .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"Namespace\"}")).build());
        HttpResponse<String> next = get("/api/v1/namespaces");

        assertThat(post.statusCode()).isEqualTo(401);
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(upstream.take().method()).isEqualTo("POST");
        assertThat(upstream.take().headers().all("Authorization")).containsExactly("Bearer token-2");
        assertThat(plugin.runs()).isEqualTo(2);
    }

    @Test
    void aFailingPluginIs503NamingTheContextAndItsError() throws Exception {
        ExecScript plugin = ExecScript.create(dir.resolve("plugin")).failWith(1, "error: login expired");
        start(Map.of("exec", plugin.execEntry(false)));

        HttpResponse<String> response = get("/api");

        ErrorStatusTest.assertStatus(response, 503, "ServiceUnavailable");
        assertThat(response.body()).contains("context \\\"dev\\\"", "exited with code 1: error: login expired");
        assertThat(upstream.connectionsAccepted()).isZero();
    }

    @Test
    void aRejectedTokenFileIsReadAgainEvenWhenItLooksUnchanged() throws Exception {
        Path tokenFile = Files.writeString(dir.resolve("token"), "old-token");
        FileTime written = Files.getLastModifiedTime(tokenFile);
        start(Map.of("tokenFile", tokenFile.toString()));
        upstream.respondWith(rejecting("Bearer old-token"));
        assertThat(get("/api").statusCode()).isEqualTo(401);
        upstream.take(); // the file still holds the rejected token: no point sending it again
        assertThat(upstream.pending()).isZero();

        // Same size, same time stamp, same inode: only a forced read sees the new token.
        Files.writeString(tokenFile, "new-token");
        Files.setLastModifiedTime(tokenFile, written);
        HttpResponse<String> response = get("/api");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.take().headers().all("Authorization")).containsExactly("Bearer old-token");
        assertThat(upstream.take().headers().all("Authorization")).containsExactly("Bearer new-token");
    }

    private static RecordingUpstream.Responder rejecting(String authorization) {
        return (request, out) -> (request.headers().all("Authorization").contains(authorization)
                ? RecordingUpstream.json(401, CLUSTER_401)
                : RecordingUpstream.json(200, "{\"kind\":\"NamespaceList\"}")).respond(request, out);
    }

    private void start(Map<String, Object> user) throws IOException {
        upstream = RecordingUpstream.plain();
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("server", "http://127.0.0.1:" + upstream.port());
        Path kubeconfig = TestKubeconfigs.builder().context("dev", cluster, user).write(dir.resolve("kubeconfig"));
        proxy = ProxyFixture.start(dir, kubeconfig, ProxyFixture.Options.defaults());
    }

    private String token() {
        return proxy.token("alice", "dev");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(proxy.request(path, token()).GET().build());
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return proxy.client(HttpClient.Version.HTTP_1_1).send(request, HttpResponse.BodyHandlers.ofString());
    }
}
