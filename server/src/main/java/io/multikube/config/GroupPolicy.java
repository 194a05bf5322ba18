package io.multikube.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which of a token's groups multikube impersonates. Each impersonated group costs the cluster an authorization
 * check per request, and groups from an external identity provider may carry names the cluster treats specially,
 * so operators may filter them and bound their number.
 *
 * @param allowed groups to impersonate (the whole name must match); empty for all
 * @param max     the most groups a token may carry after filtering; a token with more is refused (403)
 */
public record GroupPolicy(Optional<Pattern> allowed, int max) {
    public static final int DEFAULT_MAX = 64;

    public GroupPolicy {
        Objects.requireNonNull(allowed, "allowed");
        if (max < 0) {
            throw new IllegalArgumentException("--max-impersonated-groups: " + max + " (expected: >= 0)");
        }
    }

    /** Every group, at most {@link #DEFAULT_MAX}. */
    public static GroupPolicy defaults() {
        return new GroupPolicy(Optional.empty(), DEFAULT_MAX);
    }

    /** The groups that pass the filter, in their order. */
    public List<String> filter(List<String> groups) {
        return allowed.map(pattern -> groups.stream().filter(group -> pattern.matcher(group).matches()).toList())
                .orElse(groups);
    }
}
