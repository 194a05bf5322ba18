package io.multikube.observe;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.multikube.auth.Identity;
import io.multikube.pipeline.InboundRequest;
import io.multikube.pipeline.OutboundRequest;
import io.multikube.pipeline.RequestInfo;
import io.multikube.status.RouterException;

/**
 * One line per request on the logger {@code io.multikube.access}: request ID (the Audit-ID), context, user,
 * verb, method, path, code, latency and bytes, as {@code key=value} text or as a JSON object. The path only,
 * never the query (an exec command line) and never a header, so no token or credential can reach the log.
 */
public final class AccessLog implements RequestObserver {
    /** The logger access lines go to; raise it to WARNING to silence them. */
    public static final String LOGGER = "io.multikube.access";
    private static final System.Logger LOG = System.getLogger(LOGGER);

    private final LogFormat format;

    public AccessLog(LogFormat format) {
        this.format = Objects.requireNonNull(format, "format");
    }

    @Override
    public void refused(InboundRequest inbound, Optional<Identity> identity, Optional<String> context, String auditId,
                        RouterException refusal, Instant received) {
        write(line(auditId, context.orElse(""), identity.map(Identity::subject).orElse(""),
                RequestInfo.ofClientRequest(inbound).verb(), inbound, refusal.code(), received, 0));
    }

    @Override
    public RequestTrail forwarding(InboundRequest inbound, OutboundRequest outbound, Instant received) {
        return new RequestTrail() {
            private boolean ended;

            @Override
            public void started(int code) {
            }

            @Override
            public synchronized void completed(int code, long bytes) {
                end(code, bytes);
            }

            @Override
            public synchronized void failed(RouterException error) {
                end(error.code(), 0);
            }

            private void end(int code, long bytes) {
                if (!ended) {
                    ended = true;
                    write(line(outbound.auditId(), outbound.context().name(), outbound.identity().subject(),
                            outbound.info().verb(), inbound, code, received, bytes));
                }
            }
        };
    }

    private static Map<String, Object> line(String auditId, String context, String user, String verb,
                                            InboundRequest inbound, int code, Instant received, long bytes) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("audit", auditId);
        fields.put("context", context);
        fields.put("user", user);
        fields.put("verb", verb);
        fields.put("method", inbound.method());
        fields.put("path", inbound.rawPath());
        fields.put("code", code);
        fields.put("ms", Duration.between(received, Instant.now()).toMillis());
        fields.put("bytes", bytes);
        fields.put("client", inbound.peer().getAddress().getHostAddress());
        return fields;
    }

    private void write(Map<String, Object> fields) {
        if (LOG.isLoggable(Level.INFO)) {
            LOG.log(Level.INFO, format.render(fields));
        }
    }
}
