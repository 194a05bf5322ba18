package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.multikube.testing.ProxyFixture;
import io.multikube.testing.TestKubeconfig;
import io.multikube.testing.UpgradeUpstream;
import io.multikube.upstream.HttpHead;

/** Upgrades through the whole server: the real token check, context choice and impersonation before the 101. */
class UpgradeThroughRouterTest {
    private static final String EXEC = "/api/v1/namespaces/default/pods/p/exec?command=sh&command=-c&command=id"
            + "&stdin=true&stdout=true&tty=false";

    @TempDir
    Path folder;

    private UpgradeUpstream cluster;
    private ProxyFixture proxy;

    @BeforeEach
    void start() throws Exception {
        cluster = UpgradeUpstream.plain(UpgradeUpstream.switching());
        proxy = ProxyFixture.start(folder, new TestKubeconfig()
                .add(TestKubeconfig.Cluster.plain("dev", cluster.port())));
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        cluster.close();
    }

    @Test
    void execUpgradeImpersonatesTheTokenUserAndRelays() throws Exception {
        String request = UpgradeClient.spdyExec(EXEC, proxy.tlsPort(), "Connection: Impersonate-Group\r\n")
                .replace(UpgradeClient.CLIENT_TOKEN, proxy.token("alice", "dev"));
        try (UpgradeClient client = UpgradeClient.connectTls(proxy.tlsPort(), proxy.clientTls())) {
            client.send(request);
            HttpHead head = client.readHead();
            client.send("ping");

            assertThat(head.code()).isEqualTo(101);
            assertThat(client.readExactly(4)).isEqualTo("ping");
        }
        UpgradeUpstream.Received seen = cluster.awaitRequest(Duration.ofSeconds(5));
        assertThat(seen.target()).isEqualTo(EXEC);
        assertThat(seen.headers().all("Impersonate-User")).containsExactly("alice");
        assertThat(seen.headers().contains("Impersonate-Group")).isFalse();
        assertThat(seen.headers().all("X-Stream-Protocol-Version"))
                .containsExactly("v4.channel.k8s.io", "v3.channel.k8s.io");
    }

    @Test
    void forgedTokenIs401StatusBeforeAnyUpgrade() throws Exception {
        String forged = new io.multikube.auth.TokenMinter(ProxyFixture.foreignKey().getPrivate()).mint(
                new io.multikube.auth.TokenRequest("admin", java.util.List.of("dev"), java.util.List.of(),
                        Duration.ofMinutes(5), java.util.Optional.empty()));
        try (UpgradeClient client = UpgradeClient.connectTls(proxy.tlsPort(), proxy.clientTls())) {
            client.send(UpgradeClient.spdyExec(EXEC, proxy.tlsPort()).replace(UpgradeClient.CLIENT_TOKEN, forged));
            HttpHead head = client.readHead();

            assertThat(head.code()).isEqualTo(401);
            assertThat(client.readToEnd()).contains("\"kind\":\"Status\"", "\"reason\":\"Unauthorized\"");
        }
        assertThat(cluster.connectionCount()).isZero();
    }

    @Test
    void contextOutsideTheTokenIs403BeforeAnyUpgrade() throws Exception {
        String request = UpgradeClient.spdyExec("/clusters/prod" + EXEC, proxy.tlsPort())
                .replace(UpgradeClient.CLIENT_TOKEN, proxy.token("alice", "dev"));
        try (UpgradeClient client = UpgradeClient.connectTls(proxy.tlsPort(), proxy.clientTls())) {
            client.send(request);

            assertThat(client.readHead().code()).isEqualTo(403);
        }
        assertThat(cluster.connectionCount()).isZero();
    }
}
