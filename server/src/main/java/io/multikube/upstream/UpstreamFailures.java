package io.multikube.upstream;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.multikube.status.RouterException;

/**
 * Classifies every failure to reach a cluster once, into one Status: cannot connect or handshake → 503,
 * no answer in time → 504, anything else → 500 with a generic message (the cause goes to the log).
 */
public final class UpstreamFailures {
    private UpstreamFailures() {
    }

    public static RouterException classify(String contextName, Throwable failure) {
        String cluster = "cluster of context \"" + contextName + "\"";
        if (failure instanceof RouterException routerException) {
            return routerException;
        }
        if (hasCause(failure, SocketTimeoutException.class) || hasCause(failure, TimeoutException.class)
                || messageSays(failure, "timeout") || messageSays(failure, "timed out")) {
            return new RouterException.GatewayTimeout("the " + cluster + " did not answer in time", failure);
        }
        if (hasCause(failure, ConnectException.class) || hasCause(failure, UnknownHostException.class)
                || hasCause(failure, NoRouteToHostException.class)) {
            return new RouterException.ServiceUnavailable("the " + cluster + " is unreachable", failure);
        }
        if (hasCause(failure, SSLException.class)) {
            return new RouterException.ServiceUnavailable("TLS with the " + cluster + " failed", failure);
        }
        if (failure instanceof UncheckedIOException || hasCause(failure, java.io.IOException.class)) {
            return new RouterException.ServiceUnavailable("the connection to the " + cluster + " failed", failure);
        }
        return new RouterException.InternalError("internal error while forwarding to the " + cluster, failure);
    }

    private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean messageSays(Throwable failure, String words) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains(words)) {
                return true;
            }
        }
        return false;
    }
}
