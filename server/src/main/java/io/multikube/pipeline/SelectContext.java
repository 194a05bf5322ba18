package io.multikube.pipeline;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import io.multikube.auth.Identity;
import io.multikube.kubeconfig.ClusterContext;
import io.multikube.kubeconfig.Kubeconfig;
import io.multikube.status.RouterException;

/**
 * Step 2: choose the cluster. The verified token decides; a {@code /clusters/<name>} path prefix or a
 * {@code Multikube-Context} header may only pick among the contexts the token allows. The kubeconfig's
 * {@code current-context} is never used.
 */
final class SelectContext {
    static final String CONTEXT_HEADER = "Multikube-Context";

    private final Supplier<Kubeconfig> kubeconfig;

    SelectContext(Supplier<Kubeconfig> kubeconfig) {
        this.kubeconfig = Objects.requireNonNull(kubeconfig, "kubeconfig");
    }

    RoutedRequest apply(AuthenticatedRequest request) {
        ClusterPath path = ClusterPath.parse(request.inbound().rawPath());
        String name = chosenName(request.identity(), path.contextName(), headerName(request.inbound().headers()));
        return new RoutedRequest(request, lookUp(name), path.clusterPath());
    }

    private static Optional<String> headerName(Headers headers) {
        List<String> values = headers.all(CONTEXT_HEADER);
        if (values.size() > 1) {
            throw new RouterException.BadRequest(values.size() + " " + CONTEXT_HEADER + " headers (expected: one)");
        }
        return values.stream().map(String::strip).findFirst();
    }

    private static String chosenName(Identity identity, Optional<String> fromPath, Optional<String> fromHeader) {
        if (fromPath.isPresent() && fromHeader.isPresent() && !fromPath.equals(fromHeader)) {
            throw new RouterException.Forbidden("path names context \"" + fromPath.get() + "\" but "
                    + CONTEXT_HEADER + " names \"" + fromHeader.get() + "\" (expected: the same context)");
        }
        Optional<String> requested = fromPath.or(() -> fromHeader);
        List<String> allowed = identity.contexts();
        if (requested.isPresent()) {
            if (!allowed.contains(requested.get())) {
                throw new RouterException.Forbidden("token does not allow context \"" + requested.get()
                        + "\" (allowed: " + String.join(", ", allowed) + ")");
            }
            return requested.get();
        }
        if (allowed.size() > 1) {
            throw new RouterException.BadRequest("token allows several contexts (" + String.join(", ", allowed)
                    + "); choose one with the path prefix /clusters/<context>/ or the " + CONTEXT_HEADER
                    + " header");
        }
        return allowed.getFirst();
    }

    private ClusterContext lookUp(String name) {
        Kubeconfig current = kubeconfig.get();
        Optional<ClusterContext> context = current.context(name);
        if (context.isPresent()) {
            return context.get();
        }
        if (current.problems().containsKey(name)) {
            throw new RouterException.ServiceUnavailable("context \"" + name
                    + "\" is configured but unusable: its kubeconfig entry could not be loaded "
                    + "(see the multikube log)", null);
        }
        throw new RouterException.ContextNotFound("context \"" + name + "\" is not configured (known: "
                + current.knownNames() + ")");
    }
}
