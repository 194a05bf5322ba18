package io.multikube.server;

import java.io.InputStream;

import io.multikube.upstream.UpstreamResponse;

/** Sees a cluster's answer as it is relayed to the client; the cache's tee uses it to copy the body. */
@FunctionalInterface
interface ResponseTap {
    /** Relays the body untouched. */
    ResponseTap NONE = UpstreamResponse::body;

    /** The stream to relay the body from: the cluster's own, or one that copies what is read from it. */
    InputStream body(UpstreamResponse upstream);
}
