package io.multikube.pipeline;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import io.multikube.status.RouterException;

/**
 * Splits a raw request path into the optional {@code /clusters/<name>} prefix and the path for the cluster.
 * Dot segments (also percent-encoded) are refused outright: the kube-apiserver never needs them, and a proxy
 * that lets {@code /clusters/a/../b} through invites a cluster or a load balancer to resolve it differently. Empty
 * segments ({@code //}) are refused for the same reason: the upstream HTTP client collapses them, so the cluster
 * would see another path than the one routed and audited.
 *
 * @param contextName the context named by the prefix, percent-decoded
 * @param clusterPath the rest of the path, exactly as encoded by the client ({@code /} when empty)
 */
record ClusterPath(Optional<String> contextName, String clusterPath) {
    static final String PREFIX = "/clusters/";

    static ClusterPath parse(String rawPath) {
        if (!rawPath.startsWith("/")) {
            throw new RouterException.BadRequest("path \"" + abbreviate(rawPath) + "\" (expected: an absolute path)");
        }
        refuseDotSegments(rawPath);
        if (!rawPath.startsWith(PREFIX)) {
            return new ClusterPath(Optional.empty(), refuseEmptySegments(rawPath, rawPath));
        }
        int end = rawPath.indexOf('/', PREFIX.length());
        String encodedName = end < 0 ? rawPath.substring(PREFIX.length()) : rawPath.substring(PREFIX.length(), end);
        String rest = end < 0 ? "/" : rawPath.substring(end);
        String name = decode(encodedName);
        if (name.isBlank()) {
            throw new RouterException.BadRequest("path \"" + abbreviate(rawPath)
                    + "\" has an empty context name (expected: /clusters/<context>/...)");
        }
        return new ClusterPath(Optional.of(name), refuseEmptySegments(rawPath, rest));
    }

    private static String refuseEmptySegments(String rawPath, String clusterPath) {
        if (clusterPath.contains("//")) {
            throw new RouterException.BadRequest("path \"" + abbreviate(rawPath)
                    + "\" contains an empty segment (expected: a normalized path)");
        }
        return clusterPath;
    }

    private static void refuseDotSegments(String rawPath) {
        if (rawPath.indexOf('.') < 0 && !rawPath.contains("%2")) {
            return; // no dot, plain or encoded: the common path needs no split
        }
        for (String segment : rawPath.split("/", -1)) {
            String decoded = segment.replace("%2e", ".").replace("%2E", ".");
            if (decoded.equals(".") || decoded.equals("..")) {
                throw new RouterException.BadRequest("path \"" + abbreviate(rawPath)
                        + "\" contains a dot segment (expected: a normalized path)");
            }
        }
    }

    private static String decode(String segment) {
        try {
            // URLDecoder would turn '+' into a space; a path segment keeps '+' literally.
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new RouterException.BadRequest("context name \"" + abbreviate(segment)
                    + "\" is not valid percent-encoding");
        }
    }

    static String abbreviate(String value) {
        return value.length() <= 200 ? value : value.substring(0, 200) + "...";
    }
}
