package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.testing.ProxyFixture;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfig;

/**
 * Slow clients do not starve the others (issue 7): hundreds of slowloris connections trickling their headers, and a
 * watch whose client never reads while the cluster streams as fast as it can. Meanwhile ordinary requests are
 * answered promptly; the unread watch holds back the cluster (bounded buffering, no unbounded queue in multikube),
 * and its upstream connection ends once the client goes away.
 */
class SlowClientsTest {
    private static final int SLOWLORIS = 300;
    private static final byte[] EVENT = ("{\"type\":\"ADDED\",\"object\":{\"kind\":\"ConfigMap\",\"data\":{\"v\":\""
            + "x".repeat(4000) + "\"}}}\n").getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path folder;

    private final AtomicLong watchBytesSent = new AtomicLong();
    private final CountDownLatch watchEnded = new CountDownLatch(1);
    private final List<Socket> slowloris = new ArrayList<>();
    private RecordingUpstream upstream;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws IOException {
        upstream = RecordingUpstream.plain().respondWith((request, out) -> {
            if (request.target().contains("watch=true")) {
                streamForever(out);
            } else {
                RecordingUpstream.json(200, "{\"kind\":\"ConfigMapList\"}").respond(request, out);
            }
        });
        proxy = ProxyFixture.start(folder, new TestKubeconfig().add(TestKubeconfig.Cluster.plain("dev",
                upstream.port())));
    }

    @AfterEach
    void stop() throws IOException {
        slowloris.forEach(SlowClientsTest::closeQuietly);
        proxy.close();
        upstream.close();
    }

    @Test
    void slowlorisAndANeverReadingWatchStarveNoOne() throws Exception {
        String token = proxy.token("alice", "dev");
        for (int i = 0; i < SLOWLORIS; i++) {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.plainPort());
            socket.getOutputStream().write("GET /api/v1/pods HTTP/1.1\r\nHost: m\r\n".getBytes(StandardCharsets.US_ASCII));
            slowloris.add(socket);
        }
        Thread trickle = Thread.ofVirtual().start(() -> {
            for (int round = 0; !Thread.currentThread().isInterrupted(); round++) {
                for (Socket socket : slowloris) {
                    try {
                        socket.getOutputStream().write(("X-Slow-" + round + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        // multikube may close a connection whose head never ends; that is fine too
                    }
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        Socket neverReads = new Socket(InetAddress.getLoopbackAddress(), proxy.plainPort());
        neverReads.setReceiveBufferSize(4096);
        neverReads.getOutputStream().write(("GET /api/v1/configmaps?watch=true HTTP/1.1\r\nHost: m\r\n"
                + "Authorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        try {
            long stalledAt = awaitStall();

            HttpClient client = proxy.client(HttpClient.Version.HTTP_2);
            List<Long> millis = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                long began = System.nanoTime();
                HttpResponse<String> response = client.send(proxy.request("/api/v1/configmaps", token).build(),
                        HttpResponse.BodyHandlers.ofString());
                millis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
                assertThat(response.statusCode()).isEqualTo(200);
            }
            millis.sort(null);
            System.out.printf("slow clients: %d slowloris connections, unread watch stalled the cluster after %d "
                    + "bytes; 100 ordinary requests: median %d ms, p99 %d ms%n", SLOWLORIS, stalledAt,
                    millis.get(49), millis.get(98));

            assertThat(millis.get(49)).as("median ms of ordinary requests beside the slow clients").isLessThan(250);
            assertThat(millis.get(98)).as("p99 ms").isLessThan(2_000);
            assertThat(watchBytesSent.get()).as("bytes the cluster got to send to a client that reads nothing")
                    .isEqualTo(stalledAt).isLessThan(32L * 1024 * 1024);
        } finally {
            trickle.interrupt();
            neverReads.close();
        }
        assertThat(watchEnded.await(30, TimeUnit.SECONDS)).as("the unread watch ended at the cluster").isTrue();
    }

    /** Waits until the cluster's writes of the unread watch stop advancing: back-pressure reached it. */
    private long awaitStall() throws InterruptedException {
        long previous = -1;
        for (int i = 0; i < 60; i++) {
            Thread.sleep(500);
            long now = watchBytesSent.get();
            if (now > 0 && now == previous) {
                return now;
            }
            previous = now;
        }
        throw new AssertionError("the cluster never stopped sending to a client that reads nothing: "
                + watchBytesSent.get() + " bytes");
    }

    private void streamForever(OutputStream out) throws IOException {
        try {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String size = Integer.toHexString(EVENT.length) + "\r\n";
            while (true) {
                out.write(size.getBytes(StandardCharsets.US_ASCII));
                out.write(EVENT);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                watchBytesSent.addAndGet(EVENT.length);
            }
        } finally {
            watchEnded.countDown();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed already
        }
    }
}
