package io.multikube.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.multikube.testing.Kubectl;

/**
 * exec and attach through multikube reach the real API server's upgrade handling. The pod never gets a node (no
 * scheduler runs locally, no node matches its selector on k3s), so the server refuses the upgrade: kubectl tries
 * WebSocket, receives the refusal, falls back to SPDY, and must print exactly what it prints without multikube.
 */
@RealClusters
class UpgradeRefusalIT {
    private static Clusters clusters;
    private static Path client;
    private static String namespace;

    @BeforeAll
    static void pendingPod() {
        clusters = Clusters.get();
        namespace = "upgrade-" + UUID.randomUUID().toString().substring(0, 8);
        clusters.admin(clusters.alpha, "create", "namespace", namespace);
        // Local clusters run no controller-manager, so the service account a pod needs is created by hand (k3s has
        // one already); no node matches the selector, so even k3s's scheduler leaves the pod without a host.
        clusters.admin(clusters.alpha, "-n", namespace, "create", "serviceaccount", "default");
        Kubectl.Result pod = clusters.admin(clusters.alpha, "-n", namespace, "run", "pending", "--image=busybox",
                "--restart=Never", "--overrides={\"spec\":{\"nodeSelector\":{\"multikube.io/no-such-node\":\"x\"}}}");
        assertThat(pod.exitCode()).as(pod.err()).isZero();
        client = clusters.clientKubeconfig(Clusters.ADMIN_USER, List.of(), "alpha");
    }

    @Test
    void execRefusalReadsAsItDoesDirectly() {
        assertSameAsDirect("exec", "pending", "--", "true");
    }

    @Test
    void execWithStdinRefusalReadsAsItDoesDirectly() {
        assertSameAsDirect("exec", "-i", "pending", "--", "cat");
    }

    @Test
    void attachRefusalReadsAsItDoesDirectly() {
        assertSameAsDirect("attach", "pending");
    }

    private static void assertSameAsDirect(String... command) {
        String[] args = prepend(command);

        Kubectl.Result through = clusters.through(client, args);
        Kubectl.Result direct = clusters.admin(clusters.alpha, args);

        assertThat(direct.err()).contains("does not have a host assigned");
        assertThat(through.exitCode()).isEqualTo(direct.exitCode());
        assertThat(through.err().strip()).isEqualTo(direct.err().strip());
    }

    private static String[] prepend(String... command) {
        String[] args = new String[command.length + 2];
        args[0] = "-n";
        args[1] = namespace;
        System.arraycopy(command, 0, args, 2, command.length);
        return args;
    }
}
