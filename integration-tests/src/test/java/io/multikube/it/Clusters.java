package io.multikube.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import org.opentest4j.TestAbortedException;

import io.multikube.cli.ClientKubeconfig;
import io.multikube.config.PluginSettings;
import io.multikube.testing.Kubectl;
import io.multikube.testing.ProxyFixture;

/**
 * The suite's shared world, started once per run (API servers take seconds to start): two real clusters,
 * "alpha" and "beta" (local binaries or k3s, as {@link ClusterSelection} decides), each granting multikube nothing
 * but impersonation, and one multikube routing to both.
 */
final class Clusters {
    static final String ADMIN_USER = "it-admin";

    private static Clusters instance;
    private static Throwable failure;

    final TestCluster alpha;
    final TestCluster beta;
    final ProxyFixture proxy;
    final Kubectl kubectl;
    private final Path folder;

    private Clusters(TestCluster alpha, TestCluster beta, ProxyFixture proxy, Kubectl kubectl, Path folder) {
        this.alpha = alpha;
        this.beta = beta;
        this.proxy = proxy;
        this.kubectl = kubectl;
        this.folder = folder;
    }

    /** The shared clusters, started by the first caller; a failed start is reported to every later caller. */
    static synchronized Clusters get() {
        if (failure != null) {
            if (failure instanceof TestAbortedException aborted) {
                throw aborted;
            }
            throw new IllegalStateException("the clusters failed to start earlier in this run", failure);
        }
        if (instance == null) {
            try {
                instance = start();
            } catch (RuntimeException | Error e) {
                failure = e;
                throw e;
            }
        }
        return instance;
    }

    private static Clusters start() {
        Kubectl kubectl = Kubectl.require();
        Starter starter = starter();
        Path folder = RunFolder.prepare();
        RunFolder.logTo(folder.resolve("multikube.log"));
        long started = System.nanoTime();
        List<TestCluster> both = startBoth(starter, folder);
        long clustersUp = System.nanoTime();
        TestCluster alpha = both.get(0);
        TestCluster beta = both.get(1);
        ProxyFixture proxy;
        try {
            // Every IT's requests are audited by the bundled audit-file plugin, as in production.
            proxy = ProxyFixture.start(folder.resolve("multikube"),
                    UpstreamKubeconfig.write(folder.resolve("upstream-kubeconfig.yaml"), both),
                    ProxyFixture.Options.defaults().withPlugins(PluginSettings.none().withAuditSink(
                            new PluginSettings.Selection("file", Map.of("path", auditLog(folder).toString())),
                            PluginSettings.AuditFailure.REFUSE)));
        } catch (RuntimeException e) {
            both.forEach(TestCluster::close);
            throw e;
        }
        Clusters clusters = new Clusters(alpha, beta, proxy, kubectl, folder);
        Runtime.getRuntime().addShutdownHook(new Thread(clusters::close));
        for (TestCluster cluster : both) {
            clusters.setUp(cluster, "apply", "-f", Path.of(resource("multikube-impersonator.yaml")).toString());
            clusters.setUp(cluster, "create", "clusterrolebinding", "it-admin", "--clusterrole=cluster-admin",
                    "--user=" + ADMIN_USER);
        }
        clusters.printSummary(started, clustersUp);
        return clusters;
    }

    /** Starts one named cluster in its own folder. */
    private interface Starter {
        TestCluster start(String name, Path folder);
    }

    /** The one place that picks how clusters start: {@link ClusterSelection} decides the kind for the run. */
    private static Starter starter() {
        return switch (ClusterSelection.require()) {
            case LOCAL -> {
                KubeBinaries binaries = KubeBinaries.require();
                yield (name, folder) -> LocalApiServer.start(name, binaries, folder);
            }
            case K3S -> K3sCluster::start;
        };
    }

    /** Starts alpha and beta side by side; when one fails, the other is stopped too. */
    private static List<TestCluster> startBoth(Starter starter, Path folder) {
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<TestCluster>> starts = Stream.of("alpha", "beta")
                    .map(name -> CompletableFuture.supplyAsync(() -> starter.start(name, folder.resolve(name)),
                            threads))
                    .toList();
            try {
                return starts.stream().map(CompletableFuture::join).toList();
            } catch (CompletionException e) {
                starts.forEach(start -> start.thenAccept(TestCluster::close));
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
    }

    private void setUp(TestCluster cluster, String... args) {
        Kubectl.Result result = admin(cluster, args);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("setting up " + cluster.name() + ": kubectl " + String.join(" ", args)
                    + " exited with " + result.exitCode() + " (expected: 0): " + result.err());
        }
    }

    private void printSummary(long started, long clustersUp) {
        long now = System.nanoTime();
        System.out.printf("multikube IT: clusters started in %d ms, multikube and RBAC set up in %d ms%n",
                (clustersUp - started) / 1_000_000, (now - clustersUp) / 1_000_000);
        for (TestCluster cluster : List.of(alpha, beta)) {
            System.out.printf("multikube IT:   %s at %s: %s%n", cluster.name(), cluster.server(), cluster.describe());
        }
        System.out.printf("multikube IT:   multikube at https://127.0.0.1:%d, kubectl %s, log %s%n", proxy.tlsPort(),
                kubectl.binary(), folder.resolve("multikube.log"));
    }

    /** multikube's own audit log (the bundled audit-file plugin) for this run. */
    static Path auditLog(Path folder) {
        return folder.resolve("multikube-audit.log");
    }

    Path auditLog() {
        return auditLog(folder);
    }

    private static String resource(String name) {
        return java.util.Objects.requireNonNull(Clusters.class.getResource("/" + name), name).getPath();
    }

    /** This run's folder: logs (multikube's in {@code multikube.log}), kubeconfigs, and the fixtures' own files. */
    Path folder() {
        return folder;
    }

    /** A kubectl kubeconfig that reaches {@code context} through multikube as {@code user}. */
    Path clientKubeconfig(String user, List<String> groups, String context) {
        String token = proxy.token(user, groups, context);
        String yaml = new ClientKubeconfig("https://127.0.0.1:" + proxy.tlsPort(), proxy.pki().ca().certificatePem(),
                List.of(new ClientKubeconfig.Entry(context, token, false))).toYaml();
        try {
            return Files.writeString(Files.createTempFile(folder, "client-" + context + "-", ".yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs kubectl directly against a cluster as its administrator, bypassing multikube. */
    Kubectl.Result admin(TestCluster cluster, String... args) {
        try {
            return kubectl.run(adminKubeconfig(cluster), args);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A kubeconfig that reaches the cluster directly as its administrator (system:masters). */
    synchronized Path adminKubeconfig(TestCluster cluster) {
        Path kubeconfig = folder.resolve("admin-" + cluster.name() + ".yaml");
        return Files.exists(kubeconfig) ? kubeconfig : UpstreamKubeconfig.admin(kubeconfig, cluster);
    }

    /** Runs kubectl through multikube. */
    Kubectl.Result through(Path clientKubeconfig, String... args) {
        try {
            return kubectl.run(clientKubeconfig, args);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void close() {
        proxy.close();
        alpha.close();
        beta.close();
        System.out.println("multikube IT: clusters stopped; logs and audit logs stay in " + folder);
    }
}
