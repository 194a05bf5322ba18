package io.multikube.kubeconfig;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** Builds the {@link SSLContext} for one cluster from its CA certificates and the user's client identity. */
final class TlsContexts {
    /** Only protects the in-memory key store; it never leaves this class. */
    private static final char[] KEY_STORE_PASSWORD = "multikube".toCharArray();
    /**
     * JKS, as for the serving key (ServerTls): PKCS#12 derives the password with 10,000 PBKDF2 rounds to store the
     * key and again to read it (the first such store of a start: ~0.7 s on one core, 0.1 s as JKS), for a store
     * that never leaves memory.
     */
    private static final String IN_MEMORY_STORE = "JKS";

    private TlsContexts() {
    }

    /**
     * @param authorities the CA certificates to trust; empty means the JDK's default trust store, as kubectl
     *                    uses the system roots when no CA is given
     * @param insecure    trust any server certificate ({@code insecure-skip-tls-verify})
     * @param client      the certificate and key to present, if any
     */
    static SSLContext create(List<X509Certificate> authorities, boolean insecure, Optional<ClientIdentity> client)
            throws GeneralSecurityException {
        return create(List.of(trustManagers(authorities, insecure)), client);
    }

    /** A context trusting what {@code trust} trusts and presenting {@code client}, if any. */
    static SSLContext create(List<TrustManager> trust, Optional<ClientIdentity> client)
            throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers(client), trust.toArray(TrustManager[]::new), new SecureRandom());
        return context;
    }

    static TrustManager[] trustManagers(List<X509Certificate> authorities, boolean insecure)
            throws GeneralSecurityException {
        if (insecure) {
            return new TrustManager[] {TrustAll.INSTANCE};
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (authorities.isEmpty()) {
            factory.init((KeyStore) null); // the JDK's cacerts
        } else {
            KeyStore store = emptyStore();
            for (int i = 0; i < authorities.size(); i++) {
                store.setCertificateEntry("ca-" + i, authorities.get(i));
            }
            factory.init(store);
        }
        return factory.getTrustManagers();
    }

    private static KeyManager[] keyManagers(Optional<ClientIdentity> client) throws GeneralSecurityException {
        if (client.isEmpty()) {
            return null; // SSLContext.init then presents no client certificate (not the javax.net.ssl.keyStore)
        }
        KeyStore store = emptyStore();
        store.setKeyEntry("client", client.get().key(), KEY_STORE_PASSWORD,
                client.get().chain().toArray(Certificate[]::new));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, KEY_STORE_PASSWORD);
        return factory.getKeyManagers();
    }

    private static KeyStore emptyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(IN_MEMORY_STORE);
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot create an in-memory key store", e);
        }
        return store;
    }
}
