package io.multikube.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.multikube.kubeconfig.ClusterContext;
import io.multikube.kubeconfig.UpstreamTls;
import io.multikube.pipeline.Headers;
import io.multikube.pipeline.OutboundRequest;
import io.multikube.spi.credentials.UpstreamCredentials;
import io.multikube.status.RouterException;

/**
 * Sends an ordinary (non-upgrade) request to its cluster: exact request target, outbound headers plus the
 * cluster's own credentials, and the body streamed as it arrives. When the cluster answers 401 (it rejected
 * multikube's credentials: an impersonated user's lack of rights is 403) fresh credentials are fetched, and a
 * request without a body is sent once more with them; a request with a body cannot be replayed, so its 401 goes
 * back and the next request uses the fresh credentials.
 *
 * <p>A {@code GET} or {@code HEAD} that goes over HTTP/1.1 (a cluster without HTTP/2, a watch, a list) takes
 * {@link Http1Upstream}, our own pooled connections; everything else Helidon's WebClient (HTTP/2, request bodies).
 */
public final class HttpForwarder {
    /** Streams stay open for as long as the cluster keeps them (sockets take at most ~24 days). */
    static final Duration STREAM_READ_TIMEOUT = Duration.ofDays(24);

    private static final String HTTP_1_1 = "http/1.1";

    private static final int UNAUTHORIZED = 401;
    private static final int DISCARD_LIMIT = 64 * 1024;
    private static final int BODY_BUFFER_BYTES = 16 * 1024;
    /** How long requests wait for another one confirming the same credentials (see ConfirmedCredentials). */
    private static final Duration CONFIRMATION_PATIENCE = Duration.ofSeconds(2);

    private final UpstreamClients clients;
    private final Duration readTimeout;
    private final UpstreamCredentialSource credentials;
    private final ConfirmedCredentials confirmed = new ConfirmedCredentials(CONFIRMATION_PATIENCE);
    private final Http1Upstream http1;

    public HttpForwarder(UpstreamClients clients, Duration readTimeout) {
        this(clients, readTimeout, UpstreamCredentialSource.kubeconfigOnly());
    }

