package io.multikube.upstream;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.multikube.kubeconfig.ClusterContext;
import io.multikube.spi.credentials.UpstreamCredentials;

/**
 * Which credentials each cluster has accepted. A kube-apiserver answers an unknown credential over HTTP/2 with 401
 * and then GOAWAY, and Helidon's HTTP/2 client drops the 401 with the connection (the request waits for the read
 * timeout). So credentials the cluster has not yet accepted go over HTTP/1.1, where a 401 simply arrives; once
 * accepted, HTTP/2 is used again.
 */
final class ConfirmedCredentials {
    private final Map<String, Optional<UpstreamCredentials>> accepted = new ConcurrentHashMap<>();

    boolean accepted(ClusterContext context, Optional<UpstreamCredentials> used) {
        return Objects.equals(accepted.get(context.name()), used);
    }

    void accept(ClusterContext context, Optional<UpstreamCredentials> used) {
        accepted.put(context.name(), used);
    }
}
