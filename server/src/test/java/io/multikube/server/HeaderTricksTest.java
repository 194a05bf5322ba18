package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.multikube.server.HeaderTrickCases.Case;
import io.multikube.server.HeaderTrickCases.Outcome;
import io.multikube.testing.ProxyFixture;
import io.multikube.testing.RawClient;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfig;
import io.multikube.testing.UpgradeUpstream;
import io.multikube.upstream.HttpHead;

/**
 * The header and path tricks corpus ({@link HeaderTrickCases}): each case is sent through a real multikube over raw
 * HTTP/1.1, HTTP/2 or an upgrade, and asserts what reached the cluster — or that it was refused with a Kubernetes
 * {@code Status} and nothing reached any cluster. The token allows context {@code dev} only; the cluster of context
 * {@code prod} must never see a request.
 */
class HeaderTricksTest {
    @TempDir
    static Path folder;

    private static RecordingUpstream dev;
    private static RecordingUpstream prod;
    private static ProxyFixture proxy;
    private static String token;

    @BeforeAll
    static void start() throws IOException {
        dev = RecordingUpstream.plain().respondWith(HeaderTricksTest::answer);
        prod = RecordingUpstream.plain().respondWith(HeaderTricksTest::answer);
        proxy = ProxyFixture.start(folder, new TestKubeconfig()
                .add(TestKubeconfig.Cluster.plain("dev", dev.port()))
                .add(TestKubeconfig.Cluster.plain("prod", prod.port())));
        token = proxy.token("alice", "dev");
    }

    @AfterAll
    static void stop() throws IOException {
        proxy.close();
        dev.close();
        prod.close();
    }

    @BeforeEach
    void drain() throws InterruptedException {
        while (dev.pending() > 0) {
            dev.take();
        }
        assertThat(prod.pending()).as("requests that reached the prod cluster").isZero();
    }

    static Stream<Case> cases() {
        return HeaderTrickCases.all().stream();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void reachesTheClusterOnlyAsAllowed(Case trick) throws Exception {
        Answer answer = switch (trick.via()) {
            case HTTP1 -> http1(trick);
            case HTTP2 -> http2(trick);
            case UPGRADE -> upgrade(trick);
        };

        if (trick.smuggling()) {
            Thread.sleep(300); // a smuggled second request would reach the cluster just after the first
        }
        assertThat(prod.pending()).as("requests that reached the prod cluster").isZero();
        switch (trick.outcome()) {
            case Outcome.Forwarded forwarded -> {
                assertThat(answer.code()).as(answer.text()).isEqualTo(forwarded.clientCode());
                RecordingUpstream.Recorded seen = dev.take();
                HeaderTrickCases.assertOnlyOurIdentity(seen);
                forwarded.check().accept(seen);
                assertThat(dev.pending()).as("further requests on the dev cluster").isZero();
            }
            case Outcome.Refused refused -> {
                assertThat(answer.code()).as(answer.text()).isEqualTo(refused.code());
                assertThat(answer.text()).contains("\"kind\":\"Status\"", "\"status\":\"Failure\"",
                        "\"reason\":\"" + refused.reason() + "\"", "\"code\":" + refused.code());
                assertThat(answer.text()).doesNotContain(token);
                assertThat(dev.pending()).as("requests that reached the dev cluster").isZero();
            }
            case Outcome.Either either -> either.check().accept(answer.code(), answer.text(), dev);
        }
    }

    /** What the client got: the status code (0 when the server only closed) and everything it read. */
    record Answer(int code, String text) {
        static Answer parse(String raw) {
            if (!raw.startsWith("HTTP/1.1 ")) {
                return new Answer(0, raw);
            }
            return new Answer(Integer.parseInt(raw.substring(9, 12)), raw);
        }
    }

    private static Answer http1(Case trick) throws IOException {
        try {
            return Answer.parse(RawClient.exchange(proxy.clientTls(), proxy.tlsPort(), trick.http1(token)));
        } catch (java.net.SocketTimeoutException e) {
            return new Answer(0, "no answer within 15 s");
        }
    }

    private static Answer http2(Case trick) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(proxy.https(trick.target()))
                .timeout(java.time.Duration.ofSeconds(15));
        for (String line : trick.fieldsWithToken(token)) {
            int colon = line.indexOf(':');
            request.header(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        try {
            HttpResponse<String> response = proxy.client(HttpClient.Version.HTTP_2)
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Answer(0, "stream failed: " + e);
        }
    }

    private static Answer upgrade(Case trick) throws IOException {
        try (UpgradeClient client = UpgradeClient.connectTls(proxy.tlsPort(), proxy.clientTls())) {
            client.send(trick.http1(token));
            HttpHead head = client.readHead();
            String rest = head.code() == 101 ? "" : client.readToEnd();
            return new Answer(head.code(), head.code() + " " + head.headers() + "\n" + rest);
        }
    }

    /** The cluster: 101 for upgrades (as a kube-apiserver answers), otherwise a small JSON 200. */
    private static void answer(RecordingUpstream.Recorded request, java.io.OutputStream out)
            throws IOException, InterruptedException {
        if (!request.headers().contains("Upgrade")) {
            RecordingUpstream.json(200, "{\"kind\":\"APIVersions\"}").respond(request, out);
            return;
        }
        StringBuilder head = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n")
                .append("Upgrade: ").append(request.headers().first("Upgrade").orElseThrow()).append("\r\n");
        request.headers().first("Sec-WebSocket-Key").ifPresent(key -> head.append("Sec-WebSocket-Accept: ")
                .append(UpgradeUpstream.websocketAccept(key)).append("\r\n"));
        request.headers().first("Sec-WebSocket-Protocol").ifPresent(offered -> head
                .append("Sec-WebSocket-Protocol: ").append(offered.split(",")[0].strip()).append("\r\n"));
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    static String bearerSubprotocol(String jwt) {
        return "base64url.bearer.authorization.k8s.io."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(jwt.getBytes(StandardCharsets.UTF_8));
    }

    static List<String> lowerNames(RecordingUpstream.Recorded seen) {
        return seen.headers().fields().stream().map(h -> h.name().toLowerCase(Locale.ROOT)).toList();
    }
}
