package io.multikube.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.multikube.kubeconfig.ClusterContext;
import io.multikube.spi.credentials.UpstreamCredentials;

class ConfirmedCredentialsTest {
    private static final ClusterContext CONTEXT = new ClusterContext("dev", URI.create("https://dev.example:6443"),
            Optional.empty(), Optional.empty());
    private static final Optional<UpstreamCredentials> NONE = Optional.empty();

    @Test
    void oneRequestConfirmsWhileTheOthersWaitAndThenUseHttp2() throws Exception {
        ConfirmedCredentials confirmed = new ConfirmedCredentials(Duration.ofSeconds(10));
        assertThat(confirmed.route(CONTEXT, NONE)).isEqualTo(ConfirmedCredentials.Route.CONFIRM);

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ConfirmedCredentials.Route>> waiting = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                waiting.add(threads.submit(() -> confirmed.route(CONTEXT, NONE)));
            }
            Thread.sleep(200);
            assertThat(waiting).noneMatch(Future::isDone);

            confirmed.accept(CONTEXT, NONE);
            confirmed.answered(CONTEXT, NONE, ConfirmedCredentials.Route.CONFIRM, true);

            // One of them opens the HTTP/2 connection; the others wait for it, then share it.
            Thread.sleep(200);
            List<Future<ConfirmedCredentials.Route>> done = waiting.stream().filter(Future::isDone).toList();
            assertThat(done).hasSize(1);
            assertThat(done.getFirst().get()).isEqualTo(ConfirmedCredentials.Route.OPEN_HTTP2);
            confirmed.answered(CONTEXT, NONE, ConfirmedCredentials.Route.OPEN_HTTP2, true);

            for (Future<ConfirmedCredentials.Route> route : waiting) {
                assertThat(route.get(5, TimeUnit.SECONDS)).isIn(ConfirmedCredentials.Route.HTTP2,
                        ConfirmedCredentials.Route.OPEN_HTTP2);
            }
            assertThat(confirmed.route(CONTEXT, NONE)).isEqualTo(ConfirmedCredentials.Route.HTTP2);
        }
    }

    @Test
    void refusedCredentialsLetTheWaitingRequestsGoOverHttp11() throws Exception {
        ConfirmedCredentials confirmed = new ConfirmedCredentials(Duration.ofSeconds(10));
        confirmed.route(CONTEXT, NONE);

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<ConfirmedCredentials.Route> waiting = threads.submit(() -> confirmed.route(CONTEXT, NONE));
            Thread.sleep(100);
            confirmed.answered(CONTEXT, NONE, ConfirmedCredentials.Route.CONFIRM, true);

            assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(ConfirmedCredentials.Route.HTTP1);
        }
        assertThat(confirmed.route(CONTEXT, NONE)).as("the next request confirms again")
                .isEqualTo(ConfirmedCredentials.Route.CONFIRM);
    }

    @Test
    void waitsNoLongerThanItsPatience() {
        ConfirmedCredentials confirmed = new ConfirmedCredentials(Duration.ofMillis(200));
        confirmed.route(CONTEXT, NONE);
        long began = System.nanoTime();

        assertThat(confirmed.route(CONTEXT, NONE)).isEqualTo(ConfirmedCredentials.Route.HTTP1);
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isBetween(Duration.ofMillis(150), Duration.ofSeconds(3));
    }
}
