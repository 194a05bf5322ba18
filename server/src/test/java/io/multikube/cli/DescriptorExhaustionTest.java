package io.multikube.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.pki.KeyAndCertificate;
import io.multikube.testing.TestKubeconfig;
import io.multikube.testing.TestPki;

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
        TestPki pki = TestPki.create("exhaustion CA");
        KeyAndCertificate serving = pki.server("127.0.0.1");
        TestPki cluster = TestPki.create("cluster CA");
        Path kubeconfig = new TestKubeconfig()
                .add(TestKubeconfig.Cluster.tls("prod", 1, cluster.ca(), cluster.client("multikube"), null))
                .write(folder.resolve("kubeconfig"));
        int metricsPort = freePort();
        int tlsPort = freePort();
        String java = ProcessHandle.current().info().command().orElseThrow();
        String command = String.join(" ", List.of("ulimit -n " + DESCRIPTOR_LIMIT, "&&", "exec", quoted(java),
                "-cp", quoted(System.getProperty("java.class.path")), "io.multikube.Main",
                quoted("--tls-certificate=" + TestPki.write(folder.resolve("serving.pem"), serving.certificatePem())),
                quoted("--tls-key=" + TestPki.write(folder.resolve("serving-key.pem"), serving.keyPem())),
                quoted("--tls-signer-certificate=" + TestPki.write(folder.resolve("signer.pem"),
                        pki.ca().certificatePem())),
                "--host=127.0.0.1", "--tls-port=" + tlsPort, "--metrics-port=" + metricsPort,
                "--max-connections=5000", "--cluster-probe-interval=0s",
                quoted("--kubeconfig=" + kubeconfig), quoted("--state-dir=" + folder.resolve("state"))));
        Process multikube = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        CompletableFuture.runAsync(() -> collect(multikube, output));
        List<Socket> flood = new ArrayList<>();
        try {
            assertThat(awaitLine(output, line -> line.contains("multikube listening"))).as("started: %s", output)
                    .isTrue();
            assertThat(admin(metricsPort, "/livez").statusCode()).isEqualTo(200);

            // More connections than descriptors; refused ones mean the listener has stopped already.
            try {
                for (int i = 0; i < 2 * DESCRIPTOR_LIMIT; i++) {
                    Socket client = new Socket();
                    flood.add(client);
                    client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), tlsPort), 2_000);
                }
            } catch (ConnectException refused) {
                assertThat(flood.size()).as("connections before the first refusal").isGreaterThan(1);
            }
            assertThat(awaitLine(output, line -> line.contains("this server socket is terminating now")))
                    .as("Helidon stopped the listener: %s", output).isTrue();
            for (Socket client : flood) {
                client.close();
            }

            HttpResponse<String> livez = awaitStatus(metricsPort, "/livez", 503);
            assertThat(livez.statusCode()).as(livez.body()).isEqualTo(503);
            assertThat(livez.body()).contains("[-]listener:https failed: stopped accepting connections");
            assertThat(admin(metricsPort, "/readyz").statusCode()).isEqualTo(503);
            assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), tlsPort).close())
                    .isInstanceOf(ConnectException.class);
            assertThat(output).anyMatch(line -> line.contains("listener https")
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static HttpResponse<String> admin(int metricsPort, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + metricsPort + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The listener check runs every 5 s: polls until the status shows, for at most 30 s. */
    private static HttpResponse<String> awaitStatus(int metricsPort, String path, int status)
            throws IOException, InterruptedException {
        HttpResponse<String> response = admin(metricsPort, path);
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); System.nanoTime() < deadline
                && response.statusCode() != status; Thread.sleep(200)) {
            response = admin(metricsPort, path);
        }
        return response;
    }

    private static boolean awaitLine(List<String> output, Predicate<String> wanted) throws InterruptedException {
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); System.nanoTime() < deadline;
                Thread.sleep(100)) {
            synchronized (output) {
                if (output.stream().anyMatch(wanted)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void collect(Process multikube, List<String> output) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(multikube.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                synchronized (output) {
                    output.add(line);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}
