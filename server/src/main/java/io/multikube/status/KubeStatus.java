package io.multikube.status;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** A Kubernetes {@code Status} object with {@code status: Failure}, as the kube-apiserver writes it. */
public record KubeStatus(int code, String reason, String message) {
    public KubeStatus {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    public String toJson() {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":" + Json.quote(message) + ","
                + "\"reason\":" + Json.quote(reason) + ","
                + "\"code\":" + code + "}";
    }

    public byte[] toJsonBytes() {
        return toJson().getBytes(StandardCharsets.UTF_8);
    }
}
