package io.multikube.server;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import io.multikube.auth.Identity;
import io.multikube.auth.TokenVerifier;

/** A token verifier whose keys can be replaced while requests run (signer certificate rotation). */
final class SwappableVerifier implements TokenVerifier {
    private final AtomicReference<TokenVerifier> current;

    SwappableVerifier(TokenVerifier initial) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    }

    void swap(TokenVerifier next) {
        current.set(Objects.requireNonNull(next, "next"));
    }

    @Override
    public Identity verify(String token) {
        return current.get().verify(token);
    }
}
