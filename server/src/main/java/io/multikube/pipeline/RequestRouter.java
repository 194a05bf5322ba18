package io.multikube.pipeline;

import io.multikube.status.RouterException;

/**
 * Decides where and as whom a client request goes: authenticate, select the context, sanitize and impersonate.
 * Shared by ordinary requests and connection upgrades, so both are held to the same rules. Does no I/O.
 */
@FunctionalInterface
public interface RequestRouter {
    /**
     * @throws RouterException when the request is refused; it carries the Kubernetes {@code Status} to send
     */
    OutboundRequest route(InboundRequest request);
}
