package io.multikube.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        TestKubeconfigs.Builder builder = TestKubeconfigs.builder();
        for (Cluster c : clusters) {
            Map<String, Object> cluster = new LinkedHashMap<>();
            cluster.put("server", c.server());
            if (c.ca() != null) {
                cluster.put("certificate-authority-data", TestKubeconfigs.base64(c.ca().certificatePem()));
            }
            Map<String, Object> user = new LinkedHashMap<>();
            if (c.client() != null) {
                user.put("client-certificate-data", TestKubeconfigs.base64(c.client().certificatePem()));
                user.put("client-key-data", TestKubeconfigs.base64(c.client().keyPem()));
            }
            if (c.token() != null) {
                user.put("token", c.token());
            }
            builder.context(c.context(), cluster, user);
        }
        clusters.stream().findFirst().ifPresent(first -> builder.currentContext(first.context()));
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return builder.write(file);
    }
}
