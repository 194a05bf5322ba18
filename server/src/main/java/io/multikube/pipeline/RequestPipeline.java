package io.multikube.pipeline;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import io.multikube.auth.Identity;
import io.multikube.auth.TokenVerifier;
import io.multikube.config.GroupPolicy;
import io.multikube.kubeconfig.Kubeconfig;
import io.multikube.status.RouterException;

/**
 * The routing steps, assembled in the order a reader expects: authenticate the token, select the context,
 * limit the groups, sanitize the headers and impersonate. Pure decisions; the transports do the I/O.
 */
public final class RequestPipeline implements RequestRouter {
    private final Authenticate authenticate;
    private final SelectContext selectContext;
    private final CheckClusterBinding checkBinding = new CheckClusterBinding();
    private final LimitGroups limitGroups;
    private final Impersonate impersonate;

    public RequestPipeline(TokenVerifier verifier, Supplier<Kubeconfig> kubeconfig) {
        this(verifier, kubeconfig, GroupPolicy.defaults());
    }

    public RequestPipeline(TokenVerifier verifier, Supplier<Kubeconfig> kubeconfig, GroupPolicy groups) {
        this(verifier, kubeconfig, groups, AuditIds::next);
    }

    RequestPipeline(TokenVerifier verifier, Supplier<Kubeconfig> kubeconfig, Supplier<String> auditIds) {
        this(verifier, kubeconfig, GroupPolicy.defaults(), auditIds);
    }

    RequestPipeline(TokenVerifier verifier, Supplier<Kubeconfig> kubeconfig, GroupPolicy groups,
                    Supplier<String> auditIds) {
        this.authenticate = new Authenticate(Objects.requireNonNull(verifier, "verifier"));
        this.selectContext = new SelectContext(Objects.requireNonNull(kubeconfig, "kubeconfig"));
        this.limitGroups = new LimitGroups(groups);
        this.impersonate = new Impersonate(auditIds);
    }

    @Override
    public OutboundRequest route(InboundRequest request) {
        AuthenticatedRequest authenticated = authenticate.apply(request);
        RoutedRequest routed = selectContext.apply(authenticated);
        return impersonate.apply(limitGroups.apply(checkBinding.apply(routed)));
    }

    @Override
    public Optional<Identity> identify(InboundRequest request) {
        try {
            return Optional.of(authenticate.apply(request).identity());
        } catch (RouterException e) {
            return Optional.empty();
        }
    }
}
