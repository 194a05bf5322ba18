package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.multikube.config.PluginSettings;
import io.multikube.plugin.TestProviders;
import io.multikube.spi.audit.AuditEvent;
import io.multikube.spi.audit.AuditStage;
import io.multikube.testing.ProxyFixture;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfig;
import io.multikube.testing.UpgradeUpstream;
import io.multikube.upstream.HttpHead;

/** A stream ends when the token that opened it expires, cleanly, and the audit log says why. */
class StreamExpiryTest {
    private static final Duration TTL = Duration.ofSeconds(2);
    private static final Duration EVENT_GAP = Duration.ofMillis(250);

    @TempDir
    Path folder;

    private RecordingUpstream upstream;
    private UpgradeUpstream upgrades;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws IOException {
        TestProviders.RECORDED.clear();
        upstream = RecordingUpstream.plain();
        upgrades = UpgradeUpstream.plain(UpgradeUpstream.switching());
        proxy = ProxyFixture.start(folder, new TestKubeconfig()
                        .add(TestKubeconfig.Cluster.plain("dev", upstream.port()))
                        .add(TestKubeconfig.Cluster.plain("exec", upgrades.port())),
                ProxyFixture.Options.defaults().withPlugins(PluginSettings.none().withAuditSink(
                        new PluginSettings.Selection("memory", Map.of()), PluginSettings.AuditFailure.REFUSE)));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        upstream.close();
        upgrades.close();
    }

    @ParameterizedTest
    @EnumSource(HttpClient.Version.class)
    void aWatchEndsCleanlyWhenItsTokenExpires(HttpClient.Version version) throws Exception {
        // The cluster would stream for 30 s; the token allows 2.
        upstream.respondWith((request, out) -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 120; i++) {
                byte[] event = ("{\"type\":\"ADDED\",\"object\":{\"n\":" + i + "}}\n").getBytes(StandardCharsets.UTF_8);
                out.write((Integer.toHexString(event.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(event);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(EVENT_GAP);
            }
        });
        long started = System.nanoTime();
        HttpResponse<java.io.InputStream> response = proxy.client(version).send(
                proxy.request("/api/v1/namespaces?watch=true", proxy.token("jane", TTL, "dev")).build(),
                HttpResponse.BodyHandlers.ofInputStream());

        List<String> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            // A clean end: readLine() returns null, no exception.
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                events.add(line);
            }
        }
        Duration lasted = Duration.ofNanos(System.nanoTime() - started);

        // exp has whole seconds: the token may expire up to a second before now + TTL.
        assertThat(lasted).isBetween(TTL.minusSeconds(1), TTL.plusSeconds(3));
        assertThat(events).hasSizeGreaterThanOrEqualTo(3).allSatisfy(line -> assertThat(line).contains("ADDED"));
        AuditEvent complete = awaitComplete();
        assertThat(complete.annotations().get(StreamDeadlines.ENDED)).startsWith("token expired at ");
        assertThat(complete.verb()).isEqualTo("watch");
    }

    @Test
    void anExecSessionEndsWhenItsTokenExpires() throws Exception {
        String exec = "/api/v1/namespaces/default/pods/p/exec?command=sh&stdin=true&stdout=true&tty=false";
        String request = UpgradeClient.spdyExec(exec, proxy.tlsPort())
                .replace(UpgradeClient.CLIENT_TOKEN, proxy.token("jane", TTL, "exec"));
        long started = System.nanoTime();
        try (UpgradeClient client = UpgradeClient.connectTls(proxy.tlsPort(), proxy.clientTls())) {
            client.send(request);
            HttpHead head = client.readHead();
            assertThat(head.code()).isEqualTo(101);
            client.send("ping");
            assertThat(client.readExactly(4)).isEqualTo("ping");

            client.readToEnd();
        }
        Duration lasted = Duration.ofNanos(System.nanoTime() - started);

        // exp has whole seconds: the token may expire up to a second before now + TTL.
        assertThat(lasted).isBetween(TTL.minusSeconds(1), TTL.plusSeconds(3));
        AuditEvent complete = awaitComplete();
        assertThat(complete.annotations().get(StreamDeadlines.ENDED)).startsWith("token expired at ");
    }

    @Test
    void anOrdinaryRequestIsNotCutShortByItsToken() throws Exception {
        upstream.respondWith((request, out) -> {
            Thread.sleep(2500);
            RecordingUpstream.json(200, "{\"kind\":\"PodList\",\"items\":[]}").respond(request, out);
        });
        HttpResponse<String> response = proxy.client(HttpClient.Version.HTTP_2).send(
                proxy.request("/api/v1/pods", proxy.token("jane", TTL, "dev")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("PodList");
    }

    private static AuditEvent awaitComplete() throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            synchronized (TestProviders.RECORDED) {
                for (AuditEvent event : TestProviders.RECORDED) {
                    if (event.stage() == AuditStage.ResponseComplete) {
                        return event;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no ResponseComplete event; recorded: " + TestProviders.RECORDED);
    }
}
