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
 */
public record Identity(String subject, List<String> groups, List<String> contexts, Optional<String> tokenId,
                       Optional<String> issuer, Optional<Instant> expiresAt) {
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
    }
}
