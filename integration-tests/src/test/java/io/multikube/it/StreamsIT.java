package io.multikube.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.multikube.testing.Kubectl;

/**
 * exec, attach, cp and port-forward with the real kubectl through multikube, the real kube-apiserver and the
 * {@link FakeKubelet}, over each {@link Transport}. The user is impersonated; what it may do comes from a RoleBinding
 * in the test's namespace. Each test also checks multikube's access log: the upgrade it relayed used the transport
 * the test asked kubectl for.
 */
@RealClusters(fakeKubelet = true)
class StreamsIT {
    private static final String POD = "box";
    private static final String CONTAINER = "app";
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final Pattern FORWARDING = Pattern.compile("Forwarding from 127\\.0\\.0\\.1:(\\d+) -> (\\d+)");

    private static Clusters clusters;
    private static FakeKubelet kubelet;
    private static EchoServer echo;
    private static String namespace;
    private static Path streamer;
    private static Path onlooker;
    private static RelayedUpgrades relayed;

    @BeforeAll
    static void podOnAFakeNode() throws IOException {
        clusters = Clusters.get();
        namespace = "streams-" + UUID.randomUUID().toString().substring(0, 8);
        kubelet = FakeKubelet.start(clusters.folder().resolve("kubelet-" + namespace));
        echo = EchoServer.start();
        String node = "fake-node-" + namespace;
        ok(clusters.admin(clusters.alpha, "create", "namespace", namespace));
        ok(clusters.admin(clusters.alpha, "-n", namespace, "create", "serviceaccount", "default"));
        FakeNode.register(clusters, clusters.alpha, node, kubelet);
        FakeNode.runningPod(clusters, clusters.alpha, namespace, POD, CONTAINER, node);
        ok(clusters.admin(clusters.alpha, "apply", "-f", Files.writeString(
                clusters.folder().resolve("rbac-" + namespace + ".yaml"), rbac()).toString()));
        streamer = clusters.clientKubeconfig("streamer", List.of(), "alpha");
        onlooker = clusters.clientKubeconfig("onlooker", List.of(), "alpha");
        relayed = new RelayedUpgrades(clusters.folder().resolve("multikube.log"), namespace, POD);
    }

    /** streamer may exec, attach and port-forward; onlooker may only read pods. Both only in this namespace. */
    private static String rbac() {
        return """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: streamer, namespace: %1$s}
                rules:
                - {apiGroups: [""], resources: [pods], verbs: [get, list]}
                - {apiGroups: [""], resources: [pods/exec, pods/attach, pods/portforward], verbs: [get, create]}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: streamer, namespace: %1$s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: streamer}
                subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: streamer}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: onlooker, namespace: %1$s}
                rules:
                - {apiGroups: [""], resources: [pods], verbs: [get, list]}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: onlooker, namespace: %1$s}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: onlooker}
                subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: onlooker}]
                """.formatted(namespace);
    }

