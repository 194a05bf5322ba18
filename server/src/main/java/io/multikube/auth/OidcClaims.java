package io.multikube.auth;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.multikube.config.OidcSettings;
import io.multikube.status.RouterException;

/**
 * Maps a verified OIDC token's claims to an {@link Identity} as kube-apiserver maps them to a user: the username
 * claim with its prefix (by default {@code <issuer>#} unless the claim is {@code email}; {@code -} means none), an
 * {@code email} username only when {@code email_verified} is not false, groups with their prefix.
 */
final class OidcClaims {
    private final OidcSettings settings;

    OidcClaims(OidcSettings settings) {
        this.settings = settings;
    }

    String username(ClaimReader claims, Map<String, Object> json) {
        String name = claims.requiredName(settings.usernameClaim(), "the user name (--oidc-username-claim)");
        if (settings.usernameClaim().equals("email") && Boolean.FALSE.equals(json.get("email_verified"))) {
            throw new RouterException.Unauthorized("token email is not verified (email_verified is false)");
        }
        return usernamePrefix() + name;
    }

    String usernamePrefix() {
        Optional<String> prefix = settings.usernamePrefix();
        if (prefix.isPresent()) {
            return prefix.get().equals("-") ? "" : prefix.get();
        }
        return settings.usernameClaim().equals("email") ? "" : settings.issuer() + "#";
    }

    List<String> groups(ClaimReader claims) {
        return settings.groupsClaim()
                .map(claim -> claims.groups(claim).stream().map(group -> settings.groupsPrefix() + group).toList())
                .orElse(List.of());
    }

    void checkRequired(Map<String, Object> json) {
        settings.requiredClaims().forEach((claim, value) -> {
            if (!value.equals(json.get(claim))) {
                throw new RouterException.Unauthorized("token claim " + Quoted.of(claim) + " is not " + Quoted.of(value)
                        + " (required by --oidc-required-claim)");
            }
        });
    }
}
