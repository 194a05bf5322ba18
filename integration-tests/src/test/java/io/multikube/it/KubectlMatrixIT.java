package io.multikube.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import io.multikube.testing.Kubectl;

/**
 * The kubectl matrix: each command, with the oldest, the default and the newest kubectl installed, run through
 * multikube and directly against the same real API server as the same user (direct: the administrator with
 * {@code --as}); outputs must be identical apart from names, timestamps, resource versions and UIDs. The results
 * are written to {@code docs/compatibility.md}.
 */
@RealClusters
class KubectlMatrixIT {
    static final String USER = "matrix-user";
    static final String NAMESPACE = "matrix";

    private static Clusters clusters;
    private static Path client;
    private static final List<CompatibilityReport.Row> ROWS = new ArrayList<>();

    /**
     * One command; {@code args} receives the object name of the side running it. {@code unordered}: compare the
     * lines as a multiset, for output that kubectl prints in Go's random map order.
     */
    record Case(String name, Function<String, List<String>> args, boolean unordered) {
        Case(String name, Function<String, List<String>> args) {
            this(name, args, false);
        }
    }

    @BeforeAll
    static void setUp() throws Exception {
        clusters = Clusters.get();
        client = clusters.clientKubeconfig(USER, List.of(), "alpha");
        clusters.admin(clusters.alpha, "create", "namespace", NAMESPACE);
        clusters.admin(clusters.alpha, "create", "clusterrolebinding", USER, "--clusterrole=cluster-admin",
                "--user=" + USER);
        clusters.admin(clusters.alpha, "apply", "-f", MatrixManifests.crd().toString());
        clusters.admin(clusters.alpha, "wait", "--for=condition=Established", "crd/widgets.matrix.multikube.io");
    }

    @AfterAll
    static void publish() throws Exception {
        CompatibilityReport.write(ROWS);
    }

    @TestFactory
    Stream<DynamicTest> matrix() {
        List<DynamicTest> tests = new ArrayList<>();
        for (KubectlVersions.Version version : KubectlVersions.matrix()) {
            for (Case command : MatrixCases.all()) {
                tests.add(DynamicTest.dynamicTest(version.label() + " " + command.name(),
                        () -> compare(version, command)));
            }
            tests.add(DynamicTest.dynamicTest(version.label() + " get -w", () -> watch(version)));
        }
        return tests.stream();
    }

    private static void compare(KubectlVersions.Version version, Case command) throws Exception {
        String minor = version.label().replaceAll("^v1\\.(\\d+).*", "$1");
        Kubectl.Result via = version.kubectl().run(client,
                withNamespace(command.args().apply("m" + minor + "-thru")).toArray(String[]::new));
        List<String> directArgs = new ArrayList<>(List.of("--as", USER));
        directArgs.addAll(withNamespace(command.args().apply("m" + minor + "-drct")));
        Kubectl.Result direct = version.kubectl().run(clusters.adminKubeconfig(clusters.alpha),
                directArgs.toArray(String[]::new));

        String viaOutput = comparable(command, via);
        String directOutput = comparable(command, direct);
        boolean same = via.exitCode() == direct.exitCode() && viaOutput.equals(directOutput);
        record(version, command.name(), same, same ? "" : "exit " + via.exitCode() + " vs " + direct.exitCode());
        assertThat(viaOutput).as("exit %d through multikube, %d direct", via.exitCode(), direct.exitCode())
                .isEqualTo(directOutput);
        assertThat(via.exitCode()).isEqualTo(direct.exitCode());
    }

    private static String comparable(Case command, Kubectl.Result result) {
        String normalized = OutputNormalizer.normalize(result.out() + result.err());
        return command.unordered() ? String.join("\n", normalized.lines().sorted().toList()) : normalized;
    }

    private static void watch(KubectlVersions.Version version) throws Exception {
        String name = "w" + System.nanoTime();
        Process watch = version.kubectl().start(client, "-n", NAMESPACE, "get", "configmaps", "--watch",
                "--output-watch-events", "-o", "name");
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(watch.getInputStream(),
                    StandardCharsets.UTF_8));
            CompletableFuture<Long> arrived = CompletableFuture.supplyAsync(() -> {
                lines.lines().filter(line -> line.contains(name)).findFirst();
                return System.nanoTime();
            });
            Thread.sleep(1_500);
            clusters.admin(clusters.alpha, "-n", NAMESPACE, "create", "configmap", name);
            long created = System.nanoTime();
            Duration latency = Duration.ofNanos(arrived.get(10, TimeUnit.SECONDS) - created);
            boolean fast = latency.compareTo(Duration.ofSeconds(1)) < 0;
            record(version, "get -w", fast, "event after " + latency.toMillis() + " ms");
            assertThat(latency).isLessThan(Duration.ofSeconds(1));
        } finally {
            watch.destroy();
        }
    }

    private static List<String> withNamespace(List<String> args) {
        List<String> result = new ArrayList<>(List.of("-n", NAMESPACE));
        result.addAll(args);
        return result;
    }

    private static synchronized void record(KubectlVersions.Version version, String command, boolean pass,
                                            String detail) {
        ROWS.add(new CompatibilityReport.Row(command, version.label(), "HTTP/2 (TLS)", pass, detail));
    }
}
