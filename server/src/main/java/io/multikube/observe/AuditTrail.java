package io.multikube.observe;

/**
 * The audit events of one forwarded request. A streaming response (watch, {@code logs -f}, an upgrade) records
 * {@code ResponseStarted} when its headers go out, and every request ends with exactly one
 * {@code ResponseComplete}. Calls after the completion are ignored.
 */
public interface AuditTrail {
    /** A trail that records nothing. */
    AuditTrail NONE = new AuditTrail() {
        @Override
        public void started(int code) {
        }

        @Override
        public void completed(int code) {
        }

        @Override
        public void failed(io.multikube.status.RouterException error) {
        }
    };

    /** The response headers went out and the body streams on. */
    void started(int code);

    /** The response is complete with this status code (the cluster's, or ours when we answered). */
    void completed(int code);

    /** multikube answered with an error instead of the cluster (unreachable, timed out). */
    void failed(io.multikube.status.RouterException error);
}
