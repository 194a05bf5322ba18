package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.testing.ProxyFixture;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfig;

class ConnectionCapTest {
    @TempDir
    Path folder;

    private static final long BIG_HEAP = 64L << 30;

    @Test
    void derivesTheCapFromTheDescriptorLimitUnlessConfigured() {
        assertThat(ConnectionCap.resolve(0, 65_536, BIG_HEAP)).isEqualTo(32_512);
        assertThat(ConnectionCap.resolve(0, 1_024, BIG_HEAP)).isEqualTo(256);
        assertThat(ConnectionCap.resolve(0, -1, -1)).isEqualTo(ConnectionCap.UNLIMITED);
        assertThat(ConnectionCap.resolve(5_000, 65_536, BIG_HEAP)).isEqualTo(5_000);
        assertThat(ConnectionCap.resolve(-1, 65_536, BIG_HEAP)).isEqualTo(ConnectionCap.UNLIMITED);
    }

    /**
     * A 1 GiB container (the image's heap: 75 % of it) must survive a dial storm of 10,000 TLS connections, which at
     * ~93 KB each would need more heap than it has: a quarter of the heap's worth of connections are accepted.
     */
    @Test
    void boundsTheAutomaticCapByTheHeapButNotAConfiguredOne() {
        long containerHeap = 768L << 20;
        assertThat(ConnectionCap.resolve(0, 20_000, containerHeap)).isEqualTo(2_048);
        assertThat(ConnectionCap.resolve(0, -1, containerHeap)).isEqualTo(2_048);
        assertThat(ConnectionCap.resolve(0, 20_000, 16L << 20)).as("the floor").isEqualTo(256);
        assertThat(ConnectionCap.resolve(9_000, 20_000, containerHeap)).isEqualTo(9_000);
        assertThat(ConnectionCap.resolve(0, 20_000, 64L << 30)).as("descriptors bound a large heap").isEqualTo(9_744);
    }

    /** Requests are bounded by descriptors only: many share one HTTP/2 connection and cost the heap far less. */
    @Test
    void theRequestBudgetIgnoresTheHeap() {
        assertThat(ConnectionCap.descriptorBudget(5_000)).isEqualTo(5_000);
        assertThat(ConnectionCap.forDescriptors(20_000)).isEqualTo(9_744);
        assertThat(ConnectionCap.forHeap(Long.MAX_VALUE)).isEqualTo(ConnectionCap.UNLIMITED);
    }

    /** At the cap, a new connection waits in the backlog, and is served as soon as a slow one goes away. */
    @Test
    void aConnectionBeyondTheCapWaitsUntilAnotherCloses() throws Exception {
        try (RecordingUpstream upstream = RecordingUpstream.plain()) {
            ProxyFixture proxy = ProxyFixture.start(folder, new TestKubeconfig().add(TestKubeconfig.Cluster.plain(
                    "dev", upstream.port())), ProxyFixture.Options.defaults().withMaxConnections(3));
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.plainPort());
                    socket.getOutputStream().write("GET /api HTTP/1.1\r\nHost: m\r\n".getBytes(StandardCharsets.US_ASCII));
                    slow.add(socket);
                }
                try (Socket waiting = new Socket(InetAddress.getLoopbackAddress(), proxy.plainPort())) {
                    waiting.setSoTimeout(1_500);
                    waiting.getOutputStream().write(("GET /api HTTP/1.1\r\nHost: m\r\nAuthorization: Bearer "
                            + proxy.token("alice", "dev") + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));

                    assertThat(firstLine(waiting.getInputStream())).as("beyond the cap").isEqualTo("no answer yet");

                    slow.removeFirst().close();
                    waiting.setSoTimeout(10_000);
                    assertThat(firstLine(waiting.getInputStream())).startsWith("HTTP/1.1 200");
                }
            } finally {
                for (Socket socket : slow) {
                    socket.close();
                }
                proxy.close();
            }
        }
    }

    private static String firstLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        try {
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
                line.append((char) c);
            }
        } catch (SocketTimeoutException e) {
            return line.isEmpty() ? "no answer yet" : line.toString();
        }
        return line.toString().strip();
    }
}
