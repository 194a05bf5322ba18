package io.multikube.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The suite's child processes (etcd, kube-apiserver): each logs to {@code <name>.log} and leaves a
 * {@code <name>.pid} in its folder, and is stopped with its descendants on close or when the JVM exits. A JVM killed
 * outright runs no hook; the next run reaps what the pid files name, by pid and only when the command still matches.
 */
final class Processes {
    private static final long GRACE_SECONDS = 10;

    private Processes() {
    }

    static Process launch(Path folder, String name, List<String> command) {
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(folder.resolve(name + ".log").toFile())
                    .start();
            Files.writeString(folder.resolve(name + ".pid"), process.pid() + "\n" + command.getFirst() + "\n");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> kill(process.toHandle())));
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asks the process and its descendants to stop, then kills whatever is left after a grace period. */
    static void stop(Process process) {
        List<ProcessHandle> tree = tree(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
                System.out.println("multikube IT: pid " + process.pid() + " ignored SIGTERM for " + GRACE_SECONDS
                        + " s, killing it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    private static void kill(ProcessHandle process) {
        tree(process).forEach(ProcessHandle::destroyForcibly);
    }

    private static List<ProcessHandle> tree(ProcessHandle process) {
        return Stream.concat(process.descendants(), Stream.of(process)).toList();
    }

    /** Kills the processes a previous run under {@code root} recorded and left running. */
    static void reapSurvivors(Path root) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(file -> file.getFileName().toString().endsWith(".pid")).forEach(Processes::reap);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean same(String running, String recorded) {
        try {
            return Files.isSameFile(Path.of(running), Path.of(recorded));
        } catch (IOException e) {
            return false;
        }
    }

    private static void reap(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile);
            long pid = Long.parseLong(lines.get(0).strip());
            String command = lines.get(1).strip();
            Optional<ProcessHandle> survivor = ProcessHandle.of(pid)
                    .filter(handle -> handle.info().command().filter(running -> same(running, command)).isPresent());
            survivor.ifPresent(handle -> {
                System.out.println("multikube IT: killing pid " + pid + " (" + command + ") left by an earlier run");
                kill(handle);
            });
        } catch (IOException | RuntimeException e) {
            System.out.println("multikube IT: cannot read " + pidFile + ": " + e);
        }
    }
}
