package io.multikube.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.multikube.kubeconfig.ClusterContext;

class UpstreamClientsTest {
    @Test
    void sendsToTheClusterWithoutDelay() {
        ClusterContext context = new ClusterContext("dev", URI.create("http://127.0.0.1:1"), Optional.empty(),
                Optional.empty());

        var options = new UpstreamClients(Duration.ofSeconds(3)).client(context, Optional.empty())
                .prototype().socketOptions();

        assertThat(options.tcpNoDelay()).isTrue();
    }
}
