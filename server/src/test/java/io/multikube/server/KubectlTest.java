package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.cli.ClientKubeconfig;
import io.multikube.testing.Kubectl;
import io.multikube.testing.PrometheusText;
import io.multikube.testing.ProxyFixture;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfig;
import io.multikube.testing.TestPki;

/** The real kubectl, configured by a client kubeconfig, talking to multikube over TLS (HTTP/2). */
class KubectlTest {
    private static final String VERSION = "{\"major\":\"1\",\"minor\":\"34\",\"gitVersion\":\"v1.34.0\"}";

    @TempDir
    Path folder;

    private RecordingUpstream upstream;
    private ProxyFixture proxy;
    private Kubectl kubectl;

    @BeforeEach
    void start() throws IOException {
        kubectl = Kubectl.require();
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
    void getRawReachesTheClusterAsTheTokenUser() throws Exception {
        upstream.respondWith(RecordingUpstream.json(200, VERSION));

        Kubectl.Result result = kubectl.run(clientKubeconfig(false), "get", "--raw", "/version");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().strip()).isEqualTo(VERSION);
        RecordingUpstream.Recorded seen = upstream.take();
        assertThat(seen.headers().all("Impersonate-User")).containsExactly("alice");
        assertThat(seen.headers().first("User-Agent")).hasValueSatisfying(agent -> assertThat(agent)
                .startsWith("kubectl"));
        assertThat(seen.headers().contains("Authorization")).isFalse();
    }

    @Test
    void serverUrlWithClusterPathPrefixWorks() throws Exception {
        upstream.respondWith(RecordingUpstream.json(200, VERSION));

        Kubectl.Result result = kubectl.run(clientKubeconfig(true), "get", "--raw", "/version");

        assertThat(result.exitCode()).as(result.err()).isZero();
        // kubectl may add its own query (?timeout=...): the path is what matters here.
        assertThat(upstream.take().target()).matches("/version(\\?.*)?");
    }

    @Test
    void kubectlPrintsOurStatusLikeTheApiServers() throws Exception {
        Path kubeconfig = TestPki.write(folder.resolve("client-prod.yaml"), new ClientKubeconfig(
                "https://127.0.0.1:" + proxy.tlsPort(), proxy.pki().ca().certificatePem(),
                List.of(new ClientKubeconfig.Entry("prod", proxy.token("alice", "prod"), false))).toYaml());

        Kubectl.Result result = kubectl.run(kubeconfig, "get", "--raw", "/version");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("Error from server (NotFound)", "ContextNotFound", "prod");
    }

    @Test
    void rawWatchStreamsEventByEvent() throws Exception {
        upstream.respondWith(StreamingTest.events(3, Duration.ofMillis(500)));

        Process watch = kubectl.start(clientKubeconfig(false), "get", "--raw", "/api/v1/namespaces?watch=true");
        List<Long> arrivals = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(watch.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.contains("ADDED")) {
                    arrivals.add(System.nanoTime());
                }
            }
        }
        assertThat(watch.waitFor()).isZero();
        assertThat(arrivals).hasSize(3);
        assertThat(Duration.ofNanos(arrivals.get(2) - arrivals.get(0))).isGreaterThan(Duration.ofMillis(600));
    }

    /**
     * At the request limit multikube answers 429 with Retry-After, and kubectl (client-go) waits and tries again:
     * here all four slots of --max-connections=2 are held for ~5 s by watches on one HTTP/2 connection (so kubectl's
     * own connection is still accepted), and kubectl's GET, sent meanwhile, succeeds once they end.
     */
    @Test
    void kubectlWaitsAndRetriesWhenEveryRequestSlotIsTaken() throws Exception {
        upstream.respondWith((request, out) -> (request.target().startsWith("/version")
                ? RecordingUpstream.json(200, VERSION) : StreamingTest.events(50, Duration.ofMillis(100)))
                .respond(request, out));
        ProxyFixture limited = ProxyFixture.start(folder.resolve("limited"), new TestKubeconfig()
                .add(TestKubeconfig.Cluster.plain("dev", upstream.port())),
                ProxyFixture.Options.defaults().withMaxConnections(2));
        HttpClient http2 = limited.client(HttpClient.Version.HTTP_2);
        List<InputStream> watches = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                HttpResponse<InputStream> watch = http2.send(limited.request("/api/v1/pods?watch=true",
                        limited.token("alice", "dev")).build(), HttpResponse.BodyHandlers.ofInputStream());
                watches.add(watch.body());
                assertThat(watch.statusCode()).isEqualTo(200);
            }
            Path kubeconfig = TestPki.write(folder.resolve("client-limited.yaml"), new ClientKubeconfig(
                    "https://127.0.0.1:" + limited.tlsPort(), limited.pki().ca().certificatePem(),
                    List.of(new ClientKubeconfig.Entry("dev", limited.token("alice", "dev"), false))).toYaml());

            long started = System.nanoTime();
            Kubectl.Result result = kubectl.run(kubeconfig, "get", "--raw", "/version");

            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out().strip()).isEqualTo(VERSION);
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + limited.metricsPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(PrometheusText.value(PrometheusText.parse(metrics), "multikube_refused_requests_total",
                    Map.of("reason", "TooManyRequests", "code", "429")))
                    .as("kubectl was refused first").hasValueSatisfying(count -> assertThat(count).isPositive());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("and waited for the watches to end")
                    .isGreaterThan(Duration.ofSeconds(1));
        } finally {
            for (InputStream watch : watches) {
                watch.close();
            }
            limited.close();
        }
    }

    private Path clientKubeconfig(boolean pathPrefix) {
        String yaml = new ClientKubeconfig("https://127.0.0.1:" + proxy.tlsPort(), proxy.pki().ca().certificatePem(),
                List.of(new ClientKubeconfig.Entry("dev", proxy.token("alice", "dev"), pathPrefix))).toYaml();
        return TestPki.write(folder.resolve("client-" + pathPrefix + ".yaml"), yaml);
    }
}
