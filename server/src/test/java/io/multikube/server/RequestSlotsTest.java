package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.status.RouterException;
import io.multikube.testing.PrometheusText;
import io.multikube.testing.ProxyFixture;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfig;

class RequestSlotsTest {
    @TempDir
    Path folder;

    @Test
    void aRequestBeyondTheLimitIsRefusedUntilOneEnds() {
        RequestSlots slots = RequestSlots.of(2);
        slots.take();
        slots.take();

        assertThatThrownBy(slots::take).isInstanceOfSatisfying(RouterException.TooManyRequests.class, e -> {
            assertThat(e.code()).isEqualTo(429);
            assertThat(e.toStatus().retryAfterSeconds()).isEqualTo(OptionalInt.of(1));
            assertThat(e.toStatus().toJson()).contains("\"reason\":\"TooManyRequests\"",
                    "\"details\":{\"retryAfterSeconds\":1}", "\"code\":429");
        });
        slots.release();
        slots.take();
    }

    @Test
    void theBudgetIsTwiceTheConnectionCap() {
        RequestSlots slots = RequestSlots.forConnectionCap(2);
        for (int i = 0; i < 4; i++) {
            slots.take();
        }
        assertThatThrownBy(slots::take).isInstanceOf(RouterException.TooManyRequests.class);
    }

    @Test
    void unlimitedSlotsNeverRefuse() {
        RequestSlots slots = RequestSlots.forConnectionCap(ConnectionCap.UNLIMITED);
        assertThatCode(() -> {
            for (int i = 0; i < 10_000; i++) {
                slots.take();
            }
        }).doesNotThrowAnyException();
    }

    /**
     * One HTTP/2 connection, below the connection cap, carrying as many watches as the budget (twice the cap): each
     * holds a cluster connection, so the one beyond is answered 429 with Retry-After; once they end it is served.
     */
    @Test
    void streamsOfOneHttp2ConnectionAreBoundedLikeConnections() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.plain()
                .respondWith(StreamingTest.events(20, Duration.ofMillis(100)))) {
            ProxyFixture proxy = ProxyFixture.start(folder, new TestKubeconfig().add(
                    TestKubeconfig.Cluster.plain("dev", upstream.port())),
                    ProxyFixture.Options.defaults().withMaxConnections(2));
            HttpClient client = proxy.client(HttpClient.Version.HTTP_2);
            String token = proxy.token("alice", "dev");
            List<InputStream> watches = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    HttpResponse<InputStream> watch = client.send(proxy.request("/api/v1/pods?watch=true", token)
                            .build(), HttpResponse.BodyHandlers.ofInputStream());
                    watches.add(watch.body());
                    assertThat(watch.statusCode()).isEqualTo(200);
                    assertThat(watch.version()).isEqualTo(HttpClient.Version.HTTP_2);
                }

                HttpResponse<String> refused = client.send(proxy.request("/api/v1/pods?watch=true", token).build(),
                        HttpResponse.BodyHandlers.ofString());

                assertThat(refused.statusCode()).isEqualTo(429);
                assertThat(refused.headers().firstValue("Retry-After")).contains("1");
                assertThat(refused.body()).contains("\"reason\":\"TooManyRequests\"", "\"retryAfterSeconds\":1");
                assertThat(upstream.connectionsAccepted()).as("cluster connections").isEqualTo(4);
                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + proxy.metricsPort() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(PrometheusText.value(PrometheusText.parse(metrics), "multikube_requests_total",
                        Map.of("context", "dev", "verb", "watch", "code", "429")))
                        .as("counted under the context it was routed to").contains(1.0);

                for (InputStream watch : watches) {
                    assertThat(new String(watch.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                            .as("the watch runs to its end").contains("\"name\":\"ns19\"");
                }
                assertThat(statusHonouringRetryAfter(client, proxy, token)).isEqualTo(200);
            } finally {
                for (InputStream watch : watches) {
                    watch.close();
                }
                proxy.close();
            }
        }
    }

    /** As client-go does: a 429 is retried after its Retry-After (the slot frees as the handler returns). */
    private static int statusHonouringRetryAfter(HttpClient client, ProxyFixture proxy, String token)
            throws Exception {
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> answer = client.send(proxy.request("/api/v1/pods?watch=true", token).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 429 || attempt == 5) {
                return answer.statusCode();
            }
            Thread.sleep(Duration.ofSeconds(Long.parseLong(answer.headers().firstValue("Retry-After").orElseThrow())));
        }
    }
}
