package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import io.multikube.testing.RecordingUpstream;

/**
 * The case table of {@link HeaderTricksTest}: name, transport, request and expected outcome. The token allows context
 * {@code dev} only and carries no groups, so any {@code Impersonate-Group} the cluster sees would be forged.
 * PROXY-CHECKLIST items 1, 2, 3, 6 and 15, and request smuggling shapes, over HTTP/1.1, HTTP/2 and upgrades.
 */
final class HeaderTrickCases {
    /** How the case is sent: raw HTTP/1.1 over TLS, HTTP/2 (java.net.http over TLS, ALPN h2), or a WebSocket upgrade. */
    enum Via { HTTP1, HTTP2, UPGRADE }

    /** What must happen. */
    sealed interface Outcome {
        /** Forwarded to the dev cluster; the client got {@code clientCode}; {@code check} holds for what arrived. */
        record Forwarded(int clientCode, Consumer<RecordingUpstream.Recorded> check) implements Outcome {
        }

        /** Refused by multikube with this Status; nothing reached any cluster. */
        record Refused(int code, String reason) implements Outcome {
        }

        /** A shape where more than one answer is safe; {@code check} says which. */
        record Either(Check check) implements Outcome {
        }

        /** The server ended the connection without an answer, and nothing reached any cluster. */
        Outcome CLOSED = new Either((code, text, dev) -> {
            assertThat(code).as(text).isZero();
            assertThat(dev.pending()).as("requests that reached the cluster").isZero();
        });

        @FunctionalInterface
        interface Check {
            void accept(int code, String text, RecordingUpstream dev) throws Exception;
        }
    }

    /** One request of the corpus. {@code {token}} in a field is replaced by the client's JWT. */
    record Case(String name, Via via, String method, String target, List<String> fields, String body,
                boolean auth, boolean smuggling, Outcome outcome) {
        List<String> fieldsWithToken(String token) {
            List<String> result = new ArrayList<>();
            if (auth) {
                result.add("Authorization: Bearer " + token);
            }
            fields.forEach(field -> result.add(field.replace("{subprotocol}", HeaderTricksTest.bearerSubprotocol(token))
                    .replace("{token}", token)));
            return result;
        }

        /** The exact HTTP/1.1 request bytes (ordinary or upgrade). */
        String http1(String token) {
            StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: multikube\r\n");
            fieldsWithToken(token).forEach(field -> request.append(field).append("\r\n"));
            return request.append("\r\n").append(body).toString();
        }

        @Override
        public String toString() {
            return via + ": " + name;
        }
    }

