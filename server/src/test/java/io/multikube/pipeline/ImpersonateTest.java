package io.multikube.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.multikube.auth.Identity;

class ImpersonateTest {
    private final Impersonate impersonate = new Impersonate(() -> "audit-1");

    @Test
    void addsOurIdentityHeadersAfterTheAllowedOnes() {
        OutboundRequest outbound = impersonate.apply(routed(
                new Identity("alice", List.of("dev", "ops"), List.of("a"), Optional.empty(), Optional.empty(),
                        Optional.empty()),
                "Accept", "application/json", "Impersonate-User", "admin", "Impersonate-Group", "system:masters",
                "X-Forwarded-For", "10.0.0.1", "Audit-ID", "client-chosen"));

        assertThat(outbound.headers()).isEqualTo(Headers.of(
                "Accept", "application/json",
                "Impersonate-User", "alice",
                "Impersonate-Group", "dev",
                "Impersonate-Group", "ops",
                "Audit-ID", "audit-1",
                "X-Forwarded-For", "192.0.2.7"));
        assertThat(outbound.auditId()).isEqualTo("audit-1");
    }

    @Test
    void removesTheWebSocketBearerSubprotocolAndKeepsTheOthers() {
        String tokenProtocol = "base64url.bearer.authorization.k8s.io."
                + Base64.getUrlEncoder().withoutPadding().encodeToString("jwt".getBytes());
        OutboundRequest outbound = impersonate.apply(routedUpgrade(
                "Upgrade", "websocket", "Sec-WebSocket-Protocol", tokenProtocol + ", v5.channel.k8s.io"));

        assertThat(outbound.headers().all("Sec-WebSocket-Protocol")).containsExactly("v5.channel.k8s.io");
    }

    private static RoutedRequest routed(Identity identity, String... headers) {
        InboundRequest inbound = new InboundRequest("GET", "/api", "", Headers.of(headers),
                new InetSocketAddress("192.0.2.7", 40000), false);
        return new RoutedRequest(new AuthenticatedRequest(inbound, identity), SelectContextTest.context("a"), "/api");
    }

    private static RoutedRequest routedUpgrade(String... headers) {
        InboundRequest inbound = new InboundRequest("GET", "/exec", "", Headers.of(headers),
                new InetSocketAddress("192.0.2.7", 40000), true);
        return new RoutedRequest(new AuthenticatedRequest(inbound, SelectContextTest.identity("a")),
                SelectContextTest.context("a"), "/exec");
    }
}
