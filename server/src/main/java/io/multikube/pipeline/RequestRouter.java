package io.multikube.pipeline;

import java.util.Optional;

import io.multikube.auth.Identity;
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

    /**
     * Who the request's token speaks for, when it verifies; empty otherwise. Asked only for the audit of a
     * request that {@link #route} refused, so the event names the user a 403 or 404 was given to.
     */
    default Optional<Identity> identify(InboundRequest request) {
        return Optional.empty();
    }
}
