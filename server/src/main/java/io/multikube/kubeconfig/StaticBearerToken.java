package io.multikube.kubeconfig;

import java.util.Objects;

/** A bearer token written in the kubeconfig ({@code token}). Its {@code toString} never shows the token. */
public final class StaticBearerToken implements BearerToken {
    private final String token;

    /** @throws IllegalArgumentException when the token is blank */
    public StaticBearerToken(String token) {
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("token: blank (expected: a bearer token)");
        }
        this.token = token.strip();
    }

    @Override
    public String value() {
        return token;
    }

    @Override
    public String toString() {
        return "StaticBearerToken[***]";
    }
}
