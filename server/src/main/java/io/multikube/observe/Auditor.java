package io.multikube.observe;

import java.time.Instant;
import java.util.Optional;

import io.multikube.auth.Identity;
import io.multikube.pipeline.InboundRequest;
import io.multikube.pipeline.OutboundRequest;
import io.multikube.status.RouterException;

/**
 * Records what happens to each request. {@link #off()} when no audit sink is configured, so the transports call it
 * unconditionally and auditing is a step left out rather than an {@code if} in each of them.
 */
public interface Auditor {
    /** The clock requests are timed with. */
    Instant now();

    /**
     * Checks that the audit log can take the request's events before it goes to a cluster.
     *
     * @throws RouterException.ServiceUnavailable when it cannot and the policy says to refuse
     */
    void admit();

    /** A request refused by multikube itself: recorded at once, complete. */
    void refused(InboundRequest inbound, Optional<Identity> identity, String auditId, RouterException refusal,
                 Instant received);

    /** A request going to a cluster; the trail records its stages. */
    AuditTrail forwarding(InboundRequest inbound, OutboundRequest outbound, Instant received);

    /** Records nothing. */
    static Auditor off() {
        return NoAudit.INSTANCE;
    }

    /** The auditor of a server without an audit sink. */
    enum NoAudit implements Auditor {
        INSTANCE;

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void admit() {
        }

        @Override
        public void refused(InboundRequest inbound, Optional<Identity> identity, String auditId,
                            RouterException refusal, Instant received) {
        }

        @Override
        public AuditTrail forwarding(InboundRequest inbound, OutboundRequest outbound, Instant received) {
            return AuditTrail.NONE;
        }
    }
}
