package io.multikube.upstream;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.multikube.kubeconfig.ClusterContext;
import io.multikube.kubeconfig.UpstreamTls;
import io.multikube.pipeline.Headers;
import io.multikube.pipeline.OutboundRequest;
import io.multikube.spi.credentials.UpstreamCredentials;
import io.multikube.status.RouterException;

/**
 * Sends an upgrade request (exec, attach, port-forward) to its cluster over a connection of its own and reads the
 * answer. Adds the connection fields and the cluster's bearer token; the routed headers are sent as given, except
 * hop-by-hop and credential fields (a browser's WebSocket bearer subprotocol included). Failures are classified
 * here: connect failure → 503, timeout → 504.
 */
public final class UpgradeRelay {
    public static final Duration DEFAULT_HEAD_TIMEOUT = Duration.ofSeconds(30);
    private static final System.Logger LOGGER = System.getLogger(UpgradeRelay.class.getName());
    /** Fields this class writes itself, or that must not cross a hop. */
    private static final Set<String> REPLACED = Set.of("host", "connection", "upgrade", "keep-alive",
            "proxy-connection", "te", "trailer", "transfer-encoding", "authorization", "proxy-authorization");
    /** A browser's WebSocket token (kube-apiserver's convention); the router verifies it, the cluster never sees it. */
    private static final String BEARER_SUBPROTOCOL = "base64url.bearer.authorization.k8s.io.";

    private static final int UNAUTHORIZED = 401;

    private final UpstreamSockets sockets;
    private final Duration headTimeout;
    private final UpstreamCredentialSource credentials;

    /**
     * @param sockets     opens the connections
     * @param headTimeout bound on each read while waiting for the cluster's response head (and a refusal's body)
     */
    public UpgradeRelay(UpstreamSockets sockets, Duration headTimeout) {
        this(sockets, headTimeout, UpstreamCredentialSource.kubeconfigOnly());
    }

    /** @param credentials where multikube's credentials for the cluster come from */
    public UpgradeRelay(UpstreamSockets sockets, Duration headTimeout, UpstreamCredentialSource credentials) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.sockets = Objects.requireNonNull(sockets, "sockets");
        Objects.requireNonNull(headTimeout, "headTimeout");
        if (headTimeout.isNegative() || headTimeout.isZero()) {
            throw new IllegalArgumentException("headTimeout: " + headTimeout + " (expected: > 0)");
        }
        this.headTimeout = headTimeout;
    }

    /**
     * Sends the request and reads the response head. After a 101 the returned connection has no read timeout.
     *
     * @param protocol the {@code Upgrade} value to send, e.g. {@code SPDY/3.1} or {@code websocket}
     * @throws RouterException.ServiceUnavailable when the cluster cannot be reached or answers nonsense
     * @throws RouterException.GatewayTimeout     when connecting or the answer takes too long
     */
    public UpstreamUpgrade open(OutboundRequest request, String protocol) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(protocol, "protocol");
        ClusterContext context = request.context();
        Optional<UpstreamCredentials> used = credentials.forRequest(context);
        UpstreamUpgrade answer = open(request, protocol, used);
        if (answer.switched() || answer.head().code() != UNAUTHORIZED || used.isEmpty()) {
            return answer;
        }
        // Nothing was upgraded and an upgrade request has no body: it can be sent again with fresh credentials.
        Optional<UpstreamCredentials> fresh = credentials.afterRejection(context, used);
        if (fresh.equals(used)) {
            return answer;
        }
        answer.close();
        return open(request, protocol, fresh);
    }

    private UpstreamUpgrade open(OutboundRequest request, String protocol, Optional<UpstreamCredentials> used) {
        ClusterContext context = request.context();
        byte[] head = requestHead(request, protocol, UpstreamCredentialSource.authorization(context, used));
        Optional<UpstreamTls> tls = UpstreamCredentialSource.tls(context, used);
        Socket socket;
        try {
            socket = sockets.open(context, tls);
        } catch (IOException e) {
            throw failure(context, "connecting to", e);
        }
        try {
            socket.setSoTimeout(Math.toIntExact(Math.min(headTimeout.toMillis(), Integer.MAX_VALUE)));
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.flush();
            BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
            HttpHead response = HeadReader.read(in, HeadReader.DEFAULT_MAX_HEAD_BYTES);
            while (response.code() < 200 && !response.switchingProtocols()) {
                // an interim answer such as 100 Continue: the real one follows
                response = HeadReader.read(in, HeadReader.DEFAULT_MAX_HEAD_BYTES);
            }
            if (response.switchingProtocols()) {
                socket.setSoTimeout(0);
            }
            return new UpstreamUpgrade(socket, response, in, out);
        } catch (IOException e) {
            closeQuietly(socket);
            throw failure(context, "waiting for the answer from", e);
        } catch (RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    private static byte[] requestHead(OutboundRequest request, String protocol, Optional<String> authorization) {
        StringBuilder head = new StringBuilder(512)
                .append(request.method()).append(' ').append(request.target()).append(" HTTP/1.1\r\n");
        field(head, "Host", hostField(request.context().server()));
        for (Headers.Header header : request.headers().fields()) {
            if (REPLACED.contains(header.lowerCaseName())) {
                continue;
            }
            String value = header.named("Sec-WebSocket-Protocol") ? withoutBearer(header.value()) : header.value();
            if (!value.isEmpty()) {
                field(head, header.name(), value);
            }
        }
        field(head, "Connection", "Upgrade");
        field(head, "Upgrade", protocol);
        authorization.ifPresent(value -> field(head, "Authorization", value));
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The offered subprotocols without a bearer token; untouched when there is none. */
    static String withoutBearer(String subprotocols) {
        if (!subprotocols.contains(BEARER_SUBPROTOCOL)) {
            return subprotocols;
        }
        return Arrays.stream(subprotocols.split(","))
                .map(String::strip)
                .filter(protocol -> !protocol.isEmpty() && !protocol.startsWith(BEARER_SUBPROTOCOL))
                .collect(Collectors.joining(", "));
    }

    static void field(StringBuilder head, String name, String value) {
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("header " + name + ": has a line break (expected: none)");
        }
        head.append(name).append(": ").append(value).append("\r\n");
    }

    /** The server URL's host and explicit port, as a {@code Host} field. */
    static String hostField(URI server) {
        String host = server.getHost();
        return server.getPort() > 0 ? host + ":" + server.getPort() : host;
    }

    private static RouterException failure(ClusterContext context, String phase, IOException e) {
        String cluster = "the cluster of context \"" + context.name() + "\"";
        LOGGER.log(System.Logger.Level.WARNING, "upgrade: " + phase + " " + context.server() + " (context \""
                + context.name() + "\") failed: " + e);
        if (e instanceof SocketTimeoutException) {
            return new RouterException.GatewayTimeout("timed out " + phase + " " + cluster, e);
        }
        if (e instanceof ProtocolException) {
            return new RouterException.ServiceUnavailable(cluster + " answered with a malformed response: "
                    + e.getMessage(), e);
        }
        if (e instanceof EOFException) {
            return new RouterException.ServiceUnavailable(cluster + " closed the connection without answering", e);
        }
        return new RouterException.ServiceUnavailable(cluster + " cannot be reached: " + e.getMessage(), e);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
    }
}
