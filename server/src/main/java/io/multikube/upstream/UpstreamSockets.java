package io.multikube.upstream;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import io.multikube.kubeconfig.ClusterContext;
import io.multikube.kubeconfig.UpstreamTls;

/**
 * Opens raw connections to a cluster for upgraded requests: TCP, and TLS over it when the context has TLS settings.
 * TLS offers only {@code http/1.1} by ALPN, because an upgrade is an HTTP/1.1 mechanism even where ordinary requests
 * use HTTP/2. The handshake completes inside {@link #open}, so certificate problems surface as connect failures.
 */
public final class UpstreamSockets {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final String[] ALPN = {"http/1.1"};

    private final Duration connectTimeout;

    /** @param connectTimeout bound on the TCP connect and, separately, on the TLS handshake */
    public UpstreamSockets(Duration connectTimeout) {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout: " + connectTimeout + " (expected: > 0)");
        }
        this.connectTimeout = connectTimeout;
    }

    /**
     * A connected socket, handshaken when TLS applies. The caller owns and closes it.
     *
     * @throws java.net.SocketTimeoutException when connecting or the handshake takes longer than the connect timeout
     * @throws IOException                     when the cluster cannot be reached or the handshake fails
     */
    public Socket open(ClusterContext context) throws IOException {
        Objects.requireNonNull(context, "context");
        return open(context, context.tls());
    }

    /**
     * As {@link #open(ClusterContext)} with this TLS (the context's, presenting the request's client certificate).
     * With a {@code proxy-url} the connection is a {@code CONNECT} tunnel through the proxy.
     */
    public Socket open(ClusterContext context, Optional<UpstreamTls> upstreamTls) throws IOException {
        return connect(context, upstreamTls).socket();
    }

    /**
     * A connection opened as {@link #open(ClusterContext, Optional)} opens it.
     *
     * @param socket    what to read and write through (TLS when the context has TLS settings)
     * @param transport the TCP socket under it (the same socket without TLS): what has arrived there, decrypted or
     *                  not, shows on its stream's {@code available()}
     */
    public record Connected(Socket socket, Socket transport) {
        public Connected {
            Objects.requireNonNull(socket, "socket");
            Objects.requireNonNull(transport, "transport");
        }
    }

    /** As {@link #open(ClusterContext, Optional)}, with the TCP socket under the TLS layer as well. */
    public Connected connect(ClusterContext context, Optional<UpstreamTls> upstreamTls) throws IOException {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(upstreamTls, "upstreamTls");
        String host = bareHost(context.server());
        int timeout = Math.toIntExact(Math.min(connectTimeout.toMillis(), Integer.MAX_VALUE));
        Socket plain = new Socket();
        try {
            plain.setTcpNoDelay(true);
            plain.setKeepAlive(true);
            if (context.proxy().isPresent()) {
                ProxyTunnel.open(plain, context.proxy().get(), context.server().getHost(), context.port(), timeout);
            } else {
                plain.connect(new InetSocketAddress(host, context.port()), timeout);
            }
            if (upstreamTls.isEmpty()) {
                return new Connected(plain, plain);
            }
            UpstreamTls tls = upstreamTls.get();
            // The name given here becomes the session's peer host, which hostname verification checks.
            String peerName = tls.serverName().orElse(host);
            SSLSocket ssl = (SSLSocket) tls.sslContext().getSocketFactory()
                    .createSocket(plain, peerName, context.port(), true);
            ssl.setSSLParameters(sslParameters(ssl, tls, host));
            ssl.setSoTimeout(timeout);
            ssl.startHandshake();
            ssl.setSoTimeout(0);
            return new Connected(ssl, plain);
        } catch (IOException | RuntimeException e) {
            closeQuietly(plain);
            throw e;
        }
    }

    /**
     * TLS parameters toward a cluster: the kubeconfig layer's (protocols, endpoint identification, SNI), offering
     * only HTTP/1.1 by ALPN.
     *
     * @param urlHost the server URL's host, without IPv6 brackets
     */
    static SSLParameters sslParameters(SSLSocket socket, UpstreamTls tls, String urlHost) {
        SSLParameters parameters = tls.parameters(urlHost);
        parameters.setApplicationProtocols(ALPN);
        return parameters;
    }

    /** The host of a server URL without the brackets of an IPv6 literal. */
    static String bareHost(URI server) {
        String host = server.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("server: " + server + " (expected: a URL with a host)");
        }
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }


    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
