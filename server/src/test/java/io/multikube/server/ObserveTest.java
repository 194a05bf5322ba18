package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.testing.PrometheusText;
import io.multikube.testing.PrometheusText.Sample;
import io.multikube.testing.ProxyFixture;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfig;
import io.multikube.testing.ClosedPort;

/** /metrics, /livez and /readyz on the metrics listener, read as Prometheus and the kubelet would read them. */
class ObserveTest {
    private static final ClosedPort CLOSED = ClosedPort.reserve();

    @TempDir
    Path folder;

    private RecordingUpstream upstream;
    private ProxyFixture proxy;
    private final HttpClient plain = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        upstream = RecordingUpstream.plain();
        proxy = ProxyFixture.start(folder, new TestKubeconfig()
                .add(TestKubeconfig.Cluster.plain("dev", upstream.port()))
                .add(TestKubeconfig.Cluster.plain("gone", closedPort())),
                ProxyFixture.Options.defaults().withClusterProbes(Duration.ofMillis(500)));
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        upstream.close();
    }

    private HttpResponse<String> admin(String path) throws Exception {
        return plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.metricsPort() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return proxy.client(HttpClient.Version.HTTP_2).send(proxy.request(path, token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsCountRequestsByContextVerbAndCode() throws Exception {
        get("/api/v1/namespaces/team/pods", proxy.token("jane", "dev"));
        get("/api/v1/namespaces/team/pods/web-0", proxy.token("jane", "dev"));
        get("/api/v1/namespaces/team/pods/web-0", proxy.token("jane", "dev"));
        get("/api/v1/pods", "not-a-token");

        // A request is counted as its response ends, a moment after the client has it.
        String scrape = awaitBody("/metrics", body -> body.contains("code=\"401\"")
                && body.contains("multikube_request_duration_seconds_count{context=\"dev\",verb=\"get\"} 2"));
        List<Sample> samples = PrometheusText.parse(scrape);

        assertThat(PrometheusText.value(samples, "multikube_requests_total",
                Map.of("context", "dev", "verb", "list", "code", "200"))).contains(1.0);
        assertThat(PrometheusText.value(samples, "multikube_requests_total",
                Map.of("context", "dev", "verb", "get", "code", "200"))).contains(2.0);
        assertThat(PrometheusText.value(samples, "multikube_refused_requests_total",
                Map.of("reason", "Unauthorized", "code", "401"))).as(scrape).contains(1.0);
        assertThat(PrometheusText.value(samples, "multikube_request_duration_seconds_count",
                Map.of("context", "dev", "verb", "get"))).contains(2.0);
        assertThat(PrometheusText.value(samples, "multikube_request_duration_seconds_bucket",
                Map.of("context", "dev", "verb", "get", "le", "+Inf"))).contains(2.0);
        assertThat(PrometheusText.value(samples, "multikube_upstream_duration_seconds_count",
                Map.of("context", "dev", "verb", "get"))).contains(2.0);
        assertThat(PrometheusText.value(samples, "multikube_inflight_requests", Map.of())).contains(0.0);
        assertThat(PrometheusText.value(samples, "multikube_build_info", Map.of("version", "development")))
                .contains(1.0);
        assertThat(samples).anyMatch(sample -> sample.name().startsWith("jvm_memory_used_bytes"));
        assertThat(PrometheusText.value(samples, "process_files_open_files", Map.of())).hasValueSatisfying(open ->
                assertThat(open).isPositive().isLessThanOrEqualTo(PrometheusText.value(samples,
                        "process_files_max_files", Map.of()).orElseThrow()));
    }

    @Test
    void metricsShowClusterConnectionsReused() throws Exception {
        for (int i = 0; i < 3; i++) {
            // Lists go over HTTP/1.1, through multikube's own client.
            assertThat(get("/api/v1/namespaces/team/pods", proxy.token("jane", "dev")).statusCode()).isEqualTo(200);
        }

        List<Sample> samples = PrometheusText.parse(awaitBody("/metrics",
                body -> body.contains("multikube_upstream_connections_reused_total")));

        Map<String, String> http1 = Map.of("protocol", "http/1.1");
        assertThat(PrometheusText.value(samples, "multikube_upstream_connections_opened_total", http1)).contains(1.0);
        assertThat(PrometheusText.value(samples, "multikube_upstream_connections_reused_total", http1)).contains(2.0);
        assertThat(PrometheusText.value(samples, "multikube_upstream_requests_resent_total", http1)).contains(0.0);
        assertThat(PrometheusText.value(samples, "multikube_upstream_connections_idle", http1)).contains(1.0);
    }

    @Test
    void livezAnswersOk() throws Exception {
        HttpResponse<String> response = admin("/livez");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
    }

    @Test
    void readyzListsEveryContextAndStaysReadyWhileOneClusterAnswers() throws Exception {
        String verbose = awaitBody("/readyz?verbose", body -> body.contains("context:gone failed")
                && body.contains("context:dev ok"));
        assertThat(verbose).contains("[+]shutdown ok\n", "[+]context:dev ok\n", "[-]context:gone failed: ",
                "readyz check passed\n");
        assertThat(admin("/readyz").statusCode()).isEqualTo(200);
        HttpResponse<String> gone = admin("/readyz/context:gone");
        assertThat(gone.statusCode()).isEqualTo(503);
        assertThat(gone.body()).startsWith("[-]context:gone failed: ").endsWith("readyz check failed\n");
    }

    @Test
    void readinessTurnsFalseFirstOnShutdown() throws Exception {
        awaitBody("/readyz?verbose", body -> body.contains("context:dev ok"));
        int metricsPort = proxy.metricsPort();
        // A slow request in flight holds the server in its shutdown grace.
        upstream.respondWith((request, out) -> {
            Thread.sleep(1500);
            RecordingUpstream.json(200, "{}").respond(request, out);
        });
        Thread slow = Thread.ofVirtual().start(() -> {
            try {
                get("/api/v1/namespaces", proxy.token("jane", "dev"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        while (!upstream.take().target().equals("/api/v1/namespaces")) {
            // cluster probes (GET /readyz) arrive too
        }
        Thread closing = Thread.ofVirtual().start(proxy::close);
        // The in-flight request keeps the server in its grace period while readiness already says no.
        HttpResponse<String> during = null;
        Instant deadline = Instant.now().plusSeconds(2);
        while (Instant.now().isBefore(deadline)) {
            try {
                during = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort
                        + "/readyz")).timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                if (during.statusCode() == 503) {
                    break;
                }
            } catch (IOException e) {
                throw new AssertionError("the metrics listener closed before readiness turned false", e);
            }
        }
        closing.join();
        slow.join();
        assertThat(during).isNotNull();
        assertThat(during.statusCode()).isEqualTo(503);
        assertThat(during.body()).contains("[-]shutdown failed: multikube is shutting down");
    }

    private String awaitBody(String path, java.util.function.Predicate<String> wanted) throws Exception {
        Instant deadline = Instant.now().plusSeconds(10);
        String body = "";
        while (Instant.now().isBefore(deadline)) {
            body = admin(path).body();
            if (wanted.test(body)) {
                return body;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no matching answer from " + path + "; last: " + body);
    }

    /** Held for the JVM's life: the port must stay closed while the probes keep asking. */
    private static int closedPort() {
        return CLOSED.port();
    }
}
