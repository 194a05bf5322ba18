package io.multikube.spi.audit;

import java.util.List;
import java.util.Objects;

/**
 * A user as the audit log names it ({@code authentication.k8s.io/v1 UserInfo}).
 *
 * @param username the user name; empty when the request had no valid token
 * @param groups   the groups, possibly none
 */
public record AuditUser(String username, List<String> groups) {
    public AuditUser {
        Objects.requireNonNull(username, "username");
        groups = List.copyOf(groups);
    }

    /** The user of a request whose token did not verify. */
    public static AuditUser unauthenticated() {
        return new AuditUser("", List.of());
    }
}
