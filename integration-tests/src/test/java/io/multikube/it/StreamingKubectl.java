package io.multikube.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.multikube.testing.Kubectl;

/**
 * Runs kubectl over one {@link Transport}, with bytes for its stdin, or on a terminal of its own (through
 * util-linux {@code script}, since a JVM cannot give a child process a terminal).
 */
record StreamingKubectl(Kubectl kubectl, Path kubeconfig, Transport transport) {
    private static final long TIMEOUT_SECONDS = 60;

    /** Starts kubectl; the caller reads its output and ends it. */
    Process start(String... args) {
        try {
            return transport.applyTo(new ProcessBuilder(command(args))).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs kubectl to its end, feeding {@code stdin} and then closing it. */
    Kubectl.Result run(byte[] stdin, String... args) {
        return finish(start(args), stdin, true);
    }

    /**
     * Runs kubectl on a terminal of {@code rows} × {@code columns} on which {@code typed} is typed. The terminal stays
     * open until kubectl ends, as a user's would.
     */
    Kubectl.Result runOnTerminal(int rows, int columns, String typed, String... args) {
        String shell = "stty rows " + rows + " cols " + columns + " && exec "
                + String.join(" ", command(args).stream().map(StreamingKubectl::quote).toList());
        try {
            Process script = transport.applyTo(new ProcessBuilder("script", "-qec", shell, "/dev/null")).start();
            return finish(script, typed.getBytes(StandardCharsets.UTF_8), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(kubectl.binary().toString(), "--kubeconfig",
                kubeconfig.toString()));
        command.addAll(List.of(args));
        return command;
    }

    private static Kubectl.Result finish(Process process, byte[] stdin, boolean closeStdin) {
        CompletableFuture<byte[]> out = readAll(process.getInputStream());
        CompletableFuture<byte[]> err = readAll(process.getErrorStream());
        Thread.ofVirtual().start(() -> {
            try {
                OutputStream in = process.getOutputStream();
                in.write(stdin);
                in.flush();
                if (closeStdin) {
                    in.close();
                }
            } catch (IOException e) {
                // kubectl ended before reading all of it; its exit code and stderr say why
            }
        });
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl did not finish within " + TIMEOUT_SECONDS + " s: "
                        + process.info().commandLine().orElse("?"));
            }
            process.getOutputStream().close();
            return new Kubectl.Result(process.exitValue(),
                    new String(out.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), StandardCharsets.UTF_8),
                    new String(err.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        } catch (IOException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("reading kubectl's output failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static CompletableFuture<byte[]> readAll(InputStream stream) {
        CompletableFuture<byte[]> bytes = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (stream) {
                bytes.complete(stream.readAllBytes());
            } catch (IOException e) {
                bytes.completeExceptionally(e);
            }
        });
        return bytes;
    }

    private static String quote(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
