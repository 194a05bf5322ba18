package io.multikube.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.multikube.testing.Kubectl;
import io.multikube.testing.RawClient;

/** Kubernetes authorizes the token's user: RBAC, whoami and the cluster's own audit log agree. */
@RealClusters
class ImpersonationIT {
    private static final String REVIEW = "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}";

    private static Clusters clusters;

    @BeforeAll
    static void clusters() {
        clusters = Clusters.get();
    }

    @Test
    void userWithoutBindingIsForbiddenThenAllowedOnceBound() {
        String user = "bob-" + UUID.randomUUID().toString().substring(0, 8);
        Path client = clusters.clientKubeconfig(user, List.of(), "alpha");

        Kubectl.Result before = clusters.through(client, "get", "configmaps", "-n", "default");
        // A Role of its own: the aggregated "view" ClusterRole needs kube-controller-manager, which is not running.
        clusters.admin(clusters.alpha, "create", "role", user + "-reader", "--verb=get,list",
                "--resource=configmaps", "-n", "default");
        clusters.admin(clusters.alpha, "create", "rolebinding", user + "-reader", "--role=" + user + "-reader",
                "--user=" + user, "-n", "default");
        Kubectl.Result after = retry(() -> clusters.through(client, "get", "configmaps", "-n", "default"));

        assertThat(before.exitCode()).isNotZero();
        assertThat(before.err()).contains("Error from server (Forbidden)", "User \"" + user + "\"");
        assertThat(after.exitCode()).as(after.err()).isZero();
    }

    @Test
    void whoamiShowsTheTokenUserAndGroups() {
        Path client = clusters.clientKubeconfig("carol", List.of("dev", "ops"), "beta");

        Kubectl.Result whoami = clusters.through(client, "auth", "whoami", "-o", "json");

        assertThat(whoami.exitCode()).as(whoami.err()).isZero();
        assertThat(whoami.out()).contains("\"username\": \"carol\"", "\"dev\"", "\"ops\"", "system:authenticated")
                .doesNotContain("multikube");
    }

    @Test
    void clientImpersonationAndFrontProxyHeadersChangeNothing() throws Exception {
        String token = clusters.proxy.token("mallory", "alpha");
        String response = RawClient.exchange(clusters.proxy.clientTls(), clusters.proxy.tlsPort(),
                "POST /apis/authentication.k8s.io/v1/selfsubjectreviews HTTP/1.1\r\nHost: m\r\n"
                        + "Authorization: Bearer " + token + "\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + REVIEW.length() + "\r\n"
                        + "Impersonate-User: admin\r\nImpersonate-Group: system:masters\r\nimpersonate-uid: 0\r\n"
                        + "X-Remote-User: admin\r\nX-Remote-Group: system:masters\r\n"
                        + "Connection: close, Impersonate-User, X-Remote-User\r\n\r\n" + REVIEW);

        assertThat(response).startsWith("HTTP/1.1 201");
        assertThat(response).contains("\"username\":\"mallory\"").doesNotContain("system:masters")
                .doesNotContain("\"username\":\"admin\"");
    }

    @Test
    void clusterAuditLogShowsMultikubeImpersonatingTheUserUnderOurAuditId() throws Exception {
        Assumptions.assumeTrue(clusters.alpha.auditLog().isPresent(),
                () -> "no audit log this machine can read from " + clusters.alpha.describe());
        HttpResponse<String> response = clusters.proxy.client(HttpClient.Version.HTTP_2).send(
                clusters.proxy.request("/apis/authentication.k8s.io/v1/selfsubjectreviews",
                                clusters.proxy.token("dave", "alpha"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(REVIEW)).build(),
                HttpResponse.BodyHandlers.ofString());
        String auditId = response.headers().firstValue("Audit-Id").orElseThrow();

        String event = awaitAuditEvent(clusters.alpha.auditLog().orElseThrow(), auditId);

        assertThat(event).contains("\"user\":{\"username\":\"multikube\"",
                "\"impersonatedUser\":{\"username\":\"dave\"");
    }

    private static String awaitAuditEvent(Path log, String auditId) throws Exception {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            Optional<String> line = Files.readAllLines(log).stream()
                    .filter(l -> l.contains("\"auditID\":\"" + auditId + "\""))
                    .filter(l -> l.contains("\"stage\":\"ResponseComplete\"")).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no audit event with auditID " + auditId + " in " + log);
    }

    private static Kubectl.Result retry(java.util.function.Supplier<Kubectl.Result> command) {
        Kubectl.Result result = command.get();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (result.exitCode() != 0 && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            result = command.get();
        }
        return result;
    }
}
