package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.cli.ClientKubeconfig;
import io.multikube.testing.Kubectl;
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

    private Path clientKubeconfig(boolean pathPrefix) {
        String yaml = new ClientKubeconfig("https://127.0.0.1:" + proxy.tlsPort(), proxy.pki().ca().certificatePem(),
                List.of(new ClientKubeconfig.Entry("dev", proxy.token("alice", "dev"), pathPrefix))).toYaml();
        return TestPki.write(folder.resolve("client-" + pathPrefix + ".yaml"), yaml);
    }
}
