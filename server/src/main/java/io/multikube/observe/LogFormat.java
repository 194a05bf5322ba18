package io.multikube.observe;

import java.util.Locale;
import java.util.Map;

import io.multikube.status.Json;

/** How structured lines (the access log) are written: {@code key=value} text, or one JSON object. */
public enum LogFormat {
    TEXT {
        @Override
        String render(Map<String, Object> fields) {
            StringBuilder out = new StringBuilder();
            fields.forEach((key, value) -> {
                String text = String.valueOf(value);
                out.append(out.isEmpty() ? "" : " ").append(key).append('=')
                        .append(text.isEmpty() || text.contains(" ") || text.contains("\"")
                                ? Json.quote(text) : text);
            });
            return out.toString();
        }
    },
    JSON {
        @Override
        String render(Map<String, Object> fields) {
            StringBuilder out = new StringBuilder("{");
            fields.forEach((key, value) -> {
                out.append(out.length() > 1 ? "," : "").append(Json.quote(key)).append(':')
                        .append(value instanceof Number ? value.toString() : Json.quote(String.valueOf(value)));
            });
            return out.append('}').toString();
        }
    };

    abstract String render(Map<String, Object> fields);

    /** {@code text} or {@code json}, as {@code --log-format} takes it. */
    public static LogFormat parse(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("--log-format: " + value + " (expected: text or json)");
        };
    }
}
