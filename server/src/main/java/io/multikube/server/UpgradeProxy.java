package io.multikube.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.helidon.http.HttpPrologue;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.http1.spi.Http1Upgrader;
import io.helidon.webserver.spi.ServerConnection;
import io.multikube.observe.RequestObserver;
import io.multikube.pipeline.AuditIds;
import io.multikube.pipeline.InboundRequest;
import io.multikube.pipeline.OutboundRequest;
import io.multikube.pipeline.RequestRouter;
import io.multikube.status.RouterException;
import io.multikube.upstream.UpgradeRelay;

/**
 * Takes over HTTP/1.1 connections that ask to upgrade ({@code kubectl exec/attach/cp/port-forward}). Helidon calls it
 * before routing, filters and the concurrency limit, so the request is routed (authenticated, sanitized) here. A
 * refusal is a {@code Status} response, never a 101; an accepted request is relayed to its cluster.
 */
public final class UpgradeProxy implements Http1Upgrader {
    /**
     * {@code Upgrade} values taken over; Helidon matches them exactly and case-sensitively. kubectl sends
     * {@code SPDY/3.1} (exec, attach, cp, legacy port-forward) and {@code websocket} (v4/v5.channel.k8s.io, and
     * port-forward tunnelled with subprotocol {@code SPDY/3.1+portforward.k8s.io}).
     */
    public static final List<String> PROTOCOLS = List.of("SPDY/3.1", "websocket", "WebSocket");
    /** Room for large JWTs in request heads, and for long exec command lines on the request line. */
    public static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final System.Logger LOGGER = System.getLogger(UpgradeProxy.class.getName());

    private final RequestRouter router;
    private final UpgradeRelay relay;
    private final String protocol;
    private final RequestObserver observer;
    private final StreamDeadlines deadlines;

    UpgradeProxy(RequestRouter router, UpgradeRelay relay, String protocol, RequestObserver observer,
                 StreamDeadlines deadlines) {
        this.deadlines = Objects.requireNonNull(deadlines, "deadlines");
        this.router = Objects.requireNonNull(router, "router");
        this.relay = Objects.requireNonNull(relay, "relay");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /** An HTTP/1.1 selector taking over every value of {@link #PROTOCOLS}, with {@link #http1Config()}. */
    public static Http1ConnectionSelector connectionSelector(RequestRouter router, UpgradeRelay relay) {
        return connectionSelector(router, relay, http1Config(), RequestObserver.none(),
                new StreamDeadlines(Duration.ZERO, Clock.systemUTC()));
    }

    /**
     * As {@link #connectionSelector(RequestRouter, UpgradeRelay)} with the server's own HTTP/1.1 settings, which then
     * apply to ordinary requests too (this selector replaces Helidon's default one for {@code http/1.1}).
     */
    public static Http1ConnectionSelector connectionSelector(RequestRouter router, UpgradeRelay relay,
                                                             Http1Config config, RequestObserver observer,
                                                             StreamDeadlines deadlines) {
        Objects.requireNonNull(config, "config");
        var builder = Http1ConnectionSelector.builder().config(config);
        for (String protocol : PROTOCOLS) {
            builder.addUpgrader(new UpgradeProxy(router, relay, protocol, observer, deadlines));
        }
        return builder.build();
    }

    /**
     * Helidon's HTTP/1.1 defaults, with {@link #MAX_HEAD_BYTES} for the request line and the header fields. Response
     * header fields stay validated: Helidon's HTTP/2 client checks the pseudo-headers of a cluster's answer but not
     * its field values, so this is the only check between a cluster's CR or LF and the client's HTTP/1.1 response.
     */
    public static Http1Config http1Config() {
        return Http1Config.builder()
                .maxPrologueLength(MAX_HEAD_BYTES)
                .maxHeadersSize(MAX_HEAD_BYTES)
                .build();
    }

    @Override
    public String supportedProtocol() {
        return protocol;
    }

    @Override
    public ServerConnection upgrade(ConnectionContext ctx, HttpPrologue prologue, WritableHeaders<?> headers) {
        Instant received = observer.now();
        ClientChannel client = new ClientChannel(ctx);
        InboundRequest inbound = new InboundRequest(prologue.method().text(), prologue.uriPath().rawPath(),
                prologue.query().rawValue(), InboundRequests.headers(headers), client.peer(), true);
        String auditId = AuditIds.next();
        Optional<String> context = Optional.empty();
        try {
            OutboundRequest outbound = router.route(inbound);
            auditId = outbound.auditId();
            context = Optional.of(outbound.context().name());
            observer.admit();
            return new UpgradedConnection(client, relay, outbound, protocol,
                    observer.forwarding(inbound, outbound, received), deadlines);
        } catch (RouterException e) {
            LOGGER.log(System.Logger.Level.INFO, () -> "upgrade " + protocol + " " + inbound.method() + " "
                    + inbound.rawPath() + " refused: " + e.code() + " " + e.reason() + ": " + e.getMessage());
            observer.refused(inbound, e instanceof RouterException.Unauthorized ? Optional.empty()
                    : router.identify(inbound), context, auditId, e, received);
            return new RefusedUpgrade(client, e.toStatus(), Optional.of(auditId));
        } catch (RuntimeException e) {
            LOGGER.log(System.Logger.Level.ERROR, "routing upgrade " + protocol + " " + inbound.method() + " "
                    + inbound.rawPath() + " failed", e);
            RouterException.InternalError error = new RouterException.InternalError(
                    "an internal error occurred while routing the request", e);
            observer.refused(inbound, Optional.empty(), context, auditId, error, received);
            return new RefusedUpgrade(client, error.toStatus(), Optional.of(auditId));
        }
    }
}
