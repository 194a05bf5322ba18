package io.multikube.spi.audit;

import java.time.Duration;

/**
 * Where audit events go. Created by an {@link AuditSinkProvider}.
 *
 * <p>Threading: {@link #record} is called concurrently from many request threads; implementations are
 * thread-safe. Events of one request arrive in stage order. Lifecycle: {@link #close} is called once on shutdown,
 * after the last {@code record}; it must write out every event accepted before returning.
 */
public interface AuditSink extends AutoCloseable {
    /**
     * Accepts one event. May block to apply back-pressure (a full queue), but must not drop an accepted event.
     *
     * @param event the event; never null
     * @throws AuditException when the event cannot be accepted (the sink is failing, for example a full disk);
     *                        the server then answers the request as the configured failure policy says
     */
    void record(AuditEvent event);

    /**
     * Whether events can be written now. The server checks it before forwarding a request, so a sink that
     * cannot write (a full disk) can refuse requests before anything happens on a cluster.
     *
     * @return empty when healthy, otherwise why not (shown to clients and operators)
     */
    default java.util.Optional<String> failure() {
        return java.util.Optional.empty();
    }

    /**
     * Waits until every event accepted so far is written, at most {@code timeout}.
     *
     * @return whether everything was written in time
     */
    default boolean flush(Duration timeout) {
        return true;
    }

    /**
     * The sink's counters, for metrics; read often, so cheap. The default knows none.
     *
     * @since 1.1
     */
    default Stats stats() {
        return Stats.UNKNOWN;
    }

    /**
     * A sink's counters.
     *
     * @param queued      events accepted and not yet written; -1 when the sink does not know
     * @param writeErrors failed write attempts since start (each retried); -1 when the sink does not know
     * @since 1.1
     */
    record Stats(long queued, long writeErrors) {
        /** Nothing known. */
        public static final Stats UNKNOWN = new Stats(-1, -1);
    }

    /** Writes out every accepted event and releases files and connections. Never throws for a write error. */
    @Override
    default void close() {
    }
}
