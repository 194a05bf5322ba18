package io.multikube.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.multikube.pki.KeyAndCertificate;

/** Writes multikube's own (upstream) kubeconfig for tests: one context per cluster entry. */
public final class TestKubeconfig {
    /** One upstream context: its server URL, optional CA, client certificate and bearer token. */
    public record Cluster(String context, String server, KeyAndCertificate ca, KeyAndCertificate client,
                          String token) {
        public static Cluster plain(String context, int port) {
            return new Cluster(context, "http://127.0.0.1:" + port, null, null, null);
        }

        public static Cluster tls(String context, int port, KeyAndCertificate ca, KeyAndCertificate client,
                                  String token) {
            return new Cluster(context, "https://127.0.0.1:" + port, ca, client, token);
        }
    }

    private final List<Cluster> clusters = new ArrayList<>();

    public TestKubeconfig add(Cluster cluster) {
        clusters.add(cluster);
        return this;
    }

    public Path write(Path file) {
        StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: Config\ncurrent-context: ")
                .append(clusters.isEmpty() ? "none" : clusters.getFirst().context()).append("\nclusters:\n");
        for (Cluster c : clusters) {
            yaml.append("- name: ").append(c.context()).append("-cluster\n  cluster:\n    server: ")
                    .append(c.server()).append('\n');
            if (c.ca() != null) {
                yaml.append("    certificate-authority-data: ").append(base64(c.ca().certificatePem())).append('\n');
            }
        }
        yaml.append("users:\n");
        for (Cluster c : clusters) {
            yaml.append("- name: ").append(c.context()).append("-user\n  user:\n");
            if (c.client() != null) {
                yaml.append("    client-certificate-data: ").append(base64(c.client().certificatePem())).append('\n')
                        .append("    client-key-data: ").append(base64(c.client().keyPem())).append('\n');
            }
            if (c.token() != null) {
                yaml.append("    token: ").append(c.token()).append('\n');
            }
            if (c.client() == null && c.token() == null) {
                yaml.append("    {}\n");
            }
        }
        yaml.append("contexts:\n");
        for (Cluster c : clusters) {
            yaml.append("- name: ").append(c.context()).append("\n  context:\n    cluster: ").append(c.context())
                    .append("-cluster\n    user: ").append(c.context()).append("-user\n");
        }
        return TestPki.write(file, yaml.toString());
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
