package io.multikube.auth;

import io.multikube.status.RouterException;

/** Turns a client's bearer token into the identity it speaks for, or refuses it. */
@FunctionalInterface
public interface TokenVerifier {
    /**
     * @param token the compact JWT, without the {@code Bearer } prefix
     * @return the verified identity
     * @throws RouterException.Unauthorized when the token does not verify; the message says why without the token
     */
    Identity verify(String token);
}
