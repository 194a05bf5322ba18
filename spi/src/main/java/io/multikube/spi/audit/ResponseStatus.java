package io.multikube.spi.audit;

import java.util.Objects;
import java.util.Optional;

/**
 * How a request was answered ({@code meta/v1 Status} in the audit log).
 *
 * @param code    the HTTP status code
 * @param reason  the Kubernetes reason, for answers multikube gave itself (for example {@code Unauthorized})
 * @param message the message multikube gave, for answers it gave itself
 */
public record ResponseStatus(int code, Optional<String> reason, Optional<String> message) {
    public ResponseStatus {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    /** A status the cluster gave (its body is not inspected). */
    public static ResponseStatus of(int code) {
        return new ResponseStatus(code, Optional.empty(), Optional.empty());
    }
}
