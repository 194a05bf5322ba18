package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.config.PluginSettings;
import io.multikube.config.PluginSettings.AuditFailure;
import io.multikube.config.PluginSettings.Selection;
import io.multikube.plugin.TestProviders;
import io.multikube.spi.audit.AuditEvent;
import io.multikube.spi.audit.AuditStage;
import io.multikube.testing.ProxyFixture;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfig;

/** The cache step over the wire, with the test "test-map" cache and a recording upstream that counts requests. */
class CachingTest {
    private static final String PODS = "/api/v1/namespaces/team/pods/web-0";

    @TempDir
    Path folder;

    private RecordingUpstream upstream;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws IOException {
        TestProviders.RECORDED.clear();
        upstream = RecordingUpstream.plain().respondWith(CachingTest::answerForTheUser);
    }

    private void startProxy(Map<String, String> cacheOptions) {
        proxy = ProxyFixture.start(folder, new TestKubeconfig().add(TestKubeconfig.Cluster.plain("dev",
                upstream.port())), ProxyFixture.Options.defaults().withPlugins(PluginSettings.none()
                .withAuditSink(new Selection("memory", Map.of()), AuditFailure.REFUSE)
                .withCache(new Selection("test-map", cacheOptions))));
    }

    @AfterEach
    void stop() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        upstream.close();
    }

    /** A 200 naming the impersonated user, so a shared answer would show. */
    private static void answerForTheUser(RecordingUpstream.Recorded request, OutputStream out)
            throws IOException, InterruptedException {
        String user = request.headers().first("Impersonate-User").orElse("nobody");
        RecordingUpstream.json(200, "{\"kind\":\"Pod\",\"for\":\"" + user + "\"}").respond(request, out);
    }

    private HttpResponse<String> get(String target, String token, String... headers) throws Exception {
        HttpRequest.Builder request = proxy.request(target, token);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return proxy.client(HttpClient.Version.HTTP_2).send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int upstreamRequests() {
        return upstream.pending();
    }

    @Test
    void aSecondIdenticalReadIsServedFromTheCacheWithItsOwnAuditId() throws Exception {
        startProxy(Map.of());
        String token = proxy.token("jane", "dev");
        HttpResponse<String> first = get(PODS, token);
        HttpResponse<String> second = get(PODS, token);

        assertThat(upstreamRequests()).isEqualTo(1);
        assertThat(first.headers().firstValue("X-Multikube-Cache")).contains("miss");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.body()).isEqualTo(first.body()).contains("\"for\":\"jane\"");
        assertThat(second.headers().firstValue("X-Multikube-Cache")).contains("hit");
        assertThat(second.headers().firstValue("Age")).hasValueSatisfying(age -> assertThat(Long.parseLong(age))
                .isBetween(0L, 5L));
        assertThat(second.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(second.headers().firstValue("Audit-Id")).isPresent()
                .isNotEqualTo(first.headers().firstValue("Audit-Id"));
    }

    @Test
    void aHitIsAuditedUnderItsOwnAuditId() throws Exception {
        startProxy(Map.of());
        String token = proxy.token("jane", "dev");
        get(PODS, token);
        HttpResponse<String> hit = get(PODS, token);

        assertThat(hit.headers().firstValue("X-Multikube-Cache")).contains("hit");
        String hitId = hit.headers().firstValue("Audit-Id").orElseThrow();
        // A request is recorded as its response ends, a moment after the client has it.
        List<AuditEvent> events = List.of();
        for (int i = 0; i < 100 && events.isEmpty(); i++) {
            Thread.sleep(20);
            synchronized (TestProviders.RECORDED) {
                events = TestProviders.RECORDED.stream().filter(e -> e.auditId().equals(hitId)).toList();
            }
        }
        assertThat(events).hasSize(1);
        assertThat(events.get(0).stage()).isEqualTo(AuditStage.ResponseComplete);
        assertThat(events.get(0).responseStatus().orElseThrow().code()).isEqualTo(200);
        assertThat(events.get(0).user().username()).isEqualTo("jane");
    }

    @Test
    void twoUsersNeverShareAnAnswer() throws Exception {
        startProxy(Map.of());
        get(PODS, proxy.token("jane", "dev"));
        HttpResponse<String> john = get(PODS, proxy.token("john", "dev"));
        HttpResponse<String> johnAgain = get(PODS, proxy.token("john", "dev"));

        assertThat(upstreamRequests()).isEqualTo(2);
        assertThat(john.body()).contains("\"for\":\"john\"");
        assertThat(john.headers().firstValue("X-Multikube-Cache")).contains("miss");
        assertThat(johnAgain.body()).contains("\"for\":\"john\"");
    }

    @Test
    void theSameUserInOtherGroupsDoesNotShareAnAnswer() throws Exception {
        startProxy(Map.of());
        get(PODS, proxy.token("jane", List.of("devs"), "dev"));
        HttpResponse<String> asAdmin = get(PODS, proxy.token("jane", List.of("admins"), "dev"));

        assertThat(upstreamRequests()).isEqualTo(2);
        assertThat(asAdmin.headers().firstValue("X-Multikube-Cache")).contains("miss");
    }

    @Test
    void watchesFollowsPagesAndFreshReadsBypassTheCache() throws Exception {
        startProxy(Map.of());
        String token = proxy.token("jane", "dev");
        List<String[]> bypassing = List.of(
                new String[] {"/api/v1/namespaces/team/pods?watch=true&timeoutSeconds=1"},
                new String[] {"/api/v1/watch/namespaces/team/pods"},
                new String[] {"/api/v1/namespaces/team/pods/web-0/log?follow=true"},
                new String[] {"/api/v1/namespaces/team/pods?limit=5"},
                new String[] {"/api/v1/namespaces/team/pods?limit=5&continue=abc"},
                new String[] {PODS, "Cache-Control", "no-cache"},
                new String[] {PODS, "Cache-Control", "no-store"},
                new String[] {PODS, "Pragma", "no-cache"});
        for (String[] request : bypassing) {
            String[] headers = Arrays.copyOfRange(request, 1, request.length);
            HttpResponse<String> first = get(request[0], token, headers);
            HttpResponse<String> second = get(request[0], token, headers);
            assertThat(first.headers().firstValue("X-Multikube-Cache")).as(request[0]).isEmpty();
            assertThat(second.headers().firstValue("X-Multikube-Cache")).as(request[0]).isEmpty();
            assertThat(upstreamRequests()).as(String.join(" ", request)).isEqualTo(2);
            upstream.take();
            upstream.take();
        }
    }

    @Test
    void errorsAreNotCached() throws Exception {
        upstream.respondWith(RecordingUpstream.json(403, "{\"kind\":\"Status\",\"code\":403}"));
        startProxy(Map.of());
        String token = proxy.token("jane", "dev");
        assertThat(get(PODS, token).statusCode()).isEqualTo(403);
        HttpResponse<String> again = get(PODS, token);

        assertThat(again.statusCode()).isEqualTo(403);
        assertThat(again.headers().firstValue("X-Multikube-Cache")).contains("miss");
        assertThat(upstreamRequests()).isEqualTo(2);
    }

    @Test
    void concurrentIdenticalReadsReachTheClusterOnce() throws Exception {
        upstream.respondWith((request, out) -> {
            Thread.sleep(500);
            answerForTheUser(request, out);
        });
        startProxy(Map.of());
        String token = proxy.token("jane", "dev");
        HttpClient client = proxy.client(HttpClient.Version.HTTP_2);
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            responses.add(client.sendAsync(proxy.request(PODS, token).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            HttpResponse<String> answered = response.get(30, TimeUnit.SECONDS);
            assertThat(answered.statusCode()).isEqualTo(200);
            assertThat(answered.body()).contains("\"for\":\"jane\"");
        }
        assertThat(upstreamRequests()).isEqualTo(1);
        assertThat(responses.stream().filter(r -> r.join().headers().firstValue("X-Multikube-Cache")
                .orElse("").equals("hit")).count()).isEqualTo(99);
    }

    @Test
    void anAnswerExpiresItsTimeToLiveAfterTheFetch() throws Exception {
        startProxy(Map.of("ttl", "1s"));
        String token = proxy.token("jane", "dev");
        get(PODS, token);
        assertThat(get(PODS, token).headers().firstValue("X-Multikube-Cache")).contains("hit");
        Thread.sleep(1200);
        HttpResponse<String> afterExpiry = get(PODS, token);

        assertThat(afterExpiry.headers().firstValue("X-Multikube-Cache")).contains("miss");
        assertThat(upstreamRequests()).isEqualTo(2);
    }

    @Test
    void anOversizeAnswerStreamsWholeAndIsNotKept() throws Exception {
        byte[] big = new byte[(int) CachedReads.MAX_ENTRY_BYTES + 1024 * 1024];
        Arrays.fill(big, (byte) 'x');
        upstream.respondWith((request, out) -> writeChunked(out, big, null));
        startProxy(Map.of());
        String token = proxy.token("jane", "dev");
        for (int i = 0; i < 2; i++) {
            HttpResponse<byte[]> response = proxy.client(HttpClient.Version.HTTP_2).send(
                    proxy.request("/api/v1/pods", token).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.body()).isEqualTo(big);
            assertThat(response.headers().firstValue("X-Multikube-Cache")).contains("miss");
        }
        assertThat(upstreamRequests()).isEqualTo(2);
    }

    @Test
    void aMissStreamsToItsClientBeforeTheClusterFinishes() throws Exception {
        CountDownLatch clientSawFirstPart = new CountDownLatch(1);
        byte[] firstPart = "{\"kind\":\"PodList\",\"items\":[".getBytes(StandardCharsets.UTF_8);
        upstream.respondWith((request, out) -> writeChunked(out, firstPart, clientSawFirstPart));
        startProxy(Map.of());
        String token = proxy.token("jane", "dev");
        HttpResponse<InputStream> streaming = proxy.client(HttpClient.Version.HTTP_2).send(
                proxy.request("/api/v1/pods", token).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = streaming.body()) {
            assertThat(body.readNBytes(firstPart.length)).isEqualTo(firstPart);
            clientSawFirstPart.countDown();
            assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("]}");
        }
        HttpResponse<String> again = get("/api/v1/pods", token);

        assertThat(again.headers().firstValue("X-Multikube-Cache")).contains("hit");
        assertThat(again.body()).isEqualTo("{\"kind\":\"PodList\",\"items\":[]}");
    }

    /** A chunked 200: {@code first}, then (once {@code gate} opens, when given) {@code ]}}. */
    private static void writeChunked(OutputStream out, byte[] first, CountDownLatch gate)
            throws IOException, InterruptedException {
        out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        chunk(out, first);
        out.flush();
        if (gate != null) {
            assertThat(gate.await(10, TimeUnit.SECONDS)).as("the client saw the first part").isTrue();
            chunk(out, "]}".getBytes(StandardCharsets.US_ASCII));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void chunk(OutputStream out, byte[] bytes) throws IOException {
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
}
