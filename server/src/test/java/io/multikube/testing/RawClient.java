package io.multikube.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** Sends exact request bytes (what java.net.http would refuse or rewrite) and reads the whole response. */
public final class RawClient {
    private RawClient() {
    }

    /** Sends the request over TLS with {@code Connection: close} semantics and returns everything the server sent. */
    public static String exchange(SSLContext tls, int port, String request) throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            plain.setSoTimeout(15_000);
            SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
            socket.startHandshake();
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return readAll(socket.getInputStream());
        }
    }

    /** As {@link #exchange(SSLContext, int, String)}, over plain TCP. */
    public static String exchangePlain(int port, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return readAll(socket.getInputStream());
        }
    }

    /**
     * Reads one response: the head, then a body framed by Content-Length or chunked encoding, else until the
     * server closes. (Helidon may keep the connection open despite {@code Connection: close}.)
     */
    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            String head = readHead(in, out);
            if (head.isEmpty()) {
                return "";
            }
            java.util.regex.Matcher length = java.util.regex.Pattern
                    .compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
            if (length.find()) {
                out.write(in.readNBytes(Integer.parseInt(length.group(1))));
            } else if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                readChunks(in, out);
            } else if (!head.startsWith("HTTP/1.1 101")) {
                in.transferTo(out);
            }
        } catch (java.net.SocketException | javax.net.ssl.SSLException e) {
            // the server closed the connection
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String readHead(InputStream in, ByteArrayOutputStream out) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b = in.read(); b >= 0; b = in.read()) {
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                break;
            }
        }
        out.write(head.toByteArray());
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    private static void readChunks(InputStream in, ByteArrayOutputStream out) throws IOException {
        while (true) {
            String sizeLine = line(in);
            int size = Integer.parseInt(sizeLine.strip(), 16);
            if (size == 0) {
                line(in);
                return;
            }
            out.write(in.readNBytes(size));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
