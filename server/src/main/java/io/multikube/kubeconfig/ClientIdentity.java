package io.multikube.kubeconfig;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The client certificate (possibly followed by intermediates) and its private key that multikube presents.
 * Created only for a key that matches the certificate, so a mix-up shows at load time, not as a handshake
 * failure on the first request.
 */
record ClientIdentity(List<X509Certificate> chain, PrivateKey key) {
    private static final SecureRandom RANDOM = new SecureRandom();

    ClientIdentity {
        chain = List.copyOf(chain);
        Objects.requireNonNull(key, "key");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain: empty (expected: the client certificate first)");
        }
    }

    /** Reads both sources; fails when either does not parse or the key does not belong to the certificate. */
    static ClientIdentity of(String what, PemSource certificate, PemSource key) {
        ClientIdentity identity = new ClientIdentity(certificate.certificates(what), key.privateKey(what));
        if (!identity.keyMatchesCertificate()) {
            throw new EntryProblem(what + ": " + key.label() + " does not belong to " + certificate.label()
                    + " (expected: the private key of the client certificate)");
        }
        return identity;
    }

    X509Certificate certificate() {
        return chain.get(0);
    }

    @Override
    public String toString() {
        return "ClientIdentity[" + certificate().getSubjectX500Principal() + "]"; // never the key
    }

    /** Signs random bytes with the key and verifies with the certificate: works alike for RSA, EC and EdDSA. */
    private boolean keyMatchesCertificate() {
        try {
            String algorithm = switch (key.getAlgorithm()) {
                case "RSA" -> "SHA256withRSA";
                case "EC" -> "SHA256withECDSA";
                default -> key.getAlgorithm(); // Ed25519, Ed448
            };
            byte[] challenge = new byte[32];
            RANDOM.nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate().getPublicKey());
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an RSA key with an EC certificate
        }
    }
}
