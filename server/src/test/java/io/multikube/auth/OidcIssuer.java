package io.multikube.auth;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLSocketFactory;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.multikube.pki.KeyAndCertificate;
import io.multikube.testing.TestPki;

/**
 * A real OpenID Connect issuer on 127.0.0.1 over HTTPS: discovery document and JWKS, keys that can be rotated,
 * and a count of JWKS fetches. Signs tokens with its keys.
 */
final class OidcIssuer implements AutoCloseable {
    private final TestPki pki = TestPki.create("issuer CA");
    private final HttpsServer server;
    private final List<RSAKey> published = new CopyOnWriteArrayList<>();
    private final AtomicInteger jwksFetches = new AtomicInteger();

    OidcIssuer() throws IOException {
        KeyAndCertificate serving = pki.server("127.0.0.1", "localhost");
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(pki.sslContextServing(serving)));
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/.well-known/openid-configuration", exchange -> send(exchange,
                "{\"issuer\":\"" + url() + "\",\"jwks_uri\":\"" + url() + "/keys\"}"));
        server.createContext("/keys", exchange -> {
            jwksFetches.incrementAndGet();
            send(exchange, new JWKSet(new ArrayList<JWK>(published)).toString(true));
        });
        server.start();
    }

    String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The issuer's CA, for --oidc-ca-file. */
    String caPem() {
        return pki.ca().certificatePem();
    }

    /** Trusts this issuer's CA, as --oidc-ca-file does. */
    SSLSocketFactory trust() {
        return TestPki.trusting(pki.ca().certificatePem()).getSocketFactory();
    }

    RSAKey newKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    void publish(RSAKey key) {
        published.add(key);
    }

    int jwksFetches() {
        return jwksFetches.get();
    }

    String token(RSAKey key, Map<String, Object> claims) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder()
                .issuer(url()).audience("multikube").subject("u-1")
                .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(5))))
                .claim("ctx", "dev");
        claims.forEach(builder::claim);
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    builder.build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
