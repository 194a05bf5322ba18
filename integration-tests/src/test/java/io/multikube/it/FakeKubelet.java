package io.multikube.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.multikube.pki.KeyAndCertificate;
import io.multikube.testing.TestPki;

/**
 * The one part that cannot run here: a kubelet. This starts the fake one ({@code integration-tests/fake-kubelet}, Go)
 * on 127.0.0.1 with a serving certificate of its own. It serves container logs, exec, attach and port-forward with the
 * kubelet's own streaming code; a container is the folder {@link #containerFolder}, its commands run on this machine.
 * Each log has {@link #LINES} lines; with {@code follow=true} they leave {@link #GAP} apart.
 */
final class FakeKubelet implements AutoCloseable {
    static final int LINES = 4;
    static final Duration GAP = Duration.ofMillis(400);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final Path folder;
    private final int port;

    private FakeKubelet(Process process, Path folder, int port) {
        this.process = process;
        this.folder = folder;
        this.port = port;
    }

    /** Starts a fake kubelet keeping its certificate, log and containers in {@code folder}. */
    static FakeKubelet start(Path folder) {
        Path binary = FakeKubeletBinary.require();
        TestPki pki = TestPki.create("fake kubelet CA");
        KeyAndCertificate serving = pki.server("127.0.0.1", "localhost");
        Path certificate = TestPki.write(folder.resolve("kubelet.crt"), serving.certificatePem());
        Path key = TestPki.write(folder.resolve("kubelet.key"), serving.keyPem());
        Path portFile = folder.resolve("kubelet.port");
        Process process = Processes.launch(folder, "fake-kubelet", List.of(binary.toString(),
                "-tls-cert-file", certificate.toString(),
                "-tls-private-key-file", key.toString(),
                "-root", folder.resolve("containers").toString(),
                "-port-file", portFile.toString(),
                "-log-lines", String.valueOf(LINES),
                "-log-gap", GAP.toMillis() + "ms"));
        try {
            return new FakeKubelet(process, folder, awaitPort(process, portFile, folder));
        } catch (RuntimeException e) {
            Processes.stop(process);
            throw e;
        }
    }

    private static int awaitPort(Process process, Path portFile, Path folder) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            try {
                if (Files.exists(portFile)) {
                    return Integer.parseInt(Files.readString(portFile).strip());
                }
                Thread.sleep(50);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        String log;
        try {
            log = Files.readString(folder.resolve("fake-kubelet.log"));
        } catch (IOException e) {
            log = "(no log: " + e.getMessage() + ")";
        }
        throw new IllegalStateException("the fake kubelet did not start within " + START_TIMEOUT + " ("
                + (process.isAlive() ? "still running" : "exited with " + process.exitValue()) + "); its log:\n" + log);
    }

    int port() {
        return port;
    }

    /** What a container sees as its working directory: commands run there, relative paths land there. */
    Path containerFolder(String namespace, String pod, String container) {
        return folder.resolve("containers").resolve(namespace).resolve(pod).resolve(container);
    }

    /** Line {@code i} of every container log; the fake kubelet writes exactly this (see its logs.go). */
    static String line(int i) {
        return "log line " + i + " from the fake kubelet";
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
