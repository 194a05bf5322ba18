package io.multikube.auth;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.nimbusds.jose.JWSAlgorithm;

import io.multikube.pki.Pem;

/**
 * The public keys that verify tokens. Several keys may be trusted at once so signers can rotate: a token that names
 * a {@code kid} is checked with that key only; one that does not is checked with every key fitting its algorithm.
 * Immutable and thread-safe.
 */
public final class SignerKeys {
    private static final System.Logger LOG = System.getLogger(SignerKeys.class.getName());

    private final Map<String, SignerKey> byKeyId;

    private SignerKeys(Map<String, SignerKey> byKeyId) {
        if (byKeyId.isEmpty()) {
            throw new IllegalArgumentException("signer keys: none (expected: at least one)");
        }
        this.byKeyId = byKeyId;
    }

    /**
     * Loads one key per PEM file: a {@code PUBLIC KEY} block, or a certificate (the first one of a chain).
     *
     * @throws IllegalArgumentException naming the file when it is not PEM, holds no public key or an unsupported one
     * @throws java.io.UncheckedIOException naming the file when it cannot be read
     */
    public static SignerKeys load(List<Path> files) {
        Objects.requireNonNull(files, "files");
        if (files.isEmpty()) {
            throw new IllegalArgumentException("signer key files: none (expected: at least one PEM certificate or public key)");
        }
        Map<String, SignerKey> keys = new LinkedHashMap<>();
        for (Path file : files) {
            SignerKey key = read(file);
            if (keys.putIfAbsent(key.keyId(), key) != null) {
                LOG.log(Level.DEBUG, "signer key {0} from {1} is already loaded; skipped", key, file);
            } else {
                LOG.log(Level.DEBUG, "signer key {0} loaded from {1}", key, file);
            }
        }
        return new SignerKeys(Map.copyOf(keys));
    }

    /** Trusts the given keys, e.g. ones a caller already holds. */
    public static SignerKeys of(List<? extends PublicKey> publicKeys) {
        Objects.requireNonNull(publicKeys, "publicKeys");
        Map<String, SignerKey> keys = new LinkedHashMap<>();
        for (PublicKey publicKey : publicKeys) {
            SignerKey key = SignerKey.of(publicKey);
            keys.putIfAbsent(key.keyId(), key);
        }
        return new SignerKeys(Map.copyOf(keys));
    }

    /** The {@code kid} of every key, sorted, for logs and messages. */
    public List<String> keyIds() {
        return byKeyId.keySet().stream().sorted().toList();
    }

    Optional<SignerKey> byKeyId(String keyId) {
        return Optional.ofNullable(byKeyId.get(keyId));
    }

    /** The keys whose type fits the algorithm, in {@code kid} order so tries are repeatable. */
    List<SignerKey> fitting(JWSAlgorithm algorithm) {
        List<SignerKey> result = new ArrayList<>();
        for (String keyId : keyIds()) {
            SignerKey key = byKeyId.get(keyId);
            if (key.kind().fits(algorithm)) {
                result.add(key);
            }
        }
        return List.copyOf(result);
    }

    @Override
    public String toString() {
        return keyIds().stream().map(byKeyId::get).map(SignerKey::toString).toList().toString();
    }

    private static SignerKey read(Path file) {
        String text = KeyFiles.read(file, "signer key file");
        if (!KeyFiles.looksLikePem(text)) {
            throw new IllegalArgumentException("signer key file " + file + " is not PEM "
                    + "(expected: \"BEGIN CERTIFICATE\" or \"BEGIN PUBLIC KEY\")");
        }
        try {
            return SignerKey.of(Pem.publicKey(text));
        } catch (IllegalArgumentException e) {
            // PemException is an IllegalArgumentException; both say what is wrong, this adds which file.
            throw new IllegalArgumentException("signer key file " + file + ": " + e.getMessage(), e);
        }
    }
}