    public HttpForwarder(UpstreamClients clients, Duration readTimeout, UpstreamCredentialSource credentials) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.http1 = new Http1Upstream(new UpstreamSockets(clients.connectTimeout()));
    }

    /**
     * @param body the request body to stream, when the request has one
     * @throws io.multikube.status.RouterException classified by {@link UpstreamFailures} when the cluster fails
     */
    public UpstreamResponse send(OutboundRequest request, Optional<InputStream> body) {
        ClusterContext context = request.context();
        Optional<UpstreamCredentials> used = credentials.forRequest(context);
        UpstreamResponse response = send(request, body, used);
        if (response.status() != UNAUTHORIZED || used.isEmpty()) {
            return response;
        }
        Optional<UpstreamCredentials> fresh = credentials.afterRejection(context, used);
        if (body.isPresent() || fresh.equals(used)) {
            return response;
        }
        discard(response);
        return send(request, body, fresh);
    }

    /** Reads the rejected answer's (small Status) body, then closes it, so its connection stays usable. */
    private static void discard(UpstreamResponse response) {
        try (response) {
            response.body().readNBytes(DISCARD_LIMIT);
        } catch (IOException | RuntimeException e) {
            System.getLogger(HttpForwarder.class.getName()).log(System.Logger.Level.DEBUG,
                    "discarding a 401 body failed: " + e);
        }
    }

    private UpstreamResponse send(OutboundRequest request, Optional<InputStream> body,
                                  Optional<UpstreamCredentials> used) {
        ClusterContext context = request.context();
        Optional<String> authorization = UpstreamCredentialSource.authorization(context, used);
        ConfirmedCredentials.Route route = needsHttp11(request, body) ? ConfirmedCredentials.Route.HTTP1
                : confirmed.route(context, used);
        boolean answered = false;
        try {
            Optional<UpstreamTls> tls = UpstreamCredentialSource.tls(context, used);
            UpstreamClient client = clients.client(context, tls);
            Duration timeout = StreamingRequests.isStreaming(request) ? STREAM_READ_TIMEOUT : readTimeout;
            boolean http11 = route == ConfirmedCredentials.Route.CONFIRM || route == ConfirmedCredentials.Route.HTTP1;
            if (Http1Upstream.carries(request, body.isPresent())
                    && (http11 || client.protocol().filter(HTTP_1_1::equals).isPresent())) {
                UpstreamResponse upstream = http1.send(request, tls, authorization, timeout);
                if (upstream.status() != UNAUTHORIZED) {
                    confirmed.accept(context, used);
                }
                answered = true;
                return upstream;
            }
            HttpClientRequest call = client.method(Method.create(request.method()))
                    .skipUriEncoding(true)
                    .path(request.target())
                    .readTimeout(timeout);
            if (http11) {
                call.protocolId(HTTP_1_1);
            } else {
                client.protocol().ifPresent(call::protocolId);
            }
            headersOf(request, authorization).forEach(call::header);
            HttpClientResponse response = body.isPresent() ? sendBody(call, body.get()) : call.request();
            if (!http11) {
                client.answered(response);
            }
            UpstreamResponse upstream = toUpstreamResponse(request.method(), response);
            if (upstream.status() != UNAUTHORIZED) {
                confirmed.accept(context, used);
            }
            answered = true;
            return upstream;
        } catch (IOException | RuntimeException e) {
            throw UpstreamFailures.classify(context.name(), e);
        } finally {
            if (route == ConfirmedCredentials.Route.CONFIRM || route == ConfirmedCredentials.Route.OPEN_HTTP2) {
                confirmed.answered(context, used, route, answered);
            }
        }
    }

    /** What the HTTP/1.1 client did with its connections (for the metrics). */
    public UpstreamConnectionStats connectionStats() {
        return http1.stats();
    }

    /** Closes the idle HTTP/1.1 connections (at shutdown). */
    public void close() {
        http1.close();
    }

    /**
     * Requests that go over HTTP/1.1 whatever the cluster offers:
     * <ul>
     * <li>Watches and follows, one connection each. Helidon 4.5's HTTP/2 client skips a stream's WINDOW_UPDATE while
     * any newer stream on the connection is active, so a watch multiplexed with newer ones stalled for good after its
     * first 64 KiB (UpstreamTlsTest.anOlderWatchKeepsStreamingWhileANewerOneIsOpen). Over HTTP/1.1 TCP does the flow
     * control, and a client that stops reading still holds the cluster back.</li>
     * <li>Lists, for the same reason: an HTTP/2 stream gets a 16 MiB window (UpstreamClients), enough for any
     * single object, but a list can be larger and would wait while newer requests keep the connection busy.</li>
     * <li>Requests with a body (see {@link #sendBody}) and requests impersonating several groups (see
     * {@link #needsSeparateFields}).</li>
     * </ul>
     */
    private static boolean needsHttp11(OutboundRequest request, Optional<InputStream> body) {
        return StreamingRequests.isStreaming(request) || body.isPresent() || needsSeparateFields(request)
                || "list".equals(request.info().verb());
    }

    /**
     * Requests with a body go over HTTP/1.1. A kube-apiserver that answers without reading the body (404 for an API
     * it does not serve, 403, 413) resets a half-sent HTTP/2 stream, and Helidon's HTTP/2 client then loses the
     * answer it already received (kubectl saw "unexpected EOF"). Over HTTP/1.1 the answer simply waits in the socket.
     */
    private static HttpClientResponse sendBody(HttpClientRequest call, InputStream body) {
        return call.outputStream(out -> copyAndClose(body, out));
    }

    /**
     * Helidon's HTTP/2 client joins repeated header fields into one ("dev, ops"), and the kube-apiserver reads each
     * {@code Impersonate-Group} field as one group. A request impersonating several groups therefore goes over
     * HTTP/1.1, which writes one field per value. (Requests with a body do too, see {@link #sendBody}.)
     */
    static boolean needsSeparateFields(OutboundRequest request) {
        return request.headers().all("Impersonate-Group").size() > 1;
    }

    private static List<Header> headersOf(OutboundRequest request, Optional<String> authorization) {
        Map<String, List<String>> grouped = new LinkedHashMap<>();
        for (Headers.Header field : request.headers().fields()) {
            grouped.computeIfAbsent(field.name(), name -> new ArrayList<>()).add(field.value());
        }
        List<Header> result = new ArrayList<>();
        grouped.forEach((name, values) -> result.add(HeaderValues.create(HeaderNames.create(name), values)));
        authorization.ifPresent(value -> result.add(HeaderValues.create(HeaderNames.AUTHORIZATION, value)));
        return result;
    }

    /**
     * Streams the body to the cluster. A cluster may answer before it has read the body (404 for an unknown API,
     * 413, 403) and close its side; writing then fails, but its answer is what the client must get, so the failure
     * ends the upload quietly and the response is read as usual (a dead connection fails there instead).
     * When reading the client's body fails (a malformed chunk, a client gone mid-upload) the upload must not end
     * cleanly: that would hand the cluster a truncated body as a complete one. It is aborted instead.
     */
    private static void copyAndClose(InputStream in, OutputStream out) {
        byte[] buffer = new byte[BODY_BUFFER_BYTES];
        try {
            for (int read = readClientBody(in, buffer); read >= 0; read = readClientBody(in, buffer)) {
                out.write(buffer, 0, read);
            }
            out.close();
        } catch (IOException | UncheckedIOException e) {
            System.getLogger(HttpForwarder.class.getName()).log(System.Logger.Level.DEBUG,
                    "the cluster stopped reading the request body: " + e);
            try {
                out.close();
            } catch (IOException | RuntimeException ignored) {
                // the cluster's answer (or the connection's failure) is read next
            }
        }
    }

    private static int readClientBody(InputStream in, byte[] buffer) {
        try {
            return in.read(buffer);
        } catch (IOException | RuntimeException e) {
            throw new RouterException.BadRequest("the request body is malformed or ended early ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static UpstreamResponse toUpstreamResponse(String method, HttpClientResponse response) {
        int status = response.status().code();
        List<Headers.Header> fields = new ArrayList<>();
        for (Header header : response.headers()) {
            for (String value : header.allValues()) {
                fields.add(new Headers.Header(header.name(), value));
            }
        }
        boolean hasBody = !"HEAD".equals(method) && status >= 200 && status != 204 && status != 304;
        Headers headers = new Headers(fields);
        InputStream body = hasBody ? pooled(response, headers) : InputStream.nullInputStream();
        return new UpstreamResponse(status, HopByHop.strip(headers), hasBody, body, response::close);
    }

    /** An HTTP/1.1 body with a length goes back to the pool once read, see {@link PoolReturningBody}. */
    private static InputStream pooled(HttpClientResponse response, Headers headers) {
        InputStream body = response.inputStream();
        if (!(response instanceof Http1ClientResponse)) {
            return body;
        }
        List<String> lengths = headers.all("Content-Length");
        if (lengths.size() != 1) {
            return body;
        }
        try {
            long length = Long.parseLong(lengths.getFirst().strip());
            return length > 0 ? new PoolReturningBody(body, length) : body;
        } catch (NumberFormatException e) {
            return body;
        }
    }
}
