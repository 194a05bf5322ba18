package io.multikube.server;

/**
 * A step that answers a routed request: {@link ClusterAnswer} asks the cluster; {@link CachedReads}, present only
 * when a cache is configured, answers safe reads from the cache and hands the rest on. Assembled in
 * {@link MultikubeServer}.
 */
@FunctionalInterface
interface ResponseStep {
    /**
     * Answers the client. A failure the cluster caused is answered as a {@code Status} and recorded in the trail;
     * a broken stream or a bug is recorded and thrown, for the routing's error handlers.
     */
    void answer(Exchange exchange);
}
