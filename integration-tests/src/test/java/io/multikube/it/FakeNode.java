package io.multikube.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import io.multikube.testing.Kubectl;

/**
 * Registers a {@link FakeKubelet} with a cluster as a Node, and puts pods on it. No kubelet or scheduler runs, so the
 * administrator writes what they would: the node's address and kubelet port (where the API server sends logs,
 * exec, attach and port-forward), the pod's node, and a pod status that reads Running (kubectl refuses exec, attach
 * and port-forward otherwise).
 */
final class FakeNode {
    private FakeNode() {
    }

    /** Creates the node {@code name} whose kubelet is {@code kubelet}. */
    static void register(Clusters clusters, TestCluster cluster, String name, FakeKubelet kubelet) {
        ok(clusters.admin(cluster, "apply", "-f", manifest("node", "apiVersion: v1\nkind: Node\nmetadata:\n  name: "
                + name + "\n")));
        ok(clusters.admin(cluster, "patch", "node", name, "--subresource=status", "--type=merge", "-p",
                "{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],"
                        + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":" + kubelet.port() + "}}}}"));
    }

    /** Creates a pod with one container on {@code node} and marks it running. */
    static void runningPod(Clusters clusters, TestCluster cluster, String namespace, String pod, String container,
                           String node) {
        ok(clusters.admin(cluster, "apply", "-f", manifest("pod", "apiVersion: v1\nkind: Pod\nmetadata:\n"
                + "  name: " + pod + "\n  namespace: " + namespace + "\nspec:\n  nodeName: " + node + "\n"
                + "  containers:\n  - name: " + container + "\n    image: busybox\n    stdin: true\n")));
        ok(clusters.admin(cluster, "-n", namespace, "patch", "pod", pod, "--subresource=status", "--type=merge", "-p",
                "{\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}],"
                        + "\"containerStatuses\":[{\"name\":\"" + container + "\",\"ready\":true,\"started\":true,"
                        + "\"restartCount\":0,\"image\":\"busybox\",\"imageID\":\"fake\","
                        + "\"state\":{\"running\":{\"startedAt\":\"2025-01-01T00:00:00Z\"}}}]}}"));
    }

    private static String manifest(String name, String yaml) {
        try {
            return Files.writeString(Files.createTempFile(name + "-", ".yaml"), yaml).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Kubectl.Result ok(Kubectl.Result result) {
        if (result.exitCode() != 0) {
            throw new IllegalStateException("kubectl exited with " + result.exitCode() + " (expected: 0): "
                    + result.err());
        }
        return result;
    }
}
