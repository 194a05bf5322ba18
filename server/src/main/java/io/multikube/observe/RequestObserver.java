package io.multikube.observe;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.multikube.auth.Identity;
import io.multikube.pipeline.InboundRequest;
import io.multikube.pipeline.OutboundRequest;
import io.multikube.status.RouterException;

/**
 * Watches what happens to each request: the audit log, the metrics and the access log are observers. The
 * transports call one observer unconditionally ({@link #none()} or {@link #all(List)}), so each of these is a
 * step added or left out, never an {@code if} in the transports.
 */
public interface RequestObserver {
    /** The clock requests are timed with. */
    default Instant now() {
        return Instant.now();
    }

    /**
     * Checks, before a routed request goes to a cluster, that it may go (the audit log can take its events).
     *
     * @throws RouterException when it may not; the client gets its {@code Status}
     */
    default void admit() {
    }

    /**
     * A request refused by multikube itself, answered at once.
     *
     * @param context the context it was routed to, when refused after routing (request limit, audit log full)
     */
    void refused(InboundRequest inbound, Optional<Identity> identity, Optional<String> context, String auditId,
                 RouterException refusal, Instant received);

    /** A request going to a cluster; the trail follows it to its end. */
    RequestTrail forwarding(InboundRequest inbound, OutboundRequest outbound, Instant received);

    /** Observes nothing. */
    static RequestObserver none() {
        return all(List.of());
    }

    /** Every one of {@code observers}, in order. */
    static RequestObserver all(List<RequestObserver> observers) {
        return new Observers(observers);
    }
}
