package io.multikube.spi.credentials;

import java.util.Objects;

/**
 * Which upstream credentials the server needs.
 *
 * @param context the kubeconfig context (the cluster multikube routes to)
 * @param server  the cluster's API server URL, from the kubeconfig
 * @param user    the name of the context's kubeconfig user entry; empty when the context names none
 * @param reason  why the server asks
 */
public record CredentialRequest(String context, String server, String user, Reason reason) {
    public CredentialRequest {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(reason, "reason");
    }

    /** Why credentials are asked for. */
    public enum Reason {
        /** A request is about to be sent; a provider may answer from its cache. */
        REQUEST,
        /** The cluster answered 401 to the credentials last returned: they must not be returned again. */
        REJECTED
    }
}
