package io.multikube.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.auth.TokenMinter;
import io.multikube.auth.TokenRequest;
import io.multikube.testing.ProcessLines;
import io.multikube.testing.ServingStart;

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
        ServingStart start = ServingStart.prepare(folder, "start-up CA");
        Path classes = folder.resolve("classes.log");
        List<String> command = start.javaCommand(List.of("-Xlog:class+load:file=" + classes));
        Process multikube = new ProcessBuilder(command).redirectErrorStream(true).start();
        ProcessLines output = ProcessLines.follow(multikube);
        try {
            assertThat(output.await(line -> line.contains("multikube listening"), Duration.ofSeconds(60)))
                    .as("multikube started: %s", output).isTrue();
            // The first probe of the cluster builds its TLS context (and client key store): wait until it ran.
            assertThat(awaitProbe(start.metricsPort())).as("the cluster was probed").contains("context:prod");
            // A request builds the cluster's TLS context with the client certificate; the cluster is unreachable.
            String token = new TokenMinter(start.pki().ca().key()).mint(new TokenRequest("alice", List.of("prod"),
                    List.of(), Duration.ofMinutes(5), Optional.empty()));
            HttpResponse<String> answer = HttpClient.newBuilder().sslContext(start.pki().sslContext(null)).build()
                    .send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + start.tlsPort()
                                    + "/api/v1/namespaces")).header("Authorization", "Bearer " + token).build(),
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
}
