package io.multikube.auth;

import java.util.Objects;

/**
 * What a verifier read from a token whose signature and time-independent claims it checked: the claims (for the
 * validity window, checked again at every use) and the identity they name.
 */
record VerifiedToken(ClaimReader claims, Identity identity) {
    VerifiedToken {
        Objects.requireNonNull(claims, "claims");
        Objects.requireNonNull(identity, "identity");
    }
}
