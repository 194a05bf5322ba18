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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.http.http2.Http2Exception;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.ServerResponse;
import io.multikube.observe.RequestTrail;
import io.multikube.pipeline.Headers;
import io.multikube.pipeline.OutboundRequest;
import io.multikube.status.RouterException;
import io.multikube.upstream.HttpForwarder;
import io.multikube.upstream.UpstreamResponse;

/**
 * The last step: forwards a request to its cluster and streams the answer back, flushing whenever no more bytes
 * are waiting so watch events and log lines leave at once.
 */
final class ClusterAnswer implements ResponseStep {
    private static final System.Logger LOG = System.getLogger(ClusterAnswer.class.getName());
    private static final int BUFFER_SIZE = 16 * 1024;
    /**
     * Watches and follows carry small events and stay open for minutes, thousands at once: their buffer is held all
     * that time (16 KiB each was 160 MiB of heap at 10,000 watches) and sized to what the stream sends.
     */
    private static final int STREAM_BUFFER_MIN = 512;

    private final HttpForwarder forwarder;
    private final StreamDeadlines deadlines;

    ClusterAnswer(HttpForwarder forwarder, StreamDeadlines deadlines) {
        this.forwarder = Objects.requireNonNull(forwarder, "forwarder");
        this.deadlines = Objects.requireNonNull(deadlines, "deadlines");
    }

    @Override
    public void answer(Exchange exchange) {
        RequestTrail trail = exchange.trail();
        ServerResponse response = exchange.response();
        AtomicBoolean endedByUs = new AtomicBoolean();
        long sent = System.nanoTime();
        try (UpstreamResponse upstream = forwarder.send(exchange.outbound(), exchange.body());
             StreamDeadlines.Deadline deadline = endWhenTokenExpires(exchange, () -> {
                 endedByUs.set(true);
                 upstream.close();
             })) {
            trail.upstreamAnswered(java.time.Duration.ofNanos(System.nanoTime() - sent));
            if (exchange.streaming()) {
                trail.started(upstream.status());
            }
            Optional<String> stream = exchange.streaming() ? Optional.of(exchange.outbound().auditId())
                    : Optional.empty();
            long bytes = relay(upstream, upstream.hasBody() ? exchange.tap().body(upstream) : upstream.body(),
                    response, endedByUs::get, stream);
            if (endedByUs.get()) {
                exchange.outbound().identity().expiresAt().ifPresent(expiry ->
                        trail.annotate(StreamDeadlines.ENDED, StreamDeadlines.reason(expiry)));
            }
            trail.completed(upstream.status(), bytes);
        } catch (RouterException e) {
            trail.failed(e);
            StatusResponses.send(response, e);
        } catch (UncheckedIOException e) {
            trail.failed(new RouterException.ServiceUnavailable("the connection to the cluster broke", e));
            throw e;
        } catch (RuntimeException e) {
            trail.failed(new RouterException.InternalError("internal error in multikube", e));
            throw e;
        }
    }

    /** A stream ends cleanly when its token expires: the cluster's side is closed, the client's body finished. */
    private StreamDeadlines.Deadline endWhenTokenExpires(Exchange exchange, Runnable end) {
        if (!exchange.streaming()) {
            return StreamDeadlines.Deadline.NONE;
        }
        OutboundRequest outbound = exchange.outbound();
        return deadlines.schedule(outbound.identity().expiresAt(), outbound.auditId(), end);
    }

    /**
     * Sends the cluster's answer on; returns the body bytes the client was sent.
     *
     * @param stream the audit ID of a watch or follow, whose relay gets a thread of its own
     */
    private static long relay(UpstreamResponse upstream, InputStream body, ServerResponse response,
                              BooleanSupplier endedByUs, Optional<String> stream) {
        long length = upstream.hasBody() ? contentLength(upstream.headers()) : 0;
        // Read before any of the answer is set on the response: cut short, it is our 503 and not the cluster's head.
        Optional<byte[]> whole = stream.isEmpty() && length > 0 && length <= BUFFER_SIZE
                ? Optional.of(readWhole(body, (int) length)) : Optional.empty();
        response.status(Status.create(upstream.status()));
        groupByName(upstream.headers()).forEach((name, values) ->
                response.header(HeaderValues.create(HeaderNames.create(name), values)));
        if (!upstream.hasBody()) {
            response.send();
            return 0;
        }
        if (whole.isPresent()) {
            return sendWhole(whole.get(), response);
        }
        OutputStream out = response.outputStream();
        // A quiet watch must not hold back the status line: clients wait for the headers before any event.
        // (HTTP/2 sends them on this flush; Helidon's HTTP/1.1 response still waits for the first body bytes.)
        if (!writeClient(out, new byte[0], 0, InputStream.nullInputStream())) {
            return 0;
        }
        // With a Content-Length the body is complete once that many bytes arrived: reading on would only meet the
        // stream's end, or a reset the cluster sends after its answer (which Helidon's HTTP/2 client reports as an
        // error), and turn a complete answer into a broken one.
        if (stream.isPresent()) {
            return onOwnThread("stream-relay-" + stream.get(),
                    () -> copy(body, out, length, relayBuffer(true), endedByUs), upstream::close);
        }
        return copy(body, out, length, relayBuffer(false), endedByUs);
    }

