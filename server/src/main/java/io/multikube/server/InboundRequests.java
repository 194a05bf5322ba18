package io.multikube.server;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import io.helidon.http.Header;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.http.ServerRequest;
import io.multikube.pipeline.Headers;
import io.multikube.pipeline.InboundRequest;

/** Reads a Helidon request into the transport-independent {@link InboundRequest}, path and query as sent. */
final class InboundRequests {
    private InboundRequests() {
    }

    static InboundRequest from(ServerRequest request) {
        HttpPrologue prologue = request.prologue();
        return new InboundRequest(prologue.method().text(), prologue.uriPath().rawPath(),
                prologue.query().rawValue(), headers(request.headers()),
                (InetSocketAddress) request.remotePeer().address(), false);
    }

    static Headers headers(Iterable<Header> helidonHeaders) {
        List<Headers.Header> fields = new ArrayList<>();
        for (Header header : helidonHeaders) {
            for (String value : header.allValues()) {
                fields.add(new Headers.Header(header.name(), value));
            }
        }
        return new Headers(fields);
    }
}
