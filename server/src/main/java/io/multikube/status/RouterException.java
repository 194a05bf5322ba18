package io.multikube.status;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * Everything multikube itself refuses or fails with. Each kind maps to one Kubernetes {@code Status}
 * (code and reason); {@link StatusResponse} writes it. Messages never hold a token or a credential.
 */
public abstract sealed class RouterException extends RuntimeException {
    private final int code;
    private final String reason;

    RouterException(int code, String reason, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = code;
        this.reason = reason;
    }

    /** The HTTP status code. */
    public int code() {
        return code;
    }

    /** The Kubernetes {@code StatusReason}, e.g. {@code Unauthorized}. */
    public String reason() {
        return reason;
    }

    public KubeStatus toStatus() {
        return new KubeStatus(code, reason, getMessage());
    }

    /** 429: more requests at once than this replica can hold connections for; clients retry after a pause. */
    public static final class TooManyRequests extends RouterException {
        private final int retryAfterSeconds;

        public TooManyRequests(String message, int retryAfterSeconds) {
            super(429, "TooManyRequests", message, null);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        @Override
        public KubeStatus toStatus() {
            return new KubeStatus(code(), reason(), getMessage(), OptionalInt.of(retryAfterSeconds));
        }
    }

    /** 400: the request cannot be routed as sent. */
    public static final class BadRequest extends RouterException {
        public BadRequest(String message) {
            super(400, "BadRequest", message, null);
        }
    }

    /** 401: no token, or one that did not verify. */
    public static final class Unauthorized extends RouterException {
        public Unauthorized(String message) {
            super(401, "Unauthorized", message, null);
        }

        public Unauthorized(String message, Throwable cause) {
            super(401, "Unauthorized", message, cause);
        }
    }

    /** 403: a valid token that does not allow what the request names. */
    public static final class Forbidden extends RouterException {
        public Forbidden(String message) {
            super(403, "Forbidden", message, null);
        }
    }

    /** 404: the token names a context the kubeconfig does not have (or could not load). */
    public static final class ContextNotFound extends RouterException {
        public ContextNotFound(String message) {
            super(404, "NotFound", "ContextNotFound: " + message, null);
        }
    }

    /** 503: the cluster cannot be reached. */
    public static final class ServiceUnavailable extends RouterException {
        public ServiceUnavailable(String message, Throwable cause) {
            super(503, "ServiceUnavailable", message, cause);
        }
    }

    /** 504: the cluster did not answer in time. */
    public static final class GatewayTimeout extends RouterException {
        public GatewayTimeout(String message, Throwable cause) {
            super(504, "Timeout", message, cause);
        }
    }

    /** 500: a failure of multikube itself; the message is generic, the stack goes to the log. */
    public static final class InternalError extends RouterException {
        public InternalError(String message, Throwable cause) {
            super(500, "InternalError", message, cause);
        }
    }
}
