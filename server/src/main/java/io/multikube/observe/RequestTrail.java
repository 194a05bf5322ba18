package io.multikube.observe;

import io.multikube.status.RouterException;

/**
 * One forwarded request followed to its end. A streaming response (watch, {@code logs -f}, an upgrade) reports
 * {@link #started} when its headers go out; every request ends with exactly one {@link #completed} or
 * {@link #failed}. Implementations ignore calls after the end and are thread-safe (an upgrade's relay threads
 * may end it).
 */
public interface RequestTrail {
    /** A trail that records nothing. */
    RequestTrail NONE = new RequestTrail() {
        @Override
        public void started(int code) {
        }

        @Override
        public void completed(int code, long bytes) {
        }

        @Override
        public void failed(RouterException error) {
        }
    };

    /** The response headers went out and the body streams on. */
    void started(int code);

    /**
     * The response is complete.
     *
     * @param code  the status code the client got (the cluster's)
     * @param bytes the body bytes sent to the client, -1 when not counted
     */
    void completed(int code, long bytes);

    /**
     * Why multikube ended the response itself (a stream whose token expired); recorded with the completion as the
     * annotation {@code key}. Called before {@link #completed}.
     */
    default void annotate(String key, String value) {
    }

    /** The cluster's response head arrived this long after the request was sent to it. */
    default void upstreamAnswered(java.time.Duration elapsed) {
    }

    /** Completed, without a count of bytes. */
    default void completed(int code) {
        completed(code, -1);
    }

    /** multikube answered with an error instead of the cluster (unreachable, timed out, broke mid-body). */
    void failed(RouterException error);
}
