package io.multikube.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Writes kubeconfig files for tests. Each {@link Builder#context} adds a context with a cluster and a user of
 * the same name, whose fields are given as maps, so a test can write any field, valid or not:
 * <pre>{@code
 * Path file = TestKubeconfigs.builder()
 *         .context("prod", Map.of("server", "https://127.0.0.1:6443",
 *                         "certificate-authority-data", TestKubeconfigs.base64(ca.certificatePem())),
 *                 Map.of("token", "secret"))
 *         .write(dir.resolve("config"));
 * }</pre>
 */
public final class TestKubeconfigs {
    private TestKubeconfigs() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Base64 of the text's UTF-8 bytes, as {@code *-data} fields hold PEM. */
    public static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Collects contexts, clusters and users; not thread-safe. */
    public static final class Builder {
        private final List<Map<String, Object>> contexts = new ArrayList<>();
        private final List<Map<String, Object>> clusters = new ArrayList<>();
        private final List<Map<String, Object>> users = new ArrayList<>();
        private String currentContext;

        private Builder() {
        }

        /** A context {@code name} with a cluster and a user also called {@code name}. */
        public Builder context(String name, Map<String, ?> cluster, Map<String, ?> user) {
            return context(name, name, name).cluster(name, cluster).user(name, user);
        }

        /** A context that refers to a cluster and a user by name; either may be null to leave it out. */
        public Builder context(String name, String cluster, String user) {
            Map<String, Object> context = new LinkedHashMap<>();
            if (cluster != null) {
                context.put("cluster", cluster);
            }
            if (user != null) {
                context.put("user", user);
            }
            contexts.add(named(name, "context", context));
            return this;
        }

        public Builder cluster(String name, Map<String, ?> fields) {
            clusters.add(named(name, "cluster", fields));
            return this;
        }

        public Builder user(String name, Map<String, ?> fields) {
            users.add(named(name, "user", fields));
            return this;
        }

        public Builder currentContext(String name) {
            this.currentContext = Objects.requireNonNull(name, "name");
            return this;
        }

        public String yaml() {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("apiVersion", "v1");
            root.put("kind", "Config");
            if (currentContext != null) {
                root.put("current-context", currentContext);
            }
            root.put("clusters", clusters);
            root.put("users", users);
            root.put("contexts", contexts);
            DumperOptions options = new DumperOptions();
            options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
            return new Yaml(options).dump(root);
        }

        /** Writes {@link #yaml()} to the file and returns it. */
        public Path write(Path file) {
            try {
                Files.writeString(file, yaml());
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static Map<String, Object> named(String name, String key, Map<String, ?> fields) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", Objects.requireNonNull(name, "name"));
            entry.put(key, new LinkedHashMap<>(fields));
            return entry;
        }
    }
}
