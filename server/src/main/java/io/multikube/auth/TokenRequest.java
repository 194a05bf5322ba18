package io.multikube.auth;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a minted token should say.
 *
 * @param subject  the {@code sub} claim: the user the cluster will see
 * @param contexts the {@code ctx} claim: one context is written as a string, several as an array
 * @param groups   the {@code groups} claim, omitted when empty
 * @param ttl      time from now to {@code exp}
 * @param audience the {@code aud} claim, when wanted
 * @param uid      the {@code uid} claim (sent as {@code Impersonate-Uid}), when wanted
 * @param boundTo  the {@code cfp} claim: the SHA-256 fingerprint of the cluster CA the token is bound to
 */
public record TokenRequest(String subject, List<String> contexts, List<String> groups, Duration ttl,
                           Optional<String> audience, Optional<String> uid, Optional<String> boundTo) {
    public TokenRequest {
        Objects.requireNonNull(subject, "subject");
        contexts = List.copyOf(contexts);
        groups = List.copyOf(groups);
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(boundTo, "boundTo");
        if (subject.isBlank()) {
            throw new IllegalArgumentException("subject: \"\" (expected: a user name)");
        }
        if (contexts.isEmpty()) {
            throw new IllegalArgumentException("contexts: [] (expected: at least one context)");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl: " + ttl + " (expected: > 0)");
        }
    }

    /** A token without UID or cluster binding. */
    public TokenRequest(String subject, List<String> contexts, List<String> groups, Duration ttl,
                        Optional<String> audience) {
        this(subject, contexts, groups, ttl, audience, Optional.empty(), Optional.empty());
    }
}
