package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.helidon.common.tls.Tls;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.multikube.pki.KeyAndCertificate;
import io.multikube.testing.ProxyFixture;
import io.multikube.testing.TestKubeconfig;
import io.multikube.testing.TestPki;

/**
 * Watches toward a cluster that offers HTTP/2 share its connections, a hundred streams to one, and keep the flow
 * control of each to itself: a watch nobody reads holds back only its own stream.
 */
class MultiplexedWatchesTest {
    private static final byte[] EVENT = ("{\"type\":\"MODIFIED\",\"object\":{\"data\":\"" + "x".repeat(990) + "\"}}\n")
            .getBytes(StandardCharsets.US_ASCII);
    private static final int TICKS = 500;
    private static final int HUNDRED = 100;

    @TempDir
    Path folder;

    private final TestPki clusterCa = TestPki.create("cluster CA");
    private final Map<String, Set<Integer>> portsByPath = new ConcurrentHashMap<>();
    private final Map<String, String> protocolByPath = new ConcurrentHashMap<>();
    private final AtomicLong flooded = new AtomicLong();
    private final CountDownLatch testDone = new CountDownLatch(1);
    private WebServer cluster;
    private ProxyFixture proxy;

    @BeforeEach
    void start() {
        KeyAndCertificate serving = clusterCa.server("127.0.0.1");
        cluster = WebServer.builder()
                .host("127.0.0.1").port(0)
                .tls(Tls.builder().privateKey(serving.key())
                        .privateKeyCertChain(List.of(serving.certificate())).build())
                .routing(routing -> routing
                        .get("/api/v1/configmaps", this::holdOpen)
                        .get("/api/v1/flood", this::flood)
                        .get("/api/v1/ticks", this::ticks)
                        .get("/api/v1/pods", this::tickUntilClosed))
                .build().start();
        proxy = ProxyFixture.start(folder, new TestKubeconfig().add(TestKubeconfig.Cluster.tls("secure",
                cluster.port(), clusterCa.ca(), clusterCa.client("multikube"), "cluster-token")));
    }

    @AfterEach
    void stop() {
        testDone.countDown();
        proxy.close();
        cluster.stop();
    }

