package io.multikube.spi.testkit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.multikube.spi.audit.AuditEvent;
import io.multikube.spi.audit.AuditStage;
import io.multikube.spi.audit.AuditUser;
import io.multikube.spi.audit.ObjectReference;
import io.multikube.spi.audit.ResponseStatus;

/** Realistic audit events for plugin tests. */
public final class AuditEvents {
    private AuditEvents() {
    }

    /** A completed {@code get} of one pod, forwarded to context {@code dev}. */
    public static AuditEvent completedGet(String auditId) {
        Instant received = Instant.parse("2026-11-28T10:15:30.123456Z");
        return new AuditEvent(auditId, AuditStage.ResponseComplete, "/api/v1/namespaces/team/pods/web-0", "get",
                new AuditUser("jane", List.of("developers")), Optional.of(new AuditUser("jane", List.of("developers"))),
                List.of("10.0.0.7"), Optional.of("kubectl/v1.34.2"),
                Optional.of(new ObjectReference("pods", Optional.of("team"), Optional.of("web-0"), "", "v1",
                        Optional.empty())),
                Optional.of(ResponseStatus.of(200)), received, received.plusMillis(12),
                Map.of(AuditEvent.CONTEXT, "dev", AuditEvent.TOKEN_ID, "jti-1"));
    }

    /** A request refused before it reached a cluster: no user, no object, a 401. */
    public static AuditEvent refused(String auditId) {
        Instant received = Instant.parse("2026-11-28T10:15:31Z");
        return new AuditEvent(auditId, AuditStage.ResponseComplete, "/api", "get", AuditUser.unauthenticated(),
                Optional.empty(), List.of("10.0.0.8"), Optional.empty(), Optional.empty(),
                Optional.of(new ResponseStatus(401, Optional.of("Unauthorized"),
                        Optional.of("the token's signature does not verify"))),
                received, received, Map.of());
    }

    /** An event whose strings hold quotes, backslashes, control characters and non-ASCII text. */
    public static AuditEvent awkwardText(String auditId) {
        AuditEvent base = completedGet(auditId);
        return new AuditEvent(auditId, base.stage(), "/api/v1/namespaces/t/pods?labelSelector=a%3D%22b%22",
                base.verb(), new AuditUser("jörg \"the admin\"\\\n\u2028", List.of("ça\tva")), Optional.empty(),
                base.sourceIps(), Optional.of("agent\u0001"), base.objectRef(), base.responseStatus(),
                base.requestReceived(), base.stageTimestamp(), Map.of("note", "line1\nline2"));
    }
}
