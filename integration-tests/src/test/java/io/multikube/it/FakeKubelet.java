package io.multikube.it;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.multikube.pki.KeyAndCertificate;
import io.multikube.testing.TestPki;

/**
 * The one part that cannot run here: a kubelet. It serves the kubelet's container-log endpoint over HTTPS, so
 * {@code kubectl logs} through multikube goes through the real kube-apiserver to it. Each log has {@link #LINES}
 * lines; with {@code follow=true} they leave {@link #GAP} apart.
 */
final class FakeKubelet implements AutoCloseable {
    static final int LINES = 4;
    static final Duration GAP = Duration.ofMillis(400);

    private final HttpsServer server;

    private FakeKubelet(HttpsServer server) {
        this.server = server;
    }

    static FakeKubelet start() {
        try {
            TestPki pki = TestPki.create("fake kubelet CA");
            KeyAndCertificate serving = pki.server("127.0.0.1", "localhost");
            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(pki.sslContextServing(serving)));
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/containerLogs/", FakeKubelet::logs);
            server.start();
            return new FakeKubelet(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    static String line(int i) {
        return "log line " + i + " from the fake kubelet";
    }

    private static void logs(HttpExchange exchange) throws IOException {
        boolean follow = String.valueOf(exchange.getRequestURI().getRawQuery()).contains("follow=true");
        exchange.getResponseHeaders().add("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < LINES; i++) {
                if (follow && i > 0) {
                    Thread.sleep(GAP);
                }
                out.write((line(i) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
