package io.multikube.spi.credentials;

import java.util.Optional;

/**
 * Supplies the credentials multikube uses at a cluster, for example from a secret store or a cloud's token
 * service. Created by a {@link CredentialLookupProvider}. The kubeconfig's own credentials ({@code token},
 * {@code tokenFile}, client certificates, {@code exec} plugins) are the built-in lookup named {@code kubeconfig};
 * a configured lookup is asked first and the kubeconfig answers what it leaves empty.
 *
 * <p>Threading: called concurrently; implementations are thread-safe and cache what they fetch (the server
 * asks before every request). Lifecycle: {@link #close} is called once on shutdown.
 */
public interface CredentialLookup extends AutoCloseable {
    /**
     * The credentials for one context.
     *
     * @param request which context, and whether the last credentials were rejected; never null
     * @return the credentials, or empty when this lookup has none for that context
     * @throws io.multikube.spi.PluginException when it should have them but cannot get them; the request is
     *                                          answered 503 with the exception's message
     */
    Optional<UpstreamCredentials> lookup(CredentialRequest request);

    @Override
    default void close() {
    }
}
