package io.multikube.it;

import java.util.Objects;
import java.util.UUID;

/**
 * The two bearer tokens every test cluster accepts from a kube-apiserver {@code --token-auth-file}: an administrator
 * (system:masters) and multikube's own identity, user "multikube", which {@code multikube-impersonator.yaml} allows
 * nothing but impersonation. Every kind of cluster gets the same file, so the same RBAC applies everywhere.
 */
record StaticTokens(String admin, String multikube) {
    StaticTokens {
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(multikube, "multikube");
    }

    static StaticTokens random() {
        return new StaticTokens("admin-" + UUID.randomUUID(), "multikube-" + UUID.randomUUID());
    }

    /** The token file: token, user name, uid, groups. */
    String csv() {
        return admin + ",admin,admin,system:masters\n" + multikube + ",multikube,multikube\n";
    }
}
