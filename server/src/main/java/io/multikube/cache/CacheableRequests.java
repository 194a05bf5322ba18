package io.multikube.cache;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.multikube.pipeline.Headers;
import io.multikube.pipeline.OutboundRequest;
import io.multikube.spi.cache.CacheKey;

/**
 * Which requests may be answered from a cache, and under which key (PROXY-CHECKLIST 25). Only a plain {@code GET}
 * whose answer is a finished snapshot qualifies: never a watch, a {@code follow}ed log, a page of a paginated list
 * (a page and its continue token belong to one client's walk), a proxied workload, an upgrade, a request with a
 * body, a conditional request, or one whose client asked for a fresh answer ({@code no-cache}).
 *
 * <p>The key is what the cluster saw: the context, the {@code Impersonate-User} and {@code Impersonate-Group} fields
 * actually sent (so RBAC decides per identity and nobody is ever served someone else's answer), the exact target
 * and the content negotiation fields.
 */
public final class CacheableRequests {
    private static final Set<String> STREAM_OR_PAGE_PARAMETERS = Set.of("watch", "follow", "limit", "continue");
    private static final Set<String> CONDITIONAL_FIELDS = Set.of("if-match", "if-none-match", "if-modified-since",
            "if-unmodified-since", "if-range");
    private static final Set<String> UPGRADE_FIELDS = Set.of("upgrade", "x-stream-protocol-version");

    private CacheableRequests() {
    }

    /**
     * @param request the routed request
     * @param hasBody whether the client sent a body
     * @return the key to cache it under, or empty when it must go to the cluster uncached
     */
    public static Optional<CacheKey> key(OutboundRequest request, boolean hasBody) {
        Headers headers = request.headers();
        Optional<String> user = headers.first("Impersonate-User");
        if (!"GET".equals(request.method()) || hasBody || user.isEmpty() || !snapshotTarget(request)
                || asksForFreshAnswer(headers) || headers.fields().stream().anyMatch(CacheableRequests::excluded)) {
            return Optional.empty();
        }
        return Optional.of(new CacheKey(request.context().name(), user.get(), headers.all("Impersonate-Group"),
                request.method(), request.target(), String.join(", ", headers.all("Accept")),
                String.join(", ", headers.all("Accept-Encoding"))));
    }

    private static boolean excluded(Headers.Header field) {
        String name = field.lowerCaseName();
        return CONDITIONAL_FIELDS.contains(name) || UPGRADE_FIELDS.contains(name);
    }

    /** Cache-Control: no-cache, no-store or max-age=0, or Pragma: no-cache (RFC 9111 5.2.1, 5.4). */
    static boolean asksForFreshAnswer(Headers headers) {
        List<String> directives = Directives.of(headers.all("Cache-Control"));
        return directives.contains("no-cache") || directives.contains("no-store") || directives.contains("max-age=0")
                || Directives.of(headers.all("Pragma")).contains("no-cache");
    }

    /**
     * The cluster routes on the decoded path and reads decoded parameter names, so {@code w%61tch} is checked as
     * {@code watch}; anything that does not decode is not cached.
     */
    private static boolean snapshotTarget(OutboundRequest request) {
        try {
            for (String segment : request.rawPath().split("/")) {
                String decoded = decode(segment);
                if (decoded.equals("watch") || decoded.equals("proxy")) {
                    return false;
                }
            }
            for (String pair : request.rawQuery().split("&")) {
                int equals = pair.indexOf('=');
                if (STREAM_OR_PAGE_PARAMETERS.contains(decode(equals < 0 ? pair : pair.substring(0, equals)))) {
                    return false;
                }
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** Comma-separated header directives, trimmed and lower-cased, quotes and spaces around {@code =} removed. */
    static final class Directives {
        private static final Pattern SPACE_OR_QUOTE_AROUND_EQUALS = Pattern.compile("\\s*=\\s*\"?");

        private Directives() {
        }

        static List<String> of(List<String> values) {
            return values.stream().flatMap(value -> Arrays.stream(value.split(",")))
                    .map(directive -> SPACE_OR_QUOTE_AROUND_EQUALS.matcher(directive.strip().toLowerCase(Locale.ROOT))
                            .replaceAll("=")
                            .replace("\"", ""))
                    .filter(directive -> !directive.isEmpty()).toList();
        }
    }
}
