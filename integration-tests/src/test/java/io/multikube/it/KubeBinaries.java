package io.multikube.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * Finds kube-apiserver and etcd built by {@code scripts/build-kube-binaries.sh} in
 * {@code ~/.kubeapitest/k8s/<version>-linux-amd64/} ({@code $KUBEAPITEST_DIR} like the script, or one folder named
 * by {@code $KUBE_BINARIES_DIR}). The version is {@code $MULTIKUBE_KUBE_VERSION}, else the one the script pins, so
 * a machine holding several builds tests what CI tests; the newest is the last resort. Without binaries the suite
 * builds them when {@code MULTIKUBE_BUILD_KUBE=1}, fails under {@code CI=true}, and is skipped with instructions
 * otherwise.
 */
record KubeBinaries(Path folder, String version) {
    private static final Pattern FOLDER = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)-linux-amd64");
    private static final Pattern PINNED = Pattern.compile("(?m)^DEFAULT_K8S_VERSION=(\\S+)$");
    private static final String SCRIPT = "scripts/build-kube-binaries.sh";

    Path apiServer() {
        return folder.resolve("kube-apiserver");
    }

    Path etcd() {
        return folder.resolve("etcd");
    }

    static KubeBinaries require() {
        Optional<KubeBinaries> found = find();
        if (found.isEmpty() && buildRequested()) {
            build();
            found = find();
        }
        if (found.isPresent()) {
            return found.get();
        }
        String message = missing();
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message + ". CI requires the real API server suite");
        }
        Assumptions.abort(message);
        throw new IllegalStateException("unreachable");
    }

    /** Whether {@link #require()} would find the binaries, or build them ({@code MULTIKUBE_BUILD_KUBE=1}). */
    static boolean available() {
        return find().isPresent() || buildRequested();
    }

    /** What is missing and how to get it. */
    static String missing() {
        return "no kube-apiserver and etcd " + wanted().map(v -> v + " ").orElse("") + "in " + root()
                + "/*-linux-amd64: run " + SCRIPT + " (Go needed; 15-30 minutes once), or set MULTIKUBE_BUILD_KUBE=1"
                + " to let the suite run it, or KUBE_BINARIES_DIR to a folder holding both";
    }

    private static boolean buildRequested() {
        return "1".equals(System.getenv("MULTIKUBE_BUILD_KUBE"));
    }

    private static Optional<KubeBinaries> find() {
        String explicit = System.getenv("KUBE_BINARIES_DIR");
        if (explicit != null) {
            return Optional.of(Path.of(explicit)).filter(KubeBinaries::complete)
                    .map(folder -> new KubeBinaries(folder, folder.getFileName().toString()));
        }
        List<Path> builds = builds();
        Optional<String> wanted = wanted();
        Optional<Path> chosen = wanted.isPresent()
                ? builds.stream().filter(folder -> folder.getFileName().toString().startsWith(wanted.get() + "-"))
                        .findFirst()
                : Optional.empty();
        if (chosen.isEmpty() && System.getenv("MULTIKUBE_KUBE_VERSION") == null) {
            chosen = builds.stream().max(Comparator.comparing(KubeBinaries::versionKey));
        }
        return chosen.map(folder -> new KubeBinaries(folder, folder.getFileName().toString().split("-")[0]));
    }

    /** The requested version, else the one {@code scripts/build-kube-binaries.sh} builds by default. */
    private static Optional<String> wanted() {
        String requested = System.getenv("MULTIKUBE_KUBE_VERSION");
        if (requested != null) {
            return Optional.of(requested.replaceFirst("^v", ""));
        }
        return script().flatMap(script -> {
            try {
                Matcher matcher = PINNED.matcher(Files.readString(script));
                return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    private static void build() {
        Path script = script().orElseThrow(() -> new AssertionError("MULTIKUBE_BUILD_KUBE=1 but " + SCRIPT
                + " is not found (MULTIKUBE_REPO_ROOT=" + System.getenv("MULTIKUBE_REPO_ROOT") + ")"));
        System.out.println("multikube IT: building kube-apiserver and etcd with " + script + " (15-30 minutes once)");
        List<String> command = new java.util.ArrayList<>(List.of("bash", script.toString()));
        wanted().ifPresent(command::add);
        try {
            // Through System.out, not inheritIO: the forked JVM's own stdout is Failsafe's channel.
            Process build = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (var output = build.inputReader()) {
                output.lines().forEach(line -> System.out.println("multikube IT: " + line));
            }
            int exit = build.waitFor();
            if (exit != 0) {
                throw new AssertionError(SCRIPT + " failed with exit code " + exit + " (expected: 0)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the API server binaries", e);
        }
    }

    private static Optional<Path> script() {
        return Optional.ofNullable(System.getenv("MULTIKUBE_REPO_ROOT")).map(root -> Path.of(root, SCRIPT))
                .filter(Files::isRegularFile);
    }

    private static Path root() {
        String cache = System.getenv("KUBEAPITEST_DIR");
        return (cache != null ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".kubeapitest"))
                .resolve("k8s");
    }

    private static List<Path> builds() {
        if (!Files.isDirectory(root())) {
            return List.of();
        }
        try (Stream<Path> folders = Files.list(root())) {
            return folders.filter(folder -> FOLDER.matcher(folder.getFileName().toString()).matches())
                    .filter(KubeBinaries::complete).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** "1.9.0" sorts before "1.34.2": compared as numbers, zero-padded. */
    private static String versionKey(Path folder) {
        Matcher matcher = FOLDER.matcher(folder.getFileName().toString());
        matcher.matches();
        return "%06d.%06d.%06d".formatted(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                Integer.parseInt(matcher.group(3)));
    }

    private static boolean complete(Path folder) {
        return Files.isExecutable(folder.resolve("kube-apiserver")) && Files.isExecutable(folder.resolve("etcd"));
    }
}
