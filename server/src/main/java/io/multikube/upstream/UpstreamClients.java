package io.multikube.upstream;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLParameters;

import io.helidon.common.tls.Tls;
import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.WebClient;
import io.multikube.kubeconfig.ClusterContext;
import io.multikube.kubeconfig.UpstreamTls;

/**
 * One pooled WebClient per cluster, created on first use and reused: HTTP/2 when the cluster offers it by ALPN,
 * HTTP/1.1 otherwise. Keyed by the context value itself, so a reloaded kubeconfig gets fresh clients while open
 * streams finish on the old ones.
 */
public final class UpstreamClients {
    private final Map<ClusterContext, WebClient> clients = new ConcurrentHashMap<>();
    private final Duration connectTimeout;

    public UpstreamClients(Duration connectTimeout) {
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    WebClient client(ClusterContext context) {
        return clients.computeIfAbsent(context, this::create);
    }

    private WebClient create(ClusterContext context) {
        var builder = WebClient.builder()
                .baseUri(context.server().getScheme() + "://" + context.server().getRawAuthority())
                // The system proxy would add Proxy-Connection to every request (HELIDON-NOTES).
                .proxy(Proxy.noProxy())
                .followRedirects(false)
                .sendExpectContinue(false)
                // The default is one JVM-wide pool; clusters must not share connections.
                .shareConnectionCache(false)
                // Compressed bodies pass as they are; decoding them would change what the client asked for.
                .contentEncoding(ContentEncodingContext.builder().contentEncodingsDiscoverServices(false).build())
                // h2 first: without an explicit preference ALPN offers http/1.1 first and HTTP/2 is never used.
                .protocolPreference(List.of("h2", "http/1.1"))
                .connectTimeout(connectTimeout)
                .keepAlive(true);
        context.tls().ifPresent(tls -> builder.tls(tls(context, tls))
                .dnsResolver(new VerifiedNameResolver(tls.serverName().orElse(bareHost(context)))));
        return builder.build();
    }

    private static String bareHost(ClusterContext context) {
        String host = context.server().getHost();
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    static Tls tls(ClusterContext context, UpstreamTls tls) {
        // Helidon uses these parameters as given: endpoint identification, and SNI (tls-server-name) by which the
        // JDK checks the certificate's name.
        SSLParameters parameters = tls.parameters(context.server().getHost());
        boolean verify = tls.verifyHostname();
        return Tls.builder()
                .sslContext(tls.sslContext())
                .sslParameters(parameters)
                .endpointIdentificationAlgorithm(verify ? Tls.ENDPOINT_IDENTIFICATION_HTTPS
                        : Tls.ENDPOINT_IDENTIFICATION_NONE)
                .build();
    }
}
