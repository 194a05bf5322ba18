package io.multikube.spi.cache;

import java.util.List;
import java.util.Objects;

/**
 * Everything that can change a cluster's answer to a read, so two requests share a cached response only when
 * the cluster would have answered both the same. Built by the server; never contains a token.
 *
 * @param context        the kubeconfig context (the cluster)
 * @param user           the impersonated user
 * @param groups         the impersonated groups, in the order sent
 * @param method         the HTTP method (only {@code GET} is cached today)
 * @param target         the full request target on the cluster: path and query, exactly encoded
 * @param accept         the {@code Accept} header, empty when none
 * @param acceptEncoding the {@code Accept-Encoding} header, empty when none
 */
public record CacheKey(String context, String user, List<String> groups, String method, String target,
                       String accept, String acceptEncoding) {
    public CacheKey {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(user, "user");
        groups = List.copyOf(groups);
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(accept, "accept");
        Objects.requireNonNull(acceptEncoding, "acceptEncoding");
    }
}
