package io.multikube.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.testing.ProcessLines;
import io.multikube.testing.ServingStart;

/**
 * A replica that ran out of file descriptors, for real: multikube in its own JVM under {@code ulimit -n 400}, with a
 * connection cap above what that allows, and a flood of client connections. Helidon 4.5 then stops the TLS listener
 * for good ("this server socket is terminating now"); multikube must not go on reporting itself live and ready.
 */
@EnabledOnOs(OS.LINUX)
class DescriptorExhaustionTest {
    private static final int DESCRIPTOR_LIMIT = 400;

    @TempDir
    Path folder;

    @Test
    void aListenerStoppedByDescriptorExhaustionFailsLivezAndReadyz() throws Exception {
        ServingStart start = ServingStart.prepare(folder, "exhaustion CA");
        List<String> java = start.javaCommand(List.of(), "--max-connections=5000", "--cluster-probe-interval=0s")
                .stream().map(DescriptorExhaustionTest::quoted).toList();
        String command = "ulimit -n " + DESCRIPTOR_LIMIT + " && exec " + String.join(" ", java);
        Process multikube = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
        ProcessLines output = ProcessLines.follow(multikube);
        List<Socket> flood = new ArrayList<>();
        try {
            assertThat(output.await(line -> line.contains("multikube listening"), Duration.ofSeconds(60)))
                    .as("started: %s", output).isTrue();
            assertThat(start.admin("/livez").statusCode()).isEqualTo(200);

            // More connections than descriptors. A refused or reset one means the listener has stopped already
            // (closing it resets the connections still in its backlog).
            try {
                for (int i = 0; i < 2 * DESCRIPTOR_LIMIT; i++) {
                    Socket client = new Socket();
                    flood.add(client);
                    client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), start.tlsPort()), 2_000);
                }
            } catch (IOException stopped) {
                assertThat(flood.size()).as("connections before the first failure").isGreaterThan(1);
            }
            assertThat(output.await(line -> line.contains("this server socket is terminating now"),
                    Duration.ofSeconds(60))).as("Helidon stopped the listener: %s", output).isTrue();
            for (Socket client : flood) {
                client.close();
            }

            HttpResponse<String> livez = awaitStatus(start, "/livez", 503);
            assertThat(livez.statusCode()).as(livez.body()).isEqualTo(503);
            assertThat(livez.body()).contains("[-]listener:https failed: stopped accepting connections");
            assertThat(start.admin("/readyz").statusCode()).isEqualTo(503);
            assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), start.tlsPort()).close())
                    .isInstanceOf(ConnectException.class);
            assertThat(output.lines()).anyMatch(line -> line.contains("listener https")
                    && line.contains("no longer accepts connections"));
        } finally {
            for (Socket client : flood) {
                client.close();
            }
            multikube.destroy();
            multikube.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String quoted(String argument) {
        return "'" + argument.replace("'", "'\\''") + "'";
    }

    /** The listener check runs every 5 s: polls until the status shows, for at most 30 s. */
    private static HttpResponse<String> awaitStatus(ServingStart start, String path, int status)
            throws IOException, InterruptedException {
        HttpResponse<String> response = start.admin(path);
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); System.nanoTime() < deadline
                && response.statusCode() != status; Thread.sleep(200)) {
            response = start.admin(path);
        }
        return response;
    }
}
