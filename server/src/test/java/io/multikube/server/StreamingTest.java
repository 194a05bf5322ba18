package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.testing.ProxyFixture;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfig;

/** Watches and followed logs leave event by event, and no timeout of ours cuts a quiet stream. */
class StreamingTest {
    private static final Duration GAP = Duration.ofMillis(400);

    @TempDir
    Path folder;

    private RecordingUpstream upstream;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws IOException {
        upstream = RecordingUpstream.plain();
        // A read timeout far shorter than the stream's quiet spells: watches must not be subject to it.
        proxy = ProxyFixture.start(folder, new TestKubeconfig().add(TestKubeconfig.Cluster.plain("dev",
                upstream.port())), ProxyFixture.Options.defaults().withReadTimeout(Duration.ofMillis(700)));
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        upstream.close();
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void watchEventsArriveSpacedNotAtTheEnd(HttpClient.Version version) throws Exception {
        upstream.respondWith(events(5, GAP));

        HttpResponse<java.io.InputStream> response = proxy.client(version).send(
                proxy.request("/api/v1/namespaces?watch=true", proxy.token("alice", "dev")).build(),
                HttpResponse.BodyHandlers.ofInputStream());

        List<Long> arrivals = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                assertThat(line).contains("\"type\":\"ADDED\"");
                arrivals.add(System.nanoTime());
            }
        }
        assertThat(arrivals).hasSize(5);
        for (int i = 1; i < arrivals.size(); i++) {
            assertThat(Duration.ofNanos(arrivals.get(i) - arrivals.get(i - 1)))
                    .as("gap before event %d", i).isGreaterThan(GAP.dividedBy(2));
        }
    }

    /** The relay's buffer follows the stream (small events, bursts, small again): every byte arrives, in order. */
    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void eventsOfEverySizeArriveByteForByte(HttpClient.Version version) throws Exception {
        int[] sizes = {10, 300, 100_000, 5, 2_000_000, 40, 511, 512, 513, 20_000, 3};
        List<String> events = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            String filler = String.valueOf((char) ('a' + i)).repeat(sizes[i]);
            events.add("{\"type\":\"ADDED\",\"object\":{\"n\":" + i + ",\"pad\":\"" + filler + "\"}}\n");
        }
        upstream.respondWith((request, out) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            for (String event : events) {
                chunk(out, event);
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        });

        HttpResponse<String> response = proxy.client(version).send(
                proxy.request("/api/v1/namespaces?watch=true", proxy.token("alice", "dev")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        // Lengths first, so a failure names the event instead of printing megabytes.
        assertThat(response.body().split("\n")).extracting(String::length)
                .containsExactlyElementsOf(events.stream().map(event -> event.length() - 1).toList());
        assertThat(response.body().equals(String.join("", events))).as("every byte as the cluster sent it").isTrue();
    }

    /** HTTP/2 only: Helidon's HTTP/1.1 response sends its head with the first body bytes (HELIDON-NOTES). */
    @Test
    void headersOfAQuietWatchArriveBeforeAnyEventOverHttp2() throws Exception {
        HttpClient.Version version = HttpClient.Version.HTTP_2;
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        upstream.respondWith((request, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            release.await(10, java.util.concurrent.TimeUnit.SECONDS);
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        });

        HttpResponse<java.io.InputStream> response = proxy.client(version).sendAsync(
                proxy.request("/api/v1/namespaces?watch=true", proxy.token("alice", "dev")).build(),
                HttpResponse.BodyHandlers.ofInputStream()).get(3, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(response.statusCode()).isEqualTo(200);
        release.countDown();
        response.body().close();
    }

    @Test
    void quietStreamOutlivesTheReadTimeout() throws Exception {
        // Two events 2 s apart: three times the read timeout for ordinary requests.
        upstream.respondWith(events(2, Duration.ofSeconds(2)));

        HttpResponse<String> response = proxy.client(HttpClient.Version.HTTP_2).send(
                proxy.request("/api/v1/namespaces/default/pods/p/log?follow=true", proxy.token("alice", "dev"))
                        .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body().lines()).hasSize(2);
    }

    @Test
    void ordinaryRequestThatGetsNoAnswerIsA504Status() throws Exception {
        upstream.respondWith((request, out) -> Thread.sleep(5_000));

        HttpResponse<String> response = proxy.client(HttpClient.Version.HTTP_2).send(
                proxy.request("/api/v1/pods", proxy.token("alice", "dev")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.body()).contains("\"kind\":\"Status\"", "\"reason\":\"Timeout\"", "\"code\":504");
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void clusterThatBreaksMidBodyIsNotPassedOffAsComplete(HttpClient.Version version) {
        upstream.respondWith((request, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            chunk(out, "{\"kind\":\"PodList\",\"items\":[");
            throw new IOException("the cluster dies mid-body");
        });

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> proxy.client(version).send(
                proxy.request("/api/v1/pods", proxy.token("alice", "dev")).build(),
                HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void aSmallAnswerCutShortIsA503SinceNoneOfItWasSent(HttpClient.Version version) throws Exception {
        upstream.respondWith((request, out) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
                    + "{\"kind\":\"Pod\",").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            throw new IOException("the cluster dies 86 bytes short");
        });

        HttpResponse<String> response = proxy.client(version).send(
                proxy.request("/api/v1/namespaces/default/pods/p", proxy.token("alice", "dev")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"kind\":\"Status\"", "\"code\":503",
                "the cluster's answer broke off after 14 of its 100 bytes").doesNotContain("Pod");
    }

    @Test
    void clientThatGoesAwayCancelsTheUpstreamStream() throws Exception {
        java.util.concurrent.CountDownLatch upstreamCut = watchThatCountsItsCut();
        try (java.net.Socket socket = proxy.clientTls().getSocketFactory()
                .createSocket("127.0.0.1", proxy.tlsPort())) {
            socket.getOutputStream().write(("GET /api/v1/pods?watch=1 HTTP/1.1\r\nHost: m\r\nAuthorization: Bearer "
                    + proxy.token("alice", "dev") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            for (String line = reader.readLine(); !line.contains("ADDED"); line = reader.readLine()) {
                assertThat(line).isNotNull();
            }
        }

        // The next event multikube fails to deliver ends its upstream request too (the stream would run 60 s).
        assertThat(upstreamCut.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(watchOutcome()).as("a client closing its watch is no error of ours").contains("code=\"200\"");
    }

    /**
     * Over HTTP/2 the watch ends with the client's connection (a reset stream alone gives the handler no sign in
     * Helidon 4.5: see {@code LeakTest}); that is not an error of ours either.
     */
    @Test
    void aClientWhoseHttp2ConnectionClosesMidWatchIsNotCountedAsAnError() throws Exception {
        java.util.concurrent.CountDownLatch upstreamCut = watchThatCountsItsCut();
        HttpClient client = proxy.client(HttpClient.Version.HTTP_2);
        HttpResponse<java.io.InputStream> response = client.send(
                proxy.request("/api/v1/pods?watch=1", proxy.token("alice", "dev")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        assertThat(reader.readLine()).contains("ADDED");
        client.shutdownNow();

        assertThat(upstreamCut.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(watchOutcome()).as("a client gone mid-watch is no error of ours").contains("code=\"200\"");
    }

    /**
     * Stopping multikube ends its open watches at once, quiet ones too, though each relay runs on a thread of its
     * own: the client's stream ends and no relay is left waiting for the cluster's next event.
     */
    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void stoppingTheServerEndsOpenWatches(HttpClient.Version version) throws Exception {
        upstream.respondWith(events(2, Duration.ofSeconds(60)));
        HttpResponse<java.io.InputStream> response = proxy.client(version).send(
                proxy.request("/api/v1/pods?watch=1", proxy.token("alice", "dev")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        assertThat(reader.readLine()).contains("ADDED");
        assertThat(virtualThreadsNamed("stream-relay-")).isEqualTo(1);

        proxy.close();

        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            try {
                assertThat(reader.readLine()).as("the second event comes after 60 s").isNull();
            } catch (IOException e) {
                // a connection closed mid-stream ends it as well
            }
        });
        // The client's stream can end (its connection closed) a moment before the relay's thread has finished.
        long relays = virtualThreadsNamed("stream-relay-");
        for (long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                relays > 0 && System.nanoTime() < deadline; relays = virtualThreadsNamed("stream-relay-")) {
            Thread.sleep(50);
        }
        assertThat(relays).as("relays still running 5 s after their streams ended").isZero();
    }

    /** Virtual threads are not in {@code Thread.getAllStackTraces()}; the JDK's thread dump lists them. */
    private long virtualThreadsNamed(String prefix) throws IOException {
        Path dump = folder.resolve("threads-" + System.nanoTime() + ".txt");
        java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                .dumpThreads(dump.toString(), com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
        return java.nio.file.Files.readAllLines(dump).stream()
                .filter(line -> line.startsWith("#") && line.contains("\"" + prefix)).count();
    }

    /** A watch of 600 events 100 ms apart; the latch opens when multikube cuts it (writing to it fails). */
    private java.util.concurrent.CountDownLatch watchThatCountsItsCut() {
        java.util.concurrent.CountDownLatch cut = new java.util.concurrent.CountDownLatch(1);
        upstream.respondWith((request, out) -> {
            try {
                events(600, Duration.ofMillis(100)).respond(request, out);
            } catch (IOException e) {
                cut.countDown();
                throw e;
            }
        });
        return cut;
    }

    /** The {@code multikube_requests_total} sample of the one watch, once it was counted. */
    private String watchOutcome() throws Exception {
        HttpClient plain = HttpClient.newHttpClient();
        for (long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos(); System.nanoTime() < deadline;
                Thread.sleep(50)) {
            String metrics = plain.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://127.0.0.1:" + proxy.metricsPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            List<String> watches = metrics.lines()
                    .filter(line -> line.startsWith("multikube_requests_total{") && line.contains("verb=\"watch\""))
                    .toList();
            if (!watches.isEmpty()) {
                return String.join("\n", watches);
            }
        }
        return "not counted within 10 s";
    }

    /** A chunked watch response: {@code count} events, {@code gap} apart, then the end of the stream. */
    static RecordingUpstream.Responder events(int count, Duration gap) {
        return (request, out) -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            for (int i = 0; i < count; i++) {
                if (i > 0) {
                    Thread.sleep(gap.toMillis());
                }
                chunk(out, "{\"type\":\"ADDED\",\"object\":{\"kind\":\"Namespace\",\"metadata\":{\"name\":\"ns" + i
                        + "\"}}}\n");
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        };
    }

    private static void chunk(OutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
