package io.multikube.config;

import java.util.Locale;

/** A listener kind: plain HTTP on {@code --port} or HTTPS on {@code --tls-port}. */
public enum Scheme {
    HTTP, HTTPS;

    public static Scheme parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "http" -> HTTP;
            case "https" -> HTTPS;
            default -> throw new IllegalArgumentException("scheme: \"" + value + "\" (expected: http or https)");
        };
    }
}
