package io.multikube.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.multikube.auth.JwtVerifier;
import io.multikube.auth.SignerKeys;
import io.multikube.kubeconfig.Kubeconfig;
import io.multikube.status.RouterException;

/**
 * Coverage-guided fuzzing of the header sanitizer, through the real pipeline with a real signed token: whatever
 * header fields a client sends (names in any case, repeated, nominated by {@code Connection}, over an upgrade or
 * not), the cluster sees only allowed fields and our own identity, never a client credential or impersonation.
 * A request is either routed that way or refused with a {@link RouterException}; nothing else may happen.
 *
 * <p>Every build replays the corpus in {@code HeaderSanitizerFuzzTestInputs}; {@code scripts/fuzz.sh} fuzzes.
 */
class HeaderSanitizerFuzzTest {
    /** Names worth trying, in the spellings attackers use; the fuzzer mutates their case and mixes in others. */
    private static final List<String> NAMES = List.of("Impersonate-User", "Impersonate-Group", "Impersonate-Uid",
            "Impersonate-Extra-Scopes", "Impersonate-Extra-", "X-Remote-User", "X-Remote-Group", "X-Remote-Extra-a",
            "Authorization", "Proxy-Authorization", "Cookie", "Connection", "Upgrade", "Sec-WebSocket-Protocol",
            "Multikube-Context", "Audit-ID", "X-Forwarded-For", "Forwarded", "Transfer-Encoding", "Content-Length",
            "Accept", "Keep-Alive", "Te", "Host", "Kubectl-Command", "Origin");
    private static final Set<String> OURS = Set.of("impersonate-user", "impersonate-group", "audit-id",
            "x-forwarded-for");
    private static final Set<String> ALLOWED = Set.of("accept", "accept-encoding", "accept-language",
            "accept-charset", "content-type", "content-length", "content-encoding", "if-match", "if-none-match",
            "if-modified-since", "if-unmodified-since", "if-range", "cache-control", "pragma", "user-agent",
            "kubectl-command", "kubectl-session", "x-stream-protocol-version");
    private static final Set<String> UPGRADE_ONLY = Set.of("upgrade", "sec-websocket-key", "sec-websocket-version",
            "sec-websocket-protocol", "sec-websocket-extensions", "origin");
    private static final String TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private static final KeyPair KEYS = ecKeys();
    private static final String TOKEN = token();
    private static final RequestPipeline PIPELINE = new RequestPipeline(
            new JwtVerifier(SignerKeys.of(List.of((ECPublicKey) KEYS.getPublic())), Clock.systemUTC(),
                    Duration.ofSeconds(60), false),
            () -> new Kubeconfig(Path.of("kubeconfig"), Map.of("a", SelectContextTest.context("a")), Map.of()),
            () -> "audit-1");

    @FuzzTest(maxDuration = "30s")
    void clusterSeesOnlyAllowedFieldsAndOurIdentity(FuzzedDataProvider data) {
        boolean upgrade = data.consumeBoolean();
        List<String> fields = new ArrayList<>(List.of("Authorization", "Bearer " + TOKEN));
        int count = data.consumeInt(0, 12);
        for (int i = 0; i < count; i++) {
            fields.add(name(data));
            fields.add(value(data));
        }
        InboundRequest inbound = new InboundRequest("GET", "/api/v1/pods", "", Headers.of(fields.toArray(String[]::new)),
                new InetSocketAddress("192.0.2.7", 40000), upgrade);

        OutboundRequest outbound;
        try {
            outbound = PIPELINE.route(inbound);
        } catch (RouterException refused) {
            return;
        }

        Set<String> nominated = inbound.headers().nominatedByConnection();
        for (Headers.Header field : outbound.headers().fields()) {
            String name = field.lowerCaseName();
            assertThat(OURS.contains(name) || ALLOWED.contains(name) || (upgrade && UPGRADE_ONLY.contains(name)))
                    .as("field %s reached the cluster", field.name()).isTrue();
            assertThat(!OURS.contains(name) && nominated.contains(name) && !name.equals("upgrade"))
                    .as("hop-by-hop field %s (named by Connection) reached the cluster", field.name()).isFalse();
        }
        assertThat(outbound.headers().all("Impersonate-User")).containsExactly("alice");
        assertThat(outbound.headers().all("Impersonate-Group")).containsExactly("dev");
        assertThat(outbound.headers().all("Audit-ID")).containsExactly("audit-1");
        assertThat(outbound.headers().all("X-Forwarded-For")).containsExactly("192.0.2.7");
        for (String protocols : outbound.headers().all("Sec-WebSocket-Protocol")) {
            for (String protocol : protocols.split(",")) {
                assertThat(protocol.strip()).doesNotStartWith(BearerTokens.WEBSOCKET_TOKEN_PREFIX);
            }
        }
    }

    /** A field name as HTTP parses one (a token): a known one in mixed case, or made up. */
    private static String name(FuzzedDataProvider data) {
        String name = data.consumeBoolean() ? data.pickValue(NAMES) : data.consumeString(24);
        StringBuilder token = new StringBuilder();
        for (char c : name.toCharArray()) {
            if (TCHARS.indexOf(c) >= 0) {
                token.append(data.consumeBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
            }
        }
        return token.isEmpty() ? "x" : token.toString();
    }

    /** A field value as HTTP parses one: no CR, LF or NUL, no surrounding white space. */
    private static String value(FuzzedDataProvider data) {
        String value = data.consumeBoolean() ? data.pickValue(List.of("alice", "system:masters", "Upgrade",
                "keep-alive, Impersonate-User", "base64url.bearer.authorization.k8s.io.dG9rZW4, v5.channel.k8s.io",
                "Bearer " + TOKEN, "websocket", "a")) : data.consumeString(64);
        return value.replaceAll("[\\r\\n\\x00]", "").strip();
    }

    private static KeyPair ecKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token() {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), new JWTClaimsSet.Builder()
                    .subject("alice").claim("groups", List.of("dev")).claim("ctx", "a")
                    .expirationTime(java.util.Date.from(Instant.now().plus(Duration.ofHours(1)))).build());
            jwt.sign(new ECDSASigner(KEYS.getPrivate(), com.nimbusds.jose.jwk.Curve.P_256));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
