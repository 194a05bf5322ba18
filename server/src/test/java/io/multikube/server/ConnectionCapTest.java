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

    @Test
    void derivesTheCapFromTheDescriptorLimitUnlessConfigured() {
        assertThat(ConnectionCap.resolve(0, 65_536)).isEqualTo(32_512);
        assertThat(ConnectionCap.resolve(0, 1_024)).isEqualTo(256);
        assertThat(ConnectionCap.resolve(0, -1)).isEqualTo(ConnectionCap.UNLIMITED);
        assertThat(ConnectionCap.resolve(5_000, 65_536)).isEqualTo(5_000);
        assertThat(ConnectionCap.resolve(-1, 65_536)).isEqualTo(ConnectionCap.UNLIMITED);
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
