package io.multikube.upstream;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import io.multikube.kubeconfig.ClusterContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

final class Http1PoolTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final AtomicLong now = new AtomicLong();
    private final Http1Pool pool = new Http1Pool(now::get, TIMEOUT);
    private final Http1Pool.Key dev = key("dev");
    private final Http1Pool.Key prod = key("prod");
    private final ServerSocket server;
    private final List<Socket> sockets = new ArrayList<>();

    Http1PoolTest() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        server.close();
    }

    @Test
    void theMostRecentlyReturnedConnectionGoesFirst() throws IOException {
        Http1Connection older = connection();
        Http1Connection newer = connection();
        pool.give(dev, older);
        pool.give(dev, newer);

        assertThat(pool.take(dev)).containsSame(newer);
        assertThat(pool.take(dev)).containsSame(older);
        assertThat(pool.take(dev)).isEmpty();
    }

    @Test
    void connectionsServeOnlyTheirOwnKey() throws IOException {
        pool.give(dev, connection());

        assertThat(pool.take(prod)).isEmpty();
        assertThat(pool.size()).isEqualTo(1);
    }

    @Test
    void aConnectionIdleForTheTimeoutIsClosedInsteadOfUsed() throws IOException {
        Http1Connection stale = connection();
        pool.give(dev, stale);
        now.addAndGet(TIMEOUT.toNanos());

        assertThat(pool.take(dev)).isEmpty();
        assertThat(stale.isClosed()).isTrue();
    }

    @Test
    void expiredConnectionsOfOtherKeysAreClosedAsThePoolIsUsed() throws IOException {
        Http1Connection forgotten = connection();
        pool.give(prod, forgotten); // e.g. a context a reloaded kubeconfig no longer has
        now.addAndGet(TIMEOUT.toNanos());

        pool.take(dev);

        assertThat(forgotten.isClosed()).isTrue();
        assertThat(pool.size()).isZero();
    }

    @Test
    void beyondTheLimitAReturnedConnectionIsClosed() throws IOException {
        for (int i = 0; i < Http1Pool.MAX_IDLE_PER_CLUSTER; i++) {
            pool.give(dev, connection());
        }
        Http1Connection extra = connection();

        pool.give(dev, extra);

        assertThat(pool.size()).isEqualTo(Http1Pool.MAX_IDLE_PER_CLUSTER);
        assertThat(extra.isClosed()).isTrue();
    }

    @Test
    void aClosedConnectionIsNotKept() throws IOException {
        Http1Connection closed = connection();
        closed.close();

        pool.give(dev, closed);

        assertThat(pool.size()).isZero();
    }

    @Test
    void closingThePoolClosesEveryIdleConnection() throws IOException {
        Http1Connection first = connection();
        Http1Connection second = connection();
        pool.give(dev, first);
        pool.give(prod, second);

        pool.close();

        assertThat(pool.size()).isZero();
        assertThat(first.isClosed()).isTrue();
        assertThat(second.isClosed()).isTrue();
    }

    private Http1Connection connection() throws IOException {
        Socket socket = new Socket(server.getInetAddress(), server.getLocalPort());
        sockets.add(socket);
        sockets.add(server.accept());
        return new Http1Connection(socket);
    }

    private static Http1Pool.Key key(String name) {
        return new Http1Pool.Key(new ClusterContext(name, URI.create("http://127.0.0.1:1"), Optional.empty(),
                Optional.empty()), Optional.empty());
    }
}
