package io.multikube.auth;

import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Objects;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;

/**
 * One public key that verifies tokens, with its {@code kid} and a ready Nimbus verifier (thread-safe, so built once).
 *
 * @param keyId     the RFC 7638 thumbprint
 * @param kind      what the key is, and so which algorithms it may check
 * @param publicKey the key itself
 * @param verifier  the Nimbus verifier for this key
 */
record SignerKey(String keyId, KeyKind kind, PublicKey publicKey, JWSVerifier verifier) {
    SignerKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(verifier, "verifier");
    }

    /** @throws IllegalArgumentException when the key is of a type or size multikube does not accept */
    static SignerKey of(PublicKey publicKey) {
        KeyKind kind = KeyKind.of(publicKey);
        return new SignerKey(KeyIds.of(publicKey), kind, publicKey, verifier(kind, publicKey));
    }

    private static JWSVerifier verifier(KeyKind kind, PublicKey publicKey) {
        try {
            return switch (kind) {
                case RSA -> new RSASSAVerifier((RSAPublicKey) publicKey);
                case EC_P256, EC_P384, EC_P521 -> new ECDSAVerifier((ECPublicKey) publicKey);
            };
        } catch (JOSEException e) {
            throw new IllegalArgumentException(kind + " key cannot verify signatures: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return keyId + " (" + kind + ")";
    }
}
