package io.multikube.auth;

import java.util.Map;
import java.util.Objects;

import com.nimbusds.jwt.SignedJWT;

/**
 * Sends each token to the verifier of its issuer: the OIDC issuer's tokens to {@link OidcVerifier}, every other token
 * to multikube's own signer keys. The unverified {@code iss} only chooses; the chosen verifier checks everything,
 * including {@code iss} itself, so a token cannot pass one verifier's checks by naming the other's issuer.
 */
public final class IssuerRouting implements TokenVerifier {
    private final OidcVerifier oidc;
    private final TokenVerifier signers;

    public IssuerRouting(OidcVerifier oidc, TokenVerifier signers) {
        this.oidc = Objects.requireNonNull(oidc, "oidc");
        this.signers = Objects.requireNonNull(signers, "signers");
    }

    @Override
    public Identity verify(String token) {
        SignedJWT jwt = CompactJws.parse(token);
        Map<String, Object> claims = jwt.getPayload().toJSONObject();
        boolean fromIssuer = claims != null && oidc.issuer().equals(claims.get("iss"));
        return fromIssuer ? oidc.verify(token) : signers.verify(token);
    }
}
