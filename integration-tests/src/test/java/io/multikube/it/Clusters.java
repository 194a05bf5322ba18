package io.multikube.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.multikube.cli.ClientKubeconfig;
import io.multikube.testing.Kubectl;
import io.multikube.testing.ProxyFixture;

/**
 * The suite's shared world, started once per run (API servers take seconds to start): two real clusters,
 * "alpha" and "beta", each granting multikube nothing but impersonation, and one multikube routing to both.
 */
final class Clusters {
    static final String ADMIN_USER = "it-admin";

    private static Clusters instance;

    final LocalApiServer alpha;
    final LocalApiServer beta;
    final ProxyFixture proxy;
    final Kubectl kubectl;
    private final Path folder;

    private Clusters(LocalApiServer alpha, LocalApiServer beta, ProxyFixture proxy, Kubectl kubectl, Path folder) {
        this.alpha = alpha;
        this.beta = beta;
        this.proxy = proxy;
        this.kubectl = kubectl;
        this.folder = folder;
    }

    static synchronized Clusters get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static Clusters start() {
        Kubectl kubectl = Kubectl.require();
        KubeBinaries binaries = KubeBinaries.require();
        try {
            Path folder = Files.createTempDirectory("multikube-it");
            long started = System.nanoTime();
            var alphaStart = CompletableFuture.supplyAsync(() ->
                    LocalApiServer.start("alpha", binaries, folder.resolve("alpha")));
            LocalApiServer beta = LocalApiServer.start("beta", binaries, folder.resolve("beta"));
            LocalApiServer alpha = alphaStart.join();
            Clusters clusters = new Clusters(alpha, beta,
                    ProxyFixture.start(folder.resolve("multikube"), writeUpstreamKubeconfig(folder, alpha, beta),
                            ProxyFixture.Options.defaults()), kubectl, folder);
            Runtime.getRuntime().addShutdownHook(new Thread(clusters::close));
            for (LocalApiServer cluster : List.of(alpha, beta)) {
                clusters.admin(cluster, "apply", "-f", Path.of(resource("multikube-impersonator.yaml")).toString());
                clusters.admin(cluster, "create", "clusterrolebinding", "it-admin", "--clusterrole=cluster-admin",
                        "--user=" + ADMIN_USER);
            }
            System.out.printf("multikube IT: real kube-apiservers %s (%s) and %s (%s) from %s, up in %d ms%n",
                    alpha.name(), alpha.server(), beta.name(), beta.server(), binaries.folder(),
                    (System.nanoTime() - started) / 1_000_000);
            return clusters;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String name) {
        return java.util.Objects.requireNonNull(Clusters.class.getResource("/" + name), name).getPath();
    }

    /** multikube's own kubeconfig: each cluster's CA and the impersonate-only multikube token. */
    private static Path writeUpstreamKubeconfig(Path folder, LocalApiServer... clusters) throws IOException {
        StringBuilder yaml = new StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n");
        for (LocalApiServer cluster : clusters) {
            yaml.append("- name: ").append(cluster.name()).append("\n  cluster:\n    server: ")
                    .append(cluster.server()).append("\n    certificate-authority: ").append(cluster.caFile())
                    .append('\n');
        }
        yaml.append("users:\n");
        for (LocalApiServer cluster : clusters) {
            yaml.append("- name: ").append(cluster.name()).append("\n  user:\n    token: ")
                    .append(cluster.multikubeToken()).append('\n');
        }
        yaml.append("contexts:\n");
        for (LocalApiServer cluster : clusters) {
            yaml.append("- name: ").append(cluster.name()).append("\n  context:\n    cluster: ")
                    .append(cluster.name()).append("\n    user: ").append(cluster.name()).append('\n');
        }
        return Files.writeString(folder.resolve("upstream-kubeconfig.yaml"), yaml);
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
    Kubectl.Result admin(LocalApiServer cluster, String... args) {
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
    synchronized Path adminKubeconfig(LocalApiServer cluster) {
        Path kubeconfig = folder.resolve("admin-" + cluster.name() + ".yaml");
        try {
            if (!Files.exists(kubeconfig)) {
                Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n"
                        + "    server: " + cluster.server() + "\n    certificate-authority: " + cluster.caFile()
                        + "\nusers:\n- name: u\n  user:\n    token: " + cluster.adminToken()
                        + "\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\n");
            }
            return kubeconfig;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
    }
}
