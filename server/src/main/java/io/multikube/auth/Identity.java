package io.multikube.auth;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who a verified token speaks for and which contexts it may reach.
 *
 * @param subject   the user to impersonate; never empty
 * @param groups    the groups to impersonate, possibly none
 * @param contexts  the kubeconfig contexts the token allows, at least one
 * @param tokenId   the token's {@code jti}, for audit
 * @param issuer    the token's {@code iss}, for audit
 * @param expiresAt when the token stops being valid; empty for a token without {@code exp} (only when allowed)
 * @param uid       the user's UID, sent as {@code Impersonate-Uid} (the token's {@code uid} claim)
 * @param boundTo   the SHA-256 fingerprint of the cluster CA the token is bound to (its {@code cfp} claim): the token
 *                  is refused for a context whose cluster has another CA
 */
public record Identity(String subject, List<String> groups, List<String> contexts, Optional<String> tokenId,
                       Optional<String> issuer, Optional<Instant> expiresAt, Optional<String> uid,
                       Optional<String> boundTo) {
    public Identity {
        Objects.requireNonNull(subject, "subject");
        if (subject.isBlank()) {
            throw new IllegalArgumentException("subject: \"" + subject + "\" (expected: a non-empty user name)");
        }
        groups = List.copyOf(groups);
        contexts = List.copyOf(contexts);
        if (contexts.isEmpty()) {
            throw new IllegalArgumentException("contexts: [] (expected: at least one context)");
        }
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(boundTo, "boundTo");
    }

    /** An identity without a UID and not bound to a cluster. */
    public Identity(String subject, List<String> groups, List<String> contexts, Optional<String> tokenId,
                    Optional<String> issuer, Optional<Instant> expiresAt) {
        this(subject, groups, contexts, tokenId, issuer, expiresAt, Optional.empty(), Optional.empty());
    }

    /** This identity with other groups. */
    public Identity withGroups(List<String> newGroups) {
        return new Identity(subject, newGroups, contexts, tokenId, issuer, expiresAt, uid, boundTo);
    }
}
