package io.multikube.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.auth.TokenMinter;
import io.multikube.auth.TokenRequest;
import io.multikube.pki.KeyAndCertificate;
import io.multikube.testing.TestKubeconfig;
import io.multikube.testing.TestPki;

/**
 * What a start of {@code multikube} must not do, checked on a real start in its own JVM: each of these cost a
 * measured share of the time to ready on one core (issue 8's start-up scenario), and nothing in serving needs them.
 * <ul>
 * <li>load a Bouncy Castle class: its jars are signed, and the first class verifies an 835 KB manifest (~0.7 s);</li>
 * <li>derive a key store password with PBKDF2 (PKCS#12's 10,000 rounds, twice per key: ~0.7 s for the first);</li>
 * <li>load the JDK's root certificates when every trust is named (~0.2 s).</li>
 * </ul>
 * The start serves TLS with a signer, and routes a request to a cluster with its own CA and a client certificate.
 */
class ServingStartUpTest {
    @TempDir
    Path folder;

    @Test
    void servingLoadsNoBouncyCastleNoPbkdf2AndNoRootStore() throws Exception {
        TestPki pki = TestPki.create("start-up CA");
        KeyAndCertificate serving = pki.server("127.0.0.1");
        TestPki cluster = TestPki.create("cluster CA");
        Path kubeconfig = new TestKubeconfig()
                .add(TestKubeconfig.Cluster.tls("prod", 1, cluster.ca(), cluster.client("multikube"), null))
                .write(folder.resolve("kubeconfig"));
        Path classes = folder.resolve("classes.log");
        int metricsPort = freePort();
        int tlsPort = freePort();
        List<String> command = List.of(ProcessHandle.current().info().command().orElseThrow(),
                "-Xlog:class+load:file=" + classes, "-cp", System.getProperty("java.class.path"),
                "io.multikube.Main",
                "--tls-certificate=" + TestPki.write(folder.resolve("serving.pem"), serving.certificatePem()),
                "--tls-key=" + TestPki.write(folder.resolve("serving-key.pem"), serving.keyPem()),
                "--tls-signer-certificate=" + TestPki.write(folder.resolve("signer.pem"), pki.ca().certificatePem()),
                "--host=127.0.0.1", "--tls-port=" + tlsPort, "--metrics-port=" + metricsPort, "--kubeconfig=" + kubeconfig,
                "--state-dir=" + folder.resolve("state"));
        Process multikube = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try {
            CompletableFuture<Boolean> listening = CompletableFuture.supplyAsync(() -> awaitListening(multikube,
                    output));

            assertThat(listening.get(60, TimeUnit.SECONDS)).as("multikube started: %s", output).isTrue();
            // The first probe of the cluster builds its TLS context (and client key store): wait until it ran.
            assertThat(awaitProbe(metricsPort)).as("the cluster was probed").contains("context:prod");
            // A request builds the cluster's TLS context with the client certificate; the cluster is unreachable.
            String token = new TokenMinter(pki.ca().key()).mint(new TokenRequest("alice", List.of("prod"), List.of(),
                    Duration.ofMinutes(5), Optional.empty()));
            HttpResponse<String> answer = HttpClient.newBuilder().sslContext(pki.sslContext(null)).build().send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + tlsPort + "/api/v1/namespaces"))
                            .header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
        } finally {
            multikube.destroy();
            multikube.waitFor(10, TimeUnit.SECONDS);
        }

        List<String> loaded = Files.readAllLines(classes);
        assertThat(loaded).anyMatch(line -> line.contains(" io.multikube.server.MultikubeServer "));
        assertThat(loaded).noneMatch(line -> line.contains(" org.bouncycastle."));
        assertThat(loaded).noneMatch(line -> line.contains("PBKDF2"));
        assertThat(loaded).noneMatch(line -> line.contains(" sun.security.ssl.TrustStoreManager$TrustAnchorManager "));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The readiness report once it names the cluster, which it does after the first probe. */
    private static String awaitProbe(int metricsPort) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest readyz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/readyz?verbose"))
                .build();
        String report = "";
        for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); System.nanoTime() < deadline
                && !report.contains("context:prod"); Thread.sleep(100)) {
            report = client.send(readyz, HttpResponse.BodyHandlers.ofString()).body();
        }
        return report;
    }

    private static boolean awaitListening(Process multikube, List<String> output) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(multikube.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                synchronized (output) {
                    output.add(line);
                }
                if (line.contains("multikube listening")) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
