package io.multikube.upstream;

import java.util.regex.Pattern;

import io.multikube.pipeline.OutboundRequest;

/**
 * Recognizes requests whose responses stay open: watches, followed logs and proxied connections. They get no
 * read timeout of ours; the cluster (or the client) ends them.
 */
public final class StreamingRequests {
    private static final Pattern STREAMING_QUERY =
            Pattern.compile("(^|&)(watch|follow)=(true|1)(&|$)", Pattern.CASE_INSENSITIVE);

    private StreamingRequests() {
    }

    public static boolean isStreaming(OutboundRequest request) {
        String path = request.rawPath();
        return STREAMING_QUERY.matcher(request.rawQuery()).find()
                || path.contains("/watch/")
                || path.endsWith("/proxy")
                || path.contains("/proxy/");
    }
}
