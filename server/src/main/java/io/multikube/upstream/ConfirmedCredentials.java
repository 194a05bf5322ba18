package io.multikube.upstream;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.multikube.kubeconfig.ClusterContext;
import io.multikube.spi.credentials.UpstreamCredentials;

/**
 * Which credentials each cluster has accepted. A kube-apiserver answers an unknown credential over HTTP/2 with 401
 * and then GOAWAY, and Helidon's HTTP/2 client drops the 401 with the connection (the request waits for the read
 * timeout). So credentials the cluster has not yet accepted go over HTTP/1.1, where a 401 simply arrives; once
 * accepted, HTTP/2 is used again.
 *
 * <p>One request confirms: while its answer is awaited, other requests with the same credentials wait for it (up to
 * a bound) instead of each opening an HTTP/1.1 connection of its own. Then one request opens the HTTP/2 connection
 * while the others wait again: Helidon 4.5's HTTP/2 client opens a connection for every request that arrives before
 * its first connection is up (it does not check again after taking its lock). Without both steps, 1,000 requests
 * arriving together right after start-up or a credential refresh opened 1,000 TLS connections to the cluster.
 */
final class ConfirmedCredentials {
    /** How to send a request with given credentials. */
    enum Route {
        /** Accepted: HTTP/2. */
        HTTP2,
        /** Not accepted yet, and this request finds out: HTTP/1.1, then {@link #answered}. */
        CONFIRM,
        /** Accepted, and this request opens the HTTP/2 connection the others will share: then {@link #answered}. */
        OPEN_HTTP2,
        /** Not accepted (refused, or the confirming request took too long): HTTP/1.1. */
        HTTP1
    }

    private record Key(String context, Optional<UpstreamCredentials> used) {
    }

    private final Map<String, Optional<UpstreamCredentials>> accepted = new ConcurrentHashMap<>();
    private final Map<Key, CountDownLatch> confirming = new ConcurrentHashMap<>();
    private final Map<Key, CountDownLatch> opening = new ConcurrentHashMap<>();
    private final Map<Key, Boolean> open = new ConcurrentHashMap<>();
    private final Duration patience;

    ConfirmedCredentials(Duration patience) {
        this.patience = Objects.requireNonNull(patience, "patience");
    }

    boolean accepted(ClusterContext context, Optional<UpstreamCredentials> used) {
        return Objects.equals(accepted.get(context.name()), used);
    }

    void accept(ClusterContext context, Optional<UpstreamCredentials> used) {
        if (!Objects.equals(accepted.put(context.name(), used), used)) {
            // Credentials replaced (refresh, reload): what was known about the old ones goes.
            open.keySet().removeIf(key -> key.context().equals(context.name()) && !key.used().equals(used));
        }
    }

    /**
     * The route for a request; {@link Route#CONFIRM} and {@link Route#OPEN_HTTP2} oblige the caller to call
     * {@link #answered} once the answer's head arrived or the request failed.
     */
    Route route(ClusterContext context, Optional<UpstreamCredentials> used) {
        Key key = new Key(context.name(), used);
        if (!accepted(context, used)) {
            CountDownLatch answer = confirming.putIfAbsent(key, new CountDownLatch(1));
            if (answer == null) {
                return Route.CONFIRM;
            }
            await(answer);
            if (!accepted(context, used)) {
                return Route.HTTP1;
            }
        }
        if (open.containsKey(key)) {
            return Route.HTTP2;
        }
        CountDownLatch opened = opening.putIfAbsent(key, new CountDownLatch(1));
        if (opened == null) {
            return Route.OPEN_HTTP2;
        }
        await(opened);
        return Route.HTTP2;
    }

    /**
     * The request routed {@link Route#CONFIRM} or {@link Route#OPEN_HTTP2} has its answer's head (or failed): the
     * waiting requests go on. {@code succeeded}: an HTTP/2 connection is now open for the others.
     */
    void answered(ClusterContext context, Optional<UpstreamCredentials> used, Route route, boolean succeeded) {
        Key key = new Key(context.name(), used);
        if (route == Route.OPEN_HTTP2 && succeeded) {
            open.put(key, true);
        }
        CountDownLatch waiting = (route == Route.CONFIRM ? confirming : opening).remove(key);
        if (waiting != null) {
            waiting.countDown();
        }
    }

    private void await(CountDownLatch latch) {
        try {
            latch.await(patience.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
