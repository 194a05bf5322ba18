package io.multikube.auth;

import java.security.KeyPair;

import io.multikube.pki.KeyType;

/** Real key pairs, generated once per test run (RSA generation is slow on a small machine). */
final class TestKeys {
    static final KeyPair RSA = KeyType.RSA_2048.generate();
    static final KeyPair RSA_OTHER = KeyType.RSA_2048.generate();
    static final KeyPair EC_P256 = KeyType.EC_P256.generate();
    static final KeyPair EC_P256_OTHER = KeyType.EC_P256.generate();
    static final KeyPair EC_P384 = KeyType.EC_P384.generate();
    static final KeyPair EC_P521 = KeyType.EC_P521.generate();

    private TestKeys() {
    }

    static String kid(KeyPair keys) {
        return KeyIds.of(keys.getPublic());
    }
}
