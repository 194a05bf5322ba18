package io.multikube.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

/**
 * The audit log under load (issue 7): 2,000 requests per second for 60 s through a multikube process with the
 * audit-file plugin rotating its file every megabyte, then SIGTERM while requests still arrive. Afterwards the log
 * (current file and every backup) must hold exactly one complete line per request a client got an answer to, and
 * no line twice. The run and the rate are set by {@code multikube.it.audit-load.seconds} and {@code .rate}.
 *
 * <p>No cluster is needed: the upstream is a small HTTP server in this JVM, so the load measures multikube and its
 * audit sink, not an API server. multikube runs as its own process from this JVM's class path (the jars with their
 * plugins), since only a real process receives a real SIGTERM.
 */
class AuditUnderLoadIT {
    private static final int SECONDS = Integer.getInteger("multikube.it.audit-load.seconds", 60);
    private static final int RATE = Integer.getInteger("multikube.it.audit-load.rate", 2000);
    private static final String BODY = "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"x\"}}";

    @TempDir
    Path folder;

    @Test
    void everyAnsweredRequestHasExactlyOneCompleteAuditLineThroughRotationAndSigterm() throws Exception {
        HttpServer upstream = upstream();
        Process multikube = null;
        try {
            Path kubeconfig = Files.writeString(folder.resolve("kubeconfig"), """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: load, cluster: {server: "http://127.0.0.1:%d"}}]
                    users: [{name: load, user: {token: upstream-token}}]
                    contexts: [{name: load, context: {cluster: load, user: load}}]
                    """.formatted(upstream.getAddress().getPort()));
            run(List.of("keys", "--out", folder.resolve("signer").toString()));
            String token = run(List.of("token", "--signer-key", folder.resolve("signer/signer-key.pem").toString(),
                    "--sub", "loader", "--ctx", "load", "--ttl", "1h")).strip();
            Path audit = Files.createDirectories(folder.resolve("audit")).resolve("audit.log");
            int port = freePort();
            multikube = Processes.launch(folder, "multikube", java(List.of("--scheme=http", "--host=127.0.0.1",
                    "--port=" + port, "--metrics-port=-1", "--kubeconfig=" + kubeconfig,
                    "--tls-signer-certificate=" + folder.resolve("signer/signer.pem"),
                    "--state-dir=" + folder.resolve("state"), "--audit-log-path=" + audit,
                    "--audit-log-maxsize=1", "--shutdown-grace=10s", "--log-level=warning")));
            awaitReady(port, token);

            Load load = Load.run(port, "/api/v1/namespaces/default/configmaps/x", token, RATE,
                    Duration.ofSeconds(SECONDS), multikube);

            assertThat(multikube.waitFor(60, TimeUnit.SECONDS)).as("multikube stopped after SIGTERM").isTrue();
            Map<String, Integer> lines = auditLines(audit.getParent());
            System.out.printf("audit under load: %d requests sent, %.0f/s answered before SIGTERM, %d answered %s, "
                    + "%d failed %s, "
                    + "%d audit lines in %d files%n", load.sent(), load.achievedRate(), load.answered().size(),
                    load.statuses(), load.failed(), load.failures(), lines.values().stream()
                            .mapToInt(Integer::intValue).sum(), files(audit.getParent()).size());

            assertThat(load.achievedRate()).as("requests per second answered before SIGTERM")
                    .isGreaterThan(RATE * 0.9);
            assertThat(load.statuses().keySet()).as("answers: 200, or 503 once shutting down; multikube logged: %s",
                    warnings(folder.resolve("multikube.log"))).isSubsetOf(200, 503);
            assertThat(files(audit.getParent()).size()).as("the log rotated").isGreaterThan(2);
            assertThat(lines.entrySet().stream().filter(entry -> entry.getValue() > 1).map(Map.Entry::getKey))
                    .as("audit IDs written more than once").isEmpty();
            assertThat(load.answered().entrySet().stream().filter(entry -> !lines.containsKey(entry.getKey())))
                    .as("answered requests without an audit line").isEmpty();
            assertThat(lines.size() - load.answered().size())
                    .as("audit lines for requests whose answer never reached the client")
                    .isLessThanOrEqualTo(load.failed());
        } finally {
            if (multikube != null) {
                Processes.stop(multikube);
            }
            upstream.stop(0);
        }
    }

