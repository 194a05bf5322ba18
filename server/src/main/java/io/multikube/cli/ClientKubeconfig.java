package io.multikube.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * A kubeconfig for kubectl that points at multikube: one context per multikube context, each with its own token.
 *
 * @param server  multikube's URL, e.g. {@code https://127.0.0.1:8443}
 * @param caPem   the CA that signed multikube's serving certificate
 * @param entries the contexts to write, in order
 */
public record ClientKubeconfig(String server, String caPem, List<Entry> entries) {
    /**
     * One context of the client kubeconfig.
     *
     * @param context    the context name, in the client kubeconfig and in multikube's
     * @param token      the token kubectl presents for it
     * @param pathPrefix whether the server URL carries {@code /clusters/<context>} (needed when a token allows
     *                   several contexts)
     */
    public record Entry(String context, String token, boolean pathPrefix) {
        public Entry {
            Objects.requireNonNull(context, "context");
            Objects.requireNonNull(token, "token");
        }
    }

    public ClientKubeconfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(caPem, "caPem");
        entries = List.copyOf(entries);
    }

    public String toYaml() {
        List<Object> clusters = new ArrayList<>();
        List<Object> users = new ArrayList<>();
        List<Object> contexts = new ArrayList<>();
        String caData = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8));
        for (Entry entry : entries) {
            String name = "multikube-" + entry.context();
            String url = entry.pathPrefix() ? server + "/clusters/" + pathSegment(entry.context()) : server;
            clusters.add(named(name, "cluster", map("server", url, "certificate-authority-data", caData)));
            users.add(named(name, "user", map("token", entry.token())));
            contexts.add(named(entry.context(), "context", map("cluster", name, "user", name)));
        }
        Map<String, Object> document = map("apiVersion", "v1", "kind", "Config", "preferences", Map.of());
        document.put("clusters", clusters);
        document.put("users", users);
        document.put("contexts", contexts);
        document.put("current-context", entries.isEmpty() ? "" : entries.getFirst().context());
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(document);
    }

    private static String pathSegment(String context) {
        return java.net.URLEncoder.encode(context, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Map<String, Object> named(String name, String key, Map<String, Object> value) {
        Map<String, Object> result = map("name", name);
        result.put(key, value);
        return result;
    }

    private static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> result = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            result.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return result;
    }
}
