package io.multikube.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The upgrades to one pod that multikube relayed with a 101, read from its access log (one line per upgrade, with
 * the {@code Upgrade} value, written when the connection ends): proof of which transport a kubectl run really used.
 */
record RelayedUpgrades(Path accessLog, String namespace, String pod) {
    private static final Duration LOG_DELAY = Duration.ofSeconds(5);

    /** How many upgrades over {@code transport} to the pod's {@code subresource} (exec, attach, portforward). */
    int count(Transport transport, String subresource) {
        String request = "upgrade " + transport.upgrade() + " ";
        String path = " /api/v1/namespaces/" + namespace + "/pods/" + pod + "/" + subresource + " ";
        try {
            return (int) Files.readAllLines(accessLog).stream()
                    .filter(line -> line.contains(request) && line.contains(path) && line.contains("-> 101,"))
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts that more than {@code before} such upgrades are logged, waiting a little for the last line. */
    void assertMoreThan(int before, Transport transport, String subresource) {
        Instant deadline = Instant.now().plus(LOG_DELAY);
        while (count(transport, subresource) <= before && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertThat(count(transport, subresource)).as("%s upgrades to %s in multikube's access log",
                transport.upgrade(), subresource).isGreaterThan(before);
    }
}
