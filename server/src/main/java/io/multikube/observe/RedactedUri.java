package io.multikube.observe;

import java.util.Locale;
import java.util.Set;

import io.multikube.pipeline.RequestInfo;

/**
 * A request target as the audit log records it: as sent, except the values of query parameters that carry bearer
 * tokens by convention ({@code access_token}, {@code id_token}, {@code token}), which become {@code REDACTED}.
 * No Kubernetes API reads them, and multikube never accepts a token from the query; a client that puts one there
 * anyway must not find it in the audit log. The cluster still receives the query exactly as sent.
 */
final class RedactedUri {
    static final String REDACTED = "REDACTED";
    private static final Set<String> TOKEN_PARAMETERS = Set.of("access_token", "id_token", "token");

    private RedactedUri() {
    }

    static String of(String rawPath, String rawQuery) {
        if (rawQuery.isEmpty()) {
            return rawPath;
        }
        StringBuilder query = new StringBuilder();
        for (String pair : rawQuery.split("&", -1)) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            query.append(query.isEmpty() ? "" : "&");
            if (equals >= 0 && TOKEN_PARAMETERS.contains(RequestInfo.decode(name).toLowerCase(Locale.ROOT))) {
                query.append(name).append('=').append(REDACTED);
            } else {
                query.append(pair);
            }
        }
        return rawPath + "?" + query;
    }
}
