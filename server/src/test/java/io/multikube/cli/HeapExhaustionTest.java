package io.multikube.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.testing.ProcessLines;
import io.multikube.testing.ServingStart;
import io.multikube.testing.TestPki;

/**
 * A flood of TLS connections against a small heap, for real: multikube in its own JVM with 64 MiB of heap and the
 * flags it runs with ({@code -XX:+ExitOnOutOfMemoryError}). Each open TLS connection holds ~93 KB of buffers in
 * Helidon's listener, so 800 of them would need more heap than there is (before the automatic connection cap took the
 * heap into account, such a flood ended a 1 GiB container after ~8,400). The cap accepts what a quarter of the heap
 * holds (here the floor, 256); the rest wait in the backlog, and one is served as soon as another closes.
 */
class HeapExhaustionTest {
    private static final int FLOOD = 800;
    private static final int FLOOR = 256;

    @TempDir
    Path folder;

    @Test
    void aConnectionFloodWaitsInTheBacklogInsteadOfExhaustingTheHeap() throws Exception {
        ServingStart start = ServingStart.prepare(folder, "heap CA");
        List<String> java = start.javaCommand(List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError"),
                "--cluster-probe-interval=0s");
        Process multikube = new ProcessBuilder(java).redirectErrorStream(true).start();
        ProcessLines output = ProcessLines.follow(multikube);
        SSLContext tls = TestPki.trusting(start.pki().ca().certificatePem());
        List<Socket> flood = new ArrayList<>();
        try {
            assertThat(output.await(line -> line.contains("multikube listening"), Duration.ofSeconds(60)))
                    .as("started: %s", output).isTrue();

            SSLSocket waiting = null;
            int handshaken = 0;
            for (int i = 0; i < FLOOD && waiting == null; i++) {
                SSLSocket client = open(tls, start.tlsPort());
                flood.add(client);
                try {
                    client.startHandshake();
                    handshaken++;
                } catch (SocketTimeoutException beyondTheCap) {
                    waiting = client;
                } catch (IOException e) {
                    throw new AssertionError("handshake " + (handshaken + 1) + " failed, multikube "
                            + (multikube.isAlive() ? "alive" : "gone") + ": " + output, e);
                }
            }
            assertThat(multikube.isAlive()).as("alive after %d handshakes: %s", handshaken, output).isTrue();
            assertThat(handshaken).as("connections accepted").isEqualTo(FLOOR);
            assertThat(waiting).as("a connection beyond the cap waits").isNotNull();
            for (int i = 0; i < FLOOD - FLOOR; i++) {
                flood.add(new Socket(InetAddress.getLoopbackAddress(), start.tlsPort()));
            }
            assertThat(start.admin("/livez").statusCode()).isEqualTo(200);

            flood.removeFirst().close();
            waiting.setSoTimeout(10_000);
            waiting.startHandshake();
            assertThat(waiting.getSession().isValid()).as("served once another closed").isTrue();
            assertThat(multikube.isAlive()).as("%s", output).isTrue();
            assertThat(output.lines()).noneMatch(line -> line.contains("OutOfMemoryError"));
        } finally {
            for (Socket client : flood) {
                client.close();
            }
            multikube.destroy();
            multikube.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A TLS connection whose handshake gives up after a second: one the listener has not accepted. */
    private static SSLSocket open(SSLContext tls, int port) throws IOException {
        SSLSocket client = (SSLSocket) tls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        SSLParameters parameters = client.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        client.setSSLParameters(parameters);
        client.setSoTimeout(1_000);
        return client;
    }
}
