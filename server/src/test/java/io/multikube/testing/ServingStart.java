package io.multikube.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.multikube.pki.KeyAndCertificate;

/**
 * What a real start of {@code multikube} in its own JVM needs: a CA that signs both the serving certificate and the
 * client tokens, a kubeconfig with one TLS cluster ({@code prod}, unreachable, with its own CA and a client
 * certificate), two free ports, and the flags that name them all.
 */
public record ServingStart(TestPki pki, int tlsPort, int metricsPort, List<String> flags) {
    public ServingStart {
        flags = List.copyOf(flags);
    }

    public static ServingStart prepare(Path folder, String caName) throws IOException {
        TestPki pki = TestPki.create(caName);
        KeyAndCertificate serving = pki.server("127.0.0.1");
        TestPki cluster = TestPki.create("cluster CA");
        Path kubeconfig = new TestKubeconfig()
                .add(TestKubeconfig.Cluster.tls("prod", 1, cluster.ca(), cluster.client("multikube"), null))
                .write(folder.resolve("kubeconfig"));
        int tlsPort = freePort();
        int metricsPort = freePort();
        return new ServingStart(pki, tlsPort, metricsPort, List.of(
                "--tls-certificate=" + TestPki.write(folder.resolve("serving.pem"), serving.certificatePem()),
                "--tls-key=" + TestPki.write(folder.resolve("serving-key.pem"), serving.keyPem()),
                "--tls-signer-certificate=" + TestPki.write(folder.resolve("signer.pem"), pki.ca().certificatePem()),
                "--host=127.0.0.1", "--tls-port=" + tlsPort, "--metrics-port=" + metricsPort,
                "--kubeconfig=" + kubeconfig, "--state-dir=" + folder.resolve("state")));
    }

    /**
     * The command line of a child JVM that runs multikube from this test's class path with these flags.
     *
     * @param jvmFlags       e.g. a heap size
     * @param multikubeFlags added before the flags that name the files and ports
     */
    public List<String> javaCommand(List<String> jvmFlags, String... multikubeFlags) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.multikube.Main"));
        command.addAll(List.of(multikubeFlags));
        command.addAll(flags);
        return List.copyOf(command);
    }

    /** A GET on the metrics port: {@code /livez}, {@code /readyz}, {@code /metrics}. */
    public HttpResponse<String> admin(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + metricsPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
