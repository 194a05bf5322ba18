package io.multikube.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.helidon.common.concurrency.limits.Limit;
import io.helidon.webserver.spi.ServerConnection;
import io.multikube.observe.RequestTrail;
import io.multikube.pipeline.OutboundRequest;
import io.multikube.status.KubeStatus;
import io.multikube.status.RouterException;
import io.multikube.upstream.UpgradeRelay;
import io.multikube.upstream.UpstreamUpgrade;

/**
 * A routed upgrade request: asks the cluster, gives the client its answer, and after a 101 relays bytes both ways
 * until both directions end. Never idle in Helidon's eyes, so its reaper leaves a quiet {@code exec -it} alone.
 */
final class UpgradedConnection implements ServerConnection {
    private static final System.Logger LOGGER = System.getLogger(UpgradedConnection.class.getName());
    private static final int BUFFER_SIZE = 16 * 1024;

    private final ClientChannel client;
    private final UpgradeRelay relay;
    private final OutboundRequest request;
    private final String protocol;
    private final RequestTrail trail;
    private final StreamDeadlines deadlines;
    private final AtomicReference<UpstreamUpgrade> upstream = new AtomicReference<>();
    private final AtomicLong toCluster = new AtomicLong();
    private final AtomicLong toClient = new AtomicLong();
    private volatile boolean closed;

    UpgradedConnection(ClientChannel client, UpgradeRelay relay, OutboundRequest request, String protocol,
                       RequestTrail trail, StreamDeadlines deadlines) {
        this.trail = Objects.requireNonNull(trail, "trail");
        this.deadlines = Objects.requireNonNull(deadlines, "deadlines");
        this.client = Objects.requireNonNull(client, "client");
        this.relay = Objects.requireNonNull(relay, "relay");
        this.request = Objects.requireNonNull(request, "request");
        this.protocol = Objects.requireNonNull(protocol, "protocol");
    }

    @Override
    public void handle(Limit limit) throws InterruptedException {
        long start = System.nanoTime();
        int code = 0;
        boolean answered = false;
        try {
            UpstreamUpgrade opened = relay.open(request, protocol);
            upstream.set(opened);
            code = opened.head().code();
            try (opened) {
                if (closed) {
                    // close(..) ran while the cluster was being asked
                    return;
                }
                answered = true;
                client.write(opened.headForClient().toBytes());
                if (opened.switched()) {
                    trail.started(code);
                    try (StreamDeadlines.Deadline deadline = deadlines.schedule(request.identity().expiresAt(),
                            request.auditId(), this::endExpired)) {
                        relayBothWays(opened);
                    }
                } else {
                    opened.copyBodyTo(client.output());
                }
            }
        } catch (RouterException e) {
            code = e.code();
            trail.failed(e);
            refuse(e.toStatus());
        } catch (IOException e) {
            LOGGER.log(System.Logger.Level.DEBUG, "upgrade " + request.auditId() + " ended by I/O: " + e);
        } catch (RuntimeException e) {
            code = 500;
            LOGGER.log(System.Logger.Level.ERROR, "upgrade " + request.auditId() + " failed", e);
            if (!answered) {
                refuse(new KubeStatus(500, "InternalError",
                        "an internal error occurred while upgrading the connection"));
            }
        } finally {
            client.close();
            trail.completed(code, toClient.get());
            logAccess(code, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    @Override
    public Duration idleTime() {
        return Duration.ZERO;
    }

    /** The token that opened the session expired: say so in the audit log, then end it. */
    private void endExpired() {
        request.identity().expiresAt().ifPresent(expiry ->
                trail.annotate(StreamDeadlines.ENDED, StreamDeadlines.reason(expiry)));
        close(false);
    }

    /** Ends the session: both connections close, which unblocks both relay directions. */
    @Override
    public void close(boolean interrupt) {
        closed = true;
        UpstreamUpgrade current = upstream.get();
        if (current != null) {
            current.close();
        }
        client.close();
    }

    /**
     * Client to cluster on a virtual thread, cluster to client here. A client's EOF half-closes toward the cluster and
     * its answer still flows; the cluster's EOF closes the client (Helidon cannot half-close), which ends the other
     * direction.
     */
    private void relayBothWays(UpstreamUpgrade opened) throws InterruptedException {
        Thread sender = Thread.ofVirtual()
                .name("upgrade-to-cluster-" + request.auditId())
                .start(() -> clientToCluster(opened));
        clusterToClient(opened);
        client.close();
        sender.join();
    }

    private void clientToCluster(UpstreamUpgrade opened) {
        OutputStream out = opened.output();
        try {
            for (byte[] bytes = client.read(); bytes != null; bytes = client.read()) {
                out.write(bytes);
                out.flush();
                toCluster.addAndGet(bytes.length);
            }
            opened.shutdownOutput();
        } catch (IOException | RuntimeException e) {
            // the client is gone or the cluster refused more bytes: nothing more can be relayed
            opened.close();
        }
    }

    private void clusterToClient(UpstreamUpgrade opened) {
        InputStream in = opened.input();
        byte[] buffer = new byte[BUFFER_SIZE];
        try {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                client.write(buffer, 0, read);
                toClient.addAndGet(read);
            }
        } catch (IOException | RuntimeException e) {
            // the cluster's connection broke or the client is gone
            opened.close();
        }
    }

    private void refuse(KubeStatus status) {
        try {
            client.write(RefusedUpgrade.response(status, Optional.of(request.auditId())));
        } catch (IOException e) {
            LOGGER.log(System.Logger.Level.DEBUG, "upgrade refusal " + status.code() + " not delivered: " + e);
        }
    }

    private void logAccess(int code, Duration duration) {
        // The path only: a query may carry a command line. Beside the access line: the protocol and bytes each way.
        LOGGER.log(System.Logger.Level.INFO, () -> String.format(
                "upgrade %s %s %s context=%s user=%s -> %d, %d bytes to cluster, %d bytes to client, %d ms, audit %s",
                protocol, request.method(), request.rawPath(), request.context().name(), request.identity().subject(),
                code, toCluster.get(), toClient.get(), duration.toMillis(), request.auditId()));
    }
}
