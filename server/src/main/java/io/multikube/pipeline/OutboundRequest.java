package io.multikube.pipeline;

import java.util.Objects;

import io.multikube.auth.Identity;
import io.multikube.kubeconfig.ClusterContext;

/**
 * A request ready to go to a cluster: routed, sanitized and carrying our identity headers. The cluster's own
 * credentials are added by the upstream layer when it sends, so they never sit in this value.
 *
 * @param auditId  the {@code Audit-ID} sent to the cluster and returned to the client
 * @param identity who the token speaks for
 * @param context  the cluster to send to
 * @param method   the HTTP method
 * @param rawPath  the path on the cluster, exactly encoded (a {@code /clusters/<name>} prefix removed)
 * @param rawQuery the query exactly as the client sent it, empty when none
 * @param headers  the outbound header fields, allow-listed plus ours
 * @param info     the Kubernetes verb and object of the request, derived once from method, path and query
 */
public record OutboundRequest(String auditId, Identity identity, ClusterContext context, String method,
                              String rawPath, String rawQuery, Headers headers, RequestInfo info) {
    /** A request whose verb and object are derived from its method, path and query. */
    public OutboundRequest(String auditId, Identity identity, ClusterContext context, String method, String rawPath,
                           String rawQuery, Headers headers) {
        this(auditId, identity, context, method, rawPath, rawQuery, headers, RequestInfo.of(method, rawPath, rawQuery));
    }

    public OutboundRequest {
        Objects.requireNonNull(auditId, "auditId");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rawPath, "rawPath");
        Objects.requireNonNull(rawQuery, "rawQuery");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(info, "info");
    }

    /** The request target on the cluster: its server URL's path prefix, the path and the query. */
    public String target() {
        String path = context.pathPrefix() + rawPath;
        return rawQuery.isEmpty() ? path : path + "?" + rawQuery;
    }
}
