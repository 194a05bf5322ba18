package io.multikube.upstream;

import java.util.Objects;
import java.util.Optional;

import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webclient.http2.Http2Client;
import io.helidon.webclient.http2.Http2ClientResponse;

/**
 * A cluster's pooled WebClient, and the protocol ALPN chose for it. A request that names no protocol makes Helidon
 * 4.5 find the endpoint's protocol again: a lookup in a locked LRU cache whose key hashes the TLS settings, copying
 * their SSL parameters each time (~4 % of a proxied GET's CPU, JFR). The first answer shows what ALPN chose; later
 * requests name it, which takes Helidon's path for a protocol it already knows. The choice is this client's: a
 * reloaded kubeconfig or a new client certificate gets a new client that negotiates again.
 */
final class UpstreamClient {
    private final WebClient web;
    private volatile String protocolId;

    UpstreamClient(WebClient web) {
        this.web = Objects.requireNonNull(web, "web");
    }

    /** A request; {@link #protocol()} (when known) or a forced protocol is for the caller to name. */
    HttpClientRequest method(Method method) {
        return web.method(method);
    }

    /** The protocol ALPN chose, once an answer to a request that named none has arrived. */
    Optional<String> protocol() {
        return Optional.ofNullable(protocolId);
    }

    /** Learns the protocol from the answer to a request that named none. */
    void answered(HttpClientResponse response) {
        if (protocolId == null) {
            if (response instanceof Http1ClientResponse) {
                protocolId = Http1Client.PROTOCOL_ID;
            } else if (response instanceof Http2ClientResponse) {
                protocolId = Http2Client.PROTOCOL_ID;
            }
        }
    }

    WebClient web() {
        return web;
    }
}
