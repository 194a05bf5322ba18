package io.multikube.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Kubeconfig files the suite writes by hand, since the test clusters bring a CA file rather than a key pair:
 * multikube's own (one context per cluster, its impersonate-only token) and an administrator's for one cluster.
 */
final class UpstreamKubeconfig {
    private UpstreamKubeconfig() {
    }

    /** multikube's kubeconfig: each cluster's CA file and the impersonate-only multikube token. */
    static Path write(Path file, List<TestCluster> clusters) {
        StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n");
        for (TestCluster cluster : clusters) {
            yaml.append("- name: ").append(cluster.name()).append("\n  cluster:\n    server: ")
                    .append(cluster.server()).append("\n    certificate-authority: ").append(cluster.caFile())
                    .append('\n');
        }
        yaml.append("users:\n");
        for (TestCluster cluster : clusters) {
            yaml.append("- name: ").append(cluster.name()).append("\n  user:\n    token: ")
                    .append(cluster.multikubeToken()).append('\n');
        }
        yaml.append("contexts:\n");
        for (TestCluster cluster : clusters) {
            yaml.append("- name: ").append(cluster.name()).append("\n  context:\n    cluster: ")
                    .append(cluster.name()).append("\n    user: ").append(cluster.name()).append('\n');
        }
        return write(file, yaml.toString());
    }

    /** A kubeconfig that reaches the cluster directly as its administrator (system:masters). */
    static Path admin(Path file, TestCluster cluster) {
        return write(file, "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n"
                + "    server: " + cluster.server() + "\n    certificate-authority: " + cluster.caFile()
                + "\nusers:\n- name: u\n  user:\n    token: " + cluster.adminToken()
                + "\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\n");
    }

    private static Path write(Path file, String yaml) {
        try {
            return Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
