package io.multikube.spi.audit;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes an {@link AuditEvent} as the API server writes its audit events: one JSON object, no line break. */
final class AuditEventJson {
    // metav1.MicroTime: RFC 3339 with microseconds, UTC.
    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final StringBuilder out = new StringBuilder(512);

    private AuditEventJson() {
    }

    static String write(AuditEvent event) {
        AuditEventJson json = new AuditEventJson();
        json.event(event);
        return json.out.toString();
    }

    private void event(AuditEvent event) {
        out.append("{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\"");
        field("auditID", event.auditId());
        field("stage", event.stage().name());
        field("requestURI", event.requestUri());
        field("verb", event.verb());
        out.append(",\"user\":");
        user(event.user());
        event.impersonatedUser().ifPresent(user -> {
            out.append(",\"impersonatedUser\":");
            user(user);
        });
        out.append(",\"sourceIPs\":");
        strings(event.sourceIps());
        event.userAgent().ifPresent(agent -> field("userAgent", agent));
        event.objectRef().ifPresent(this::objectRef);
        event.responseStatus().ifPresent(this::responseStatus);
        field("requestReceivedTimestamp", MICRO_TIME.format(event.requestReceived()));
        field("stageTimestamp", MICRO_TIME.format(event.stageTimestamp()));
        if (!event.annotations().isEmpty()) {
            out.append(",\"annotations\":{");
            String separator = "";
            for (Map.Entry<String, String> entry : new TreeMap<>(event.annotations()).entrySet()) {
                out.append(separator);
                string(entry.getKey());
                out.append(':');
                string(entry.getValue());
                separator = ",";
            }
            out.append('}');
        }
        out.append('}');
    }

    private void user(AuditUser user) {
        out.append("{\"username\":");
        string(user.username());
        if (!user.groups().isEmpty()) {
            out.append(",\"groups\":");
            strings(user.groups());
        }
        out.append('}');
    }

    private void objectRef(ObjectReference ref) {
        out.append(",\"objectRef\":{\"resource\":");
        string(ref.resource());
        ref.namespace().ifPresent(namespace -> field("namespace", namespace));
        ref.name().ifPresent(name -> field("name", name));
        if (!ref.apiGroup().isEmpty()) {
            field("apiGroup", ref.apiGroup());
        }
        field("apiVersion", ref.apiVersion());
        ref.subresource().ifPresent(subresource -> field("subresource", subresource));
        out.append('}');
    }

    private void responseStatus(ResponseStatus status) {
        out.append(",\"responseStatus\":{\"metadata\":{}");
        if (status.reason().isPresent() || status.message().isPresent()) {
            field("status", status.code() < 400 ? "Success" : "Failure");
        }
        status.message().ifPresent(message -> field("message", message));
        status.reason().ifPresent(reason -> field("reason", reason));
        out.append(",\"code\":").append(status.code()).append('}');
    }

    private void field(String name, String value) {
        out.append(",\"").append(name).append("\":");
        string(value);
    }

    private void strings(List<String> values) {
        out.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            string(values.get(i));
        }
        out.append(']');
    }

    private void string(String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    // Control characters, and the line separators that would end a JSON line for some readers.
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
