package io.multikube.spi.audit;

/** The stages of a request at which an event is recorded, named as in {@code audit.k8s.io/v1}. */
public enum AuditStage {
    /** The response headers were sent and the body streams on (watches, {@code logs -f}, exec, port-forward). */
    ResponseStarted,
    /** The response is complete: the last event for a request. */
    ResponseComplete,
    /** The request failed inside multikube before it could be answered normally. */
    Panic
}
