package io.multikube.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.helidon.common.socket.SocketOptions;

class ClientSocketsTest {
    @Test
    void clientConnectionsSendWithoutDelay() {
        SocketOptions.Builder options = SocketOptions.builder();

        MultikubeServer.clientSockets(options);

        assertThat(options.build().tcpNoDelay()).isTrue();
    }
}
