package io.multikube.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import io.multikube.upstream.HeadReader;
import io.multikube.upstream.HttpHead;

/** A raw client socket that sends exactly the bytes kubectl would and reads the answer without interpretation. */
final class UpgradeClient implements AutoCloseable {
    static final String CLIENT_TOKEN = "client.jwt.token";

    private final Socket socket;
    private final InputStream in;

    private UpgradeClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        this.in = new BufferedInputStream(socket.getInputStream());
    }

    static UpgradeClient connect(int port) throws IOException {
        return new UpgradeClient(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    /** TLS offering ALPN {@code http/1.1} only, as kubectl does on the connection it opens for an upgrade. */
    static UpgradeClient connectTls(int port, SSLContext context) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(parameters);
        ssl.startHandshake();
        return new UpgradeClient(ssl);
    }

    /** An exec request as kubectl's SPDY round tripper writes it. */
    static String spdyExec(String target, int port, String... extraFields) {
        return "POST " + target + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "User-Agent: kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9\r\n"
                + "Content-Length: 0\r\n"
                + "Authorization: Bearer " + CLIENT_TOKEN + "\r\n"
                + "Connection: Upgrade\r\n"
                + "Impersonate-User: mallory\r\n"
                + "Upgrade: SPDY/3.1\r\n"
                + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n"
                + "X-Stream-Protocol-Version: v3.channel.k8s.io\r\n"
                + String.join("", extraFields)
                + "\r\n";
    }

    /** An exec or port-forward request as kubectl's WebSocket dialer (gorilla) writes it. */
    static String websocket(String target, int port, String upgrade, String subprotocols) {
        return "GET " + target + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "User-Agent: kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Protocol: " + subprotocols + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Upgrade: " + upgrade + "\r\n"
                + "Authorization: Bearer " + CLIENT_TOKEN + "\r\n"
                + "\r\n";
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    HttpHead readHead() throws IOException {
        return HeadReader.read(in, HeadReader.DEFAULT_MAX_HEAD_BYTES);
    }

    String readExactly(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("got " + bytes.length + " of " + length + " bytes: "
                    + new String(bytes, StandardCharsets.ISO_8859_1));
        }
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    /** Everything until the server closes. */
    String readToEnd() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
