package io.multikube.server;

import java.util.concurrent.Semaphore;

import io.multikube.status.RouterException;

/**
 * How many proxied requests run at once. Each may hold a connection to its cluster (watches and follows for as long
 * as they stream), and one HTTP/2 client connection carries many, so the descriptor budget must bound requests as
 * well as connections: a process out of descriptors cannot accept, and Helidon 4.5 then closes the listener for
 * good. The budget is twice the connection cap as the descriptors set it ({@link ConnectionCap#descriptorBudget}):
 * requests over HTTP/1.1 connections use a descriptor each side, and over a few HTTP/2 connections nearly all of it
 * is left for the clusters (10,000 watches under a 20,000 limit). The heap bounds connections but not this budget: a
 * request costs it far less than an open TLS connection. Beyond it a request is answered 429 with
 * {@code Retry-After}, which client-go honours by waiting and retrying, as it does for the kube-apiserver's own
 * overload answers.
 */
final class RequestSlots {
    static final int RETRY_AFTER_SECONDS = 1;

    private final int limit;
    private final Semaphore free;

    private RequestSlots(int limit) {
        this.limit = limit;
        this.free = limit == ConnectionCap.UNLIMITED ? null : new Semaphore(limit);
    }

    /** The whole descriptor budget the connection cap is half of; unlimited when the cap is. */
    static RequestSlots forConnectionCap(int connectionCap) {
        return of(connectionCap == ConnectionCap.UNLIMITED ? ConnectionCap.UNLIMITED
                : (int) Math.min(Integer.MAX_VALUE, 2L * connectionCap));
    }

    /** @param limit at most this many at once, or {@link ConnectionCap#UNLIMITED} */
    static RequestSlots of(int limit) {
        if (limit < 1 && limit != ConnectionCap.UNLIMITED) {
            throw new IllegalArgumentException("request slots: " + limit + " (expected: at least 1)");
        }
        return new RequestSlots(limit);
    }

    /**
     * Takes a slot for a request; {@link #release()} it when the request ends.
     *
     * @throws RouterException.TooManyRequests when every slot is taken
     */
    void take() {
        if (free != null && !free.tryAcquire()) {
            throw new RouterException.TooManyRequests("multikube is serving its limit of " + limit
                    + " requests at once (twice --max-connections); try again shortly", RETRY_AFTER_SECONDS);
        }
    }

    void release() {
        if (free != null) {
            free.release();
        }
    }
}
