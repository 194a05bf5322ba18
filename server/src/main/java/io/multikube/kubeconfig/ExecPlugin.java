package io.multikube.kubeconfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.multikube.spi.PluginException;
import io.multikube.spi.credentials.UpstreamCredentials;

/**
 * Runs one exec credential plugin: no terminal and no standard input, {@code KUBERNETES_EXEC_INFO} set, a bounded
 * run time. Failures become a {@link PluginException} naming the context, the command and the first line of its
 * standard error; standard output (which holds the credential) is never quoted.
 */
final class ExecPlugin {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_STDOUT = 1024 * 1024;
    private static final int MAX_STDERR = 64 * 1024;
    private static final int MAX_LINE = 300;

    private final String context;
    private final ExecConfig config;
    private final Optional<Map<String, Object>> cluster;
    private final Duration timeout;

    ExecPlugin(String context, ExecConfig config, Optional<Map<String, Object>> cluster, Duration timeout) {
        this.context = Objects.requireNonNull(context, "context");
        this.config = Objects.requireNonNull(config, "config");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    String command() {
        return config.command();
    }

    /** Runs the plugin once and reads its answer. */
    UpstreamCredentials run() {
        String problem = "credentials for context \"" + context + "\": exec plugin " + config.command();
        List<String> commandLine = new ArrayList<>();
        commandLine.add(config.command());
        commandLine.addAll(config.args());
        ProcessBuilder builder = new ProcessBuilder(commandLine);
        builder.environment().putAll(config.env());
        builder.environment().put("KUBERNETES_EXEC_INFO", ExecCredentialJson.request(config, cluster));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new PluginException(problem + " cannot be started (" + firstLine(e.getMessage()) + ")"
                    + config.installHint().map(hint -> ": " + firstLine(hint)).orElse(""));
        }
        try {
            process.getOutputStream().close(); // no standard input: the plugin must not wait for a user
            Capture stdout = Capture.start(process.getInputStream(), MAX_STDOUT);
            Capture stderr = Capture.start(process.getErrorStream(), MAX_STDERR);
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new PluginException(problem + " did not finish within " + describe(timeout)
                        + stderrLine(stderr.text()));
            }
            String errors = stderr.text();
            if (process.exitValue() != 0) {
                throw new PluginException(problem + " exited with code " + process.exitValue() + stderrLine(errors));
            }
            if (stdout.overflowed()) {
                throw new PluginException(problem + " printed more than " + MAX_STDOUT + " bytes (expected: an "
                        + "ExecCredential)");
            }
            return ExecCredentialJson.parse(stdout.text(), config, problem);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PluginException(problem + " was interrupted");
        } catch (IOException e) {
            throw new PluginException(problem + ": its output cannot be read (" + e.getClass().getSimpleName() + ")");
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    private static String stderrLine(String stderr) {
        String line = firstLine(stderr);
        return line.isEmpty() ? " (no message on standard error)" : ": " + line;
    }

    /** The first non-blank line, shortened. */
    static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        for (String line : text.split("\\R")) {
            String stripped = line.strip();
            if (!stripped.isEmpty()) {
                return stripped.length() > MAX_LINE ? stripped.substring(0, MAX_LINE) + "..." : stripped;
            }
        }
        return "";
    }

    /** Reads a stream to its end on a virtual thread, keeping at most {@code limit} bytes. */
    private static final class Capture {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Thread reader;
        private final int limit;
        private volatile boolean overflowed;

        private Capture(InputStream in, int limit) {
            this.limit = limit;
            this.reader = Thread.ofVirtual().name("exec-plugin-output").start(() -> drain(in));
        }

        static Capture start(InputStream in, int limit) {
            return new Capture(in, limit);
        }

        private void drain(InputStream in) {
            byte[] buffer = new byte[8192];
            try (in) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    synchronized (bytes) {
                        int room = limit - bytes.size();
                        bytes.write(buffer, 0, Math.max(0, Math.min(room, n)));
                        overflowed |= n > room;
                    }
                }
            } catch (IOException e) {
                // the process was killed; what arrived so far is all there is
            }
        }

        boolean overflowed() throws InterruptedException {
            reader.join(Duration.ofSeconds(5));
            return overflowed;
        }

        String text() throws InterruptedException {
            // A child the plugin left behind may hold the pipe open: wait a little, not forever.
            reader.join(Duration.ofSeconds(1));
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
