package io.multikube.observe;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.multikube.auth.Identity;
import io.multikube.config.PluginSettings.AuditFailure;
import io.multikube.pipeline.InboundRequest;
import io.multikube.pipeline.OutboundRequest;
import io.multikube.pipeline.RequestInfo;
import io.multikube.spi.audit.AuditEvent;
import io.multikube.spi.audit.AuditSink;
import io.multikube.spi.audit.AuditStage;
import io.multikube.spi.audit.AuditUser;
import io.multikube.spi.audit.ResponseStatus;
import io.multikube.status.RouterException;

/** Turns requests into {@code audit.k8s.io/v1} events for an {@link AuditSink}, under a failure policy. */
public final class SinkAuditor implements RequestObserver {
    private static final System.Logger LOG = System.getLogger(SinkAuditor.class.getName());

    private final AuditSink sink;
    private final AuditFailure policy;
    private final Clock clock;

    public SinkAuditor(AuditSink sink, AuditFailure policy, Clock clock) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public void admit() {
        Optional<String> failure = sink.failure();
        if (failure.isPresent() && policy == AuditFailure.REFUSE) {
            throw new RouterException.ServiceUnavailable("the audit log cannot be written (" + failure.get()
                    + "); requests are refused until it can, so that nothing goes unaudited", null);
        }
    }

    @Override
    public void refused(InboundRequest inbound, Optional<Identity> identity, Optional<String> context, String auditId,
                        RouterException refusal, Instant received) {
        RequestInfo info = RequestInfo.ofClientRequest(inbound);
        Map<String, String> annotations = new HashMap<>(identity.map(SinkAuditor::tokenAnnotations).orElse(Map.of()));
        context.ifPresent(name -> annotations.put(AuditEvent.CONTEXT, name));
        AuditEvent event = new AuditEvent(auditId, AuditStage.ResponseComplete,
                RedactedUri.of(inbound.rawPath(), inbound.rawQuery()), info.verb(),
                identity.map(SinkAuditor::user).orElse(AuditUser.unauthenticated()), Optional.empty(),
                List.of(inbound.peer().getAddress().getHostAddress()), inbound.headers().first("User-Agent"),
                info.objectRef(), Optional.of(status(refusal)), received, clock.instant(), annotations);
        record(event);
    }

    @Override
    public RequestTrail forwarding(InboundRequest inbound, OutboundRequest outbound, Instant received) {
        RequestInfo info = outbound.info();
        Map<String, String> annotations = new HashMap<>(tokenAnnotations(outbound.identity()));
        annotations.put(AuditEvent.CONTEXT, outbound.context().name());
        AuditUser user = user(outbound.identity());
        AuditEvent base = new AuditEvent(outbound.auditId(), AuditStage.ResponseStarted,
                RedactedUri.of(inbound.rawPath(), inbound.rawQuery()),
                info.verb(), user, Optional.of(user), List.of(inbound.peer().getAddress().getHostAddress()),
                inbound.headers().first("User-Agent"), info.objectRef(), Optional.empty(), received, received,
                annotations);
        return new SinkTrail(base);
    }

    private static AuditUser user(Identity identity) {
        return new AuditUser(identity.subject(), identity.groups());
    }

    private static Map<String, String> tokenAnnotations(Identity identity) {
        Map<String, String> annotations = new HashMap<>();
        identity.tokenId().ifPresent(id -> annotations.put(AuditEvent.TOKEN_ID, id));
        identity.issuer().ifPresent(issuer -> annotations.put(AuditEvent.TOKEN_ISSUER, issuer));
        return annotations;
    }

    private static ResponseStatus status(RouterException error) {
        return new ResponseStatus(error.code(), Optional.of(error.reason()), Optional.of(error.getMessage()));
    }

    private void record(AuditEvent event) {
        try {
            sink.record(event);
        } catch (RuntimeException e) {
            // The request is answered already; what is left is to say loudly which event is missing.
            LOG.log(Level.ERROR, "audit event " + event.auditId() + " " + event.stage() + " (" + event.verb() + " "
                    + event.requestUri() + ", " + event.responseStatus().map(ResponseStatus::code).orElse(0)
                    + ") could not be recorded: " + e.getMessage());
        }
    }

    /** One request's stages; thread-safe, since an upgrade's relay threads may end it. */
    private final class SinkTrail implements RequestTrail {
        private AuditEvent base;
        private boolean started;
        private boolean completed;

        SinkTrail(AuditEvent base) {
            this.base = base;
        }

        @Override
        public synchronized void started(int code) {
            if (!started && !completed) {
                started = true;
                record(base.at(AuditStage.ResponseStarted, Optional.of(ResponseStatus.of(code)), clock.instant()));
            }
        }

        @Override
        public synchronized void completed(int code, long bytes) {
            complete(ResponseStatus.of(code));
        }

        @Override
        public synchronized void failed(RouterException error) {
            complete(status(error));
        }

        @Override
        public synchronized void annotate(String key, String value) {
            Map<String, String> annotations = new HashMap<>(base.annotations());
            annotations.put(key, value);
            base = new AuditEvent(base.auditId(), base.stage(), base.requestUri(), base.verb(), base.user(),
                    base.impersonatedUser(), base.sourceIps(), base.userAgent(), base.objectRef(),
                    base.responseStatus(), base.requestReceived(), base.stageTimestamp(), annotations);
        }

        private void complete(ResponseStatus status) {
            if (!completed) {
                completed = true;
                record(base.at(AuditStage.ResponseComplete, Optional.of(status), clock.instant()));
            }
        }
    }
}
