package io.multikube.server;

import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;

import io.helidon.webserver.http.ServerResponse;
import io.multikube.observe.RequestTrail;
import io.multikube.pipeline.OutboundRequest;

/**
 * One routed request on its way through the {@link ResponseStep}s.
 *
 * @param outbound  the request as the cluster will see it
 * @param body      the client's request body, when it sent one
 * @param response  the client's response
 * @param trail     the request's audit trail
 * @param streaming whether the answer stays open (watch, {@code follow}, proxy)
 * @param tap       what sees the cluster's answer as it is relayed
 */
record Exchange(OutboundRequest outbound, Optional<InputStream> body, ServerResponse response, RequestTrail trail,
                boolean streaming, ResponseTap tap) {
    Exchange {
        Objects.requireNonNull(outbound, "outbound");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(trail, "trail");
        Objects.requireNonNull(tap, "tap");
    }

    /** A copy whose relayed answer {@code other} sees. */
    Exchange withTap(ResponseTap other) {
        return new Exchange(outbound, body, response, trail, streaming, other);
    }
}