    /**
     * A small answer of known length — most single objects — is read whole and then sent with its head in one write:
     * no output stream with a buffer of its own and flushes for every request. Cut short, the client has been sent
     * nothing yet, and gets a 503.
     */
    private static byte[] readWhole(InputStream body, int length) {
        byte[] bytes = new byte[length];
        int filled = 0;
        while (filled < length) {
            int read;
            try {
                read = body.read(bytes, filled, length - filled);
            } catch (IOException | UncheckedIOException e) {
                throw cutShort(filled, length, e);
            }
            if (read < 0) {
                throw cutShort(filled, length, null);
            }
            filled += read;
        }
        return bytes;
    }

    private static long sendWhole(byte[] bytes, ServerResponse response) {
        try {
            response.send(bytes);
            return bytes.length;
        } catch (UncheckedIOException | CloseConnectionException | Http2Exception e) {
            LOG.log(Level.DEBUG, "client went away before its answer: " + e);
            return 0;
        }
    }

    private static RouterException cutShort(int received, int length, Exception cause) {
        return new RouterException.ServiceUnavailable("the cluster's answer broke off after " + received + " of its "
                + length + " bytes", cause);
    }

    /** Copies the body to the client until it ends (or the client goes away); returns the bytes sent. */
    private static long copy(InputStream body, OutputStream out, long length, RelayBuffer buffer,
                             BooleanSupplier endedByUs) {
        long remaining = length;
        long sent = 0;
        while (remaining != 0) {
            int read = readUpstream(body, buffer.bytes(), endedByUs);
            if (read < 0) {
                break;
            }
            remaining = remaining < 0 ? remaining : Math.max(0, remaining - read);
            if (!writeClient(out, buffer.bytes(), read, body)) {
                // The client went away; closing the upstream response (by the caller) cancels the request.
                return sent;
            }
            sent += read;
            buffer.filled(read);
        }
        writeClient(out, buffer.bytes(), -1, body);
        return sent;
    }

    /**
     * Runs a stream's relay on a virtual thread of its own while the handler's thread waits. A watch parks between
     * events for minutes, and its parked stack is a heap object that moves with every event: a young collection
     * copies the stacks of the watches that had an event since the last one. Parked under Helidon's handler that
     * stack is 42 frames deep, on a thread of its own 23; the handler's thread parks once and stays put. Measured at
     * 10,000 watches: the hold's last young pause copied for 21–22 instead of 34–57 ms (README).
     */
    private static long onOwnThread(String name, Callable<Long> relay, Runnable stop) {
        FutureTask<Long> task = new FutureTask<>(relay);
        Thread thread = Thread.ofVirtual().name(name).start(task);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    // The server is stopping this connection: end the stream, and wait for the relay to let go of
                    // the response before the handler returns.
                    interrupted = true;
                    stop.run();
                    thread.interrupt();
                }
            }
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw new IllegalStateException("relay failed", e.getCause());
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A stream's buffer follows what it sends; other answers relayed here are large or of unknown length. */
    private static RelayBuffer relayBuffer(boolean streaming) {
        return streaming ? RelayBuffer.adaptive(STREAM_BUFFER_MIN, BUFFER_SIZE) : RelayBuffer.fixed(BUFFER_SIZE);
    }

    /** The body's declared length, or -1 when the cluster streams it (chunked, HTTP/2 without a length). */
    private static long contentLength(Headers headers) {
        try {
            return headers.first("Content-Length").map(String::strip).map(Long::parseLong).orElse(-1L);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Reads from the cluster; a cluster that breaks mid-body must not look like a complete response. */
    private static int readUpstream(InputStream in, byte[] buffer, BooleanSupplier endedByUs) {
        try {
            return in.read(buffer);
        } catch (IOException | UncheckedIOException e) {
            if (endedByUs.getAsBoolean()) {
                // We closed the cluster's side (the token expired): the client's body ends cleanly.
                return -1;
            }
            // Thrown past the handler, Helidon closes the connection instead of ending the body cleanly.
            throw new UncheckedIOException("the cluster broke the response stream",
                    e instanceof IOException io ? io : ((UncheckedIOException) e).getCause());
        }
    }

    /**
     * Writes to the client, flushing whenever no more upstream bytes are waiting so watch events and log lines
     * leave at once; {@code length < 0} closes the body. Returns false when the client went away.
     */
    private static boolean writeClient(OutputStream out, byte[] buffer, int length, InputStream in) {
        try {
            if (length < 0) {
                out.close();
                return true;
            }
            out.write(buffer, 0, length);
            if (in.available() == 0) {
                out.flush();
            }
            return true;
        } catch (IOException | UncheckedIOException | CloseConnectionException | Http2Exception e) {
            // Helidon reports a client that went away as a CloseConnectionException (its connection closed) or an
            // Http2Exception (its HTTP/2 connection failed), not as an IOException: no error of ours.
            LOG.log(Level.DEBUG, "client went away mid-stream: " + e);
            return false;
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
