package io.multikube.pipeline;

import java.util.Objects;

import io.multikube.auth.Identity;

/** A request whose token verified. */
record AuthenticatedRequest(InboundRequest inbound, Identity identity) {
    AuthenticatedRequest {
        Objects.requireNonNull(inbound, "inbound");
        Objects.requireNonNull(identity, "identity");
    }
}
