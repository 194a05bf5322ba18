package io.multikube.server;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reloads configuration files when their content changes (a mounted Secret rotated): the kubeconfig, the signer
 * certificates, the serving certificate. New requests get the new material, open streams keep what they started
 * with, and a broken new file is refused with a log line while the old configuration stays.
 */
final class FileReloader implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FileReloader.class.getName());

    /** What to do with changed files; throws when the new content is unusable. */
    @FunctionalInterface
    interface Apply {
        void apply() throws Exception;
    }

    /** One kind of material: its files and how to take them in. */
    record Reloadable(String what, WatchedFiles files, Apply apply) {
    }

    private final List<Reloadable> reloadables;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("file-reloader").factory());

    FileReloader(List<Reloadable> reloadables) {
        this.reloadables = List.copyOf(reloadables);
    }

    /** Checks every {@code interval}; a zero interval never does. */
    FileReloader start(Duration interval) {
        if (!interval.isZero()) {
            timer.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
        return this;
    }

    void check() {
        for (Reloadable reloadable : reloadables) {
            if (!reloadable.files().changed()) {
                continue;
            }
            // Accepted either way: a broken file is reported once, not on every check, until it changes again.
            reloadable.files().accept();
            try {
                reloadable.apply().apply();
                LOG.log(Level.INFO, "reloaded the " + reloadable.what() + " from " + reloadable.files().files());
            } catch (Exception e) {
                LOG.log(Level.WARNING, "the new " + reloadable.what() + " in " + reloadable.files().files()
                        + " is refused, the old one stays: " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
