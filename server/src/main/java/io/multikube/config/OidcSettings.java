package io.multikube.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Tokens from an OpenID Connect issuer, configured with kube-apiserver's own flag names and meanings.
 *
 * @param issuer         {@code --oidc-issuer-url}: HTTPS, compared exactly with the tokens' {@code iss}
 * @param caFile         {@code --oidc-ca-file}: the CA of the issuer's TLS; empty for the JDK's trust store
 * @param clientId       {@code --oidc-client-id}: the audience a token's {@code aud} must contain
 * @param usernameClaim  {@code --oidc-username-claim}
 * @param usernamePrefix {@code --oidc-username-prefix}; empty for kube's default (see {@code OidcClaims})
 * @param groupsClaim    {@code --oidc-groups-claim}; empty for no groups
 * @param groupsPrefix   {@code --oidc-groups-prefix}
 * @param signingAlgs    {@code --oidc-signing-algs}
 * @param requiredClaims {@code --oidc-required-claim}: claims that must have these string values
 * @param contextClaim   {@code --oidc-context-claim}: the claim naming the contexts a token may reach
 */
public record OidcSettings(URI issuer, Optional<Path> caFile, String clientId, String usernameClaim,
                           Optional<String> usernamePrefix, Optional<String> groupsClaim, String groupsPrefix,
                           List<String> signingAlgs, Map<String, String> requiredClaims, String contextClaim) {
    public OidcSettings {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(caFile, "caFile");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(usernameClaim, "usernameClaim");
        Objects.requireNonNull(usernamePrefix, "usernamePrefix");
        Objects.requireNonNull(groupsClaim, "groupsClaim");
        Objects.requireNonNull(groupsPrefix, "groupsPrefix");
        signingAlgs = List.copyOf(signingAlgs);
        requiredClaims = Map.copyOf(requiredClaims);
        Objects.requireNonNull(contextClaim, "contextClaim");
        if (!"https".equals(issuer.getScheme())) {
            throw new IllegalArgumentException("--oidc-issuer-url: " + issuer + " (expected: an https:// URL)");
        }
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("--oidc-client-id: none (expected: the audience tokens are issued for)");
        }
        if (signingAlgs.isEmpty()) {
            throw new IllegalArgumentException("--oidc-signing-algs: none (expected: e.g. RS256)");
        }
    }
}
