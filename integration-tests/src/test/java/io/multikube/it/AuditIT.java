package io.multikube.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.multikube.testing.Kubectl;

/**
 * multikube's audit log (audit-file plugin) against the cluster's own: the same request carries the same
 * {@code auditID} in both, named with the same verb and object, so the two logs join.
 */
@RealClusters
class AuditIT {
    private static Clusters clusters;

    @BeforeAll
    static void clusters() {
        clusters = Clusters.get();
    }

    @Test
    void proxyAndClusterAuditLogsJoinOnTheAuditIdAndAgree() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(clusters.alpha.auditLog().isPresent(),
                "this cluster keeps no audit log to compare with (k3s)");
        String name = "audited-" + System.nanoTime();
        Path kubeconfig = clusters.clientKubeconfig(Clusters.ADMIN_USER, List.of(), "alpha");
        Kubectl.Result created = clusters.through(kubeconfig, "create", "configmap", name, "-n", "default",
                "--from-literal=k=v");
        assertThat(created.exitCode()).as(created.err()).isZero();
        // A patch names its object in the path (a create names it only in the body, which Metadata level skips).
        Kubectl.Result labelled = clusters.through(kubeconfig, "label", "configmap", name, "-n", "default",
                "audited=yes");
        assertThat(labelled.exitCode()).as(labelled.err()).isZero();

        String ours = awaitEvent(clusters.auditLog(), line -> line.contains("\"name\":\"" + name + "\"")
                && line.contains("\"verb\":\"patch\""));
        String auditId = field(ours, "auditID").orElseThrow();
        String theirs = awaitEvent(clusters.alpha.auditLog().orElseThrow(),
                line -> line.contains("\"auditID\":\"" + auditId + "\"")
                        && line.contains("\"stage\":\"ResponseComplete\""));

        assertThat(ours).contains("\"user\":{\"username\":\"" + Clusters.ADMIN_USER + "\"")
                .contains("\"impersonatedUser\":{\"username\":\"" + Clusters.ADMIN_USER + "\"")
                .contains("\"multikube.io/context\":\"alpha\"");
        assertThat(theirs).contains("\"impersonatedUser\":{\"username\":\"" + Clusters.ADMIN_USER + "\"");
        for (String field : List.of("verb", "resource", "namespace", "name", "apiVersion", "requestURI")) {
            assertThat(field(ours, field)).as(field).isPresent().isEqualTo(field(theirs, field));
        }
        assertThat(code(ours)).isEqualTo(code(theirs)).isEqualTo(200);
    }

    @Test
    void aRequestWithABadTokenIsAuditedWithoutTheToken() throws Exception {
        String bogus = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.c2lnbmF0dXJl";
        HttpResponse<String> response = clusters.proxy.client(HttpClient.Version.HTTP_2).send(
                clusters.proxy.request("/api/v1/namespaces/default/secrets", bogus).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
        String auditId = response.headers().firstValue("Audit-Id").orElseThrow();

        String ours = awaitEvent(clusters.auditLog(), line -> line.contains("\"auditID\":\"" + auditId + "\""));
        assertThat(ours).contains("\"verb\":\"list\"", "\"resource\":\"secrets\"", "\"code\":401",
                "\"reason\":\"Unauthorized\"", "\"user\":{\"username\":\"\"}").doesNotContain(bogus)
                .doesNotContain("c2lnbmF0dXJl");
        if (clusters.alpha.auditLog().isPresent()) {
            assertThat(Files.readString(clusters.alpha.auditLog().get())).doesNotContain(auditId);
        }
    }

    @Test
    void aWatchIsAuditedWhenItStartsAndWhenItEnds() throws Exception {
        HttpResponse<String> response = clusters.proxy.client(HttpClient.Version.HTTP_2).send(
                clusters.proxy.request("/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1",
                        clusters.proxy.token(Clusters.ADMIN_USER, "alpha")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        String auditId = response.headers().firstValue("Audit-Id").orElseThrow();

        String started = awaitEvent(clusters.auditLog(), line -> line.contains("\"auditID\":\"" + auditId + "\"")
                && line.contains("\"stage\":\"ResponseStarted\""));
        String complete = awaitEvent(clusters.auditLog(), line -> line.contains("\"auditID\":\"" + auditId + "\"")
                && line.contains("\"stage\":\"ResponseComplete\""));
        assertThat(field(started, "verb")).contains("watch");
        assertThat(field(complete, "verb")).contains("watch");
        assertThat(Instant.parse(field(complete, "stageTimestamp").orElseThrow()))
                .isAfter(Instant.parse(field(started, "stageTimestamp").orElseThrow()));
    }

    private static String awaitEvent(Path log, java.util.function.Predicate<String> wanted) throws Exception {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(log)) {
                Optional<String> line = Files.readAllLines(log).stream().filter(wanted).findFirst();
                if (line.isPresent()) {
                    return line.get();
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no matching audit event in " + log);
    }

    /** The first string value of {@code "name":"..."} in an event line (the events have no duplicate keys). */
    private static Optional<String> field(String line, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(line);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    private static int code(String line) {
        Matcher matcher = Pattern.compile("\"responseStatus\":\\{.*?\"code\":(\\d+)").matcher(line);
        assertThat(matcher.find()).as("responseStatus.code in " + line).isTrue();
        return Integer.parseInt(matcher.group(1));
    }
}