    private static final String ALICE = "alice";
    private static final List<String> WEBSOCKET = List.of("Connection: Upgrade", "Upgrade: websocket",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13");
    private static final String EXEC = "/api/v1/namespaces/default/pods/web-0/exec?command=id&stdout=true";
    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";

    private HeaderTrickCases() {
    }

    static List<Case> all() {
        List<Case> cases = new ArrayList<>();
        cases.addAll(identityHeaders());
        cases.addAll(paths());
        cases.addAll(smuggling());
        cases.addAll(upgrades());
        return cases;
    }

    // ---- Impersonation, front-proxy and forwarding headers (checklist 2, 3, 5) ----

    private static List<Case> identityHeaders() {
        List<Case> cases = new ArrayList<>();
        for (Via via : List.of(Via.HTTP1, Via.HTTP2)) {
            cases.add(forwarded(via, "Impersonate-User in every case is dropped", "/api",
                    "Impersonate-User: admin", "impersonate-user: admin2", "IMPERSONATE-USER: admin3",
                    "iMpErSoNaTe-UsEr: admin4"));
            cases.add(forwarded(via, "Impersonate-Group repeated is dropped", "/api",
                    "Impersonate-Group: system:masters", "Impersonate-Group: system:nodes",
                    "impersonate-group: system:masters, system:admins"));
            cases.add(forwarded(via, "Impersonate-Uid and Impersonate-Extra-* are dropped", "/api",
                    "Impersonate-Uid: 0", "Impersonate-Extra-Scopes: all",
                    "Impersonate-Extra-acme.com%2fproject: p1", "IMPERSONATE-EXTRA-REASON: x"));
            cases.add(forwarded(via, "X-Remote-User, -Group and -Extra-* are dropped", "/api",
                    "X-Remote-User: admin", "X-Remote-Group: system:masters", "x-remote-group: x",
                    "X-Remote-Extra-Scopes: all", "X-Remote-Uid: 0"));
            cases.add(forwarded(via, "credentials and forwarding headers are dropped or replaced", "/api",
                    "Proxy-Authorization: Basic eDp5", "Cookie: session=1", "X-Forwarded-For: 10.9.9.9",
                    "X-Forwarded-Host: evil", "Forwarded: for=10.9.9.9", "Audit-ID: forged",
                    "X-Real-Ip: 10.9.9.9"));
            cases.add(refused(via, "a second Authorization header is 401", "/api", 401, "Unauthorized",
                    "Authorization: Bearer {token}"));
            cases.add(refused(via, "Multikube-Context naming a context the token lacks is 403", "/api", 403,
                    "Forbidden", "Multikube-Context: prod"));
            cases.add(refused(via, "Multikube-Context twice is 400", "/api", 400, "BadRequest",
                    "Multikube-Context: dev", "Multikube-Context: prod"));
        }
        cases.add(refused(Via.HTTP1, "a header field over 64 KiB is a 400", "/api", 400, "BadRequest",
                "X-Padding: " + "p".repeat(70 * 1024)));
        cases.add(forwarded(Via.HTTP2, "a 70 KiB header field passes HTTP/2 (limit not exact) and is dropped", "/api",
                seen -> assertThat(seen.headers().contains("X-Padding")).isFalse(),
                "X-Padding: " + "p".repeat(70 * 1024)));
        cases.add(new Case("a 1 MiB header block ends the HTTP/2 connection", Via.HTTP2, "GET", "/api",
                List.of("X-Padding: " + "p".repeat(1024 * 1024)), "", true, false, Outcome.CLOSED));
        cases.add(new Case("3,000 header fields end the HTTP/2 connection", Via.HTTP2, "GET", "/api",
                java.util.stream.IntStream.range(0, 3000).mapToObj(i -> "X-P" + i + ": " + "v".repeat(100)).toList(),
                "", true, false, Outcome.CLOSED));
        cases.add(new Case("a WebSocket bearer subprotocol on a plain GET authenticates and is dropped", Via.HTTP2,
                "GET", "/api", List.of("Sec-WebSocket-Protocol: {subprotocol}"), "", false, false,
                new Outcome.Forwarded(200, seen ->
                        assertThat(seen.headers().contains("Sec-WebSocket-Protocol")).isFalse())));
        cases.add(forwarded(Via.HTTP1, "odd whitespace around impersonation values is still dropped", "/api",
                "Impersonate-User:admin", "Impersonate-Group:\t system:masters \t", "X-Remote-User:   admin"));
        cases.add(forwarded(Via.HTTP1, "an empty Impersonate-User is dropped", "/api", "Impersonate-User:",
                "Impersonate-Group: "));
        cases.add(refused(Via.HTTP1, "whitespace before the colon is a 400", "/api", 400, "BadRequest",
                "Impersonate-User : admin"));
        cases.add(refused(Via.HTTP1, "obs-fold continuation line is a 400", "/api", 400, "BadRequest",
                "User-Agent: kubectl", " Impersonate-User: admin"));
        cases.add(forwarded(Via.HTTP1, "Connection nominating Impersonate-User (CVE-2021-31999 shape)", "/api",
                seen -> assertThat(seen.headers().all("Accept")).isEmpty(),
                "Connection: keep-alive, Impersonate-User, Accept", "Impersonate-User: admin",
                "Accept: application/json"));
        cases.add(forwarded(Via.HTTP1, "Connection nominating X-Remote-User and Impersonate-Group", "/api",
                "Connection: X-Remote-User", "Connection: Impersonate-Group", "X-Remote-User: admin",
                "Impersonate-Group: system:masters"));
        cases.add(forwarded(Via.HTTP1, "a forged Host does not choose the cluster", "/api",
                seen -> assertThat(seen.headers().all("Host")).singleElement().asString().startsWith("127.0.0.1:"),
                "X-Forwarded-Host: prod"));
        cases.add(forwarded(Via.HTTP1, "TE, Keep-Alive, Upgrade and Proxy-Connection do not reach the cluster",
                "/api", seen -> assertThat(HeaderTricksTest.lowerNames(seen))
                        .doesNotContain("te", "keep-alive", "upgrade", "proxy-connection", "trailer"),
                "TE: trailers", "Keep-Alive: timeout=5", "Upgrade: h2c", "Connection: Upgrade",
                "Proxy-Connection: keep-alive"));
        return cases;
    }

    // ---- Paths that try to name another context (checklist 1) ----

    private static List<Case> paths() {
        List<Case> cases = new ArrayList<>();
        for (Via via : List.of(Via.HTTP1, Via.HTTP2)) {
            cases.add(refused(via, "/clusters/dev/../prod is a 400", "/clusters/dev/../prod/api", 400,
                    "BadRequest"));
            cases.add(refused(via, "%2e%2e dot segment is a 400", "/clusters/dev/%2e%2e/prod/api", 400,
                    "BadRequest"));
            cases.add(refused(via, "mixed-case %2E%2e dot segment is a 400", "/api/v1/%2E%2e/%2e", 400,
                    "BadRequest"));
            cases.add(refused(via, "/clusters/prod outside the token is a 403", "/clusters/prod/api", 403,
                    "Forbidden"));
            cases.add(refused(via, "%2F inside the context name is not a path separator",
                    "/clusters/dev%2F..%2Fprod/api", 403, "Forbidden"));
        }
        cases.add(refused(Via.HTTP1, "single dot segment is a 400", "/./api", 400, "BadRequest"));
        cases.add(refused(Via.HTTP1, "empty context name /clusters//api is a 400", "/clusters//api", 400,
                "BadRequest"));
        cases.add(refused(Via.HTTP1, "context names are case-sensitive: /clusters/DEV is a 403",
                "/clusters/DEV/api", 403, "Forbidden"));
        cases.add(forwarded(Via.HTTP1, "percent-encoded context name is decoded: /clusters/%64ev",
                "/clusters/%64ev/api", seen -> assertThat(seen.target()).isEqualTo("/api")));
        cases.add(refused(Via.HTTP1, "//clusters/prod is a 400 (the cluster would see it collapsed)",
                "//clusters/prod/api", 400, "BadRequest"));
        cases.add(refused(Via.HTTP1, "// inside a path is a 400 (the cluster would see it collapsed)",
                "/clusters/dev/api//v1", 400, "BadRequest"));
        cases.add(forwarded(Via.HTTP1, "/CLUSTERS/prod is not a prefix: the token's context gets it verbatim",
                "/CLUSTERS/prod/api", seen -> assertThat(seen.target()).isEqualTo("/CLUSTERS/prod/api")));
        cases.add(forwarded(Via.HTTP1, "%2F in a resource name stays encoded", "/clusters/dev/api/v1/x%2F..%2Fy",
                seen -> assertThat(seen.target()).isEqualTo("/api/v1/x%2F..%2Fy")));
        cases.add(refused(Via.HTTP1, "absolute-form target is a 400", "http://dev/clusters/prod/api", 400,
                "BadRequest"));
        cases.add(refused(Via.HTTP1, "a request line over 64 KiB is a 414 Status", "/api?" + "q".repeat(70 * 1024),
                414, "BadRequest"));
        return cases;
    }

    // ---- Request smuggling shapes on raw HTTP/1.1 ----

    private static List<Case> smuggling() {
        String chunkedSmuggle = "0\r\n\r\n" + SMUGGLED;
        return List.of(
                smuggle("Content-Length and Transfer-Encoding together",
                        List.of("Content-Length: " + chunkedSmuggle.length(), "Transfer-Encoding: chunked"),
                        chunkedSmuggle),
                smuggle("Transfer-Encoding then Content-Length",
                        List.of("Transfer-Encoding: chunked", "Content-Length: 4"), "5\r\nhello\r\n0\r\n\r\n"),
                smuggle("duplicate Content-Length with different values",
                        List.of("Content-Length: 4", "Content-Length: " + (4 + SMUGGLED.length())),
                        "abcd" + SMUGGLED),
                smuggle("Content-Length list \"4, 40\"", List.of("Content-Length: 4, 40"), "abcd" + SMUGGLED),
                smuggle("signed Content-Length \"+4\"", List.of("Content-Length: +4"), "abcd" + SMUGGLED),
                smuggle("chunk size that is not hex", List.of("Transfer-Encoding: chunked"),
                        "zz\r\nhello\r\n0\r\n\r\n"),
                smuggle("a good chunk, then a chunk size that is not hex", List.of("Transfer-Encoding: chunked"),
                        "5\r\nhello\r\nzz\r\n"),
                smuggle("chunk size that overflows", List.of("Transfer-Encoding: chunked"),
                        "10000000000000000\r\nhello\r\n0\r\n\r\n"),
                smuggle("Transfer-Encoding: xchunked", List.of("Transfer-Encoding: xchunked"), chunkedSmuggle),
                smuggle("Transfer-Encoding: chunked, identity", List.of("Transfer-Encoding: chunked, identity"),
                        chunkedSmuggle),
                smuggle("obs-folded Transfer-Encoding", List.of("Transfer-Encoding:", " chunked"), chunkedSmuggle));
    }

    // ---- Upgrades: exec/attach/port-forward (checklist 2, 6, 15) ----

    private static List<Case> upgrades() {
        List<Case> cases = new ArrayList<>();
        cases.add(upgradeForwarded("impersonation and front-proxy headers are dropped before the 101",
                seen -> assertThat(seen.headers().all("Upgrade")).containsExactly("websocket"),
                "Impersonate-User: admin", "impersonate-group: system:masters", "Impersonate-Uid: 0",
                "Impersonate-Extra-Scopes: all", "X-Remote-User: admin", "X-Remote-Group: system:masters",
                "Cookie: a=b", "Sec-WebSocket-Protocol: v5.channel.k8s.io"));
        cases.add(upgradeForwarded("Connection: Upgrade, Impersonate-User keeps the upgrade, drops the field",
                seen -> assertThat(seen.headers().all("Upgrade")).containsExactly("websocket"),
                "Connection: Impersonate-User, X-Stream-Protocol-Version", "Impersonate-User: admin",
                "X-Stream-Protocol-Version: v4.channel.k8s.io", "Sec-WebSocket-Protocol: v5.channel.k8s.io"));
        cases.add(new Case("browser WebSocket token subprotocol authenticates and is removed", Via.UPGRADE, "GET",
                EXEC, withWebSocket("Sec-WebSocket-Protocol: {subprotocol}, v5.channel.k8s.io"), "", false, false,
                new Outcome.Forwarded(101, seen -> assertThat(seen.headers().all("Sec-WebSocket-Protocol"))
                        .containsExactly("v5.channel.k8s.io"))));
        cases.add(new Case("browser WebSocket token in a repeated Sec-WebSocket-Protocol field", Via.UPGRADE, "GET",
                EXEC, withWebSocket("Sec-WebSocket-Protocol: v4.channel.k8s.io",
                "Sec-WebSocket-Protocol: {subprotocol}"), "", false, false,
                new Outcome.Forwarded(101, seen -> assertThat(String.join(",",
                        seen.headers().all("Sec-WebSocket-Protocol"))).isEqualTo("v4.channel.k8s.io"))));
        cases.add(new Case("two WebSocket token subprotocols are a 401", Via.UPGRADE, "GET", EXEC,
                withWebSocket("Sec-WebSocket-Protocol: {subprotocol}, {subprotocol}"), "", false, false,
                new Outcome.Refused(401, "Unauthorized")));
        cases.add(upgradeRefused("a WebSocket token subprotocol beside Authorization is a 401", 401, "Unauthorized",
                "Sec-WebSocket-Protocol: {subprotocol}, v5.channel.k8s.io"));
        cases.add(new Case("a WebSocket token subprotocol that is not base64url is a 401", Via.UPGRADE, "GET", EXEC,
                withWebSocket("Sec-WebSocket-Protocol: base64url.bearer.authorization.k8s.io.%%%"), "", false,
                false, new Outcome.Refused(401, "Unauthorized")));
        cases.add(new Case("/clusters/prod upgrade is a 403 Status, never a 101", Via.UPGRADE, "GET",
                "/clusters/prod" + EXEC, WEBSOCKET, "", true, false, new Outcome.Refused(403, "Forbidden")));
        cases.add(new Case("/clusters/dev/../prod upgrade is a 400 Status", Via.UPGRADE, "GET",
                "/clusters/dev/../prod" + EXEC, WEBSOCKET, "", true, false, new Outcome.Refused(400, "BadRequest")));
        cases.add(new Case("SPDY exec drops impersonation and keeps both stream versions", Via.UPGRADE, "POST",
                EXEC, List.of("Connection: Upgrade", "Upgrade: SPDY/3.1", "Content-Length: 0",
                "X-Stream-Protocol-Version: v4.channel.k8s.io", "X-Stream-Protocol-Version: v3.channel.k8s.io",
                "Impersonate-User: admin", "X-Remote-Group: system:masters"), "", true, false,
                new Outcome.Forwarded(101, seen -> assertThat(seen.headers().all("X-Stream-Protocol-Version"))
                        .containsExactly("v4.channel.k8s.io", "v3.channel.k8s.io"))));
        cases.add(new Case("Upgrade: WEBSOCKET (not taken over) is an ordinary GET without Upgrade", Via.HTTP1,
                "GET", "/api", List.of("Connection: Upgrade", "Upgrade: WEBSOCKET", "Impersonate-User: admin"), "",
                true, false, new Outcome.Forwarded(200, seen ->
                assertThat(HeaderTricksTest.lowerNames(seen)).doesNotContain("upgrade"))));
        return cases;
    }

    // ---- builders ----

    private static Case forwarded(Via via, String name, String target, String... fields) {
        return forwarded(via, name, target, seen -> { }, fields);
    }

    private static Case forwarded(Via via, String name, String target, Consumer<RecordingUpstream.Recorded> check,
                                  String... fields) {
        return new Case(name, via, "GET", target, List.of(fields), "", true, false,
                new Outcome.Forwarded(200, check));
    }

    private static Case refused(Via via, String name, String target, int code, String reason, String... fields) {
        return new Case(name, via, "GET", target, List.of(fields), "", true, false, new Outcome.Refused(code, reason));
    }

    private static Case upgradeForwarded(String name, Consumer<RecordingUpstream.Recorded> check, String... fields) {
        return new Case(name, Via.UPGRADE, "GET", EXEC, withWebSocket(fields), "", true, false,
                new Outcome.Forwarded(101, check));
    }

    private static Case upgradeRefused(String name, int code, String reason, String... fields) {
        return new Case(name, Via.UPGRADE, "GET", EXEC, withWebSocket(fields), "", true, false,
                new Outcome.Refused(code, reason));
    }

    private static List<String> withWebSocket(String... fields) {
        List<String> result = new ArrayList<>(WEBSOCKET);
        result.addAll(List.of(fields));
        return result;
    }

    /**
     * A body-framing trick on a PUT: a 400 Status, and no complete request on the cluster — never a {@code /smuggled}
     * one. (Helidon refuses ambiguous framing before routing; a broken chunk is found while the body streams, after
     * the request head went to the cluster, so the upload is aborted rather than ended.)
     */
    private static Case smuggle(String name, List<String> framing, String body) {
        return new Case(name, Via.HTTP1, "PUT", "/api/v1/namespaces/default/configmaps/c", framing, body, true, true,
                new Outcome.Refused(400, "BadRequest"));
    }

    /** What every forwarded request must carry: our identity only, no client credential, no forged field. */
    static void assertOnlyOurIdentity(RecordingUpstream.Recorded seen) {
        List<String> names = HeaderTricksTest.lowerNames(seen);
        assertThat(seen.headers().all("Impersonate-User")).containsExactly(ALICE);
        assertThat(names).filteredOn(name -> name.startsWith("impersonate-")).containsExactly("impersonate-user");
        assertThat(names).filteredOn(name -> name.startsWith("x-remote-")).isEmpty();
        assertThat(names).doesNotContain("authorization", "proxy-authorization", "cookie", "forwarded",
                "x-forwarded-host", "x-real-ip", "multikube-context");
        assertThat(seen.headers().all("X-Forwarded-For")).containsExactly("127.0.0.1");
        assertThat(seen.headers().all("Audit-ID")).hasSize(1).doesNotContain("forged");
        assertThat(seen.headers().fields()).allSatisfy(field ->
                assertThat(field.value().toLowerCase(Locale.ROOT)).doesNotContain("eyj", "bearer"));
    }
}
