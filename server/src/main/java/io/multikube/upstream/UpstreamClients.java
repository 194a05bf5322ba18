package io.multikube.upstream;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLParameters;

import io.helidon.common.tls.Tls;
import io.helidon.http.encoding.ContentEncodingContext;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http2.Http2ClientProtocolConfig;
import io.multikube.kubeconfig.ClusterContext;
import io.multikube.kubeconfig.ProxyUrl;
import io.multikube.kubeconfig.UpstreamTls;

/**
 * One pooled WebClient per cluster, created on first use and reused: HTTP/2 when the cluster offers it by ALPN,
 * HTTP/1.1 otherwise. Keyed by the context value itself, so a reloaded kubeconfig gets fresh clients while open
 * streams finish on the old ones; and rebuilt when the client certificate of the credentials changes (an exec
 * plugin's new certificate must not travel over connections authenticated with the old one).
 */
public final class UpstreamClients {
    private static final int HTTP2_STREAM_WINDOW_BYTES = 16 * 1024 * 1024;

    private final Map<ClusterContext, Pooled> clients = new ConcurrentHashMap<>();
    private final Duration connectTimeout;

    public UpstreamClients(Duration connectTimeout) {
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    /** Bound on connecting to a cluster, TLS handshake included. */
    Duration connectTimeout() {
        return connectTimeout;
    }

    /** @param tls the context's TLS presenting the request's client certificate, if any */
    UpstreamClient client(ClusterContext context, Optional<UpstreamTls> tls) {
        // Every request asks: read without locking, and take the map's lock only to create or replace a client.
        Pooled current = clients.get(context);
        if (current != null && current.tls().equals(tls)) {
            return current.client();
        }
        return clients.compute(context, (key, pooled) -> pooled != null && pooled.tls().equals(tls)
                ? pooled
                : new Pooled(tls, new UpstreamClient(create(context, tls)))).client();
    }

    private WebClient create(ClusterContext context, Optional<UpstreamTls> upstreamTls) {
        var builder = WebClient.builder()
                .baseUri(context.server().getScheme() + "://" + context.server().getRawAuthority())
                // Without proxy-url no proxy: the system proxy would add Proxy-Connection to every request.
                .proxy(context.proxy().map(UpstreamClients::proxy).orElse(Proxy.noProxy()))
                .followRedirects(false)
                .sendExpectContinue(false)
                // The default is one JVM-wide pool; clusters must not share connections.
                .shareConnectionCache(false)
                // Compressed bodies pass as they are; decoding them would change what the client asked for.
                .contentEncoding(ContentEncodingContext.builder().contentEncodingsDiscoverServices(false).build())
                // h2 first: without an explicit preference ALPN offers http/1.1 first and HTTP/2 is never used.
                .protocolPreference(List.of("h2", "http/1.1"))
                .connectTimeout(connectTimeout)
                // Without TCP_NODELAY a request's frames written apart wait for the cluster's delayed ACK (40 ms).
                .socketOptions(options -> options.tcpNoDelay(true))
                // Helidon 4.5's HTTP/2 client skips a stream's WINDOW_UPDATE while a newer stream is active, so with
                // the default 64 KiB window a larger answer stalled under concurrency (the benchmark's 100 KiB GETs
                // waited for the read timeout). Ordinary answers fit a 16 MiB window; watches go over HTTP/1.1.
                .addProtocolConfig(Http2ClientProtocolConfig.builder()
                        .initialWindowSize(HTTP2_STREAM_WINDOW_BYTES).build())
                .keepAlive(true);
        if (context.proxy().isPresent()) {
            // The proxy resolves the cluster's host; the label is what CONNECT names and TLS verifies (with
            // tls-server-name sent as SNI, which the JDK checks first).
            builder.dnsResolver(new ProxiedNameResolver(context.proxy().get().bareHost()));
        }
        upstreamTls.ifPresent(tls -> {
            builder.tls(tls(context, tls));
            if (context.proxy().isEmpty()) {
                builder.dnsResolver(new VerifiedNameResolver(tls.serverName().orElse(bareHost(context))));
            }
        });
        return builder.build();
    }

    /** An HTTP proxy that tunnels with CONNECT, for https and (so traffic never leaves the tunnel) http clusters. */
    private static Proxy proxy(ProxyUrl url) {
        Proxy.Builder proxy = Proxy.builder()
                .type(Proxy.ProxyType.HTTP)
                .host(url.bareHost())
                .port(url.port())
                .forceHttpConnect(true);
        url.username().ifPresent(proxy::username);
        url.password().ifPresent(password -> proxy.password(password.toCharArray()));
        return proxy.build();
    }

    private record Pooled(Optional<UpstreamTls> tls, UpstreamClient client) {
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
