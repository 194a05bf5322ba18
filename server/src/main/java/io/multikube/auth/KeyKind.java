package io.multikube.auth;

import java.security.Key;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.Objects;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;

/**
 * The key types that may sign or verify multikube tokens, and the JWS algorithms each one fits. The fit is what
 * stops algorithm confusion: an RSA key never checks an ES* signature, a P-256 key never checks ES384.
 */
enum KeyKind {
    RSA("RSA", JWSAlgorithm.RS256, Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512)),
    EC_P256("EC P-256", JWSAlgorithm.ES256, Set.of(JWSAlgorithm.ES256)),
    EC_P384("EC P-384", JWSAlgorithm.ES384, Set.of(JWSAlgorithm.ES384)),
    EC_P521("EC P-521", JWSAlgorithm.ES512, Set.of(JWSAlgorithm.ES512));

    /** Smaller RSA keys are factorable at reasonable cost; RFC 7518 §3.3 asks for 2048 bits too. */
    static final int MIN_RSA_BITS = 2048;

    private static final String SUPPORTED = "RSA of at least " + MIN_RSA_BITS + " bits, or EC P-256, P-384, P-521";

    private final String label;
    private final JWSAlgorithm mintingAlgorithm;
    private final Set<JWSAlgorithm> algorithms;

    KeyKind(String label, JWSAlgorithm mintingAlgorithm, Set<JWSAlgorithm> algorithms) {
        this.label = label;
        this.mintingAlgorithm = mintingAlgorithm;
        this.algorithms = algorithms;
    }

    /** The kind of a public or private key; fails with a message naming the key type and what is supported. */
    static KeyKind of(Key key) {
        Objects.requireNonNull(key, "key");
        if (key instanceof RSAKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < MIN_RSA_BITS) {
                throw new IllegalArgumentException("RSA key of " + bits + " bits is too small (expected: " + SUPPORTED + ")");
            }
            return RSA;
        }
        if (key instanceof ECKey ec) {
            Curve curve = Curve.forECParameterSpec(ec.getParams());
            if (Curve.P_256.equals(curve)) {
                return EC_P256;
            }
            if (Curve.P_384.equals(curve)) {
                return EC_P384;
            }
            if (Curve.P_521.equals(curve)) {
                return EC_P521;
            }
            String name = curve == null ? "an unnamed curve" : "curve " + curve.getName();
            throw new IllegalArgumentException("EC key on " + name + " is not supported (expected: " + SUPPORTED + ")");
        }
        throw new IllegalArgumentException("key type " + key.getAlgorithm() + " is not supported (expected: "
                + SUPPORTED + ")");
    }

    /** Whether a signature made with {@code algorithm} may be checked with a key of this kind. */
    boolean fits(JWSAlgorithm algorithm) {
        return algorithms.contains(algorithm);
    }

    /** The algorithms this kind fits, for messages: {@code RS* or PS*}, {@code ES256}. */
    String algorithmNames() {
        return this == RSA ? "RS* or PS*" : mintingAlgorithm.getName();
    }

    /** The algorithm the minter uses: RS256 for RSA (widest support), the curve's own ES* for EC. */
    JWSAlgorithm mintingAlgorithm() {
        return mintingAlgorithm;
    }

    @Override
    public String toString() {
        return label;
    }
}
