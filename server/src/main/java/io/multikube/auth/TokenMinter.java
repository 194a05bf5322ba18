package io.multikube.auth;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Objects;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.multikube.pki.Pem;

/**
 * Mints multikube tokens with a private key: RS256 for RSA, ES256/384/512 for EC P-256/384/521, with the key's
 * RFC 7638 thumbprint as {@code kid} so verifiers find the key without configuration. Immutable and thread-safe.
 */
public final class TokenMinter {
    /** The claim binding a token to one cluster: the SHA-256 fingerprint (hex) of that cluster's CA certificate. */
    public static final String CLUSTER_BINDING = "cfp";

    /** The {@code iss} of every minted token. */
    public static final String ISSUER = "multikube";

    private final JWSSigner signer;
    private final JWSAlgorithm algorithm;
    private final String keyId;
    private final Clock clock;

    /** A minter whose {@code kid} comes from the public key derived from {@code key}. */
    public TokenMinter(PrivateKey key) {
        this(key, PublicKeys.derive(key));
    }

    /** A minter for a key pair; fails when the public key does not belong to the private key. */
    public TokenMinter(PrivateKey key, PublicKey publicKey) {
        this(key, publicKey, Clock.systemUTC());
    }

    /** As {@link #TokenMinter(PrivateKey, PublicKey)}, reading the time from {@code clock}. */
    public TokenMinter(PrivateKey key, PublicKey publicKey, Clock clock) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(publicKey, "publicKey");
        this.clock = Objects.requireNonNull(clock, "clock");
        KeyKind kind = KeyKind.of(key);
        if (!PublicKeys.match(key, publicKey)) {
            throw new IllegalArgumentException("public key " + KeyIds.of(publicKey)
                    + " does not belong to the " + kind + " private key");
        }
        this.algorithm = kind.mintingAlgorithm();
        this.keyId = KeyIds.of(publicKey);
        this.signer = signer(kind, key);
    }

    /** A minter for the private key in a PEM file (PKCS#8, PKCS#1 RSA or SEC1 EC). */
    public static TokenMinter fromPem(Path keyFile) {
        String text = KeyFiles.read(keyFile, "signing key file");
        try {
            return new TokenMinter(Pem.privateKey(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("signing key file " + keyFile + ": " + e.getMessage(), e);
        }
    }

    /** A signed compact JWT for the request, valid from now for its ttl. */
    public String mint(TokenRequest request) {
        Objects.requireNonNull(request, "request");
        // NumericDates are whole seconds; truncating keeps exp - iat equal to the ttl.
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .subject(request.subject())
                .claim("ctx", request.contexts().size() == 1 ? request.contexts().getFirst() : request.contexts())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(request.ttl())))
                .jwtID(UUID.randomUUID().toString())
                .issuer(ISSUER);
        if (!request.groups().isEmpty()) {
            claims.claim("groups", request.groups());
        }
        request.audience().ifPresent(claims::audience);
        request.uid().ifPresent(uid -> claims.claim("uid", uid));
        request.boundTo().ifPresent(fingerprint -> claims.claim(CLUSTER_BINDING, fingerprint));
        JWSHeader header = new JWSHeader.Builder(algorithm).keyID(keyId).type(JOSEObjectType.JWT).build();
        SignedJWT jwt = new SignedJWT(header, claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token with " + algorithm + " key " + keyId, e);
        }
        return jwt.serialize();
    }

    /** The {@code kid} minted tokens carry. */
    public String keyId() {
        return keyId;
    }

    /** The {@code alg} minted tokens carry, e.g. {@code ES256}. */
    public String algorithm() {
        return algorithm.getName();
    }

    private static JWSSigner signer(KeyKind kind, PrivateKey key) {
        try {
            return switch (kind) {
                case RSA -> new RSASSASigner(key);
                case EC_P256, EC_P384, EC_P521 -> new ECDSASigner((ECPrivateKey) key);
            };
        } catch (JOSEException e) {
            throw new IllegalArgumentException(kind + " key cannot sign: " + e.getMessage(), e);
        }
    }
}
