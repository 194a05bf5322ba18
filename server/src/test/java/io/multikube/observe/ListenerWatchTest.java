package io.multikube.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A listener that stops accepting fails liveness and readiness; real sockets on loopback. */
class ListenerWatchTest {
    private final Readiness readiness = new Readiness();

    @Test
    void anAcceptingListenerPasses() throws IOException {
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             ListenerWatch watch = watching(listening.getLocalPort())) {
            watch.checkAll();

            assertThat(readiness.checks()).contains(new Readiness.Check("listener:https", true, ""));
            assertThat(readiness.alive()).isTrue();
            assertThat(readiness.ready()).isTrue();
        }
    }

    @Test
    void aListenerThatRefusesFailsLivenessAndReadiness() throws IOException {
        ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        int port = listening.getLocalPort();
        try (ListenerWatch watch = watching(port)) {
            watch.checkAll();
            listening.close();

            watch.checkAll();

            assertThat(readiness.alive()).isFalse();
            assertThat(readiness.ready()).isFalse();
            assertThat(readiness.livenessChecks()).singleElement().satisfies(check -> {
                assertThat(check.name()).isEqualTo("listener:https");
                assertThat(check.passed()).isFalse();
                assertThat(check.detail()).startsWith("stopped accepting connections");
            });
        }
    }

    @Test
    void aListenerAcceptingAgainPassesAgain() throws IOException {
        ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        int port = listening.getLocalPort();
        listening.close();
        try (ListenerWatch watch = watching(port)) {
            watch.checkAll();
            assertThat(readiness.alive()).isFalse();

            try (ServerSocket again = new ServerSocket()) {
                again.setReuseAddress(true);
                again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                watch.checkAll();

                assertThat(readiness.alive()).isTrue();
            }
        }
    }

    /**
     * At its connection cap Helidon stops calling {@code accept}: connects then complete in the kernel's backlog, and
     * once that is full they time out. Neither is a stopped listener, and neither may fail liveness (a restart would
     * drop every open watch of a replica that is only busy).
     */
    @Test
    void aListenerThatStopsCallingAcceptIsNotReportedStopped() throws IOException {
        List<Socket> queued = new ArrayList<>();
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ListenerWatch watch = watching(busy.getLocalPort())) {
            watch.checkAll();
            assertThat(readiness.alive()).isTrue();

            try {
                for (int i = 0; i < 16; i++) {
                    Socket client = new Socket();
                    queued.add(client);
                    client.connect(busy.getLocalSocketAddress(), 500);
                }
            } catch (SocketTimeoutException backlogFull) {
                watch.checkAll();
            }

            assertThat(queued).as("the backlog filled up").hasSizeLessThan(16);
            assertThat(readiness.alive()).isTrue();
            assertThat(readiness.livenessChecks()).singleElement().extracting(Readiness.Check::passed).isEqualTo(true);
        } finally {
            for (Socket client : queued) {
                client.close();
            }
        }
    }

    private ListenerWatch watching(int port) {
        return new ListenerWatch(List.of(new ListenerWatch.Listener("https",
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port))), readiness);
    }
}
