package io.multikube.auth;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;

import io.multikube.status.RouterException;

/**
 * Verifies multikube JWTs: a compact JWS signed with RS*, PS* or ES* by one of the {@link SignerKeys}, carrying
 * {@code sub}, {@code ctx} and optionally {@code groups}. The signature is checked before any claim is read.
 * Immutable and thread-safe. Refusals are {@link RouterException.Unauthorized} with a reason that never holds
 * the token. A token that verified once is remembered with its claims ({@link VerifiedTokens}); its validity
 * window is checked again at every use.
 */
public final class JwtVerifier implements TokenVerifier {
    private static final System.Logger LOG = System.getLogger(JwtVerifier.class.getName());

    private final SignerKeys keys;
    private final Clock clock;
    private final ValidityWindow window;
    private final VerifiedTokens<VerifiedToken> verified =
            new VerifiedTokens<>(VerifiedTokens.DEFAULT_CAPACITY, VerifiedTokens.DEFAULT_MAX_AGE);

    /**
     * @param keys                     the keys that may have signed a token
     * @param clock                    the time {@code exp}, {@code nbf} and {@code iat} are compared with
     * @param clockSkew                how far the signer's clock may be off from ours, >= 0
     * @param allowTokensWithoutExpiry whether a token without {@code exp} is accepted (it is valid forever)
     */
    public JwtVerifier(SignerKeys keys, Clock clock, Duration clockSkew, boolean allowTokensWithoutExpiry) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.window = new ValidityWindow(clock, clockSkew, allowTokensWithoutExpiry);
    }

    @Override
    public Identity verify(String token) {
        Objects.requireNonNull(token, "token");
        try {
            Optional<VerifiedToken> known = verified.get(token, clock.instant());
            if (known.isPresent()) {
                window.check(known.get().claims());
                return known.get().identity();
            }
            SignedJWT jwt = CompactJws.parse(token);
            checkSignature(jwt);
            VerifiedToken read = read(jwt);
            verified.remember(token, read, clock.instant());
            return read.identity();
        } catch (RouterException.Unauthorized e) {
            LOG.log(Level.DEBUG, "token refused: {0}", e.getMessage());
            throw e;
        }
    }

    private void checkSignature(SignedJWT jwt) {
        JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
        String keyId = jwt.getHeader().getKeyID();
        List<SignerKey> candidates = keyId == null ? keys.fitting(algorithm) : List.of(keyFor(keyId, algorithm));
        if (candidates.isEmpty()) {
            throw new RouterException.Unauthorized("token algorithm " + algorithm
                    + " fits no signer key (configured: " + keys + ")");
        }
        for (SignerKey key : candidates) {
            if (verifies(jwt, key)) {
                return;
            }
        }
        throw new RouterException.Unauthorized("token signature is invalid");
    }

    private SignerKey keyFor(String keyId, JWSAlgorithm algorithm) {
        SignerKey key = keys.byKeyId(keyId).orElseThrow(() -> new RouterException.Unauthorized(
                "token key id " + Quoted.of(keyId) + " is not a signer key (known: "
                        + String.join(", ", keys.keyIds()) + ")"));
        if (!key.kind().fits(algorithm)) {
            throw new RouterException.Unauthorized("token algorithm " + algorithm + " does not fit signer key "
                    + key + " (expected: " + key.kind().algorithmNames() + ")");
        }
        return key;
    }

    private static boolean verifies(SignedJWT jwt, SignerKey key) {
        try {
            return jwt.verify(key.verifier());
        } catch (JOSEException e) {
            // Nimbus throws for signatures it cannot even decode (e.g. an ES signature of the wrong length); to the
            // client that is simply an invalid signature.
            LOG.log(Level.DEBUG, "signature check with key {0} failed: {1}", key.keyId(), e.getClass().getSimpleName());
            return false;
        }
    }

    private VerifiedToken read(SignedJWT jwt) {
        Map<String, Object> json = jwt.getPayload().toJSONObject();
        if (json == null) {
            throw new RouterException.Unauthorized("token payload is not a JSON object (expected: the claims)");
        }
        ClaimReader claims = new ClaimReader(json);
        Optional<Instant> expiresAt = window.check(claims);
        return new VerifiedToken(claims, new Identity(
                claims.requiredName("sub", "a non-empty user name"),
                claims.groups("groups"),
                claims.contexts("ctx"),
                claims.optionalString("jti"),
                claims.optionalString("iss"),
                expiresAt,
                claims.optionalString("uid"),
                claims.optionalString(TokenMinter.CLUSTER_BINDING)));
    }
}
