package io.multikube.auth;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URL;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import javax.net.ssl.SSLSocketFactory;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.SignedJWT;

import io.multikube.config.OidcSettings;
import io.multikube.status.RouterException;

/**
 * Verifies tokens of an OpenID Connect issuer: keys from its JWKS (found by discovery, fetched over verified TLS,
 * cached, refreshed periodically and — rate-limited — on an unknown {@code kid}, kept through an issuer outage),
 * then {@code iss}, {@code aud}, expiry and required claims, mapped to a user as kube-apiserver maps them. When
 * the issuer cannot be reached at start-up, discovery is retried in the background and its tokens are refused
 * (401) until it succeeds; other tokens are unaffected. Thread-safe.
 */
public final class OidcVerifier implements TokenVerifier, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OidcVerifier.class.getName());
    private static final Duration JWKS_TTL = Duration.ofMinutes(10);
    private static final Duration OUTAGE_TOLERANCE = Duration.ofHours(24);
    private static final Duration DISCOVERY_RETRY = Duration.ofSeconds(10);
    private static final int SIZE_LIMIT = 1024 * 1024;

    private final OidcSettings settings;
    private final Clock clock;
    private final ValidityWindow window;
    private final VerifiedTokens<VerifiedToken> verified =
            new VerifiedTokens<>(VerifiedTokens.DEFAULT_CAPACITY, VerifiedTokens.DEFAULT_MAX_AGE);
    private final ResourceRetriever retriever;
    private final Duration minRefreshInterval;
    private final Set<JWSAlgorithm> algorithms;
    private final OidcClaims mapping;
    private final AtomicReference<JWKSource<SecurityContext>> keys = new AtomicReference<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("oidc-discovery").factory());

    /**
     * @param minRefreshInterval the least time between two JWKS fetches (the rate limit on unknown {@code kid}s)
     */
    public OidcVerifier(OidcSettings settings, SSLSocketFactory tls, Clock clock, Duration clockSkew,
                        Duration minRefreshInterval) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.window = new ValidityWindow(clock, clockSkew, false);
        this.retriever = new DefaultResourceRetriever(5000, 5000, SIZE_LIMIT, true, tls);
        this.minRefreshInterval = Objects.requireNonNull(minRefreshInterval, "minRefreshInterval");
        this.algorithms = settings.signingAlgs().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet());
        algorithms.forEach(algorithm -> {
            if (!HeaderPolicy.ACCEPTED.contains(algorithm)) {
                throw new IllegalArgumentException("--oidc-signing-algs: " + algorithm
                        + " (expected: RS*, PS* or ES*; never none or HMAC)");
            }
        });
        this.mapping = new OidcClaims(settings);
        discover();
    }

    /** The issuer this verifier answers for. */
    public String issuer() {
        return settings.issuer().toString();
    }

    private void discover() {
        try {
            URL jwksUri = OidcDiscovery.jwksUri(settings.issuer(), retriever);
            keys.set(JWKSourceBuilder.<SecurityContext>create(jwksUri, retriever)
                    .cache(JWKS_TTL.toMillis(), 15_000)
                    .rateLimited(minRefreshInterval.toMillis())
                    .outageTolerant(OUTAGE_TOLERANCE.toMillis())
                    .build());
            LOG.log(Level.INFO, "OIDC issuer " + settings.issuer() + ": keys from " + jwksUri);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "OIDC issuer " + settings.issuer() + " is not reachable (" + e.getMessage()
                    + "); its tokens are refused until it is, retrying every " + DISCOVERY_RETRY.toSeconds() + " s");
            retries.schedule(this::discover, DISCOVERY_RETRY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public Identity verify(String token) {
        Objects.requireNonNull(token, "token");
        Optional<VerifiedToken> known = verified.get(token, clock.instant());
        if (known.isPresent()) {
            window.check(known.get().claims());
            return known.get().identity();
        }
        SignedJWT jwt = CompactJws.parse(token);
        JWSAlgorithm algorithm = jwt.getHeader().getAlgorithm();
        if (!algorithms.contains(algorithm)) {
            throw new RouterException.Unauthorized("token algorithm " + algorithm + " is not accepted from "
                    + settings.issuer() + " (expected: " + settings.signingAlgs() + ", --oidc-signing-algs)");
        }
        JWKSource<SecurityContext> source = keys.get();
        if (source == null) {
            throw new RouterException.Unauthorized("the OIDC issuer " + settings.issuer()
                    + " has not been reachable yet, so its keys are unknown");
        }
        checkSignature(jwt, source);
        VerifiedToken read = read(jwt);
        verified.remember(token, read, clock.instant());
        return read.identity();
    }

    private void checkSignature(SignedJWT jwt, JWKSource<SecurityContext> source) {
        List<Key> candidates;
        try {
            candidates = new JWSVerificationKeySelector<>(algorithms, source).selectJWSKeys(jwt.getHeader(), null);
        } catch (RateLimitReachedException e) {
            // Unknown kid, and the keys were fetched moments ago: not asked again so soon.
            throw new RouterException.Unauthorized("token key id " + Quoted.of(String.valueOf(jwt.getHeader()
                    .getKeyID())) + " is not among the keys of " + settings.issuer() + " (fetched moments ago)", e);
        } catch (KeySourceException e) {
            throw new RouterException.Unauthorized("the keys of OIDC issuer " + settings.issuer()
                    + " cannot be fetched (" + e + ")", e);
        }
        if (candidates.isEmpty()) {
            throw new RouterException.Unauthorized("token key id " + Quoted.of(String.valueOf(jwt.getHeader()
                    .getKeyID())) + " is not among the keys of " + settings.issuer());
        }
        DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();
        for (Key key : candidates) {
            try {
                if (jwt.verify(verifiers.createJWSVerifier(jwt.getHeader(), key))) {
                    return;
                }
            } catch (JOSEException e) {
                LOG.log(Level.DEBUG, "OIDC signature check failed: " + e.getClass().getSimpleName());
            }
        }
        throw new RouterException.Unauthorized("token signature is invalid");
    }

    private VerifiedToken read(SignedJWT jwt) {
        Map<String, Object> json = jwt.getPayload().toJSONObject();
        if (json == null) {
            throw new RouterException.Unauthorized("token payload is not a JSON object (expected: the claims)");
        }
        ClaimReader claims = new ClaimReader(json);
        if (!settings.issuer().toString().equals(json.get("iss"))) {
            throw new RouterException.Unauthorized("token issuer " + Quoted.of(String.valueOf(json.get("iss")))
                    + " is not " + settings.issuer());
        }
        if (!audiences(json.get("aud")).contains(settings.clientId())) {
            throw new RouterException.Unauthorized("token audience does not include " + Quoted.of(settings.clientId())
                    + " (--oidc-client-id)");
        }
        Optional<java.time.Instant> expiresAt = window.check(claims);
        mapping.checkRequired(json);
        return new VerifiedToken(claims, new Identity(mapping.username(claims, json), mapping.groups(claims),
                claims.contexts(settings.contextClaim()), claims.optionalString("jti"),
                Optional.of(settings.issuer().toString()), expiresAt));
    }

    private static List<String> audiences(Object aud) {
        if (aud instanceof String single) {
            return List.of(single);
        }
        if (aud instanceof List<?> list) {
            return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return List.of();
    }

    @Override
    public void close() {
        retries.shutdownNow();
    }
}
