package io.multikube.status;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A Kubernetes {@code Status} object with {@code status: Failure}, as the kube-apiserver writes it.
 *
 * @param retryAfterSeconds when to try again ({@code details.retryAfterSeconds}, and a {@code Retry-After} field)
 */
public record KubeStatus(int code, String reason, String message, OptionalInt retryAfterSeconds) {
    public KubeStatus {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(retryAfterSeconds, "retryAfterSeconds");
    }

    public KubeStatus(int code, String reason, String message) {
        this(code, reason, message, OptionalInt.empty());
    }

    public String toJson() {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":" + Json.quote(message) + ","
                + "\"reason\":" + Json.quote(reason) + ","
                + (retryAfterSeconds.isPresent()
                        ? "\"details\":{\"retryAfterSeconds\":" + retryAfterSeconds.getAsInt() + "}," : "")
                + "\"code\":" + code + "}";
    }

    public byte[] toJsonBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }
}
