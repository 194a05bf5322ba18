package io.multikube.server;

import java.util.List;

import io.helidon.webserver.spi.ServerConnectionSelector;
import io.multikube.config.ServerSettings;
import io.multikube.observe.RequestObserver;
import io.multikube.pipeline.RequestRouter;
import io.multikube.upstream.UpgradeRelay;
import io.multikube.upstream.UpstreamCredentialSource;
import io.multikube.upstream.UpstreamSockets;

/**
 * The HTTP/1.1 connection selector of every listener: it serves ordinary requests (with headers large enough
 * for big JWTs) and takes over exec/attach/cp/port-forward upgrades, which Helidon hands over before routing.
 */
final class ConnectionSelectors {
    private final RequestRouter router;
    private final ServerSettings settings;
    private final RequestObserver observer;
    private final UpstreamCredentialSource credentials;
    private final StreamDeadlines deadlines;

    ConnectionSelectors(RequestRouter router, ServerSettings settings, RequestObserver observer,
                        UpstreamCredentialSource credentials, StreamDeadlines deadlines) {
        this.deadlines = deadlines;
        this.router = router;
        this.settings = settings;
        this.observer = observer;
        this.credentials = credentials;
    }

    List<ServerConnectionSelector> http1() {
        UpgradeRelay relay = new UpgradeRelay(new UpstreamSockets(settings.upstreamConnectTimeout()),
                settings.upstreamReadTimeout(), credentials);
        return List.of(UpgradeProxy.connectionSelector(router, relay, UpgradeProxy.http1Config(), observer,
                deadlines));
    }
}
