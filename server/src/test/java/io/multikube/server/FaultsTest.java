package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.multikube.pki.Certificates;
import io.multikube.pki.KeyAndCertificate;
import io.multikube.pki.KeyType;
import io.multikube.testing.FaultyCluster;
import io.multikube.testing.ProxyFixture;
import io.multikube.testing.RawClient;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfig;
import io.multikube.testing.TestPki;
import io.multikube.upstream.HttpHead;
import io.multikube.testing.ClosedPort;

/**
 * One cluster fails — down, resetting, silent past the read timeout, resetting mid-body, with an expired certificate,
 * with a certificate from a CA the kubeconfig does not trust — and the client gets the right Status within the
 * configured timeouts (measured), while requests to a healthy context running at the same time all succeed.
 */
class FaultsTest {
    /** --upstream-read-timeout for this test; the fixture's --upstream-connect-timeout is 3 s. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
    /** A failure that needs no timeout must be answered well within the connect timeout. */
    static final Duration FAST = Duration.ofMillis(2_500);
    private static final String EXEC = "/api/v1/namespaces/default/pods/web-0/exec?command=id&stdout=true";

    @TempDir
    static Path folder;

    private static RecordingUpstream healthy;
    private static RecordingUpstream slow;
    private static RecordingUpstream expired;
    private static RecordingUpstream wrongCa;
    private static FaultyCluster resetting;
    private static FaultyCluster resettingMidBody;
    private static ClosedPort closedPort;
    private static ProxyFixture proxy;

    /** How a cluster fails, the Status that must answer it, and the time window it must come in. */
    enum Fault {
        DOWN("down", 503, "ServiceUnavailable", Duration.ZERO, FAST),
        RESET_ON_ACCEPT("reset", 503, "ServiceUnavailable", Duration.ZERO, FAST),
        SILENT("slow", 504, "Timeout", READ_TIMEOUT, READ_TIMEOUT.plus(FAST)),
        EXPIRED_CERTIFICATE("expired", 503, "ServiceUnavailable", Duration.ZERO, FAST),
        WRONG_CA("wrong-ca", 503, "ServiceUnavailable", Duration.ZERO, FAST);

        final String context;
        final int code;
        final String reason;
        final Duration atLeast;
        final Duration atMost;

        Fault(String context, int code, String reason, Duration atLeast, Duration atMost) {
            this.context = context;
            this.code = code;
            this.reason = reason;
            this.atLeast = atLeast;
            this.atMost = atMost;
        }
    }

    enum Via { HTTP1, HTTP2, UPGRADE }

    @BeforeAll
    static void start() throws IOException {
        healthy = RecordingUpstream.plain();
        slow = RecordingUpstream.plain().respondWith((request, out) -> Thread.sleep(30_000));
        TestPki clusterCa = TestPki.create("cluster CA");
        KeyAndCertificate lapsed = Certificates.issue(clusterCa.ca(), "CN=expired", Certificates.Usage.SERVER,
                List.of("127.0.0.1", "localhost"), KeyType.EC_P256, Duration.ofHours(1),
                Instant.now().minus(Duration.ofDays(2)));
        expired = RecordingUpstream.tls(clusterCa.sslContextServing(lapsed));
        TestPki stranger = TestPki.create("a CA the kubeconfig does not name");
        wrongCa = RecordingUpstream.tls(stranger.sslContextServing(stranger.server("127.0.0.1", "localhost")));
        resetting = FaultyCluster.resetOnAccept();
        resettingMidBody = FaultyCluster.resetMidBody();
        closedPort = ClosedPort.reserve();
        proxy = ProxyFixture.start(folder, new TestKubeconfig()
                .add(TestKubeconfig.Cluster.plain("healthy", healthy.port()))
                .add(TestKubeconfig.Cluster.plain("down", closedPort.port()))
                .add(TestKubeconfig.Cluster.plain("reset", resetting.port()))
                .add(TestKubeconfig.Cluster.plain("slow", slow.port()))
                .add(TestKubeconfig.Cluster.plain("mid-body", resettingMidBody.port()))
                .add(TestKubeconfig.Cluster.tls("expired", expired.port(), clusterCa.ca(), null, "cluster-token"))
                .add(TestKubeconfig.Cluster.tls("wrong-ca", wrongCa.port(), clusterCa.ca(), null, "cluster-token")),
                ProxyFixture.Options.defaults().withReadTimeout(READ_TIMEOUT));
    }

