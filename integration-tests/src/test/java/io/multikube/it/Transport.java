package io.multikube.it;

import java.util.Map;

/**
 * How kubectl carries exec, attach, cp and port-forward: WebSocket (its default since 1.30 for exec, attach and cp,
 * since 1.31 for port-forward) or SPDY/3.1, forced with the environment variables kubectl reads for the purpose.
 */
enum Transport {
    WEBSOCKET("websocket", Map.of("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "true",
            "KUBECTL_PORT_FORWARD_WEBSOCKETS", "true")),
    SPDY("SPDY/3.1", Map.of("KUBECTL_REMOTE_COMMAND_WEBSOCKETS", "false",
            "KUBECTL_PORT_FORWARD_WEBSOCKETS", "false"));

    private final String upgrade;
    private final Map<String, String> environment;

    Transport(String upgrade, Map<String, String> environment) {
        this.upgrade = upgrade;
        this.environment = environment;
    }

    /** The {@code Upgrade} value kubectl sends, as multikube's access log shows it. */
    String upgrade() {
        return upgrade;
    }

    /** Applies this transport to a kubectl about to start (or to a process that starts kubectl). */
    ProcessBuilder applyTo(ProcessBuilder builder) {
        builder.environment().putAll(environment);
        return builder;
    }
}
