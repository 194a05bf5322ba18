package io.multikube.kubeconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterAll;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Coverage-guided fuzzing of the kubeconfig loader. A kubeconfig either loads — every context it could not use
 * explained in its own words — or is refused with a {@link KubeconfigException}; nothing else may happen, and no
 * context may fail through an exception the loader did not expect (which it reports as "cannot be used (class)").
 * Inputs are raw YAML, or kubeconfigs (as JSON, which is YAML) whose every field may hold a value of any type.
 *
 * <p>Every build replays the corpus in {@code KubeconfigLoaderFuzzTestInputs}; {@code scripts/fuzz.sh} fuzzes.
 */
class KubeconfigLoaderFuzzTest {
    /** Loading warns about every problem; at fuzzing speed that is noise. Kept referenced, or JUL forgets it. */
    private static final Logger QUIET = quiet("io.multikube.kubeconfig");
    private static final Path FILE = temporaryFile();
    private static final List<String> SERVERS = List.of("https://127.0.0.1:6443", "http://a:1", "https://[::1]:443",
            "https://a.example/prefix/", "ftp://x", "https://", "//host", "https://user:pw@host:6443", "not a url");

    @FuzzTest(maxDuration = "30s")
    void loadsOrRefusesClearly(FuzzedDataProvider data) throws IOException {
        String text = data.consumeBoolean() ? JSONObjectUtils.toJSONString(kubeconfig(data))
                : data.consumeRemainingAsString();
        Files.writeString(FILE, text);

        Kubeconfig loaded;
        try {
            loaded = KubeconfigLoader.load(FILE);
        } catch (KubeconfigException refused) {
            assertThat(refused.getMessage()).startsWith("kubeconfig ");
            return;
        }

        assertThat(loaded.problems().values())
                .allSatisfy(problem -> assertThat(problem).doesNotContain("cannot be used (java."));
        loaded.contexts().values().forEach(context -> {
            assertThat(context.server().getScheme()).isIn("https", "http");
            assertThat(context.server().getHost()).isNotEmpty();
        });
    }

    private static Map<String, Object> kubeconfig(FuzzedDataProvider data) {
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("server", data.consumeBoolean() ? data.pickValue(SERVERS) : value(data, 0));
        optional(data, cluster, "certificate-authority-data", "insecure-skip-tls-verify", "tls-server-name",
                "proxy-url", "certificate-authority");
        Map<String, Object> user = new LinkedHashMap<>();
        optional(data, user, "token", "tokenFile", "client-certificate-data", "client-key-data", "exec",
                "username", "auth-provider", "as");
        if (data.consumeBoolean()) {
            Map<String, Object> exec = new LinkedHashMap<>();
            exec.put("apiVersion", value(data, 0));
            exec.put("command", value(data, 0));
            exec.put("args", value(data, 0));
            exec.put("env", value(data, 0));
            user.put("exec", exec);
        }
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("cluster", data.consumeBoolean() ? "c" : value(data, 0));
        context.put("user", data.consumeBoolean() ? "u" : value(data, 0));
        optional(data, context, "namespace");
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("apiVersion", data.consumeBoolean() ? "v1" : value(data, 0));
        document.put("kind", data.consumeBoolean() ? "Config" : value(data, 0));
        document.put("clusters", entries(data, "cluster", "c", cluster));
        document.put("users", entries(data, "user", "u", user));
        document.put("contexts", entries(data, "context", data.consumeBoolean() ? "a" : data.consumeString(12),
                context));
        return document;
    }

    private static Object entries(FuzzedDataProvider data, String kind, String name, Map<String, Object> body) {
        if (data.consumeInt(0, 9) == 0) {
            return value(data, 0);
        }
        List<Object> entries = new ArrayList<>();
        int count = data.consumeInt(1, 3);
        for (int i = 0; i < count; i++) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", i == 0 ? name : value(data, 0));
            entry.put(kind, i == 0 ? body : value(data, 0));
            entries.add(entry);
        }
        return entries;
    }

    private static void optional(FuzzedDataProvider data, Map<String, Object> into, String... keys) {
        for (String key : keys) {
            if (data.consumeInt(0, 3) == 0) {
                into.put(key, value(data, 0));
            }
        }
    }

    /** A JSON value of any type, so every field meets the wrong ones too. */
    private static Object value(FuzzedDataProvider data, int depth) {
        return switch (data.consumeInt(0, depth < 2 ? 6 : 4)) {
            case 0 -> data.consumeString(60);
            case 1 -> data.consumeLong();
            case 2 -> data.consumeBoolean();
            case 3 -> data.consumeRegularDouble();
            case 4 -> null;
            case 5 -> List.of(String.valueOf(value(data, depth + 1)), String.valueOf(value(data, depth + 1)));
            default -> Map.of(data.consumeString(10), String.valueOf(value(data, depth + 1)));
        };
    }

    private static Logger quiet(String name) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(Level.OFF);
        return logger;
    }

    private static Path temporaryFile() {
        try {
            return Files.createTempFile("fuzzed-kubeconfig", ".yaml");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void removeTheFile() throws IOException {
        Files.deleteIfExists(FILE);
    }
}
