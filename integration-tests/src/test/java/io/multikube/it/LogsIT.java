package io.multikube.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.multikube.testing.Kubectl;

/**
 * {@code kubectl logs} and {@code logs -f} through multikube and the real kube-apiserver, which fetches the log
 * from a kubelet: here the fake one (a kubelet cannot run on this machine), registered as the pod's node.
 */
@RealClusters(fakeKubelet = true)
class LogsIT {
    private static Clusters clusters;
    private static FakeKubelet kubelet;
    private static Path client;
    private static String namespace;

    @BeforeAll
    static void podOnAFakeNode() throws Exception {
        clusters = Clusters.get();
        namespace = "logs-" + UUID.randomUUID().toString().substring(0, 8);
        kubelet = FakeKubelet.start(clusters.folder().resolve("kubelet-" + namespace));
        String node = "fake-node-" + namespace;
        ok(clusters.admin(clusters.alpha, "create", "namespace", namespace));
        ok(clusters.admin(clusters.alpha, "-n", namespace, "create", "serviceaccount", "default"));
        FakeNode.register(clusters, clusters.alpha, node, kubelet);
        FakeNode.runningPod(clusters, clusters.alpha, namespace, "logger", "app", node);
        client = clusters.clientKubeconfig(Clusters.ADMIN_USER, List.of(), "alpha");
    }

    @AfterAll
    static void stopKubelet() {
        kubelet.close();
    }

    @Test
    void logsReadTheSameThroughMultikubeAsDirectly() {
        Kubectl.Result through = ok(clusters.through(client, "-n", namespace, "logs", "logger"));
        Kubectl.Result direct = ok(clusters.admin(clusters.alpha, "-n", namespace, "logs", "logger"));

        assertThat(through.out().lines().toList())
                .isEqualTo(IntStream.range(0, FakeKubelet.LINES).mapToObj(FakeKubelet::line).toList())
                .isEqualTo(direct.out().lines().toList());
    }

    @Test
    void followedLogLinesArriveAsTheyAreWritten() throws Exception {
        Process follow = clusters.kubectl.start(client, "-n", namespace, "logs", "-f", "logger");
        List<Long> arrivals = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(follow.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                assertThat(line).isEqualTo(FakeKubelet.line(arrivals.size()));
                arrivals.add(System.nanoTime());
            }
        }
        assertThat(follow.waitFor()).isZero();
        assertThat(arrivals).hasSize(FakeKubelet.LINES);
        for (int i = 1; i < arrivals.size(); i++) {
            assertThat(Duration.ofNanos(arrivals.get(i) - arrivals.get(i - 1))).as("gap before line %d", i)
                    .isGreaterThan(FakeKubelet.GAP.dividedBy(2));
        }
    }

    private static Kubectl.Result ok(Kubectl.Result result) {
        assertThat(result.exitCode()).as(result.err()).isZero();
        return result;
    }
}
