package io.multikube.kubeconfig;

/**
 * Why one context cannot be used. Caught per context and turned into an entry of {@link Kubeconfig#problems()};
 * the message is shown to operators, so it never holds a token, key or certificate.
 */
final class EntryProblem extends RuntimeException {
    EntryProblem(String message) {
        super(message, null, false, false);
    }

    EntryProblem(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
