package io.multikube.upstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Spreads one cluster's long-lived streams over HTTP/2 clients, each holding at most {@code streamsPerLane} of them
 * on its one pooled connection, and keeps a burst from opening a connection per stream.
 *
 * <p>The JDK's client pools one HTTP/2 connection per origin, and every request that finds none opens its own: 1,000
 * watches arriving together would open 1,000 TLS connections, each then kept by its watch. So a lane's first stream
 * opens the connection while the others wait for its answer (at most {@code patience}). And a lane takes no more
 * streams than a server must allow (RFC 9113 asks for at least 100), so the client never overflows its connection.
 * Lanes beyond the first are closed once their last stream ends; a retired set (kubeconfig reloaded, client
 * certificate changed) closes each lane once its last stream ends.
 *
 * @param <C> the client of a lane
 */
final class StreamLanes<C> {
    private final Supplier<C> newClient;
    private final Consumer<C> closeClient;
    private final int streamsPerLane;
    private final Duration patience;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition opened = lock.newCondition();
    private final List<Lane<C>> lanes = new ArrayList<>();
    private boolean retired;

    StreamLanes(Supplier<C> newClient, Consumer<C> closeClient, int streamsPerLane, Duration patience) {
        this.newClient = Objects.requireNonNull(newClient, "newClient");
        this.closeClient = Objects.requireNonNull(closeClient, "closeClient");
        if (streamsPerLane < 1) {
            throw new IllegalArgumentException("streamsPerLane: " + streamsPerLane + " (expected: >= 1)");
        }
        this.streamsPerLane = streamsPerLane;
        this.patience = Objects.requireNonNull(patience, "patience");
    }

    /** A stream's place in a lane. Give it back with {@link #release} once the stream has ended. */
    static final class Ticket<C> {
        private final Lane<C> lane;
        private final boolean opens;
        private final AtomicBoolean released = new AtomicBoolean();

        private Ticket(Lane<C> lane, boolean opens) {
            this.lane = lane;
            this.opens = opens;
        }

        C client() {
            return lane.client;
        }

        /** True for the stream that opens its lane's connection: report with {@link #answered}. */
        boolean opens() {
            return opens;
        }
    }

    private static final class Lane<C> {
        private final C client;
        private int streams;
        private State state = State.IDLE;

        private Lane(C client) {
            this.client = client;
        }
    }

    private enum State { IDLE, OPENING, OPEN }

    /** A place for one more stream; waits while its lane's connection is being opened (at most the patience). */
    Ticket<C> take() throws InterruptedException {
        lock.lock();
        try {
            Lane<C> lane = laneWithRoom();
            lane.streams++;
            Ticket<C> follows = new Ticket<>(lane, false);
            long left = TimeUnit.NANOSECONDS.convert(patience);
            try {
                while (lane.state == State.OPENING && left > 0) {
                    left = opened.awaitNanos(left);
                }
            } catch (InterruptedException e) {
                release(follows);
                throw e;
            }
            if (lane.state == State.IDLE) {
                lane.state = State.OPENING;
                return new Ticket<>(lane, true);
            }
            // Open, or the opening stream took too long: go ahead (the client opens a connection if it must).
            return follows;
        } finally {
            lock.unlock();
        }
    }

    private Lane<C> laneWithRoom() {
        for (Lane<C> lane : lanes) {
            if (lane.streams < streamsPerLane) {
                return lane;
            }
        }
        Lane<C> lane = new Lane<>(newClient.get());
        lanes.add(lane);
        return lane;
    }

    /** The opening stream's outcome: answered means its connection is up, so the streams waiting can share it. */
    void answered(Ticket<C> ticket, boolean answered) {
        if (!ticket.opens) {
            return;
        }
        lock.lock();
        try {
            if (ticket.lane.state == State.OPENING) {
                ticket.lane.state = answered ? State.OPEN : State.IDLE;
            }
            opened.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The stream ended (or never started). Releasing twice is harmless. */
    void release(Ticket<C> ticket) {
        if (ticket == null || !ticket.released.compareAndSet(false, true)) {
            return;
        }
        lock.lock();
        try {
            Lane<C> lane = ticket.lane;
            lane.streams--;
            if (lane.streams > 0) {
                return;
            }
            // Idle: its connection may time out, so the next stream opens it again.
            lane.state = State.IDLE;
            if (retired || lanes.size() > 1) {
                lanes.remove(lane);
                closeClient.accept(lane.client);
            }
        } finally {
            lock.unlock();
        }
    }

    /** No new streams come here; each lane closes once its last stream ends. */
    void retire() {
        lock.lock();
        try {
            retired = true;
            lanes.removeIf(lane -> {
                boolean idle = lane.streams == 0;
                if (idle) {
                    closeClient.accept(lane.client);
                }
                return idle;
            });
        } finally {
            lock.unlock();
        }
    }

    /** Streams per lane, in lane order (tests and diagnostics). */
    List<Integer> streams() {
        lock.lock();
        try {
            return lanes.stream().map(lane -> lane.streams).toList();
        } finally {
            lock.unlock();
        }
    }
}