    @AfterAll
    static void stop() {
        if (echo != null) {
            echo.close();
        }
        if (kubelet != null) {
            kubelet.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void execPipesStdinToTheCommandAndItsOutputBack(Transport transport) {
        String input = Base64.getMimeEncoder().encodeToString(randomBytes(48 * 1024)) + "\n";
        int before = relayed.count(transport, "exec");

        Kubectl.Result result = kubectl(streamer, transport).run(input.getBytes(StandardCharsets.UTF_8),
                "-n", namespace, "exec", "-i", POD, "-c", CONTAINER, "--", "cat");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo(input);
        relayed.assertMoreThan(before, transport, "exec");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void execEndsWithTheCommandsExitCodeAndKeepsStdoutAndStderrApart(Transport transport) {
        int before = relayed.count(transport, "exec");

        Kubectl.Result result = kubectl(streamer, transport).run(new byte[0], "-n", namespace, "exec", POD,
                "-c", CONTAINER, "--", "sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.out()).isEqualTo("to-stdout\n");
        assertThat(result.errWithoutKubectlLog()).startsWith("to-stderr\n").contains("command terminated with exit code 3");
        relayed.assertMoreThan(before, transport, "exec");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void execWithATerminalRunsOnATerminalOfTheClientsSizeAndReadsWhatIsTyped(Transport transport) {
        Assumptions.assumeTrue(onPath("script"), "util-linux script is needed to give kubectl a terminal");
        int before = relayed.count(transport, "exec");

        Kubectl.Result result = kubectl(streamer, transport).runOnTerminal(33, 77, "typed words\r", "-n", namespace,
                "exec", "-it", POD, "-c", CONTAINER, "--", "sh", "-c",
                "test -t 0 && test -t 1 && echo on-a-terminal; stty size; read line; echo \"read: $line\"");

        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out().lines().map(String::strip).toList())
                .contains("on-a-terminal", "33 77", "read: typed words");
        relayed.assertMoreThan(before, transport, "exec");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void attachShowsTheMainProcessAndFeedsItsStdin(Transport transport) throws Exception {
        String greeting = "hello over " + transport;
        int before = relayed.count(transport, "attach");
        Process attach = kubectl(streamer, transport).start("-n", namespace, "attach", "-i", POD, "-c", CONTAINER);
        try {
            OutputStream stdin = attach.getOutputStream();
            stdin.write((greeting + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();

            assertThat(linesUntil(attach, List.of(greeting, "container is running"))).isTrue();
            stdin.close(); // the end of stdin ends the attach session
            assertThat(attach.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(attach.exitValue()).as(new String(attach.getErrorStream().readAllBytes())).isZero();
        } finally {
            attach.destroyForcibly();
        }
        relayed.assertMoreThan(before, transport, "attach");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void cpCopiesAFileIntoThePodByteForByte(Transport transport) throws IOException {
        byte[] content = randomBytes(1024 * 1024);
        Path local = Files.write(clusters.folder().resolve("upload-" + transport + ".bin"), content);
        String remote = "uploaded-" + transport + ".bin";
        int before = relayed.count(transport, "exec");

        Kubectl.Result result = kubectl(streamer, transport).run(new byte[0], "-n", namespace, "cp", local.toString(),
                POD + ":" + remote, "-c", CONTAINER);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(kubelet.containerFolder(namespace, POD, CONTAINER).resolve(remote)).hasBinaryContent(content);
        relayed.assertMoreThan(before, transport, "exec");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void cpCopiesAFileOutOfThePodByteForByte(Transport transport) throws IOException {
        byte[] content = randomBytes(1024 * 1024);
        String remote = "seeded-" + transport + ".bin";
        Path container = Files.createDirectories(kubelet.containerFolder(namespace, POD, CONTAINER));
        Files.write(container.resolve(remote), content);
        Path local = clusters.folder().resolve("download-" + transport + ".bin");
        int before = relayed.count(transport, "exec");

        Kubectl.Result result = kubectl(streamer, transport).run(new byte[0], "-n", namespace, "cp",
                POD + ":" + remote, local.toString(), "-c", CONTAINER);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(local).hasBinaryContent(content);
        relayed.assertMoreThan(before, transport, "exec");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void portForwardCarriesBytesBothWays(Transport transport) throws Exception {
        byte[] content = randomBytes(512 * 1024);
        int before = relayed.count(transport, "portforward");
        Process forward = kubectl(streamer, transport).start("-n", namespace, "port-forward", "pod/" + POD,
                ":" + echo.port());
        try {
            int localPort = forwardedPort(forward);

            assertThat(roundTrip(localPort, content)).isEqualTo(content);
        } finally {
            forward.destroy();
            forward.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
        relayed.assertMoreThan(before, transport, "portforward");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void execWithoutRbacIsForbiddenAsItIsDirectly(Transport transport) {
        String[] exec = {"-n", namespace, "exec", POD, "-c", CONTAINER, "--", "true"};
        String[] directly = {"--as=onlooker", "-n", namespace, "exec", POD, "-c", CONTAINER, "--", "true"};

        Kubectl.Result through = kubectl(onlooker, transport).run(new byte[0], exec);
        Kubectl.Result direct = kubectl(clusters.adminKubeconfig(clusters.alpha), transport).run(new byte[0], directly);

        assertThat(through.exitCode()).isEqualTo(direct.exitCode()).isNotZero();
        assertThat(through.err()).isEqualTo(direct.err())
                .contains("Forbidden", "User \"onlooker\" cannot create resource \"pods/exec\"");
    }

    private static StreamingKubectl kubectl(Path kubeconfig, Transport transport) {
        return new StreamingKubectl(clusters.kubectl, kubeconfig, transport);
    }

    /** Reads kubectl's output until every expected line has appeared (false if it ends or takes too long first). */
    private static boolean linesUntil(Process process, List<String> expected) throws Exception {
        BufferedReader lines = process.inputReader(StandardCharsets.UTF_8);
        CompletableFuture<Boolean> seen = CompletableFuture.supplyAsync(() -> {
            List<String> missing = new ArrayList<>(expected);
            lines.lines().takeWhile(line -> {
                missing.remove(line);
                return !missing.isEmpty();
            }).forEach(line -> { });
            return missing.isEmpty();
        });
        return seen.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    private static int forwardedPort(Process forward) throws Exception {
        BufferedReader lines = forward.inputReader(StandardCharsets.UTF_8);
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> lines.lines()
                .map(FORWARDING::matcher).filter(Matcher::find)
                .peek(matcher -> assertThat(matcher.group(2)).isEqualTo(String.valueOf(echo.port())))
                .map(matcher -> Integer.parseInt(matcher.group(1))).findFirst()
                .orElseThrow(() -> new AssertionError("kubectl port-forward ended without forwarding")));
        return port.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    /** Sends everything, half-closes, and reads what comes back until the other side closes. */
    private static byte[] roundTrip(int port, byte[] content) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(Math.toIntExact(PATIENCE.toMillis()));
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    out.write(content);
                    out.flush();
                    socket.shutdownOutput();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            InputStream in = socket.getInputStream();
            byte[] received = in.readAllBytes();
            sent.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            return received;
        }
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random().nextBytes(bytes);
        return bytes;
    }

    private static boolean onPath(String command) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(folder -> Files.isExecutable(Path.of(folder, command)));
    }

    private static Kubectl.Result ok(Kubectl.Result result) {
        assertThat(result.exitCode()).as(result.err()).isZero();
        return result;
    }
}
