package io.multikube.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class StreamLanesTest {
    private final AtomicInteger made = new AtomicInteger();
    private final List<Integer> closed = new CopyOnWriteArrayList<>();

    private StreamLanes<Integer> lanes(int streamsPerLane, Duration patience) {
        return new StreamLanes<>(made::incrementAndGet, closed::add, streamsPerLane, patience);
    }

    @Test
    void theFirstStreamOpensWhileTheOthersWaitThenShareItsConnection() throws Exception {
        StreamLanes<Integer> lanes = lanes(100, Duration.ofSeconds(10));
        StreamLanes.Ticket<Integer> first = lanes.take();
        assertThat(first.opens()).isTrue();

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<StreamLanes.Ticket<Integer>>> waiting = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                waiting.add(threads.submit(lanes::take));
            }
            Thread.sleep(200);
            assertThat(waiting).noneMatch(Future::isDone);

            lanes.answered(first, true);

            for (Future<StreamLanes.Ticket<Integer>> ticket : waiting) {
                assertThat(ticket.get(5, TimeUnit.SECONDS).opens()).isFalse();
                assertThat(ticket.get().client()).isEqualTo(first.client());
            }
        }
        assertThat(lanes.streams()).containsExactly(21);
        assertThat(made).hasValue(1);
    }

    @Test
    void whenTheOpeningStreamFailsOneOfTheWaitingOpensInstead() throws Exception {
        StreamLanes<Integer> lanes = lanes(100, Duration.ofSeconds(10));
        StreamLanes.Ticket<Integer> first = lanes.take();

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<StreamLanes.Ticket<Integer>>> waiting = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                waiting.add(threads.submit(lanes::take));
            }
            Thread.sleep(100);
            lanes.answered(first, false);
            lanes.release(first);

            Thread.sleep(200);
            List<Future<StreamLanes.Ticket<Integer>>> done = waiting.stream().filter(Future::isDone).toList();
            assertThat(done).hasSize(1);
            assertThat(done.getFirst().get().opens()).isTrue();

            lanes.answered(done.getFirst().get(), true);
            for (Future<StreamLanes.Ticket<Integer>> ticket : waiting) {
                assertThat(ticket.get(5, TimeUnit.SECONDS)).isNotNull();
            }
        }
        assertThat(lanes.streams()).containsExactly(5);
    }

    @Test
    void waitsNoLongerThanItsPatienceAndThenGoesAheadWithoutOpening() throws Exception {
        StreamLanes<Integer> lanes = lanes(100, Duration.ofMillis(200));
        lanes.take();
        long began = System.nanoTime();

        StreamLanes.Ticket<Integer> second = lanes.take();

        assertThat(second.opens()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isBetween(Duration.ofMillis(150), Duration.ofSeconds(3));
    }

    @Test
    void aFullLaneSendsTheNextStreamToANewLane() throws Exception {
        StreamLanes<Integer> lanes = lanes(3, Duration.ofSeconds(10));
        List<StreamLanes.Ticket<Integer>> tickets = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            StreamLanes.Ticket<Integer> ticket = lanes.take();
            lanes.answered(ticket, true);
            tickets.add(ticket);
        }

        assertThat(lanes.streams()).containsExactly(3, 3, 1);
        assertThat(tickets.stream().filter(StreamLanes.Ticket::opens)).hasSize(3);
        assertThat(tickets.stream().map(StreamLanes.Ticket::client).distinct()).containsExactly(1, 2, 3);
    }

    @Test
    void aLaneBeyondTheFirstClosesWithItsLastStreamAndTheFirstStays() throws Exception {
        StreamLanes<Integer> lanes = lanes(1, Duration.ofSeconds(10));
        StreamLanes.Ticket<Integer> first = lanes.take();
        StreamLanes.Ticket<Integer> second = lanes.take();

        lanes.release(second);
        assertThat(closed).containsExactly(2);
        lanes.release(first);

        assertThat(closed).containsExactly(2);
        assertThat(lanes.streams()).containsExactly(0);
        assertThat(lanes.take().opens()).as("an idle lane's connection may be gone: the next stream opens it")
                .isTrue();
    }

    @Test
    void freedRoomInAnEarlierLaneIsFilledFirst() throws Exception {
        StreamLanes<Integer> lanes = lanes(2, Duration.ofSeconds(10));
        StreamLanes.Ticket<Integer> first = lanes.take();
        lanes.answered(first, true);
        lanes.answered(lanes.take(), true);
        lanes.answered(lanes.take(), true);

        lanes.release(first);
        StreamLanes.Ticket<Integer> next = lanes.take();

        assertThat(next.client()).isEqualTo(1);
        assertThat(next.opens()).isFalse();
        assertThat(lanes.streams()).containsExactly(2, 1);
    }

    @Test
    void retiredLanesCloseWhenTheirLastStreamEnds() throws Exception {
        StreamLanes<Integer> lanes = lanes(1, Duration.ofSeconds(10));
        StreamLanes.Ticket<Integer> busy = lanes.take();
        StreamLanes.Ticket<Integer> idle = lanes.take();
        lanes.release(idle);
        closed.clear();

        lanes.retire();
        assertThat(closed).isEmpty();
        lanes.release(busy);

        assertThat(closed).containsExactly(1);
        assertThat(lanes.streams()).isEmpty();
    }

    @Test
    void retiringClosesIdleLanesAtOnce() throws Exception {
        StreamLanes<Integer> lanes = lanes(1, Duration.ofSeconds(10));
        lanes.release(lanes.take());

        lanes.retire();

        assertThat(closed).containsExactly(1);
    }

    @Test
    void releasingTwiceCountsOnce() throws Exception {
        StreamLanes<Integer> lanes = lanes(10, Duration.ofSeconds(10));
        StreamLanes.Ticket<Integer> first = lanes.take();
        lanes.answered(first, true);
        lanes.take();

        lanes.release(first);
        lanes.release(first);

        assertThat(lanes.streams()).containsExactly(1);
    }

    @Test
    void anInterruptedWaitGivesItsPlaceBack() throws Exception {
        StreamLanes<Integer> lanes = lanes(10, Duration.ofSeconds(30));
        lanes.take();
        Thread waiter = Thread.ofVirtual().start(() -> {
            try {
                lanes.take();
            } catch (InterruptedException expected) {
                // the place is given back
            }
        });
        Thread.sleep(100);
        assertThat(lanes.streams()).containsExactly(2);

        waiter.interrupt();
        waiter.join(5_000);

        assertThat(lanes.streams()).containsExactly(1);
    }
}
