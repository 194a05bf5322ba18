package io.multikube.upstream;

import java.time.Duration;
import java.util.Objects;

import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientResponse;
import io.multikube.kubeconfig.ClusterContext;

/**
 * Asks a cluster whether it answers at all: {@code GET /readyz} without credentials (no token, no client
 * certificate) over the context's own connection settings (CA, server name, proxy). Any HTTP answer — 200, or 401/403 where anonymous requests are off —
 * means the cluster is reachable; only a failure to connect or to answer in time means it is not.
 */
public final class UpstreamProbe {
    private final UpstreamClients clients;
    private final Duration timeout;

    public UpstreamProbe(UpstreamClients clients, Duration timeout) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The outcome of one probe: reachable or not, and what was seen. */
    public record Result(boolean reachable, String detail) {
    }

    public Result probe(ClusterContext context) {
        try (HttpClientResponse response = clients.client(context, context.tls())
                .method(Method.GET)
                .skipUriEncoding(true)
                .path(context.pathPrefix() + "/readyz")
                .readTimeout(timeout)
                .request()) {
            int code = response.status().code();
            return new Result(true, code == 200 ? "ok" : "answers " + code);
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            Throwable cause = e.getCause();
            return new Result(false, cause != null && cause.getMessage() != null ? cause.getMessage() : message);
        }
    }
}
