package io.multikube.cli;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.multikube.config.OidcSettings;
import picocli.CommandLine.Option;

/** The OIDC flags, named and meant as kube-apiserver's, plus the claim that names a token's contexts. */
final class OidcOptions {
    @Option(names = "--oidc-issuer-url", paramLabel = "URL",
            description = "Accept tokens of this OpenID Connect issuer (https) besides multikube-signed ones.")
    String issuerUrl;

    @Option(names = "--oidc-ca-file", paramLabel = "FILE",
            description = "The CA of the issuer's TLS (PEM). Default: the JDK's trust store.")
    Path caFile;

    @Option(names = "--oidc-client-id", paramLabel = "ID", description = "The audience a token's 'aud' must contain.")
    String clientId;

    @Option(names = "--oidc-username-claim", paramLabel = "CLAIM", defaultValue = "sub",
            description = "The claim naming the user. Default: ${DEFAULT-VALUE}.")
    String usernameClaim;

    @Option(names = "--oidc-username-prefix", paramLabel = "PREFIX",
            description = "Prefix for user names; '-' for none. Default: '<issuer-url>#', none for 'email'.")
    String usernamePrefix;

    @Option(names = "--oidc-groups-claim", paramLabel = "CLAIM", description = "The claim listing the user's groups.")
    String groupsClaim;

    @Option(names = "--oidc-groups-prefix", paramLabel = "PREFIX", defaultValue = "",
            description = "Prefix for group names.")
    String groupsPrefix;

    @Option(names = "--oidc-signing-algs", paramLabel = "ALG", split = ",", defaultValue = "RS256",
            description = "Accepted signing algorithms. Default: ${DEFAULT-VALUE}.")
    List<String> signingAlgs = new ArrayList<>();

    @Option(names = "--oidc-required-claim", paramLabel = "CLAIM=VALUE",
            description = "A claim every token must carry with this value (repeatable).")
    Map<String, String> requiredClaims = new LinkedHashMap<>();

    @Option(names = "--oidc-context-claim", paramLabel = "CLAIM", defaultValue = "ctx",
            description = "The claim naming the context(s) a token may reach. Default: ${DEFAULT-VALUE}.")
    String contextClaim;

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
