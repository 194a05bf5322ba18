package io.multikube.server;

import java.io.InputStream;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.multikube.auth.Identity;
import io.multikube.observe.RequestObserver;
import io.multikube.pipeline.AuditIds;
import io.multikube.pipeline.InboundRequest;
import io.multikube.pipeline.OutboundRequest;
import io.multikube.pipeline.RequestRouter;
import io.multikube.status.RouterException;
import io.multikube.upstream.StreamingRequests;

/**
 * Proxies an ordinary request: route it, admit it to the audit log, and hand it to the answering steps (the cache
 * when configured, then the cluster).
 */
final class ProxyHandler implements Handler {
    private final RequestRouter router;
    private final ResponseStep answer;
    private final InFlightRequests inFlight;
    private final RequestSlots slots;
    private final RequestObserver observer;

    ProxyHandler(RequestRouter router, ResponseStep answer, InFlightRequests inFlight, RequestSlots slots,
                 RequestObserver observer) {
        this.router = Objects.requireNonNull(router, "router");
        this.answer = Objects.requireNonNull(answer, "answer");
        this.inFlight = Objects.requireNonNull(inFlight, "inFlight");
        this.slots = Objects.requireNonNull(slots, "slots");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    @Override
    public void handle(ServerRequest request, ServerResponse response) {
        Instant received = observer.now();
        InboundRequest inbound = InboundRequests.from(request);
        OutboundRequest outbound;
        try {
            outbound = router.route(inbound);
        } catch (RouterException e) {
            refuse(inbound, Optional.empty(), AuditIds.next(), e, received, response);
            return;
        }
        try {
            slots.take();
        } catch (RouterException e) {
            refuse(inbound, Optional.of(outbound.context().name()), outbound.auditId(), e, received, response);
            return;
        }
        try {
            proxy(request, response, inbound, outbound, received);
        } finally {
            slots.release();
        }
    }

    private void proxy(ServerRequest request, ServerResponse response, InboundRequest inbound,
                       OutboundRequest outbound, Instant received) {
        try {
            observer.admit();
        } catch (RouterException e) {
            refuse(inbound, Optional.of(outbound.context().name()), outbound.auditId(), e, received, response);
            return;
        }
        response.header(HeaderValues.create("Audit-Id", outbound.auditId()));
        boolean streaming = StreamingRequests.isStreaming(outbound);
        if (!streaming) {
            inFlight.started();
        }
        try {
            Optional<InputStream> body = request.content().hasEntity()
                    ? Optional.of(request.content().inputStream())
                    : Optional.empty();
            answer.answer(new Exchange(outbound, body, response, observer.forwarding(inbound, outbound, received),
                    streaming, ResponseTap.NONE));
        } finally {
            if (!streaming) {
                inFlight.finished();
            }
        }
    }

    /** Answers a request multikube refuses itself, with an {@code Audit-Id} the audit log names too. */
    private void refuse(InboundRequest inbound, Optional<String> context, String auditId, RouterException refusal,
                        Instant received, ServerResponse response) {
        Optional<Identity> identity = refusal instanceof RouterException.Unauthorized
                ? Optional.empty()
                : router.identify(inbound);
        // Recorded before the answer leaves: whoever sees the refusal can find it in the audit log.
        observer.refused(inbound, identity, context, auditId, refusal, received);
        response.header(HeaderValues.create("Audit-Id", auditId));
        StatusResponses.send(response, refusal);
    }
}
