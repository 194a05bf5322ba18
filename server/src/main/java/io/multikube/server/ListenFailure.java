package io.multikube.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Why the server could not listen. Helidon logs a listener that failed to bind and stops the others without
 * throwing; this names every address multikube wanted and, for each fixed port, what binding it says now (most
 * often "Address already in use": another multikube, or anything else, holds the port).
 */
final class ListenFailure {
    private ListenFailure() {
    }

    /** @param wanted each listener's name and address, e.g. {@code https} and {@code 127.0.0.1:8443} */
    static IllegalStateException of(List<Listener> wanted) {
        String reasons = wanted.stream().map(ListenFailure::describe).collect(Collectors.joining("; "));
        return new IllegalStateException("cannot listen: " + reasons
                + " (choose free ports with --tls-port, --port and --metrics-port)");
    }

    /** A listener multikube asked Helidon for. */
    record Listener(String name, String host, int port) {
    }

    private static String describe(Listener listener) {
        String address = listener.name() + " " + listener.host() + ":" + listener.port();
        if (listener.port() == 0) {
            return address + " (any free port)";
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(listener.host(), listener.port()));
            return address + " (free again now)";
        } catch (IOException | IllegalArgumentException | SecurityException e) {
            return address + ": " + e.getMessage();
        }
    }
}
