package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.testing.ProxyFixture;
import io.multikube.testing.RawClient;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfig;

/** The HTTP request path end to end: real TLS listener, real kubeconfig, a recording upstream on a real socket. */
class ProxyTest {
    @TempDir
    Path folder;

    private RecordingUpstream upstream;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws IOException {
        upstream = RecordingUpstream.plain();
        proxy = ProxyFixture.start(folder, new TestKubeconfig()
                .add(TestKubeconfig.Cluster.plain("dev", upstream.port())));
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        upstream.close();
    }

    @Test
    void upstreamSeesOnlyAllowedHeadersPlusOurIdentity() throws Exception {
        String token = proxy.token("alice", List.of("dev-team"), "dev");
        String response = RawClient.exchange(proxy.clientTls(), proxy.tlsPort(), "GET /api/v1/pods HTTP/1.1\r\n"
                + "Host: multikube\r\n"
                + "Authorization: Bearer " + token + "\r\n"
                + "Accept: application/json;as=Table;v=v1;g=meta.k8s.io\r\n"
                + "Impersonate-User: admin\r\nimpersonate-group: system:masters\r\nIMPERSONATE-UID: 0\r\n"
                + "Impersonate-Extra-Scopes: all\r\nX-Remote-User: admin\r\nX-Remote-Group: system:masters\r\n"
                + "X-Forwarded-For: 10.9.9.9\r\nAudit-ID: forged\r\nCookie: session=1\r\n"
                + "Proxy-Authorization: Basic eDp5\r\n"
                + "Connection: close, Accept-Language\r\nAccept-Language: en\r\n"
                + "User-Agent: kubectl/v1.32.4\r\n\r\n");

        RecordingUpstream.Recorded seen = upstream.take();
        assertThat(response).startsWith("HTTP/1.1 200");
        assertThat(seen.headers().fields()).extracting(h -> h.name().toLowerCase())
                .containsExactlyInAnyOrder("accept", "user-agent", "impersonate-user", "impersonate-group",
                        "audit-id", "x-forwarded-for", "host");
        assertThat(seen.headers().all("Impersonate-User")).containsExactly("alice");
        assertThat(seen.headers().all("Impersonate-Group")).containsExactly("dev-team");
        assertThat(seen.headers().all("X-Forwarded-For")).containsExactly("127.0.0.1");
        assertThat(seen.headers().all("Audit-ID")).doesNotContain("forged").hasSize(1);
        assertThat(seen.headers().all("Accept")).containsExactly("application/json;as=Table;v=v1;g=meta.k8s.io");
    }

    @Test
    void auditIdSentToTheClusterIsReturnedToTheClient() throws Exception {
        HttpResponse<String> response = proxy.client(HttpClient.Version.HTTP_2)
                .send(proxy.request("/version", proxy.token("alice", "dev")).build(),
                        HttpResponse.BodyHandlers.ofString());

        String sent = upstream.take().headers().first("Audit-ID").orElseThrow();
        assertThat(response.headers().firstValue("Audit-Id")).contains(sent);
    }

    @Test
    void requestTargetReachesTheClusterByteForByte() throws Exception {
        String target = "/api/v1/namespaces/a%2Fb/pods?labelSelector=app%21%3Dweb,tier!%3Dx&limit=5"
                + "&fieldSelector=a=b&fieldSelector=c=d&continue=eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ%3D%3D&x=%20+";
        RawClient.exchange(proxy.clientTls(), proxy.tlsPort(), "GET " + target + " HTTP/1.1\r\nHost: m\r\n"
                + "Authorization: Bearer " + proxy.token("alice", "dev") + "\r\nConnection: close\r\n\r\n");

        assertThat(upstream.take().target()).isEqualTo(target);
    }

    @Test
    void clusterPathPrefixIsRemovedBeforeForwarding() throws Exception {
        RawClient.exchange(proxy.clientTls(), proxy.tlsPort(), "GET /clusters/dev/apis/apps/v1?watch=0 HTTP/1.1\r\n"
                + "Host: m\r\nAuthorization: Bearer " + proxy.token("alice", "dev") + "\r\nConnection: close\r\n\r\n");

        assertThat(upstream.take().target()).isEqualTo("/apis/apps/v1?watch=0");
    }

