package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.testing.FaultyCluster;
import io.multikube.testing.ProxyFixture;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfig;
import io.multikube.testing.ClosedPort;

/**
 * About 10,000 requests through one in-process multikube — ordinary reads over HTTP/2 and HTTP/1.1, clusters that
 * are down, reset or too slow, and watches their HTTP/1.1 clients abandon mid-stream — then, after a settle period,
 * live platform threads, open file descriptors and connections to the clusters are back at the baseline taken after
 * a warm-up. Linux only: it counts {@code /proc/self/fd} and {@code /proc/net/tcp}. A watch an HTTP/2 client cancels
 * (RST_STREAM on a connection it keeps) is not cancelled upstream: see the disabled test below.
 */
@EnabledOnOs(OS.LINUX)
class LeakTest {
    static final int REQUESTS = Integer.getInteger("multikube.leak.requests", 10_000);
    private static final int CONCURRENCY = 16;
    private static final Duration SETTLE = Duration.ofSeconds(20);

    @TempDir
    Path folder;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closeables.reversed()) {
            closeable.close();
        }
    }

    @Test
    void threadsFileDescriptorsAndClusterConnectionsReturnToTheBaseline() throws Exception {
        RecordingUpstream healthy = closing(RecordingUpstream.plain().respondWith((request, out) -> {
            RecordingUpstream.json(200, "{\"kind\":\"APIVersions\"}").respond(request, out);
        }));
        RecordingUpstream watch = closing(RecordingUpstream.plain().respondWith(StreamingTest.events(100_000,
                Duration.ofMillis(20))));
        RecordingUpstream slow = closing(RecordingUpstream.plain().respondWith((r, out) -> Thread.sleep(5_000)));
        FaultyCluster resetting = closing(FaultyCluster.resetOnAccept());
        int closedPort = closing(ClosedPort.reserve()).port();
        ProxyFixture proxy = closing(ProxyFixture.start(folder, new TestKubeconfig()
                .add(TestKubeconfig.Cluster.plain("healthy", healthy.port()))
                .add(TestKubeconfig.Cluster.plain("watch", watch.port()))
                .add(TestKubeconfig.Cluster.plain("slow", slow.port()))
                .add(TestKubeconfig.Cluster.plain("reset", resetting.port()))
                .add(TestKubeconfig.Cluster.plain("down", closedPort)),
                ProxyFixture.Options.defaults().withReadTimeout(Duration.ofSeconds(2))));
        Traffic traffic = new Traffic(proxy, List.of(healthy.port(), watch.port(), slow.port(), resetting.port()));

        traffic.run(400);
        Thread.sleep(3_000);
        Usage baseline = Usage.now(traffic.clusterPorts);
        Instant started = Instant.now();
        traffic.run(REQUESTS);
        Duration took = Duration.between(started, Instant.now());
        Usage peakAfterLoad = Usage.now(traffic.clusterPorts);
        Usage after = traffic.settle(baseline, SETTLE);

        System.out.printf("LeakTest: %d requests in %d ms (%s); baseline %s; right after %s; settled %s%n",
                REQUESTS, took.toMillis(), traffic.outcomes, baseline, peakAfterLoad, after);
        assertThat(traffic.unexpected).as("unexpected outcomes").isEmpty();
        assertThat(after.threads()).as("live platform threads").isLessThanOrEqualTo(baseline.threads() + 8);
        assertThat(after.fds()).as("open file descriptors").isLessThanOrEqualTo(baseline.fds() + 16);
        assertThat(after.clusterConnections()).as("connections held to the clusters")
                .isLessThanOrEqualTo(baseline.clusterConnections() + 4);
    }

    @Test
    @org.junit.jupiter.api.Disabled("Known gap (docs/security.md): Helidon 4.5 gives a handler no sign that an HTTP/2 "
            + "client reset its stream; writes to the reset stream are dropped without an error, so the upstream watch "
            + "runs until the cluster ends it (its timeoutSeconds) or the client's connection closes")
    void watchCancelledByAnHttp2ClientIsCancelledUpstream() throws Exception {
        java.util.concurrent.CountDownLatch upstreamCut = new java.util.concurrent.CountDownLatch(1);
        RecordingUpstream watch = closing(RecordingUpstream.plain().respondWith((request, out) -> {
            try {
                StreamingTest.events(100_000, Duration.ofMillis(50)).respond(request, out);
            } catch (IOException e) {
                upstreamCut.countDown();
                throw e;
            }
        }));
        ProxyFixture proxy = closing(ProxyFixture.start(folder, new TestKubeconfig()
                .add(TestKubeconfig.Cluster.plain("watch", watch.port()))));
        HttpClient client = proxy.client(HttpClient.Version.HTTP_2);
        HttpResponse<InputStream> response = client.send(proxy.request("/api/v1/pods?watch=1",
                proxy.token("alice", "watch")).build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            assertThat(Traffic.firstEvent(body)).isTrue();
        }

        // The client keeps its connection (it is pooled); only the stream is cancelled.
        assertThat(upstreamCut.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    /** Platform threads, open file descriptors and this process's sockets to the cluster ports (not TIME_WAIT). */
    record Usage(int threads, long fds, long clusterConnections) {
        static Usage now(List<Integer> clusterPorts) throws IOException {
            long fds;
            try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
                fds = open.count();
            }
            return new Usage(ManagementFactory.getThreadMXBean().getThreadCount(), fds,
                    socketsTo(clusterPorts));
        }

        boolean within(Usage limit) {
            return threads <= limit.threads + 8 && fds <= limit.fds + 16
                    && clusterConnections <= limit.clusterConnections + 4;
        }

        /** Client-side sockets whose remote port is a cluster's, in any state that still holds a descriptor. */
        private static long socketsTo(List<Integer> ports) throws IOException {
            long count = 0;
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                Path file = Path.of(table);
                if (!Files.exists(file)) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file);
                for (String line : lines.subList(1, lines.size())) {
                    String[] columns = line.trim().split("\\s+");
                    int remotePort = Integer.parseInt(columns[2].substring(columns[2].indexOf(':') + 1), 16);
                    String state = columns[3];
                    boolean holdsDescriptor = !state.equals("06") && !state.equals("0A"); // TIME_WAIT, LISTEN
                    if (ports.contains(remotePort) && holdsDescriptor) {
                        count++;
                    }
                }
            }
            return count;
        }
    }

    /** Mixed requests from {@link #CONCURRENCY} clients; counts outcomes, records any that should not happen. */
    static final class Traffic {
        private final ProxyFixture proxy;
        private final List<Integer> clusterPorts;
        private final HttpClient http2;
        private final HttpClient http1;
        private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        private final Queue<String> unexpected = new ConcurrentLinkedQueue<>();
        private final Map<String, String> tokens = new ConcurrentHashMap<>();

        Traffic(ProxyFixture proxy, List<Integer> clusterPorts) {
            this.proxy = proxy;
            this.clusterPorts = clusterPorts;
            this.http2 = proxy.client(HttpClient.Version.HTTP_2);
            this.http1 = proxy.client(HttpClient.Version.HTTP_1_1);
        }

        void run(int requests) throws InterruptedException {
            AtomicInteger next = new AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CONCURRENCY; c++) {
                clients.add(Thread.ofVirtual().start(() -> {
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        one(i);
                    }
                }));
            }
            for (Thread client : clients) {
                client.join();
            }
        }

        /** Polls until usage is within the tolerance of {@code limit} (or the time is up); returns the last reading. */
        Usage settle(Usage limit, Duration atMost) throws Exception {
            Instant deadline = Instant.now().plus(atMost);
            Usage usage = Usage.now(clusterPorts);
            while (!usage.within(limit) && Instant.now().isBefore(deadline)) {
                System.gc();
                Thread.sleep(500);
                usage = Usage.now(clusterPorts);
            }
            return usage;
        }

        private void one(int i) {
            int kind = i % 20;
            try {
                if (kind < 13) {
                    ordinary(i % 2 == 0 ? http2 : http1, "healthy", 200, "read");
                } else if (kind < 15) {
                    ordinary(http2, "down", 503, "down");
                } else if (kind == 15) {
                    ordinary(http1, "reset", 503, "reset");
                } else if (kind == 16 && i % 500 == 16) {
                    ordinary(http2, "slow", 504, "slow");
                } else if (kind <= 17) {
                    abandonWatchOverHttp1();
                } else {
                    ordinary(http2, "healthy", 200, "read");
                }
            } catch (IOException | RuntimeException e) {
                unexpected.add(i + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private String token(String context) {
            return tokens.computeIfAbsent(context, c -> proxy.token("alice", c));
        }

        private void ordinary(HttpClient client, String context, int expected, String outcome)
                throws IOException, InterruptedException {
            HttpResponse<String> response = client.send(proxy.request("/api", token(context)).build(),
                    HttpResponse.BodyHandlers.ofString());
            count(outcome, response.statusCode() == expected, response.statusCode() + " " + response.body());
        }

        /** Opens a watch, reads the first event, and goes away without a word (socket closed). */
        private void abandonWatchOverHttp1() throws IOException {
            try (Socket socket = proxy.clientTls().getSocketFactory().createSocket("127.0.0.1", proxy.tlsPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("GET /api/v1/pods?watch=1 HTTP/1.1\r\nHost: m\r\nAuthorization: "
                        + "Bearer " + token("watch") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                count("watch-h1", firstEvent(socket.getInputStream()), "no event");
            }
        }

        static boolean firstEvent(InputStream in) throws IOException {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.contains("ADDED")) {
                    return true;
                }
            }
            return false;
        }

        private void count(String outcome, boolean expected, String detail) {
            outcomes.computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet();
            if (!expected) {
                unexpected.add(outcome + ": " + detail);
            }
        }

    }
}
