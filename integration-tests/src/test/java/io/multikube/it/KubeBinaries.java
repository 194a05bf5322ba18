package io.multikube.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * Finds kube-apiserver and etcd built by {@code scripts/build-kube-binaries.sh} in
 * {@code ~/.kubeapitest/k8s/<version>-linux-amd64/} (or {@code $KUBE_BINARIES_DIR}). Without them the suite is
 * skipped with instructions on a developer machine, and fails under {@code CI=true}.
 */
record KubeBinaries(Path folder) {
    Path apiServer() {
        return folder.resolve("kube-apiserver");
    }

    Path etcd() {
        return folder.resolve("etcd");
    }

    static KubeBinaries require() {
        Optional<Path> found = find();
        if (found.isPresent()) {
            return new KubeBinaries(found.get());
        }
        String message = "no kube-apiserver and etcd binaries in ~/.kubeapitest/k8s/*-linux-amd64 "
                + "(run scripts/build-kube-binaries.sh, or scripts/test which runs it)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message + ": CI requires the real API server suite");
        }
        Assumptions.abort(message);
        throw new IllegalStateException("unreachable");
    }

    private static Optional<Path> find() {
        String explicit = System.getenv("KUBE_BINARIES_DIR");
        if (explicit != null) {
            return Optional.of(Path.of(explicit)).filter(KubeBinaries::complete);
        }
        Path root = Path.of(System.getProperty("user.home"), ".kubeapitest", "k8s");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> folders = Files.list(root)) {
            return folders.filter(KubeBinaries::complete)
                    .max(Comparator.comparing(path -> path.getFileName().toString()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static boolean complete(Path folder) {
        return Files.isExecutable(folder.resolve("kube-apiserver")) && Files.isExecutable(folder.resolve("etcd"));
    }
}
