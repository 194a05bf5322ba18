package io.multikube.pipeline;

import java.util.Objects;

import io.multikube.kubeconfig.ClusterContext;

/** An authenticated request with its cluster chosen and its path relative to that cluster. */
record RoutedRequest(AuthenticatedRequest authenticated, ClusterContext context, String clusterPath) {
    RoutedRequest {
        Objects.requireNonNull(authenticated, "authenticated");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(clusterPath, "clusterPath");
    }

    InboundRequest inbound() {
        return authenticated.inbound();
    }
}