    @Test
    void watchesArrivingTogetherShareOneHttp2ConnectionPerHundred() throws Exception {
        String token = proxy.token("alice", "secure");
        HttpClient client = proxy.client(HttpClient.Version.HTTP_2);
        List<CompletableFuture<HttpResponse<InputStream>>> watches = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            watches.add(client.sendAsync(proxy.request("/api/v1/configmaps?watch=true", token).build(),
                    HttpResponse.BodyHandlers.ofInputStream()));
        }
        try {
            for (CompletableFuture<HttpResponse<InputStream>> watch : watches) {
                HttpResponse<InputStream> response = watch.get(30, TimeUnit.SECONDS);
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(firstLine(response.body())).startsWith("{\"type\":\"ADDED\"");
            }

            assertThat(protocolByPath).containsEntry("/api/v1/configmaps", "2.0");
            assertThat(portsByPath.get("/api/v1/configmaps")).as("connections to the cluster for 150 watches")
                    .hasSize(2);
        } finally {
            for (CompletableFuture<HttpResponse<InputStream>> watch : watches) {
                watch.thenAccept(response -> closeQuietly(response.body()));
            }
        }
    }

    /**
     * Three watches whose clients read nothing while the cluster writes to them as fast as it can, and a fourth on the
     * same cluster connection that is read: the fourth gets every event. (The clients use HTTP/1.1, so the only shared
     * window is that of multikube's connection to the cluster.) With the JDK client's own windows (16 MiB a stream,
     * 32 MiB the connection) the three unread streams would take the whole connection window and stall the fourth.
     */
    @Test
    void watchesNobodyReadsHoldBackOnlyThemselves() throws Exception {
        String token = proxy.token("alice", "secure");
        HttpClient client = proxy.client(HttpClient.Version.HTTP_1_1);
        List<HttpResponse<InputStream>> unread = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                unread.add(client.send(proxy.request("/api/v1/flood?watch=true", token).build(),
                        HttpResponse.BodyHandlers.ofInputStream()));
            }
            long stalledAt = awaitStall(flooded);
            assertThat(stalledAt).as("bytes the cluster sent to three clients that read nothing")
                    .isLessThan(96L * 1024 * 1024);

            HttpResponse<InputStream> read = client.send(proxy.request("/api/v1/ticks?watch=true", token).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            byte[] all = CompletableFuture.supplyAsync(() -> readAll(read.body()))
                    .get(30, TimeUnit.SECONDS);

            assertThat(all.length).as("bytes of the watch that is read").isEqualTo(TICKS * EVENT.length);
            assertThat(portsByPath.get("/api/v1/ticks")).as("the read watch shares the unread ones' connection")
                    .isEqualTo(portsByPath.get("/api/v1/flood")).hasSize(1);
        } finally {
            unread.forEach(response -> closeQuietly(response.body()));
        }
    }

    /**
     * A watch whose client went away gives its place on the connection back: after 100 watches have come and gone,
     * 100 more still fit on the one connection. (HTTP/1.1 clients: multikube learns of a closed socket at its next
     * write; an HTTP/2 client's reset is not reported by Helidon 4.5, see LeakTest.)
     */
    @Test
    void closedWatchesGiveTheirPlacesBack() throws Exception {
        String token = proxy.token("alice", "secure");
        HttpClient client = proxy.client(HttpClient.Version.HTTP_1_1);
        for (int round = 0; round < 2; round++) {
            List<HttpResponse<InputStream>> watches = new ArrayList<>();
            for (int i = 0; i < MultiplexedWatchesTest.HUNDRED; i++) {
                HttpResponse<InputStream> watch = client.send(proxy.request("/api/v1/pods?watch=true", token).build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                assertThat(firstLine(watch.body())).startsWith("{\"type\":\"MODIFIED\"");
                watches.add(watch);
            }
            watches.forEach(watch -> closeQuietly(watch.body()));
            // The cluster writes every 50 ms: each relay finds its client gone and ends its stream.
            Thread.sleep(1_000);
        }

        assertThat(portsByPath.get("/api/v1/pods")).as("connections to the cluster for 100 watches, twice")
                .hasSize(1);
    }

    @Test
    void aWatchToAClusterThatIsDownIs503() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ProxyFixture down = ProxyFixture.start(folder.resolve("down"), new TestKubeconfig().add(
                TestKubeconfig.Cluster.tls("down", closedPort, clusterCa.ca(), clusterCa.client("multikube"), null)));
        try {
            HttpResponse<String> response = down.client(HttpClient.Version.HTTP_2).send(
                    down.request("/api/v1/configmaps?watch=true", down.token("alice", "down")).build(),
                    HttpResponse.BodyHandlers.ofString());

            ErrorStatusTest.assertStatus(response, 503, "ServiceUnavailable");
            assertThat(response.body()).contains("cluster of context \\\"down\\\" is unreachable");
        } finally {
            down.close();
        }
    }

    private void holdOpen(ServerRequest request, ServerResponse response) throws IOException {
        seen(request);
        try (OutputStream out = response.outputStream()) {
            out.write("{\"type\":\"ADDED\",\"object\":{}}\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            testDone.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void flood(ServerRequest request, ServerResponse response) {
        seen(request);
        try (OutputStream out = response.outputStream()) {
            while (testDone.getCount() > 0) {
                out.write(EVENT);
                out.flush();
                flooded.addAndGet(EVENT.length);
            }
        } catch (IOException | RuntimeException ended) {
            // the client's watch was closed
        }
    }

    private void ticks(ServerRequest request, ServerResponse response) throws IOException {
        seen(request);
        try (OutputStream out = response.outputStream()) {
            for (int i = 0; i < TICKS; i++) {
                out.write(EVENT);
                out.flush();
            }
        }
    }

    private void tickUntilClosed(ServerRequest request, ServerResponse response) {
        seen(request);
        try (OutputStream out = response.outputStream()) {
            while (testDone.getCount() > 0) {
                out.write(EVENT);
                out.flush();
                Thread.sleep(50);
            }
        } catch (IOException | RuntimeException ended) {
            // Helidon 4.5 reports no reset: the stream ends with the test
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void seen(ServerRequest request) {
        String path = request.path().rawPath();
        protocolByPath.put(path, request.prologue().protocolVersion());
        if (path.endsWith("configmaps")) System.out.println("PROBE " + System.nanoTime()/1000000 + " port " + ((InetSocketAddress) request.remotePeer().address()).getPort());
        portsByPath.computeIfAbsent(path, any -> ConcurrentHashMap.newKeySet())
                .add(((InetSocketAddress) request.remotePeer().address()).getPort());
    }

    /** Waits until the count stops growing for a second: back-pressure reached the cluster. */
    private static long awaitStall(AtomicLong count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long last = -1;
        while (System.nanoTime() < deadline) {
            long now = count.get();
            if (now == last && now > 0) {
                return now;
            }
            last = now;
            Thread.sleep(1_000);
        }
        throw new AssertionError("the cluster never stopped sending to clients that read nothing: " + count.get());
    }

    private static byte[] readAll(InputStream body) {
        try (body) {
            return body.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String firstLine(InputStream body) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = body.read(); c >= 0 && c != '\n'; c = body.read()) {
            line.append((char) c);
        }
        return line.toString();
    }

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException ignored) {
            // the test is over
        }
    }
}
