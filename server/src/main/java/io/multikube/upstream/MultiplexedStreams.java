package io.multikube.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

import io.multikube.kubeconfig.ClusterContext;
import io.multikube.kubeconfig.UpstreamTls;
import io.multikube.pipeline.Headers;
import io.multikube.pipeline.OutboundRequest;

/**
 * Watches and followed logs over HTTP/2, many to a connection, with the JDK's HTTP client: it sends each stream's
 * WINDOW_UPDATE as the relay reads (Helidon 4.5's HTTP/2 client does not, see {@link HttpForwarder}), and a parked
 * stream costs a small queue instead of a TLS connection and a thread parked in its socket read. Lanes
 * ({@link StreamLanes}) keep bursts from opening a connection per stream.
 *
 * <p>Flow control: a stream may hold {@value #STREAM_WINDOW_BYTES} bytes the relay has not read yet (Go's client
 * allows 4 MiB), and a connection the most HTTP/2 allows, more than all its streams' windows together; so a client
 * that stops reading holds back its own watch and never its neighbours on the same connection.
 *
 * <p>Only where the JDK's client does exactly what the kubeconfig asks: https without {@code proxy-url}, and
 * {@code tls-server-name} only toward an IP address (the JDK sends the URL's host name as SNI and verifies it).
 * Everything else goes through {@link HttpForwarder}'s other path.
 */
final class MultiplexedStreams {
    /** RFC 9113 asks servers to allow at least 100 concurrent streams; Go's server allows 250. */
    static final int STREAMS_PER_CONNECTION = 100;
    static final int STREAM_WINDOW_BYTES = 4 * 1024 * 1024;

    private static final Pattern FOLLOW_OR_WATCH =
            Pattern.compile("(^|&)(watch|follow)=(true|1)(&|$)", Pattern.CASE_INSENSITIVE);
    private static final Pattern IP_LITERAL = Pattern.compile("\\[.*]|[0-9.]+");
    /** Fields the JDK's client writes itself or refuses. */
    private static final Set<String> WRITTEN_BY_CLIENT = caseInsensitive(
            "connection", "content-length", "expect", "host", "upgrade", "keep-alive", "te", "transfer-encoding");

    private final Map<String, Lanes> clusters = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Duration connectTimeout;

    MultiplexedStreams(Duration connectTimeout) {
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        FlowControlWindows.apply(STREAM_WINDOW_BYTES);
    }

    /** A cluster's lanes with the client TLS they were made for. */
    private record Lanes(ClusterContext context, UpstreamTls tls, StreamLanes<HttpClient> lanes) {
    }

    /** Whether this request goes here: a bodiless watch or follow toward a cluster the JDK's client reaches as asked. */
    static boolean carries(OutboundRequest request, Optional<UpstreamTls> tls, boolean hasBody) {
        ClusterContext context = request.context();
        String host = context.server().getHost();
        return !hasBody
                && "GET".equals(request.method())
                && (FOLLOW_OR_WATCH.matcher(request.rawQuery()).find() || request.rawPath().contains("/watch/"))
                && "https".equalsIgnoreCase(context.server().getScheme())
                && tls.isPresent()
                && context.proxy().isEmpty()
                && host != null && !host.endsWith(".")
                && (tls.get().serverName().isEmpty() || IP_LITERAL.matcher(host).matches())
                && uri(request).isPresent();
    }

    /**
     * Sends the request over the cluster's lanes and returns once the head arrived; closing the response ends the
     * stream (RST_STREAM) and frees its place.
     *
     * @throws io.multikube.status.RouterException classified by {@link UpstreamFailures} when the cluster fails
     */
    UpstreamResponse send(OutboundRequest request, UpstreamTls tls, Optional<String> authorization) {
        ClusterContext context = request.context();
        StreamLanes<HttpClient> lanes = lanesFor(context, tls);
        StreamLanes.Ticket<HttpClient> ticket = null;
        boolean answered = false;
        try {
            ticket = lanes.take();
            HttpResponse<InputStream> response = ticket.client()
                    .send(httpRequest(request, authorization), HttpResponse.BodyHandlers.ofInputStream());
            answered = true;
            StreamLanes.Ticket<HttpClient> place = ticket;
            return toUpstreamResponse(response, () -> {
                try {
                    response.body().close();
                } finally {
                    lanes.release(place);
                }
            });
        } catch (IOException e) {
            throw UpstreamFailures.classify(context.name(), new UncheckedIOException(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw UpstreamFailures.classify(context.name(), new UncheckedIOException(
                    new IOException("interrupted while waiting for the cluster", e)));
        } catch (RuntimeException e) {
            throw UpstreamFailures.classify(context.name(), e);
        } finally {
            if (ticket != null) {
                lanes.answered(ticket, answered);
                if (!answered) {
                    lanes.release(ticket);
                }
            }
        }
    }

    private StreamLanes<HttpClient> lanesFor(ClusterContext context, UpstreamTls tls) {
        // Every stream asks: read without locking, and take the map's lock only to create or replace.
        Lanes current = clusters.get(context.name());
        if (current != null && current.context().equals(context) && current.tls().equals(tls)) {
            return current.lanes();
        }
        return clusters.compute(context.name(), (name, known) -> {
            if (known != null && known.context().equals(context) && known.tls().equals(tls)) {
                return known;
            }
            if (known != null) {
                // A reloaded context or a new client certificate: open streams finish on the old connections.
                known.lanes().retire();
            }
            return new Lanes(context, tls, new StreamLanes<>(() -> client(context, tls), HttpClient::shutdown,
                    STREAMS_PER_CONNECTION, connectTimeout));
        }).lanes();
    }

    private HttpClient client(ClusterContext context, UpstreamTls tls) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .sslContext(tls.sslContext())
                // Protocols and, toward an IP address, tls-server-name as SNI; the client verifies host names.
                .sslParameters(tls.parameters(context.server().getHost()))
                // Without proxy-url no proxy: never the JVM's default proxy selector.
                .proxy(HttpClient.Builder.NO_PROXY)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(connectTimeout)
                .executor(executor)
                .build();
    }

    private static HttpRequest httpRequest(OutboundRequest request, Optional<String> authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(request).orElseThrow())
                .method(request.method(), HttpRequest.BodyPublishers.noBody());
        for (Headers.Header field : request.headers().fields()) {
            if (!WRITTEN_BY_CLIENT.contains(field.name())) {
                // One field per value, as the client sent them (Impersonate-Group: one group per field).
                builder.header(field.name(), field.value());
            }
        }
        authorization.ifPresent(value -> builder.header("Authorization", value));
        return builder.build();
    }

    /** The request's URL on the cluster, its target exactly as the client wrote it; empty when not a valid URI. */
    static Optional<URI> uri(OutboundRequest request) {
        URI server = request.context().server();
        try {
            return Optional.of(new URI(server.getScheme() + "://" + server.getRawAuthority() + request.target()));
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static UpstreamResponse toUpstreamResponse(HttpResponse<InputStream> response, AutoCloseable resource) {
        List<Headers.Header> fields = new ArrayList<>();
        response.headers().map().forEach((name, values) -> {
            if (!name.startsWith(":")) {
                values.forEach(value -> fields.add(new Headers.Header(name, value)));
            }
        });
        int status = response.statusCode();
        boolean hasBody = status >= 200 && status != 204 && status != 304;
        InputStream body = hasBody ? response.body() : InputStream.nullInputStream();
        return new UpstreamResponse(status, HopByHop.strip(new Headers(fields)), hasBody, body, resource);
    }

    private static Set<String> caseInsensitive(String... names) {
        Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(List.of(names));
        return set;
    }
}
