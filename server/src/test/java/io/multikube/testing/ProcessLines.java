package io.multikube.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/** Every line a child process writes (standard error redirected into its output), read as it comes. */
public final class ProcessLines {
    private final List<String> lines = new ArrayList<>();

    private ProcessLines() {
    }

    /** Starts reading the process's output until it ends. */
    public static ProcessLines follow(Process process) {
        ProcessLines output = new ProcessLines();
        CompletableFuture.runAsync(() -> output.read(process));
        return output;
    }

    /** Whether a wanted line came within the time given. */
    public boolean await(Predicate<String> wanted, Duration within) throws InterruptedException {
        for (long deadline = System.nanoTime() + within.toNanos(); System.nanoTime() < deadline; Thread.sleep(100)) {
            if (lines().stream().anyMatch(wanted)) {
                return true;
            }
        }
        return false;
    }

    /** The lines so far. */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public String toString() {
        return String.join("\n", lines());
    }

    private void read(Process process) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                synchronized (lines) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}
