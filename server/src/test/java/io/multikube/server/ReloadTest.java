package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.auth.TokenMinter;
import io.multikube.auth.TokenRequest;
import io.multikube.pki.KeyAndCertificate;
import io.multikube.testing.ProxyFixture;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfig;
import io.multikube.testing.TestPki;

/** Rotating the signer certificate and the kubeconfig's upstream token while a watch stays open. */
class ReloadTest {
    private static final Duration RELOAD = Duration.ofMillis(200);

    @TempDir
    Path folder;

    private RecordingUpstream upstream;
    private ProxyFixture proxy;
    private final CountDownLatch endWatch = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        upstream = RecordingUpstream.plain();
        upstream.respondWith((request, out) -> {
            if (request.target().contains("watch=true")) {
                streamEventsUntilReleased(out);
            } else {
                RecordingUpstream.json(200, "{\"kind\":\"PodList\",\"items\":[]}").respond(request, out);
            }
        });
        proxy = ProxyFixture.start(folder, kubeconfig("old-upstream-token"),
                ProxyFixture.Options.defaults().withReload(RELOAD));
    }

    @AfterEach
    void stop() throws IOException {
        endWatch.countDown();
        proxy.close();
        upstream.close();
    }

    private TestKubeconfig kubeconfig(String upstreamToken) {
        return new TestKubeconfig().add(new TestKubeconfig.Cluster("dev", "http://127.0.0.1:" + upstream.port(),
                null, null, upstreamToken));
    }

    @Test
    void newSignerAndUpstreamTokenApplyToNewRequestsWhileAWatchKeepsRunning() throws Exception {
        String oldKeyToken = proxy.token("jane", "dev");
        List<String> events = new CopyOnWriteArrayList<>();
        Thread watch = Thread.ofVirtual().start(() -> readWatch(oldKeyToken, events));
        awaitSize(events, 2);

        KeyAndCertificate newSigner = TestPki.create("rotated signer").ca();
        TestPki.write(folder.resolve("signer.pem"), newSigner.certificatePem());
        kubeconfig("new-upstream-token").write(folder.resolve("kubeconfig.yaml"));
        Thread.sleep(RELOAD.multipliedBy(5));

        String newKeyToken = new TokenMinter(newSigner.key(), newSigner.certificate().getPublicKey()).mint(
                new TokenRequest("jane", List.of("dev"), List.of(), Duration.ofMinutes(5), Optional.empty()));
        assertThat(get(newKeyToken).statusCode()).isEqualTo(200);
        assertThat(get(proxy.token("jane", "dev")).statusCode()).as("a token of the retired key").isEqualTo(401);
        RecordingUpstream.Recorded forwarded = takeNonWatch();
        assertThat(forwarded.headers().all("Authorization")).containsExactly("Bearer new-upstream-token");

        int before = events.size();
        awaitSize(events, before + 2);
        assertThat(watch.isAlive()).as("the watch opened before the rotation").isTrue();
    }

    @Test
    void aBrokenNewKubeconfigIsRefusedAndTheOldOneStays() throws Exception {
        Files.writeString(folder.resolve("kubeconfig.yaml"), "apiVersion: v1\nkind: Config\nclusters: [oops\n");
        Thread.sleep(RELOAD.multipliedBy(5));

        assertThat(get(proxy.token("jane", "dev")).statusCode()).isEqualTo(200);
        assertThat(takeNonWatch().headers().all("Authorization")).containsExactly("Bearer old-upstream-token");
    }

    @Test
    void aRotatedServingCertificateServesNewConnections() throws Exception {
        TestPki rotated = TestPki.create("rotated serving CA");
        KeyAndCertificate serving = rotated.server("localhost", "127.0.0.1");
        TestPki.write(folder.resolve("serving-key.pem"), serving.keyPem());
        TestPki.write(folder.resolve("serving.pem"), serving.certificatePem());
        Thread.sleep(RELOAD.multipliedBy(5));

        HttpClient trustingOnlyTheNewCa = HttpClient.newBuilder().sslContext(rotated.sslContext(null))
                .version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> response = trustingOnlyTheNewCa.send(proxy.request("/api/v1/pods",
                proxy.token("jane", "dev")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String token) throws Exception {
        return proxy.client(HttpClient.Version.HTTP_2).send(proxy.request("/api/v1/pods", token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private RecordingUpstream.Recorded takeNonWatch() throws InterruptedException {
        while (true) {
            RecordingUpstream.Recorded recorded = upstream.take();
            if (!recorded.target().contains("watch=true")) {
                return recorded;
            }
        }
    }

    private void readWatch(String token, List<String> events) {
        try {
            HttpResponse<java.io.InputStream> response = proxy.client(HttpClient.Version.HTTP_2).send(
                    proxy.request("/api/v1/pods?watch=true", token).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(),
                    StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    events.add(line);
                }
            }
        } catch (IOException | InterruptedException e) {
            // the test ended the watch
        }
    }

    private void streamEventsUntilReleased(java.io.OutputStream out) throws IOException, InterruptedException {
        out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; !endWatch.await(200, TimeUnit.MILLISECONDS); i++) {
            byte[] event = ("{\"type\":\"ADDED\",\"object\":{\"n\":" + i + "}}\n").getBytes(StandardCharsets.UTF_8);
            out.write((Integer.toHexString(event.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(event);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void awaitSize(List<String> events, int size) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (events.size() < size && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(events).hasSizeGreaterThanOrEqualTo(size);
    }
}
