package io.multikube.spi.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One audit event, shaped like the API server's {@code audit.k8s.io/v1 Event} at level {@code Metadata}, so
 * tools that read Kubernetes audit logs read ours. Immutable; never contains a token or credential.
 *
 * @param auditId          the request's {@code Audit-ID}; the cluster logs the same one, so both logs join
 * @param stage            the stage this event records
 * @param requestUri       the request target as the client sent it (path and query)
 * @param verb             the Kubernetes verb ({@code get}, {@code list}, {@code watch}, {@code create}, ...) or,
 *                         for non-resource URLs, the lower-case HTTP method
 * @param user             who the token speaks for (the token's {@code sub} and groups)
 * @param impersonatedUser the user multikube impersonated at the cluster, when the request was forwarded
 * @param sourceIps        the client's address
 * @param userAgent        the client's {@code User-Agent}
 * @param objectRef        the object acted on, for resource requests
 * @param responseStatus   how the request was answered; empty only at {@link AuditStage#ResponseStarted}
 *                         when the status is not yet known
 * @param requestReceived  when multikube received the request
 * @param stageTimestamp   when this stage was reached
 * @param annotations      extra facts: {@code multikube.io/context}, {@code multikube.io/token-id},
 *                         {@code multikube.io/token-issuer}, {@code multikube.io/cache}, ...
 */
public record AuditEvent(String auditId, AuditStage stage, String requestUri, String verb, AuditUser user,
                         Optional<AuditUser> impersonatedUser, List<String> sourceIps, Optional<String> userAgent,
                         Optional<ObjectReference> objectRef, Optional<ResponseStatus> responseStatus,
                         Instant requestReceived, Instant stageTimestamp, Map<String, String> annotations) {
    /** The annotation naming the kubeconfig context (the cluster) a request went to. */
    public static final String CONTEXT = "multikube.io/context";
    /** The annotation holding the token's {@code jti}. */
    public static final String TOKEN_ID = "multikube.io/token-id";
    /** The annotation holding the token's {@code iss}. */
    public static final String TOKEN_ISSUER = "multikube.io/token-issuer";

    public AuditEvent {
        Objects.requireNonNull(auditId, "auditId");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(requestUri, "requestUri");
        Objects.requireNonNull(verb, "verb");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(impersonatedUser, "impersonatedUser");
        sourceIps = List.copyOf(sourceIps);
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(objectRef, "objectRef");
        Objects.requireNonNull(responseStatus, "responseStatus");
        Objects.requireNonNull(requestReceived, "requestReceived");
        Objects.requireNonNull(stageTimestamp, "stageTimestamp");
        annotations = Map.copyOf(annotations);
    }

    /** This event at a later stage. */
    public AuditEvent at(AuditStage nextStage, Optional<ResponseStatus> status, Instant timestamp) {
        return new AuditEvent(auditId, nextStage, requestUri, verb, user, impersonatedUser, sourceIps, userAgent,
                objectRef, status, requestReceived, timestamp, annotations);
    }

    /** This event as one line of JSON in the {@code audit.k8s.io/v1 Event} format (no line break). */
    public String toJson() {
        return AuditEventJson.write(this);
    }
}
