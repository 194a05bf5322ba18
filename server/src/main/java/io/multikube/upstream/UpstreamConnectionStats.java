package io.multikube.upstream;

/**
 * What multikube's own HTTP/1.1 client did with its connections to clusters, since start.
 *
 * @param opened  connections opened
 * @param reused  requests sent on a pooled connection
 * @param resent  requests sent again on a new connection because their pooled one had been closed by the cluster
 * @param idle    pooled connections now idle
 */
public record UpstreamConnectionStats(long opened, long reused, long resent, int idle) {
}
