package io.multikube.pipeline;

import java.util.Objects;

import io.multikube.auth.TokenVerifier;

/** Step 1: verify the bearer token and learn who the request speaks for. */
final class Authenticate {
    private final TokenVerifier verifier;

    Authenticate(TokenVerifier verifier) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    AuthenticatedRequest apply(InboundRequest request) {
        return new AuthenticatedRequest(request, verifier.verify(BearerTokens.from(request.headers())));
    }
}
