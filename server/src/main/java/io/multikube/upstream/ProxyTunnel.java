package io.multikube.upstream;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.multikube.kubeconfig.ProxyUrl;

/** Opens a {@code CONNECT} tunnel through an HTTP proxy ({@code proxy-url}) on a fresh socket. */
final class ProxyTunnel {
    private ProxyTunnel() {
    }

    /**
     * Connects {@code socket} to the proxy and asks it for a tunnel to {@code host:port}; on return the socket is the
     * tunnel.
     *
     * @param host the cluster's host as the URL writes it ({@code [::1]} for IPv6 literals)
     * @throws ConnectException when the proxy refuses the tunnel (the message has its status line)
     */
    static void open(Socket socket, ProxyUrl proxy, String host, int port, int timeoutMillis) throws IOException {
        socket.connect(new InetSocketAddress(proxy.bareHost(), proxy.port()), timeoutMillis);
        String authority = host + ":" + port;
        StringBuilder request = new StringBuilder()
                .append("CONNECT ").append(authority).append(" HTTP/1.1\r\n")
                .append("Host: ").append(authority).append("\r\n");
        if (proxy.username().isPresent()) {
            String pair = proxy.username().get() + ":" + proxy.password().orElse("");
            request.append("Proxy-Authorization: Basic ")
                    .append(Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))).append("\r\n");
        }
        request.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        int previous = socket.getSoTimeout();
        socket.setSoTimeout(timeoutMillis);
        // Unbuffered: whatever follows the proxy's head belongs to the tunnel (the cluster's TLS handshake).
        HttpHead answer = HeadReader.read(socket.getInputStream(), HeadReader.DEFAULT_MAX_HEAD_BYTES);
        socket.setSoTimeout(previous);
        if (answer.code() / 100 != 2) {
            throw new ConnectException("proxy " + proxy.display() + " refused CONNECT " + authority + ": "
                    + answer.code() + " " + answer.reason());
        }
    }
}
