package io.multikube.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;

import io.multikube.status.RouterException;

/**
 * What a token's JWS header may say. Only asymmetric algorithms: a verifier that holds public keys must never run
 * HMAC, or anyone could "sign" with the public key. Headers that carry or point to keys ({@code jwk}, {@code jku},
 * {@code x5c}, {@code x5u}) are refused rather than ignored: trust comes from configured keys only, and a token
 * relying on its own key is a forgery attempt or a misconfigured signer — either way worth a clear refusal.
 */
final class HeaderPolicy {
    static final Set<JWSAlgorithm> ACCEPTED = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private HeaderPolicy() {
    }

    static void check(JWSHeader header) {
        JWSAlgorithm algorithm = header.getAlgorithm();
        if (!ACCEPTED.contains(algorithm)) {
            throw new RouterException.Unauthorized("token algorithm " + Quoted.of(algorithm.getName())
                    + " is not accepted (expected: RS*, PS* or ES*)");
        }
        List<String> keyHeaders = keyHeaders(header);
        if (!keyHeaders.isEmpty()) {
            throw new RouterException.Unauthorized("token header carries " + String.join(", ", keyHeaders)
                    + ", which is not accepted (signer keys come from configuration only)");
        }
        Set<String> critical = header.getCriticalParams();
        if (critical != null && !critical.isEmpty()) {
            // RFC 7515 §4.1.11: a critical parameter we do not implement makes the token invalid. We implement none.
            // String.valueOf: "crit": [null] parses to a set holding null (found by TokenVerifierFuzzTest).
            String names = String.join(", ", critical.stream().map(String::valueOf).sorted().limit(5)
                    .map(Quoted::of).toList());
            throw new RouterException.Unauthorized("token header marks " + names
                    + " critical, which is not understood (expected: no \"crit\")");
        }
        if (!header.isBase64URLEncodePayload()) {
            throw new RouterException.Unauthorized("token header sets \"b64\": false (expected: a base64url payload)");
        }
    }

    private static List<String> keyHeaders(JWSHeader header) {
        List<String> found = new ArrayList<>();
        if (header.getJWK() != null) {
            found.add("jwk");
        }
        if (header.getJWKURL() != null) {
            found.add("jku");
        }
        if (header.getX509CertChain() != null) {
            found.add("x5c");
        }
        if (header.getX509CertURL() != null) {
            found.add("x5u");
        }
        return found;
    }
}