    @AfterAll
    static void stop() throws IOException {
        proxy.close();
        for (AutoCloseable cluster : List.<AutoCloseable>of(healthy, slow, expired, wrongCa, resetting,
                resettingMidBody, closedPort)) {
            try {
                cluster.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
    }

    static Stream<Arguments> faults() {
        List<Arguments> result = new ArrayList<>();
        for (Fault fault : Fault.values()) {
            for (Via via : Via.values()) {
                result.add(Arguments.of(fault, via));
            }
        }
        return result.stream();
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("faults")
    void failingClusterIsAStatusInTimeWhileAHealthyOneServesEveryRequest(Fault fault, Via via) throws Exception {
        try (HealthyLoad load = HealthyLoad.start(proxy, 2)) {
            Instant started = Instant.now();
            Answer answer = send(via, fault.context);
            Duration took = Duration.between(started, Instant.now());

            assertThat(answer.code()).as(answer.text()).isEqualTo(fault.code);
            assertThat(answer.text()).contains("\"kind\":\"Status\"", "\"reason\":\"" + fault.reason + "\"",
                    "\\\"" + fault.context + "\\\"");
            load.close();
            System.out.printf("FaultsTest: %s over %s -> %d in %d ms; healthy context meanwhile: %d ok, %d failed%n",
                    fault, via, answer.code(), took.toMillis(), load.succeeded.get(), load.failures.size());
            assertThat(took).as("time to the Status").isBetween(fault.atLeast, fault.atMost);
            load.assertAllSucceeded();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Via.class, names = {"HTTP1", "HTTP2"})
    void clusterResettingMidBodyBreaksTheResponseAtOnceAndNeverCompletesIt(Via via) throws Exception {
        try (HealthyLoad load = HealthyLoad.start(proxy, 2)) {
            Instant started = Instant.now();
            String outcome;
            if (via == Via.HTTP2) {
                try {
                    HttpResponse<String> response = proxy.client(HttpClient.Version.HTTP_2).send(
                            proxy.request("/api/v1/pods", proxy.token("alice", "mid-body")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    outcome = "complete: " + response.statusCode() + " " + response.body();
                } catch (IOException e) {
                    outcome = "broken: " + e;
                }
                assertThat(outcome).startsWith("broken");
            } else {
                outcome = readUntilClosed("GET /api/v1/pods HTTP/1.1\r\nHost: m\r\nAuthorization: Bearer "
                        + proxy.token("alice", "mid-body") + "\r\n\r\n");
                assertThat(outcome).startsWith("HTTP/1.1 200").contains("{\"kind\":\"PodList\",\"items\":[")
                        .doesNotContain("\r\n0\r\n\r\n");
            }
            Duration took = Duration.between(started, Instant.now());
            System.out.printf("FaultsTest: reset mid-body over %s -> broken after %d ms%n", via, took.toMillis());
            assertThat(took).as("time to the broken end").isLessThan(FAST);
            load.assertAllSucceeded();
        }
    }

    record Answer(int code, String text) {
    }

    private static Answer send(Via via, String context) throws Exception {
        String token = proxy.token("alice", context);
        return switch (via) {
            case HTTP1 -> {
                String raw = RawClient.exchange(proxy.clientTls(), proxy.tlsPort(),
                        "GET /api/v1/pods HTTP/1.1\r\nHost: m\r\nAuthorization: Bearer " + token + "\r\n\r\n");
                yield new Answer(raw.startsWith("HTTP/1.1 ") ? Integer.parseInt(raw.substring(9, 12)) : 0, raw);
            }
            case HTTP2 -> {
                HttpResponse<String> response = proxy.client(HttpClient.Version.HTTP_2)
                        .send(proxy.request("/api/v1/pods", token).build(), HttpResponse.BodyHandlers.ofString());
                yield new Answer(response.statusCode(), response.body());
            }
            case UPGRADE -> {
                try (UpgradeClient client = UpgradeClient.connectTls(proxy.tlsPort(), proxy.clientTls())) {
                    client.send(UpgradeClient.websocket(EXEC, proxy.tlsPort(), "websocket", "v5.channel.k8s.io")
                            .replace(UpgradeClient.CLIENT_TOKEN, token));
                    HttpHead head = client.readHead();
                    yield new Answer(head.code(), client.readToEnd());
                }
            }
        };
    }

    /** Sends raw bytes over TLS and reads until the server closes (or 10 s pass). */
    private static String readUntilClosed(String request) throws IOException {
        try (Socket socket = proxy.clientTls().getSocketFactory().createSocket("127.0.0.1", proxy.tlsPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            try {
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    all.write(buffer, 0, read);
                }
            } catch (java.net.SocketException | javax.net.ssl.SSLException e) {
                // a reset passed on
            }
            return all.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** Requests to the healthy context, over HTTP/2 and HTTP/1.1, in a loop until closed; every one must succeed. */
    static final class HealthyLoad implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger succeeded = new AtomicInteger();
        private final Queue<String> failures = new ConcurrentLinkedQueue<>();
        private final List<Thread> threads = new ArrayList<>();

        static HealthyLoad start(ProxyFixture proxy, int perVersion) {
            HealthyLoad load = new HealthyLoad();
            String token = proxy.token("bob", "healthy");
            for (HttpClient.Version version : HttpClient.Version.values()) {
                HttpClient client = proxy.client(version);
                for (int i = 0; i < perVersion; i++) {
                    load.threads.add(Thread.ofVirtual().start(() -> load.run(proxy, client, token)));
                }
            }
            return load;
        }

        private void run(ProxyFixture proxy, HttpClient client, String token) {
            while (running.get()) {
                try {
                    HttpResponse<String> response = client.send(proxy.request("/version", token)
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        succeeded.incrementAndGet();
                    } else {
                        failures.add(response.statusCode() + " " + response.body());
                    }
                } catch (IOException e) {
                    failures.add(e.toString());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void assertAllSucceeded() throws InterruptedException {
            close();
            assertThat(failures).as("failed requests to the healthy context").isEmpty();
            assertThat(succeeded.get()).as("requests to the healthy context").isPositive();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(10_000);
            }
        }
    }
}