    @Test
    void largeRequestBodyArrivesExactly() throws Exception {
        byte[] body = new byte[5 * 1024 * 1024];
        new Random(7).nextBytes(body);
        upstream.respondWith(RecordingUpstream.json(201, "{}"));

        HttpResponse<String> response = proxy.client(HttpClient.Version.HTTP_1_1).send(
                proxy.request("/api/v1/namespaces/default/configmaps", proxy.token("alice", "dev"))
                        .header("Content-Type", "application/apply-patch+yaml")
                        .method("PATCH", HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());

        RecordingUpstream.Recorded seen = upstream.take();
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(seen.method()).isEqualTo("PATCH");
        assertThat(seen.body()).isEqualTo(body);
        assertThat(seen.headers().all("Content-Type")).containsExactly("application/apply-patch+yaml");
    }

    @Test
    void clusterStatusAndBodyPassThroughUntouched() throws Exception {
        String forbidden = "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"pods is forbidden: User \\\"alice\\\" cannot list resource\",\"reason\":\"Forbidden\","
                + "\"code\":403}";
        upstream.respondWith(RecordingUpstream.json(403, forbidden));

        HttpResponse<String> response = proxy.client(HttpClient.Version.HTTP_2)
                .send(proxy.request("/api/v1/pods", proxy.token("alice", "dev")).build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo(forbidden);
    }

    @Test
    void plainHttpListenerProxiesToo() throws Exception {
        String response = RawClient.exchangePlain(proxy.plainPort(), "GET /version HTTP/1.1\r\nHost: m\r\n"
                + "Authorization: Bearer " + proxy.token("alice", "dev") + "\r\nConnection: close\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 200");
        assertThat(upstream.take().target()).isEqualTo("/version");
    }

    @Test
    void gzipResponseIsNotDecodedOrReencoded() throws Exception {
        byte[] gzip = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        upstream.respondWith((request, out) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
                    + "Content-Length: " + gzip.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(gzip);
            out.flush();
        });

        HttpResponse<byte[]> response = proxy.client(HttpClient.Version.HTTP_1_1).send(
                proxy.request("/api", proxy.token("alice", "dev")).header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(upstream.take().headers().all("Accept-Encoding")).containsExactly("gzip");
        assertThat(response.headers().firstValue("Content-Encoding")).contains("gzip");
        assertThat(response.body()).isEqualTo(gzip);
    }

    @Test
    void headResponseHasTheClustersHeadersAndNoBody() throws Exception {
        upstream.respondWith((request, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 0\r\nX-Seen: yes\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        });

        HttpResponse<String> response = proxy.client(HttpClient.Version.HTTP_2).send(
                proxy.request("/api", proxy.token("alice", "dev")).method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(upstream.take().method()).isEqualTo("HEAD");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Seen")).contains("yes");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void expectContinueBodyIsForwardedOnceAuthenticated() throws Exception {
        HttpResponse<String> response = HttpClient.newBuilder().sslContext(proxy.clientTls())
                .version(HttpClient.Version.HTTP_1_1).build().send(
                        proxy.request("/api/v1/namespaces", proxy.token("alice", "dev")).expectContinue(true)
                                .POST(HttpRequest.BodyPublishers.ofString("{\"kind\":\"Namespace\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(upstream.take().bodyText()).isEqualTo("{\"kind\":\"Namespace\"}");
    }

    @Test
    void expectContinueWithABadTokenIsRefusedWithoutReadingTheBody() throws Exception {
        HttpResponse<String> response = HttpClient.newBuilder().sslContext(proxy.clientTls())
                .version(HttpClient.Version.HTTP_1_1).build().send(
                        proxy.request("/api/v1/namespaces", "not-a-jwt").expectContinue(true)
                                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                        HttpResponse.BodyHandlers.ofString());

        ErrorStatusTest.assertStatus(response, 401, "Unauthorized");
        assertThat(upstream.connectionsAccepted()).isZero();
    }

    @Test
    void inFlightRequestCompletesDuringGracefulShutdown() throws Exception {
        upstream.respondWith((request, out) -> {
            Thread.sleep(1_000);
            RecordingUpstream.json(200, "{\"late\":true}").respond(request, out);
        });
        var pending = proxy.client(HttpClient.Version.HTTP_2).sendAsync(
                proxy.request("/api/v1/pods", proxy.token("alice", "dev")).build(),
                HttpResponse.BodyHandlers.ofString());
        upstream.take();

        proxy.close();

        assertThat(pending.get().body()).isEqualTo("{\"late\":true}");
    }
}
