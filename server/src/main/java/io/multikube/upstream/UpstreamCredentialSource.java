package io.multikube.upstream;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.multikube.kubeconfig.ClusterContext;
import io.multikube.spi.PluginException;
import io.multikube.spi.credentials.CredentialLookup;
import io.multikube.spi.credentials.CredentialRequest.Reason;
import io.multikube.spi.credentials.UpstreamCredentials;
import io.multikube.status.RouterException;

/**
 * The one seam through which the upstream layer gets multikube's credentials for a cluster: the configured
 * {@link CredentialLookup} first, then the routed context's own kubeconfig lookup. The first that answers supplies
 * all of them (token and client certificate). A lookup that fails becomes 503 {@code ServiceUnavailable} naming
 * the context. After a 401 it asks again with {@link Reason#REJECTED}, once per rejected value: requests that were
 * rejected together, with the same credentials, cause one refresh.
 */
public final class UpstreamCredentialSource {
    private static final System.Logger LOG = System.getLogger(UpstreamCredentialSource.class.getName());

    private final List<CredentialLookup> configured;
    /** The last answer per context, to tell a rejection of stale credentials from one of the current ones. */
    private final Map<ClusterContext, Optional<UpstreamCredentials>> last = new ConcurrentHashMap<>();

    /** @param configured lookups asked before the kubeconfig, in order (the {@code --credentials} plugin) */
    public UpstreamCredentialSource(List<CredentialLookup> configured) {
        this.configured = List.copyOf(configured);
    }

    /** The kubeconfig's credentials alone. */
    public static UpstreamCredentialSource kubeconfigOnly() {
        return new UpstreamCredentialSource(List.of());
    }

    /**
     * The credentials for a request about to be sent; empty when no lookup has any (the request goes without).
     *
     * @throws RouterException.ServiceUnavailable when a lookup fails
     */
    public Optional<UpstreamCredentials> forRequest(ClusterContext context) {
        return ask(context, Reason.REQUEST);
    }

    /**
     * Fresh credentials after the cluster answered 401 to {@code rejected}. When another request already refreshed
     * them, that newer answer is returned without asking again.
     *
     * @throws RouterException.ServiceUnavailable when a lookup fails
     */
    public Optional<UpstreamCredentials> afterRejection(ClusterContext context, Optional<UpstreamCredentials> rejected) {
        synchronized (lockFor(context)) {
            Optional<UpstreamCredentials> current = last.get(context);
            if (current != null && !current.equals(rejected)) {
                return current;
            }
            LOG.log(Level.INFO, "the cluster of context \"" + context.name() + "\" rejected multikube's credentials "
                    + "(401); asking for fresh ones");
            return ask(context, Reason.REJECTED);
        }
    }

    private Object lockFor(ClusterContext context) {
        return context.credentials(); // one object per context
    }

    private Optional<UpstreamCredentials> ask(ClusterContext context, Reason reason) {
        Optional<UpstreamCredentials> answer = Optional.empty();
        try {
            for (CredentialLookup lookup : configured) {
                answer = lookup.lookup(context.credentialRequest(reason));
                if (answer.isPresent()) {
                    break;
                }
            }
            if (answer.isEmpty()) {
                answer = context.credentials().lookup(context.credentialRequest(reason));
            }
        } catch (PluginException e) {
            throw new RouterException.ServiceUnavailable(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new RouterException.ServiceUnavailable("credentials for context \"" + context.name()
                    + "\" cannot be looked up (" + e.getClass().getSimpleName() + ")", e);
        }
        last.put(context, answer);
        return answer;
    }

    /**
     * TLS toward the context presenting the client certificate of {@code credentials}, if any.
     *
     * @throws RouterException.ServiceUnavailable when the certificate is unusable or the cluster speaks plain HTTP
     */
    static Optional<io.multikube.kubeconfig.UpstreamTls> tls(ClusterContext context,
                                                              Optional<UpstreamCredentials> credentials) {
        boolean certificate = credentials.flatMap(UpstreamCredentials::clientCertificatePem).isPresent();
        if (context.tls().isEmpty()) {
            if (certificate) {
                throw new RouterException.ServiceUnavailable("credentials for context \"" + context.name()
                        + "\" are a client certificate, which needs an https server (found: " + context.server()
                        + ")", null);
            }
            return Optional.empty();
        }
        try {
            return Optional.of(context.tls().get().presenting(credentials));
        } catch (IllegalArgumentException e) {
            throw new RouterException.ServiceUnavailable("credentials for context \"" + context.name()
                    + "\": the client certificate cannot be used: " + e.getMessage(), e);
        }
    }

    /** The value of an {@code Authorization} field, when the credentials have a bearer token. */
    static Optional<String> authorization(ClusterContext context, Optional<UpstreamCredentials> credentials) {
        Optional<String> token = credentials.flatMap(UpstreamCredentials::bearerToken).map(String::strip);
        if (token.isPresent() && (token.get().isEmpty() || token.get().chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
            // The token itself never goes into a message.
            throw new RouterException.ServiceUnavailable("the bearer token for context \"" + context.name()
                    + "\" is empty or has control characters (expected: one line of text)", null);
        }
        return token.map(value -> "Bearer " + value);
    }
}
