package io.multikube.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;

/**
 * The folder one run keeps its clusters, logs and kubeconfigs in: {@code multikube.it.dir} (Failsafe sets
 * {@code target/it-run}, so the last run's logs are easy to find and {@code mvn clean} removes them), else a new
 * temporary folder. A fixed folder is emptied first, after killing what an earlier, killed run left running there.
 */
final class RunFolder {
    private RunFolder() {
    }

    static Path prepare() {
        String configured = System.getProperty("multikube.it.dir");
        try {
            if (configured == null || configured.isBlank()) {
                return Files.createTempDirectory("multikube-it");
            }
            Path folder = Path.of(configured).toAbsolutePath();
            Processes.reapSurvivors(folder);
            deleteRecursively(folder);
            return Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends the in-process multikube's log records to a file, so the console shows the suite's own lines (which
     * clusters, how long) and the per-request access log stays readable in one place.
     */
    static void logTo(Path file) {
        Logger root = Logger.getLogger("");
        try {
            FileHandler handler = new FileHandler(file.toString(), true);
            handler.setFormatter(new SimpleFormatter());
            for (Handler existing : root.getHandlers()) {
                root.removeHandler(existing);
            }
            root.addHandler(handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot empty " + root, e);
        }
    }
}
