package io.multikube.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.multikube.auth.Identity;
import io.multikube.kubeconfig.BearerToken;
import io.multikube.kubeconfig.ClusterContext;
import io.multikube.pipeline.Headers;
import io.multikube.pipeline.OutboundRequest;
import io.multikube.status.RouterException;
import io.multikube.testing.UpgradeUpstream;
import io.multikube.testing.ClosedPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class UpgradeRelayTest {
    private static final Identity ALICE = new Identity("alice", List.of(), List.of("dev"), Optional.empty(),
            Optional.empty(), Optional.empty());
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final UpgradeRelay relay = new UpgradeRelay(new UpstreamSockets(Duration.ofSeconds(2)),
            Duration.ofMillis(500));
    private UpgradeUpstream upstream;

    @AfterEach
    void stop() throws IOException {
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void writesRequestLineHostRoutedFieldsThenConnectionUpgradeAndTheClusterToken() throws Exception {
        upstream = UpgradeUpstream.plain(UpgradeUpstream.switching());
        Headers routed = Headers.of("User-Agent", "kubectl/v1.32.0", "Connection", "keep-alive",
                "Upgrade", "h2c", "Authorization", "Bearer client", "Host", "elsewhere",
                "X-Stream-Protocol-Version", "v4.channel.k8s.io", "Impersonate-User", "alice", "Content-Length", "0");

        try (UpstreamUpgrade upgrade = relay.open(request(routed, () -> "cluster-token"), "SPDY/3.1")) {
            assertThat(upgrade.switched()).isTrue();
        }

        UpgradeUpstream.Received received = upstream.awaitRequest(WAIT);
        assertThat(received.requestLine())
                .isEqualTo("POST /api/v1/namespaces/default/pods/web-0/exec?command=ls&command=-l HTTP/1.1");
        assertThat(received.headers().fields()).extracting(Headers.Header::name).containsExactly("Host",
                "User-Agent", "X-Stream-Protocol-Version", "Impersonate-User", "Content-Length", "Connection",
                "Upgrade", "Authorization");
        assertThat(received.headers().first("Host")).contains("127.0.0.1:" + upstream.port());
        assertThat(received.headers().first("Connection")).contains("Upgrade");
        assertThat(received.headers().first("Upgrade")).contains("SPDY/3.1");
        assertThat(received.headers().first("Authorization")).contains("Bearer cluster-token");
    }

    @Test
    void withoutAClusterTokenNoAuthorizationIsSent() throws Exception {
        upstream = UpgradeUpstream.plain(UpgradeUpstream.switching());

        relay.open(request(Headers.of("Authorization", "Bearer client"), null), "websocket").close();

        assertThat(upstream.awaitRequest(WAIT).headers().contains("Authorization")).isFalse();
    }

    @Test
    void theTokenIsSentWithoutSurroundingWhitespace() throws Exception {
        upstream = UpgradeUpstream.plain(UpgradeUpstream.switching());

        relay.open(request(Headers.EMPTY, () -> "  from-a-file\n"), "websocket").close();

        assertThat(upstream.awaitRequest(WAIT).headers().all("Authorization")).containsExactly("Bearer from-a-file");
    }

    @Test
    void aTokenWithALineBreakInsideIsRefusedWithoutShowingIt() throws Exception {
        upstream = UpgradeUpstream.plain(UpgradeUpstream.switching());

        assertThatThrownBy(() -> relay.open(request(Headers.EMPTY, () -> "secret\r\nX-Injected: 1"), "websocket"))
                .isInstanceOfSatisfying(RouterException.ServiceUnavailable.class, e -> {
                    assertThat(e.code()).isEqualTo(503);
                    assertThat(e.getMessage()).contains("\"dev\"").doesNotContain("secret", "X-Injected");
                });
        assertThat(upstream.connectionCount()).isZero();
    }

    @Test
    void aBrowserBearerSubprotocolNeverReachesTheCluster() throws Exception {
        upstream = UpgradeUpstream.plain(UpgradeUpstream.switching());
        Headers routed = Headers.of("Sec-WebSocket-Protocol",
                "base64url.bearer.authorization.k8s.io.c2VjcmV0,v5.channel.k8s.io, v4.channel.k8s.io",
                "Sec-WebSocket-Protocol", "base64url.bearer.authorization.k8s.io.c2VjcmV0");

        relay.open(request(routed, null), "websocket").close();

        assertThat(upstream.awaitRequest(WAIT).headers().all("Sec-WebSocket-Protocol"))
                .containsExactly("v5.channel.k8s.io, v4.channel.k8s.io");
        assertThat(UpgradeRelay.withoutBearer("v5.channel.k8s.io,v4.channel.k8s.io"))
                .isEqualTo("v5.channel.k8s.io,v4.channel.k8s.io");
    }

    @Test
    void interimResponsesAreSkippedAndBytesAfterThe101StayReadable() throws Exception {
        upstream = UpgradeUpstream.plain(UpgradeUpstream.responding("HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n\r\nfirst"));

        try (UpstreamUpgrade upgrade = relay.open(request(Headers.EMPTY, null), "SPDY/3.1")) {
            assertThat(upgrade.head().code()).isEqualTo(101);
            assertThat(upgrade.headForClient()).isEqualTo(upgrade.head());
            assertThat(new String(upgrade.input().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("first");
        }
    }

    @Test
    void afterA101TheHeadTimeoutNoLongerApplies() throws Exception {
        upstream = UpgradeUpstream.plain(UpgradeUpstream.switching());

        try (UpstreamUpgrade upgrade = relay.open(request(Headers.EMPTY, null), "SPDY/3.1")) {
            Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(1_000); // twice the head timeout
                    upgrade.output().write('x');
                } catch (InterruptedException | IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            InputStream in = upgrade.input();

            assertThat(in.read()).isEqualTo('x');
        }
    }

    @Test
    void aRefusalHeadLosesHopByHopFieldsAndClosesTheConnection() throws Exception {
        upstream = UpgradeUpstream.plain(UpgradeUpstream.responding("HTTP/1.1 403 Forbidden\r\n"
                + "Connection: keep-alive, X-Hop\r\nX-Hop: 1\r\nKeep-Alive: timeout=5\r\nAudit-Id: a1\r\n"
                + "Content-Length: 2\r\n\r\n{}"));

        try (UpstreamUpgrade upgrade = relay.open(request(Headers.EMPTY, null), "websocket")) {
            assertThat(upgrade.switched()).isFalse();
            assertThat(upgrade.headForClient().headers()).isEqualTo(Headers.of("Audit-Id", "a1",
                    "Content-Length", "2", "Connection", "close"));
        }
    }

    @Test
    void aClusterClosingWithoutAnswerIs503() throws Exception {
        upstream = UpgradeUpstream.plain((request, fake, in, out) -> { });

        assertThatThrownBy(() -> relay.open(request(Headers.EMPTY, null), "websocket"))
                .isInstanceOf(RouterException.ServiceUnavailable.class)
                .hasMessage("the cluster of context \"dev\" closed the connection without answering");
    }

    @Test
    void aMalformedAnswerIs503() throws Exception {
        upstream = UpgradeUpstream.plain(UpgradeUpstream.responding("SSH-2.0-OpenSSH_9.6\r\n\r\n"));

        assertThatThrownBy(() -> relay.open(request(Headers.EMPTY, null), "websocket"))
                .isInstanceOf(RouterException.ServiceUnavailable.class)
                .hasMessageContaining("malformed");
    }

    @Test
    void anUnreachableClusterIs503NamingTheContextNotTheServer() throws Exception {
        int closedPort = ClosedPort.reserve().port();
        ClusterContext down = new ClusterContext("dev", URI.create("http://127.0.0.1:" + closedPort),
                Optional.empty(), Optional.of(() -> "cluster-token"));

        assertThatThrownBy(() -> relay.open(request(down, Headers.EMPTY), "websocket"))
                .isInstanceOfSatisfying(RouterException.ServiceUnavailable.class, e -> {
                    assertThat(e.toStatus().reason()).isEqualTo("ServiceUnavailable");
                    assertThat(e.getMessage()).startsWith("the cluster of context \"dev\" cannot be reached")
                            .doesNotContain(String.valueOf(closedPort), "cluster-token");
                });
    }

    @Test
    void aSilentClusterIs504() throws Exception {
        upstream = UpgradeUpstream.plain(UpgradeUpstream.silent());

        assertThatThrownBy(() -> relay.open(request(Headers.EMPTY, null), "websocket"))
                .isInstanceOfSatisfying(RouterException.GatewayTimeout.class, e -> {
                    assertThat(e.code()).isEqualTo(504);
                    assertThat(e.reason()).isEqualTo("Timeout");
                    assertThat(e.getMessage()).isEqualTo(
                            "timed out waiting for the answer from the cluster of context \"dev\"");
                });
    }

    private OutboundRequest request(Headers headers, BearerToken token) {
        return request(new ClusterContext("dev", URI.create("http://127.0.0.1:" + upstream.port()),
                Optional.empty(), Optional.ofNullable(token)), headers);
    }

    private static OutboundRequest request(ClusterContext context, Headers headers) {
        return new OutboundRequest("audit-7", ALICE, context, "POST", "/api/v1/namespaces/default/pods/web-0/exec",
                "command=ls&command=-l", headers);
    }
}
