package io.multikube.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port where nothing listens, and where nothing can start listening while this is open: connecting to
 * it is refused. The port is held by a bound, unconnected socket without SO_REUSEADDR. (Closing a ServerSocket to
 * free a port, as tests once did, let the next server bound to port 0 get the same port: a "down" cluster then
 * answered, as multikube's own TLS listener, and the test saw a broken response instead of a refusal.)
 */
public final class ClosedPort implements AutoCloseable {
    private final Socket reservation;

    private ClosedPort(Socket reservation) {
        this.reservation = reservation;
    }

    public static ClosedPort reserve() {
        Socket socket = new Socket();
        try {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return new ClosedPort(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return reservation.getLocalPort();
    }

    @Override
    public void close() {
        try {
            reservation.close();
        } catch (IOException ignored) {
            // nothing held any more
        }
    }
}
