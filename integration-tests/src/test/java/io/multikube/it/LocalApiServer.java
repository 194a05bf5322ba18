package io.multikube.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import io.multikube.pki.KeyType;
import io.multikube.pki.Pem;

/**
 * A real kube-apiserver with its own etcd, started from the locally built binaries: RBAC on, static tokens for
 * an administrator and for multikube's impersonate-only identity, an audit log of every request.
 */
final class LocalApiServer implements TestCluster {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final String name;
    private final String version;
    private final Path folder;
    private final int port;
    private final StaticTokens tokens = StaticTokens.random();
    private final List<Process> processes;

    private LocalApiServer(String name, String version, Path folder, int port, List<Process> processes) {
        this.name = name;
        this.version = version;
        this.folder = folder;
        this.port = port;
        this.processes = processes;
    }

    static LocalApiServer start(String name, KubeBinaries binaries, Path folder) {
        try {
            Files.createDirectories(folder.resolve("certs"));
            int etcdPort = freePort();
            int peerPort = freePort();
            int apiPort = freePort();
            Process etcd = Processes.launch(folder, "etcd", List.of(binaries.etcd().toString(),
                    "--data-dir", folder.resolve("etcd").toString(),
                    "--listen-client-urls", "http://127.0.0.1:" + etcdPort,
                    "--advertise-client-urls", "http://127.0.0.1:" + etcdPort,
                    "--listen-peer-urls", "http://127.0.0.1:" + peerPort,
                    "--initial-advertise-peer-urls", "http://127.0.0.1:" + peerPort,
                    "--initial-cluster", "default=http://127.0.0.1:" + peerPort,
                    "--quota-backend-bytes", String.valueOf(256L * 1024 * 1024)));
            LocalApiServer server = new LocalApiServer(name, binaries.version(), folder, apiPort,
                    new ArrayList<>(List.of(etcd)));
            try {
                server.writeConfiguration();
                server.processes.add(Processes.launch(folder, "kube-apiserver",
                        server.apiServerCommand(binaries, etcdPort)));
                server.awaitReady();
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeConfiguration() throws IOException {
        KeyPair serviceAccounts = KeyType.RSA_2048.generate();
        Files.writeString(folder.resolve("sa.key"), Pem.write(serviceAccounts.getPrivate()));
        Files.writeString(folder.resolve("sa.pub"), Pem.write(serviceAccounts.getPublic()));
        Files.writeString(folder.resolve("tokens.csv"), tokens.csv());
        Files.writeString(folder.resolve("audit-policy.yaml"),
                "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n");
    }

    private List<String> apiServerCommand(KubeBinaries binaries, int etcdPort) {
        return List.of(binaries.apiServer().toString(),
                "--etcd-servers=http://127.0.0.1:" + etcdPort,
                "--secure-port=" + port,
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                "--cert-dir=" + folder.resolve("certs"),
                "--token-auth-file=" + folder.resolve("tokens.csv"),
                "--authorization-mode=RBAC",
                "--service-account-issuer=https://kubernetes.default.svc",
                "--service-account-key-file=" + folder.resolve("sa.pub"),
                "--service-account-signing-key-file=" + folder.resolve("sa.key"),
                "--service-cluster-ip-range=10.0.0.0/24",
                "--audit-log-path=" + folder.resolve("audit.log"),
                "--audit-policy-file=" + folder.resolve("audit-policy.yaml"));
    }

    private void awaitReady() {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        HttpClient client = HttpClient.newBuilder().sslContext(trustAll()).connectTimeout(Duration.ofSeconds(2))
                .build();
        while (Instant.now().isBefore(deadline)) {
            if (processes.stream().anyMatch(process -> !process.isAlive())) {
                break;
            }
            try {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(server() + "/readyz"))
                        .header("Authorization", "Bearer " + tokens.admin()).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && Files.exists(caFile())) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sleep(Duration.ofMillis(500));
        }
        List<String> names = List.of("etcd", "kube-apiserver");
        String why = processes.stream().filter(process -> !process.isAlive()).findFirst()
                .map(process -> names.get(processes.indexOf(process)) + " (pid " + process.pid()
                        + ") exited with code " + process.exitValue())
                .orElse("not ready within " + START_TIMEOUT);
        throw new IllegalStateException("cluster " + name + " did not start (" + why + ")\n"
                + "kube-apiserver.log ends with:\n" + tail(folder.resolve("kube-apiserver.log"), 30)
                + "\netcd.log ends with:\n" + tail(folder.resolve("etcd.log"), 10));
    }

    /** Readiness is probed before the CA is known to the test, so this one probe trusts any certificate. */
    private static SSLContext trustAll() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                @Override
                public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                }

                @Override
                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            }}, null);
            return context;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String tail(Path log, int count) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String server() {
        return "https://127.0.0.1:" + port;
    }

    @Override
    public Path caFile() {
        return folder.resolve("certs").resolve("apiserver.crt");
    }

    @Override
    public String adminToken() {
        return tokens.admin();
    }

    @Override
    public String multikubeToken() {
        return tokens.multikube();
    }

    @Override
    public Optional<Path> auditLog() {
        return Optional.of(folder.resolve("audit.log"));
    }

    /** The fake kubelet listens on 127.0.0.1 here, and so does this API server. */
    @Override
    public boolean reachesFakeKubelet() {
        return true;
    }

    @Override
    public String describe() {
        return "kube-apiserver " + version + " with its own etcd (local binaries), logs in " + folder;
    }

    /** Stops kube-apiserver, then etcd, and drops etcd's data (about 120 MB); logs and the audit log stay. */
    @Override
    public void close() {
        processes.reversed().forEach(Processes::stop);
        try {
            RunFolder.deleteRecursively(folder.resolve("etcd"));
        } catch (UncheckedIOException e) {
            System.out.println("multikube IT: " + e.getMessage());
        }
    }
}
