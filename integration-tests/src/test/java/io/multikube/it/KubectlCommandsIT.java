package io.multikube.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.multikube.testing.Kubectl;

/**
 * Everyday kubectl commands through multikube against a real API server, unchanged. (Commands that need a kubelet
 * are in {@link LogsIT} and {@link StreamsIT}, served by a fake one; {@link UpgradeRefusalIT} covers the refusal of
 * exec and attach for a pod without a node.)
 */
@RealClusters
class KubectlCommandsIT {
    private static Clusters clusters;
    private static Path client;
    private static String namespace;

    @BeforeAll
    static void clusters() {
        clusters = Clusters.get();
        client = clusters.clientKubeconfig(Clusters.ADMIN_USER, List.of(), "alpha");
        namespace = "kubectl-" + UUID.randomUUID().toString().substring(0, 8);
        ok(clusters.through(client, "create", "namespace", namespace));
    }

    @Test
    void rawVersionIsTheClustersOwn() {
        String direct = ok(clusters.admin(clusters.alpha, "get", "--raw", "/version")).out();

        assertThat(ok(clusters.through(client, "get", "--raw", "/version")).out()).isEqualTo(direct)
                .contains("\"gitVersion\"");
    }

    @Test
    void versionShowsTheServer() {
        assertThat(ok(clusters.through(client, "version", "-o", "json")).out()).contains("\"serverVersion\"");
    }

    @Test
    void apiResourcesListsDiscovery() {
        assertThat(ok(clusters.through(client, "api-resources")).out()).contains("configmaps", "deployments",
                "customresourcedefinitions");
    }

    @Test
    void openApiV3IsReachable() {
        assertThat(ok(clusters.through(client, "get", "--raw", "/openapi/v3")).out()).contains("\"paths\"");
    }

    @Test
    void clientSideApplyPatchAndDelete() throws Exception {
        Path manifest = manifest("applied", "a: \"1\"");

        ok(clusters.through(client, "apply", "-f", manifest.toString()));
        ok(clusters.through(client, "-n", namespace, "patch", "configmap", "applied", "--type", "merge",
                "-p", "{\"data\":{\"b\":\"2\"}}"));
        ok(clusters.through(client, "-n", namespace, "patch", "configmap", "applied", "--type", "json",
                "-p", "[{\"op\":\"add\",\"path\":\"/data/c\",\"value\":\"3\"}]"));

        assertThat(ok(clusters.admin(clusters.alpha, "-n", namespace, "get", "configmap", "applied",
                "-o", "jsonpath={.data}")).out()).isEqualTo("{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"}");
        ok(clusters.through(client, "-n", namespace, "delete", "configmap", "applied"));
        assertThat(clusters.admin(clusters.alpha, "-n", namespace, "get", "configmap", "applied").exitCode())
                .isNotZero();
    }

    @Test
    void serverSideApplyRecordsTheFieldManager() throws Exception {
        Path manifest = manifest("server-applied", "x: \"y\"");

        ok(clusters.through(client, "apply", "--server-side", "--field-manager=it", "-f", manifest.toString()));

        assertThat(ok(clusters.through(client, "-n", namespace, "get", "configmap", "server-applied",
                "-o", "yaml", "--show-managed-fields")).out()).contains("manager: it", "operation: Apply");
    }

    @Test
    void watchReceivesAnEventMadeAfterItStarted() throws Exception {
        Process watch = clusters.kubectl.start(client, "-n", namespace, "get", "configmaps", "--watch",
                "--output-watch-events", "-o", "name");
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(watch.getInputStream(),
                    StandardCharsets.UTF_8));
            CompletableFuture<Boolean> seen = CompletableFuture.supplyAsync(() -> lines.lines()
                    .anyMatch(line -> line.contains("configmap/watched")));
            Thread.sleep(1_500);
            ok(clusters.admin(clusters.alpha, "-n", namespace, "create", "configmap", "watched",
                    "--from-literal=k=v"));

            assertThat(seen.get(15, TimeUnit.SECONDS)).isTrue();
        } finally {
            watch.destroy();
        }
    }

    private static Path manifest(String name, String data) throws Exception {
        return Files.writeString(Files.createTempFile("cm-", ".yaml"), "apiVersion: v1\nkind: ConfigMap\n"
                + "metadata:\n  name: " + name + "\n  namespace: " + namespace + "\ndata:\n  " + data + "\n");
    }

    private static Kubectl.Result ok(Kubectl.Result result) {
        assertThat(result.exitCode()).as(result.err()).isZero();
        return result;
    }
}
