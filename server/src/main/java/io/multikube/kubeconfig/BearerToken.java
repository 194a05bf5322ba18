package io.multikube.kubeconfig;

/** The bearer token multikube presents to a cluster: fixed, or read from a file that may be rotated. */
@FunctionalInterface
public interface BearerToken {
    /**
     * The current token. Called per upstream request; a file-backed token is re-read when the file changes.
     *
     * @throws java.io.UncheckedIOException when a token file cannot be read
     */
    String value();
}
