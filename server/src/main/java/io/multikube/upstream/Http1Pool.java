package io.multikube.upstream;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import io.multikube.kubeconfig.ClusterContext;
import io.multikube.kubeconfig.UpstreamTls;

/**
 * Idle HTTP/1.1 connections to clusters, kept for the next request to the same cluster with the same TLS identity.
 * The most recently used goes first (warmest, least likely closed by the cluster); a connection idle longer than the
 * idle timeout is closed rather than used, since clusters close idle connections (the kube-apiserver after 90 s,
 * nginx after 75 s) and a request sent as that happens needs a second attempt. Expired connections are closed as the
 * pool is used, those of contexts no longer configured (a reloaded kubeconfig) included.
 */
final class Http1Pool {
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Beyond this many idle connections to one cluster, a returned connection is closed instead. */
    static final int MAX_IDLE_PER_CLUSTER = 64;

    /** Which connections can carry a request: the same context value, presenting the same client identity. */
    record Key(ClusterContext context, Optional<UpstreamTls> tls) {
        Key {
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(tls, "tls");
        }
    }

    private record Idle(Http1Connection connection, long since) {
    }

    private final Map<Key, Deque<Idle>> idle = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private final long timeoutNanos;
    private volatile long nextSweep;

    Http1Pool() {
        this(System::nanoTime, IDLE_TIMEOUT);
    }

    Http1Pool(LongSupplier clock, Duration idleTimeout) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeoutNanos = idleTimeout.toNanos();
        this.nextSweep = clock.getAsLong() + timeoutNanos;
    }

    /**
     * The most recently returned connection for this key that has not expired and received nothing while idle, if
     * any; the others met on the way are closed.
     */
    Optional<Http1Connection> take(Key key) {
        long now = clock.getAsLong();
        sweepWhenDue(now);
        Deque<Idle> connections = idle.get(key);
        if (connections == null) {
            return Optional.empty();
        }
        while (true) {
            List<Http1Connection> expired = new ArrayList<>();
            Http1Connection found = null;
            synchronized (connections) {
                for (Idle next = connections.pollFirst(); next != null; next = connections.pollFirst()) {
                    if (now - next.since() < timeoutNanos) {
                        found = next.connection();
                        break;
                    }
                    expired.add(next.connection());
                }
            }
            expired.forEach(Http1Connection::close);
            if (found == null || !found.receivedWhileIdle()) {
                return Optional.ofNullable(found);
            }
            found.close();
        }
    }

    /** Keeps a connection whose last answer was read to its end, or closes it when it cannot be kept. */
    void give(Key key, Http1Connection connection) {
        if (!connection.finishRequest()) {
            connection.close();
            return;
        }
        while (true) {
            Deque<Idle> connections = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
            synchronized (connections) {
                if (idle.get(key) != connections) {
                    continue; // a sweep removed it as empty meanwhile
                }
                if (connections.size() < MAX_IDLE_PER_CLUSTER) {
                    connections.addFirst(new Idle(connection, clock.getAsLong()));
                    return;
                }
            }
            connection.close();
            return;
        }
    }

    /** Idle connections held, all clusters together. */
    int size() {
        int total = 0;
        for (Deque<Idle> connections : idle.values()) {
            synchronized (connections) {
                total += connections.size();
            }
        }
        return total;
    }

    /** Closes every idle connection (at shutdown). */
    void close() {
        sweep(Long.MAX_VALUE, true);
    }

    private void sweepWhenDue(long now) {
        if (now - nextSweep >= 0) {
            nextSweep = now + timeoutNanos;
            sweep(now, false);
        }
    }

    private void sweep(long now, boolean all) {
        List<Http1Connection> expired = new ArrayList<>();
        idle.forEach((key, connections) -> {
            synchronized (connections) {
                // The oldest are last.
                while (!connections.isEmpty() && (all || now - connections.peekLast().since() >= timeoutNanos)) {
                    expired.add(connections.pollLast().connection());
                }
                if (connections.isEmpty()) {
                    idle.remove(key, connections);
                }
            }
        });
        expired.forEach(Http1Connection::close);
    }
}