    /**
     * The first 200 lines multikube logged, all at WARNING or above (it runs with {@code --log-level=warning}), to
     * explain a failure; read no further than that.
     */
    private static List<String> warnings(Path log) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.limit(200).toList();
        }
    }

    /**
     * The cluster: the JDK's HTTP server answering every request with a small ConfigMap. (Not a Helidon server: one
     * started here re-reads the logging configuration and takes the suite's log file away from the other ITs.)
     */
    private static HttpServer upstream() throws IOException {
        HttpServer server = HttpServer.create(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 512);
        byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return server;
    }

    /**
     * Sends requests at a fixed rate from a bounded set of workers, each on its own keep-alive connection (as a
     * client pool does), SIGTERMs multikube at the end and keeps sending for a second. A worker behind schedule
     * catches up as fast as answers come, so the achieved rate is what multikube sustained. The HTTP/1.1 client is a
     * few lines over a socket: the JDK's HttpClient costs more CPU per request than multikube does, on the same
     * two cores.
     */
    private record Load(long sent, double achievedRate, Map<String, Integer> answered, Map<Integer, Integer> statuses,
                        int failed, Map<String, Integer> failures) {
        private static final int WORKERS = 32;

        static Load run(int port, String path, String token, int rate, Duration duration, Process multikube)
                throws InterruptedException {
            byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nUser-Agent: audit-load\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            Map<String, Integer> answered = new ConcurrentHashMap<>();
            Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
            Map<String, Integer> failures = new ConcurrentHashMap<>();
            AtomicInteger failed = new AtomicInteger();
            AtomicInteger answeredInTime = new AtomicInteger();
            AtomicLong slots = new AtomicLong();
            long interval = 1_000_000_000L / rate;
            long start = System.nanoTime();
            long sigterm = start + duration.toNanos();
            long stop = sigterm + TimeUnit.SECONDS.toNanos(1);
            Thread terminator = Thread.ofVirtual().start(() -> {
                LockSupport.parkNanos(sigterm - System.nanoTime());
                multikube.destroy(); // SIGTERM
            });
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < WORKERS; i++) {
                workers.add(Thread.ofVirtual().start(() -> {
                    Connection connection = null;
                    for (long at = start + slots.getAndIncrement() * interval; at < stop;
                         at = start + slots.getAndIncrement() * interval) {
                        LockSupport.parkNanos(at - System.nanoTime());
                        try {
                            connection = connection == null ? new Connection(port) : connection;
                            Answer answer = connection.exchange(request);
                            answered.put(answer.auditId(), answer.status());
                            statuses.merge(answer.status(), 1, Integer::sum);
                            if (System.nanoTime() < sigterm) {
                                answeredInTime.incrementAndGet();
                            }
                        } catch (IOException e) {
                            failed.incrementAndGet();
                            failures.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                            if (connection != null) {
                                connection.close();
                                connection = null;
                            }
                        }
                    }
                    if (connection != null) {
                        connection.close();
                    }
                }));
            }
            for (Thread worker : workers) {
                worker.join();
            }
            terminator.join();
            long sent = answered.size() + failed.get();
            // The rate multikube sustained: answers before SIGTERM, over the time before it.
            return new Load(sent, answeredInTime.get() / (duration.toNanos() / 1e9), answered, statuses, failed.get(),
                    failures);
        }
    }

    private record Answer(int status, String auditId) {
    }

    /** One keep-alive HTTP/1.1 connection: a request out, the head read, the Content-Length body skipped. */
    private static final class Connection {
        private final java.net.Socket socket;
        private final java.io.InputStream in;

        Connection(int port) throws IOException {
            socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            in = new java.io.BufferedInputStream(socket.getInputStream());
        }

        Answer exchange(byte[] request) throws IOException {
            socket.getOutputStream().write(request);
            String statusLine = line();
            if (!statusLine.startsWith("HTTP/1.1 ")) {
                throw new IOException("not an HTTP/1.1 answer: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            String auditId = "missing";
            long length = 0;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("audit-id:")) {
                    auditId = header.substring(9).strip();
                } else if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(header.substring(15).strip());
                }
            }
            in.skipNBytes(length);
            return new Answer(status, auditId);
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new java.io.EOFException("connection closed");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // gone already
            }
        }
    }

    /** auditID → number of lines, over the file and its backups; fails on a line that is not a complete event. */
    private static Map<String, Integer> auditLines(Path directory) throws IOException {
        Map<String, Integer> counts = new HashMap<>();
        for (Path file : files(directory)) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            assertThat(text.isEmpty() || text.endsWith("\n")).as("%s ends with a complete line", file).isTrue();
            for (String line : text.lines().toList()) {
                assertThat(line).as("a complete audit event in %s", file)
                        .startsWith("{\"kind\":\"Event\"").endsWith("}");
                String id = field(line, "auditID");
                counts.merge(id + (line.contains("\"stage\":\"ResponseComplete\"") ? "" : " (other stage)"), 1,
                        Integer::sum);
            }
        }
        return counts;
    }

    private static List<Path> files(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().startsWith("audit")).sorted().toList();
        }
    }

    private static String field(String json, String name) {
        String key = "\"" + name + "\":\"";
        int start = json.indexOf(key);
        assertThat(start).as("%s in %s", name, json).isNotNegative();
        return json.substring(start + key.length(), json.indexOf('"', start + key.length()));
    }

    private static void awaitReady(int port, String token) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/version"))
                .header("Authorization", "Bearer " + token).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("multikube did not answer on port " + port + " within 60 s");
    }

    /** Runs a multikube command (keys, token) to its end and returns its standard output. */
    private String run(List<String> arguments) throws Exception {
        Process process = new ProcessBuilder(java(arguments)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("multikube " + arguments.getFirst()).isZero();
        return out;
    }

    /** This JVM's java and class path: the server jar with the audit-file and cache-memory plugins beside it. */
    private static List<String> java(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), "io.multikube.Main"));
        command.addAll(arguments);
        return command;
    }

    private static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
