package io.multikube.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.multikube.config.OidcSettings;

/** The OIDC flags, named and meant as kube-apiserver's, plus the claim that names a token's contexts. */
final class OidcOptions {
    String issuerUrl;
    Path caFile;
    String clientId;
    String usernameClaim;
    String usernamePrefix;
    String groupsClaim;
    String groupsPrefix;
    final List<String> signingAlgs = new ArrayList<>();
    final Map<String, String> requiredClaims = new LinkedHashMap<>();
    String contextClaim;

    List<Flag> flags() {
        return List.of(
                Flag.value("--oidc-issuer-url", "URL", "Accept tokens of this OpenID Connect issuer (https) besides "
                        + "multikube-signed ones.", value -> issuerUrl = value),
                Flag.value("--oidc-ca-file", "FILE", "The CA of the issuer's TLS (PEM). Default: the JDK's trust "
                        + "store.", value -> caFile = Values.path(value)),
                Flag.value("--oidc-client-id", "ID", "The audience a token's 'aud' must contain.",
                        value -> clientId = value),
                Flag.value("--oidc-username-claim", "CLAIM", "The claim naming the user. Default: ${DEFAULT}.",
                        value -> usernameClaim = value).withDefault("sub"),
                Flag.value("--oidc-username-prefix", "PREFIX", "Prefix for user names; '-' for none. "
                        + "Default: '<issuer-url>#', none for 'email'.", value -> usernamePrefix = value),
                Flag.value("--oidc-groups-claim", "CLAIM", "The claim listing the user's groups.",
                        value -> groupsClaim = value),
                Flag.value("--oidc-groups-prefix", "PREFIX", "Prefix for group names.",
                        value -> groupsPrefix = value).withDefault(""),
                Flag.commaSeparated("--oidc-signing-algs", "ALG", "Accepted signing algorithms. "
                        + "Default: ${DEFAULT}.", signingAlgs::add).withDefault("RS256"),
                Flag.keyValues("--oidc-required-claim", "CLAIM=VALUE", "A claim every token must carry with this "
                        + "value (repeatable).", requiredClaims),
                Flag.value("--oidc-context-claim", "CLAIM", "The claim naming the context(s) a token may reach. "
                        + "Default: ${DEFAULT}.", value -> contextClaim = value).withDefault("ctx"));
    }

    Optional<OidcSettings> settings() {
        if (issuerUrl == null) {
            if (clientId != null) {
                throw new IllegalArgumentException("--oidc-client-id needs --oidc-issuer-url");
            }
            return Optional.empty();
        }
        if (clientId == null) {
            throw new IllegalArgumentException("--oidc-issuer-url needs --oidc-client-id (expected: the audience)");
        }
        return Optional.of(new OidcSettings(URI.create(issuerUrl), Optional.ofNullable(caFile), clientId,
                usernameClaim, Optional.ofNullable(usernamePrefix), Optional.ofNullable(groupsClaim), groupsPrefix,
                signingAlgs, requiredClaims, contextClaim));
    }
}
