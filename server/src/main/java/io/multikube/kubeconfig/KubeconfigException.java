package io.multikube.kubeconfig;

/**
 * A kubeconfig file that cannot be used at all: unreadable, not YAML, or not a kubeconfig. Problems with a single
 * context are not thrown but reported in {@link Kubeconfig#problems()}. The message names the file and what was
 * wrong, and never holds a token, key or certificate.
 */
public final class KubeconfigException extends IllegalArgumentException {
    KubeconfigException(String message) {
        super(message);
    }

    KubeconfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
