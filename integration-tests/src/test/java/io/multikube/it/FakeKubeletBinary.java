package io.multikube.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;

/**
 * Finds the fake kubelet built by {@code scripts/build-fake-kubelet.sh}: {@code $FAKE_KUBELET} when set, else the
 * script's output, run first whenever Go is installed (it returns at once when the sources have not changed, so a
 * stale binary is never used), else the script's cache folder. Without one the suite fails under {@code CI=true}
 * and is skipped with instructions otherwise.
 */
final class FakeKubeletBinary {
    private static final String SCRIPT = "scripts/build-fake-kubelet.sh";
    private static Path found;

    private FakeKubeletBinary() {
    }

    static synchronized Path require() {
        if (found == null) {
            found = locate();
        }
        return found;
    }

    private static Path locate() {
        String explicit = System.getenv("FAKE_KUBELET");
        if (explicit != null) {
            Path binary = Path.of(explicit);
            if (!Files.isExecutable(binary)) {
                throw new AssertionError("FAKE_KUBELET=" + explicit + " is not an executable file");
            }
            return binary;
        }
        Optional<Path> script = Optional.ofNullable(System.getenv("MULTIKUBE_REPO_ROOT"))
                .map(root -> Path.of(root, SCRIPT)).filter(Files::isRegularFile);
        if (script.isPresent() && onPath("go")) {
            return build(script.get());
        }
        Path cached = cacheFolder().resolve("fake-kubelet");
        if (Files.isExecutable(cached)) {
            System.out.println("multikube IT: Go is not installed; using the fake kubelet built earlier: " + cached);
            return cached;
        }
        String message = "no fake kubelet at " + cached + ": run " + SCRIPT + " (Go needed, a minute or two once),"
                + " or set FAKE_KUBELET to a built binary";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message + ". CI requires the streaming tests");
        }
        Assumptions.abort(message);
        throw new IllegalStateException("unreachable");
    }

    private static Path build(Path script) {
        try {
            // stderr to our stdout line by line (Failsafe's channel is the forked JVM's own stdout); stdout is the path
            Process build = new ProcessBuilder("bash", script.toString()).start();
            Thread.ofVirtual().start(() -> build.errorReader().lines()
                    .forEach(line -> System.out.println("multikube IT: " + line)));
            List<String> output = new ArrayList<>(build.inputReader().lines().toList());
            int exit = build.waitFor();
            if (exit != 0 || output.isEmpty()) {
                throw new AssertionError(SCRIPT + " failed with exit code " + exit + " (expected: 0 and a path)");
            }
            Path binary = Path.of(output.getLast().strip());
            if (!Files.isExecutable(binary)) {
                throw new AssertionError(SCRIPT + " printed " + binary + ", which is not an executable file");
            }
            return binary;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the fake kubelet", e);
        }
    }

    private static Path cacheFolder() {
        String configured = System.getenv("FAKE_KUBELET_DIR");
        return configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "multikube", "fake-kubelet");
    }

    private static boolean onPath(String command) {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(folder, command))) {
                return true;
            }
        }
        return false;
    }
}
