package io.multikube.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real kubectl binary. Without one, a test is skipped on a developer machine and fails under CI
 * ({@code CI=true}), where a silent skip would hide that the client was never exercised.
 */
public final class Kubectl {
    /** What a kubectl run printed and how it ended. */
    public record Result(int exitCode, String out, String err) {
        // klog's header: severity letter, MMDD, time, thread id, file:line]
        private static final Pattern KLOG_LINE =
                Pattern.compile("(?m)^[IWEF]\\d{4} \\d{2}:\\d{2}:\\d{2}\\.\\d+ +\\d+ [^\\]]+\\] .*\\R");

        /**
         * Standard error without kubectl's own log lines: what the remote command wrote, and kubectl's final message.
         * kubectl's WebSocket client can log a race of its own (a frame read before it registered the stream,
         * "Unknown stream id 1, discarding message") among the command's output.
         */
        public String errWithoutKubectlLog() {
            return KLOG_LINE.matcher(err).replaceAll("");
        }
    }

    private final Path binary;

    private Kubectl(Path binary) {
        this.binary = binary;
    }

    /** A specific kubectl binary (for version matrices). */
    public static Kubectl at(Path binary) {
        return new Kubectl(binary);
    }

    public Path binary() {
        return binary;
    }

    public static Kubectl require() {
        Optional<Path> found = find();
        if (found.isEmpty()) {
            String message = "kubectl is not on PATH (set KUBECTL to its path)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(message + ": CI requires the real kubectl");
            }
            Assumptions.abort(message);
        }
        return new Kubectl(found.get());
    }

    static Optional<Path> find() {
        String explicit = System.getenv("KUBECTL");
        if (explicit != null && Files.isExecutable(Path.of(explicit))) {
            return Optional.of(Path.of(explicit));
        }
        for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(folder, "kubectl");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public Result run(Path kubeconfig, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        byte[] stdout;
        byte[] stderr;
        try (var stdoutStream = process.getInputStream(); var stderrStream = process.getErrorStream()) {
            var errReader = new java.util.concurrent.CompletableFuture<byte[]>();
            Thread.ofVirtual().start(() -> {
                try {
                    errReader.complete(stderrStream.readAllBytes());
                } catch (IOException e) {
                    errReader.completeExceptionally(e);
                }
            });
            stdout = stdoutStream.readAllBytes();
            try {
                stderr = errReader.get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IOException("reading kubectl's stderr failed", e);
            }
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("kubectl did not finish within 60 s: " + command);
        }
        return new Result(process.exitValue(), new String(stdout, StandardCharsets.UTF_8),
                new String(stderr, StandardCharsets.UTF_8));
    }

    /** Starts kubectl and returns the live process (for watches read line by line). */
    public Process start(Path kubeconfig, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }
}
