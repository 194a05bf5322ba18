package io.multikube.server;

import java.util.List;

import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnectionSelector;
import io.multikube.config.ServerSettings;
import io.multikube.pipeline.RequestRouter;

/** The HTTP/1.1 connection selector of every listener: large headers (JWTs), and connection upgrades. */
final class ConnectionSelectors {
    private final RequestRouter router;
    private final ServerSettings settings;

    ConnectionSelectors(RequestRouter router, ServerSettings settings) {
        this.router = router;
        this.settings = settings;
    }

    List<ServerConnectionSelector> http1() {
        Http1Config config = Http1Config.builder()
                .maxHeadersSize(MultikubeServer.MAX_HEADER_BYTES)
                .build();
        return List.of(Http1ConnectionSelector.builder().config(config).build());
    }
}
