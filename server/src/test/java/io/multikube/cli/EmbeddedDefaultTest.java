package io.multikube.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.config.Scheme;
import io.multikube.config.ServerSettings;
import io.multikube.server.MultikubeServer;
import io.multikube.testing.Kubectl;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestKubeconfig;

/** {@code java -jar multikube.jar} with no flags: generated certificates, loopback only, a client kubeconfig kubectl uses. */
class EmbeddedDefaultTest {
    @TempDir
    Path folder;

    @Test
    void clientKubeconfigWorksWithTheRealKubectl() throws Exception {
        Kubectl kubectl = Kubectl.require();
        try (RecordingUpstream upstream = RecordingUpstream.plain()) {
            upstream.respondWith(RecordingUpstream.json(200, "{\"gitVersion\":\"v1.34.0\"}"));
            Path kubeconfig = new TestKubeconfig().add(TestKubeconfig.Cluster.plain("dev", upstream.port()))
                    .add(TestKubeconfig.Cluster.plain("staging", upstream.port())).write(folder.resolve("kc"));
            // No metrics port (8888 may be taken) and no cluster probes: the upstream must see only our request.
            ServeCommand command = parse("--tls-port=0", "--metrics-port=-1", "--cluster-probe-interval=0s",
                    "--state-dir=" + folder.resolve("state"));
            EmbeddedDefault embedded = new EmbeddedDefault(command.stateDir);
            ServerSettings settings = embedded.settings(command, kubeconfig);
            MultikubeServer server = MultikubeServer.start(settings);
            try {
                Path client = embedded.writeClientKubeconfig(server.kubeconfig(),
                        EmbeddedDefault.serverUrl(settings, server.port(Scheme.HTTPS)), "alice");

                Kubectl.Result result = kubectl.run(client, "--context", "staging", "get", "--raw", "/version");

                assertThat(settings.host()).isEqualTo("127.0.0.1");
                assertThat(result.exitCode()).as(result.err()).isZero();
                assertThat(result.out()).contains("v1.34.0");
                assertThat(upstream.take().headers().all("Impersonate-User")).containsExactly("alice");
                assertThat(Files.readString(client)).contains("name: dev", "name: staging");
            } finally {
                server.close();
            }
        }
    }

    @Test
    void generatedFilesAreReusedOnTheNextStart() throws Exception {
        Path state = folder.resolve("state");
        EmbeddedState first = new EmbeddedState(state).ensure();
        String serving = Files.readString(first.servingCertificate());
        String signer = Files.readString(first.signerKey());

        EmbeddedState second = new EmbeddedState(state).ensure();

        assertThat(Files.readString(second.servingCertificate())).isEqualTo(serving);
        assertThat(Files.readString(second.signerKey())).isEqualTo(signer);
        assertThat(Files.getPosixFilePermissions(second.signerKey()).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
    }

    private static ServeCommand parse(String... args) {
        ServeCommand command = new ServeCommand();
        new FlagParser(command).parse(java.util.List.of(args), FlagDefaults.NONE);
        return command;
    }
}
