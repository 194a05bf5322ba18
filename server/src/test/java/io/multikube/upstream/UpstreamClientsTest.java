package io.multikube.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.helidon.common.tls.Tls;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webserver.WebServer;
import io.multikube.kubeconfig.ClusterContext;
import io.multikube.kubeconfig.UpstreamTls;
import io.multikube.pki.KeyAndCertificate;
import io.multikube.testing.RecordingUpstream;
import io.multikube.testing.TestPki;

class UpstreamClientsTest {
    private final UpstreamClients clients = new UpstreamClients(Duration.ofSeconds(3));

    @Test
    void sendsToTheClusterWithoutDelay() {
        ClusterContext context = new ClusterContext("dev", URI.create("http://127.0.0.1:1"), Optional.empty(),
                Optional.empty());

        var options = clients.client(context, Optional.empty()).web().prototype().socketOptions();

        assertThat(options.tcpNoDelay()).isTrue();
    }

    /** The first answer shows what ALPN chose; later requests name it and still arrive over it. */
    @Test
    void learnsHttp2FromTheFirstAnswerAndKeepsUsingIt() {
        TestPki pki = TestPki.create("cluster CA");
        KeyAndCertificate serving = pki.server("127.0.0.1");
        WebServer cluster = WebServer.builder().host("127.0.0.1").port(0)
                .tls(Tls.builder().privateKey(serving.key()).privateKeyCertChain(List.of(serving.certificate()))
                        .build())
                .routing(routing -> routing.any((request, response) ->
                        response.send(request.prologue().protocolVersion())))
                .build().start();
        try {
            UpstreamTls tls = new UpstreamTls(TestPki.trusting(TestPki.pem(pki.ca().certificate())), true,
                    Optional.empty());
            ClusterContext context = new ClusterContext("secure", URI.create("https://127.0.0.1:" + cluster.port()),
                    Optional.of(tls), Optional.empty());
            UpstreamClient client = clients.client(context, context.tls());

            assertThat(client.protocol()).isEmpty();
            assertThat(versionAnswered(client, Optional.empty())).isEqualTo("2.0");
            assertThat(client.protocol()).contains("h2");
            assertThat(versionAnswered(client, client.protocol())).isEqualTo("2.0");
            assertThat(clients.client(context, context.tls())).isSameAs(client);
        } finally {
            cluster.stop();
        }
    }

    @Test
    void learnsHttp11FromAClusterWithoutHttp2() throws Exception {
        try (var cluster = RecordingUpstream.plain()
                .respondWith(RecordingUpstream.json(200, "{}"))) {
            ClusterContext context = new ClusterContext("plain", URI.create("http://127.0.0.1:" + cluster.port()),
                    Optional.empty(), Optional.empty());
            UpstreamClient client = clients.client(context, Optional.empty());

            try (HttpClientResponse response = client.method(Method.GET).path("/version").request()) {
                client.answered(response);
            }

            assertThat(client.protocol()).contains("http/1.1");
        }
    }

    private static String versionAnswered(UpstreamClient client, Optional<String> protocol) {
        var call = client.method(Method.GET).path("/version");
        protocol.ifPresent(call::protocolId);
        try (HttpClientResponse response = call.request()) {
            client.answered(response);
            return response.as(String.class);
        }
    }
}
