package io.multikube.upstream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import io.multikube.kubeconfig.UpstreamTls;
import io.multikube.pipeline.Headers;
import io.multikube.pipeline.OutboundRequest;

/**
 * Sends requests without a body ({@code GET}, {@code HEAD}) to a cluster over HTTP/1.1 connections of our own,
 * pooled per cluster and client identity. Measured against Helidon's HTTP/1.1 client on the same path, that client
 * was the largest part of a proxied GET's CPU (~35 %), copied every body once more and allocated a buffer per read,
 * and each parked watch sat 14 frames deeper on top of an 8 KiB read buffer of its own.
 *
 * <p>A connection taken from the pool may have been closed by the cluster while idle. When it ends (or is reset)
 * before the first byte of an answer, the request — safe to repeat, having no body — goes once more on a new
 * connection, as Go's and the JDK's clients do. A timeout is not taken for a closed connection: it is the cluster's
 * answer being late.
 */
final class Http1Upstream {
    /** Fields written here, or that must not cross a hop, or that describe a body these requests do not have. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "upgrade", "keep-alive",
            "proxy-connection", "te", "trailer", "transfer-encoding", "authorization", "proxy-authorization",
            "content-length", "expect");

    private final UpstreamSockets sockets;
    private final Http1Pool pool;
    private final LongAdder opened = new LongAdder();
    private final LongAdder reused = new LongAdder();
    private final LongAdder resent = new LongAdder();

    Http1Upstream(UpstreamSockets sockets) {
        this(sockets, new Http1Pool());
    }

    Http1Upstream(UpstreamSockets sockets, Http1Pool pool) {
        this.sockets = Objects.requireNonNull(sockets, "sockets");
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** Whether a request goes this way: it has no body, and its method has none either. */
    static boolean carries(OutboundRequest request, boolean hasBody) {
        return !hasBody && ("GET".equals(request.method()) || "HEAD".equals(request.method()));
    }

    /**
     * @param tls           the context's TLS, presenting the request's client certificate, if any
     * @param authorization the cluster credentials' {@code Authorization} value, if any
     * @param readTimeout   bound on each read of the answer
     * @throws IOException when the cluster cannot be reached, does not answer in time or answers malformed
     */
    UpstreamResponse send(OutboundRequest request, Optional<UpstreamTls> tls, Optional<String> authorization,
                          Duration readTimeout) throws IOException {
        Http1Pool.Key key = new Http1Pool.Key(request.context(), tls);
        byte[] head = requestHead(request, authorization);
        Optional<Http1Connection> pooled = pool.take(key);
        if (pooled.isPresent()) {
            if (sentOnPooled(pooled.get(), head, readTimeout)) {
                reused.increment();
                return answer(key, pooled.get(), request.method());
            }
            resent.increment();
        }
        Http1Connection fresh = Http1Connection.over(sockets.connect(request.context(), tls));
        opened.increment();
        try {
            fresh.send(head, readTimeout);
            if (!fresh.answerStarts()) {
                throw new EOFException("the cluster closed the connection without answering");
            }
        } catch (IOException | RuntimeException e) {
            fresh.close();
            throw e;
        }
        return answer(key, fresh, request.method());
    }

    /** Sends on a pooled connection; false (and closed) when the cluster had closed it before it got the request. */
    private static boolean sentOnPooled(Http1Connection connection, byte[] head, Duration readTimeout)
            throws IOException {
        try {
            connection.send(head, readTimeout);
            if (connection.answerStarts()) {
                return true;
            }
        } catch (SocketTimeoutException e) {
            connection.close();
            throw e;
        } catch (IOException e) {
            // reset, or a TLS close while idle: the request did not get through
        }
        connection.close();
        return false;
    }

    private UpstreamResponse answer(Http1Pool.Key key, Http1Connection connection, String method)
            throws IOException {
        try {
            HttpHead head = connection.readHead();
            boolean hasBody = !"HEAD".equals(method) && head.code() != 204 && head.code() != 304;
            Runnable atEnd = keepsConnection(head) ? () -> pool.give(key, connection) : connection::close;
            Headers headers = HopByHop.strip(head.headers());
            if (!hasBody) {
                atEnd.run();
                return new UpstreamResponse(head.code(), headers, false, InputStream.nullInputStream(), () -> { });
            }
            Http1Body body = Http1Body.of(head, connection, atEnd);
            return new UpstreamResponse(head.code(), headers, true, body, body::close);
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    /**
     * Whether the connection can carry another request after this answer: HTTP/1.1 without {@code Connection:
     * close}, and not framed by both {@code Transfer-Encoding} and {@code Content-Length} (RFC 9112 6.3: such a
     * message is a smuggling attempt or a broken server, and the connection ends with it).
     */
    static boolean keepsConnection(HttpHead head) {
        Headers headers = head.headers();
        boolean closes = headers.nominatedByConnection().contains("close");
        boolean bothFramings = headers.contains("Transfer-Encoding") && headers.contains("Content-Length");
        return "HTTP/1.1".equals(head.version()) && !closes && !bothFramings;
    }

    static byte[] requestHead(OutboundRequest request, Optional<String> authorization) {
        StringBuilder head = new StringBuilder(512)
                .append(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n");
        UpgradeRelay.field(head, "Host", UpgradeRelay.hostField(request.context().server()));
        for (Headers.Header header : request.headers().fields()) {
            if (!NOT_FORWARDED.contains(header.lowerCaseName())) {
                UpgradeRelay.field(head, header.name(), header.value());
            }
        }
        authorization.ifPresent(value -> UpgradeRelay.field(head, "Authorization", value));
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    UpstreamConnectionStats stats() {
        return new UpstreamConnectionStats(opened.sum(), reused.sum(), resent.sum(), pool.size());
    }

    /** Closes the idle connections (at shutdown; connections in use close with their answers). */
    void close() {
        pool.close();
    }
}
