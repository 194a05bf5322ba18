package io.multikube.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.testcontainers.images.builder.Transferable;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A k3s cluster in Docker (Testcontainers), for machines with a Docker engine and without the local binaries. Its
 * kube-apiserver reads the same static token file as {@link LocalApiServer}'s, so multikube and the administrator
 * are the same users with the same RBAC on either kind.
 */
final class K3sCluster implements TestCluster {
    /** The Kubernetes line of {@code scripts/build-kube-binaries.sh}; {@code MULTIKUBE_K3S_IMAGE} overrides it. */
    static final String IMAGE = "rancher/k3s:v1.34.2-k3s1";
    static final String TOKEN_FILE = "/etc/multikube/tokens.csv";
    private static final String SERVING_CA = "/var/lib/rancher/k3s/server/tls/server-ca.crt";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final String image;
    private final Path folder;
    private final K3sContainer container;
    private final StaticTokens tokens;

    private K3sCluster(String name, String image, Path folder, K3sContainer container, StaticTokens tokens) {
        this.name = name;
        this.image = image;
        this.folder = folder;
        this.container = container;
        this.tokens = tokens;
    }

    static K3sCluster start(String name, Path folder) {
        String image = image();
        StaticTokens tokens = StaticTokens.random();
        K3sContainer container = new K3sContainer(DockerImageName.parse(image)
                .asCompatibleSubstituteFor("rancher/k3s"));
        container.withCopyToContainer(Transferable.of(tokens.csv()), TOKEN_FILE)
                .withCommand(command(container.getHost()).toArray(String[]::new));
        K3sCluster cluster = new K3sCluster(name, image, folder, container, tokens);
        try {
            Files.createDirectories(folder);
            container.start();
            container.copyFileFromContainer(SERVING_CA, cluster.caFile().toString());
            Files.writeString(folder.resolve("k3s-kubeconfig.yaml"), container.getKubeConfigYaml());
            cluster.awaitStaticTokens();
            return cluster;
        } catch (IOException e) {
            cluster.close();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            cluster.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting k3s cluster " + name, e);
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * k3s's server command as Testcontainers gives it, plus the static token file. Traefik and metrics-server are
     * left out: the suite needs neither, and an aggregated metrics API that is not ready yet disturbs discovery.
     */
    static List<String> command(String host) {
        return List.of("server", "--disable=traefik", "--disable=metrics-server", "--tls-san=" + host,
                "--kube-apiserver-arg=token-auth-file=" + TOKEN_FILE);
    }

    static String image() {
        String image = System.getenv("MULTIKUBE_K3S_IMAGE");
        return image == null || image.isBlank() ? IMAGE : image;
    }

    /** k3s is up once Testcontainers returns; this proves the API server also honours our token file. */
    private void awaitStaticTokens() throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().sslContext(tls()).connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest readyz = HttpRequest.newBuilder(URI.create(server() + "/readyz"))
                .header("Authorization", "Bearer " + tokens.admin()).build();
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            try {
                int status = client.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
                last = "status " + status;
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("k3s cluster " + name + " did not accept the administrator's static token on"
                + " /readyz within " + READY_TIMEOUT + " (last: " + last + ", expected: 200); its log is "
                + folder.resolve("k3s.log"));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String server() {
        return "https://" + container.getHost() + ":" + container.getMappedPort(K3sContainer.KUBE_SECURE_PORT);
    }

    @Override
    public Path caFile() {
        return folder.resolve("ca.crt");
    }

    @Override
    public String adminToken() {
        return tokens.admin();
    }

    @Override
    public String multikubeToken() {
        return tokens.multikube();
    }

    /** k3s writes no audit log unless told to, and one inside the container is not a file this machine can tail. */
    @Override
    public Optional<Path> auditLog() {
        return Optional.empty();
    }

    /** The API server runs in the container, whose 127.0.0.1 is not this machine's. */
    @Override
    public boolean reachesFakeKubelet() {
        return false;
    }

    @Override
    public String describe() {
        return "k3s " + image + " in Docker (Testcontainers), log and kubeconfig in " + folder;
    }

    /** Keeps k3s's log beside the other clusters' logs, then removes the container. */
    @Override
    public void close() {
        try {
            if (container.isRunning()) {
                Files.writeString(folder.resolve("k3s.log"), container.getLogs());
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("multikube IT: k3s log of " + name + " not kept: " + e.getMessage());
        }
        container.stop();
    }
}
