package io.multikube.observe;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Whether the client listeners still accept connections, told to {@link Readiness}. Helidon 4.5 stops a listener for
 * good when {@code accept} itself fails, as it does when the process has run out of file descriptors ("this server
 * socket is terminating now"); the process and its metrics listener live on, so {@code /readyz} and {@code /livez}
 * would go on answering ok for a replica that refuses every new client. A TCP connect to each listener tells: refused
 * means stopped. A connect that fails otherwise (no descriptor left for the probe's own socket, a timeout while the
 * listener is at its connection cap) proves nothing and changes nothing.
 */
public final class ListenerWatch implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ListenerWatch.class.getName());
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    /** A client listener by the name its check carries, and where to connect to it. */
    public record Listener(String name, InetSocketAddress address) {
        public Listener {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(address, "address");
        }
    }

    private final List<Listener> listeners;
    private final Readiness readiness;
    private final ScheduledExecutorService schedule;
    private final Map<String, Boolean> last = new ConcurrentHashMap<>();

    public ListenerWatch(List<Listener> listeners, Readiness readiness) {
        this.listeners = List.copyOf(listeners);
        this.readiness = Objects.requireNonNull(readiness, "readiness");
        this.schedule = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("listener-watch")
                .factory());
    }

    /** Checks every {@code interval}, the first time after one interval; a zero interval checks never. */
    public ListenerWatch start(Duration interval) {
        if (!interval.isZero()) {
            schedule.scheduleWithFixedDelay(this::checkAll, interval.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Connects to each listener once and records those that answered or refused. */
    void checkAll() {
        for (Listener listener : listeners) {
            switch (connect(listener.address())) {
                case ACCEPTING -> record(listener, true, "");
                case REFUSED -> record(listener, false, "stopped accepting connections (see the log for why); "
                        + "restart multikube");
                case UNKNOWN -> {
                }
            }
        }
    }

    private enum Outcome { ACCEPTING, REFUSED, UNKNOWN }

    private static Outcome connect(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, (int) CONNECT_TIMEOUT.toMillis());
            return Outcome.ACCEPTING;
        } catch (ConnectException e) {
            return Outcome.REFUSED;
        } catch (IOException e) {
            return Outcome.UNKNOWN;
        }
    }

    private void record(Listener listener, boolean accepting, String detail) {
        readiness.listener(listener.name(), accepting, detail);
        Boolean before = last.put(listener.name(), accepting);
        if (!Objects.equals(before, accepting) && !accepting) {
            LOG.log(Level.ERROR, "listener " + listener.name() + " (" + listener.address()
                    + ") no longer accepts connections: /livez and /readyz now fail; restart multikube");
        } else if (Boolean.FALSE.equals(before) && accepting) {
            LOG.log(Level.INFO, "listener " + listener.name() + " accepts connections again");
        }
    }

    @Override
    public void close() {
        schedule.shutdownNow();
    }
}
