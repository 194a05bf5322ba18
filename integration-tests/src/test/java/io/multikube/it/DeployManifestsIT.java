package io.multikube.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.multikube.testing.Kubectl;

/**
 * The manifests in {@code deploy/} as a real API server takes them: rendered by kubectl's kustomize, applied with
 * {@code --dry-run=server} (every object validated and admitted, nothing persisted), and the Deployment's pods
 * within the {@code restricted} Pod Security Standard its namespace enforces (for a Deployment, PodSecurity admission
 * answers a violation with a warning, which kubectl prints; the second test shows that warning does appear for a
 * pod that may run as root).
 */
@RealClusters
class DeployManifestsIT {
    private static Clusters clusters;
    private static Path deploy;

    @BeforeAll
    static void clusters() {
        clusters = Clusters.get();
        deploy = Path.of(System.getenv("MULTIKUBE_REPO_ROOT"), "deploy");
    }

    @Test
    void everyObjectIsAcceptedAndTheDeploymentMeetsTheRestrictedStandard() throws Exception {
        Path rendered = render();
        // The namespace must exist for the namespaced objects' dry run; it carries the enforce label itself.
        ok(clusters.admin(clusters.beta, "apply", "-f", deploy.resolve("namespace.yaml").toString()));

        Kubectl.Result dryRun = clusters.admin(clusters.beta, "apply", "--dry-run=server", "-f", rendered.toString());

        assertThat(dryRun.exitCode()).as(dryRun.err()).isZero();
        assertThat(dryRun.out()).contains("serviceaccount/multikube", "deployment.apps/multikube",
                "service/multikube", "poddisruptionbudget.policy/multikube", "(server dry run)");
        assertThat(dryRun.err()).doesNotContain("Warning");
    }

    @Test
    void theSameNamespaceRefusesAPodThatMayRunAsRoot() throws Exception {
        ok(clusters.admin(clusters.beta, "apply", "-f", deploy.resolve("namespace.yaml").toString()));
        // Proves the check above is real: PodSecurity admission is on and enforces "restricted" here.
        String privileged = Files.readString(deploy.resolve("deployment.yaml"))
                .replace("runAsNonRoot: true", "runAsNonRoot: false")
                .replace("drop: [\"ALL\"]", "drop: []");
        Path file = Files.writeString(clusters.folder().resolve("privileged-deployment.yaml"), privileged);

        Kubectl.Result dryRun = clusters.admin(clusters.beta, "apply", "--dry-run=server", "-f", file.toString());

        assertThat(dryRun.err()).contains("Warning: would violate PodSecurity \"restricted:latest\"");
    }

    @Test
    void theUpstreamRbacGrantsImpersonationAndNothingElse() {
        // The suite applied deploy/upstream-rbac to each cluster; "multikube" is the user it binds.
        assertThat(canI("impersonate", "users")).isEqualTo("yes");
        assertThat(canI("impersonate", "groups")).isEqualTo("yes");
        assertThat(canI("impersonate", "uids")).isEqualTo("yes");
        assertThat(canI("impersonate", "serviceaccounts")).isEqualTo("no");
        assertThat(canI("list", "secrets")).isEqualTo("no");
        assertThat(canI("get", "pods")).isEqualTo("no");
        assertThat(canI("create", "clusterrolebindings")).isEqualTo("no");
    }

    private static String canI(String verb, String resource) {
        Kubectl.Result result = clusters.admin(clusters.alpha, "auth", "can-i", verb, resource, "--all-namespaces",
                "--as=multikube");
        return result.out().strip();
    }

    private static Path render() throws Exception {
        Kubectl.Result rendered = clusters.admin(clusters.beta, "kustomize", deploy.toString());
        ok(rendered);
        return Files.writeString(clusters.folder().resolve("deploy-rendered.yaml"), rendered.out());
    }

    private static void ok(Kubectl.Result result) {
        assertThat(result.exitCode()).as(result.err()).isZero();
    }
}
