package io.multikube.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.multikube.pipeline.Headers;
import io.multikube.pipeline.OutboundRequest;
import io.multikube.pipeline.RequestRouter;
import io.multikube.status.RouterException;
import io.multikube.upstream.HttpForwarder;
import io.multikube.upstream.UpstreamResponse;

/**
 * Proxies an ordinary request: route it, forward it, and stream the cluster's answer back, flushing whenever
 * no more bytes are waiting so watch events and log lines leave at once.
 */
final class ProxyHandler implements Handler {
    private static final System.Logger LOG = System.getLogger(ProxyHandler.class.getName());
    private static final int BUFFER_SIZE = 16 * 1024;

    private final RequestRouter router;
    private final HttpForwarder forwarder;

    ProxyHandler(RequestRouter router, HttpForwarder forwarder) {
        this.router = Objects.requireNonNull(router, "router");
        this.forwarder = Objects.requireNonNull(forwarder, "forwarder");
    }

    @Override
    public void handle(ServerRequest request, ServerResponse response) {
        OutboundRequest outbound;
        try {
            outbound = router.route(InboundRequests.from(request));
        } catch (RouterException e) {
            StatusResponses.send(response, e);
            return;
        }
        response.header(HeaderValues.create("Audit-Id", outbound.auditId()));
        Optional<InputStream> body = request.content().hasEntity()
                ? Optional.of(request.content().inputStream())
                : Optional.empty();
        try (UpstreamResponse upstream = forwarder.send(outbound, body)) {
            relay(upstream, response);
        } catch (RouterException e) {
            StatusResponses.send(response, e);
        }
    }

    private static void relay(UpstreamResponse upstream, ServerResponse response) {
        response.status(Status.create(upstream.status()));
        groupByName(upstream.headers()).forEach((name, values) ->
                response.header(HeaderValues.create(HeaderNames.create(name), values)));
        if (!upstream.hasBody()) {
            response.send();
            return;
        }
        try (OutputStream out = response.outputStream()) {
            copyFlushing(upstream.body(), out);
        } catch (IOException | UncheckedIOException e) {
            // The client went away or the cluster broke the stream; closing the upstream response cancels it.
            LOG.log(Level.DEBUG, "stream ended early: " + e);
        }
    }

    private static void copyFlushing(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[BUFFER_SIZE];
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            out.write(buffer, 0, read);
            if (in.available() == 0) {
                out.flush();
            }
        }
    }

    private static Map<String, List<String>> groupByName(Headers headers) {
        Map<String, List<String>> grouped = new LinkedHashMap<>();
        for (Headers.Header field : headers.fields()) {
            grouped.computeIfAbsent(field.lowerCaseName(), name -> new ArrayList<>()).add(field.value());
        }
        return grouped;
    }
}
