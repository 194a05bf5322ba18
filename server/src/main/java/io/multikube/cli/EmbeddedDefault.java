package io.multikube.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import io.multikube.auth.TokenMinter;
import io.multikube.auth.TokenRequest;
import io.multikube.config.Scheme;
import io.multikube.config.ServerSettings;
import io.multikube.kubeconfig.Kubeconfig;

/**
 * Makes {@code java -jar multikube.jar} useful on a laptop: generated certificates and signer, 127.0.0.1 only,
 * and a client kubeconfig with one context per upstream context, each with a freshly minted token.
 */
final class EmbeddedDefault {
    static final String LOOPBACK = "127.0.0.1";
    static final Duration TOKEN_TTL = Duration.ofHours(24);

    private final EmbeddedState state;

    EmbeddedDefault(Path stateDir) {
        this.state = new EmbeddedState(stateDir).ensure();
    }

    /** The command's settings with the generated files filled in and the host narrowed to loopback. */
    ServerSettings settings(ServeCommand command, Path kubeconfig) {
        String host = ServerSettings.DEFAULT_HOST.equals(command.host) ? LOOPBACK : command.host;
        return new ServerSettings(command.parsedSchemes(), host, command.port, command.tlsPort,
                Optional.of(state.servingCertificate()), Optional.of(state.servingKey()),
                Optional.ofNullable(command.tlsCa), List.of(state.signerCertificate()), kubeconfig,
                command.clockSkew, command.allowTokensWithoutExpiry, command.connectTimeout, command.readTimeout,
                command.shutdownGrace, command.observeSettings(), command.streamExpiryGrace,
                command.reloadInterval, command.groupPolicy(), command.oidc.settings(), command.tlsPolicy(),
                command.maxConnections);
    }

    /** Writes the client kubeconfig for the running server and returns its path. */
    Path writeClientKubeconfig(Kubeconfig kubeconfig, String serverUrl, String user) throws IOException {
        TokenMinter minter = TokenMinter.fromPem(state.signerKey());
        List<ClientKubeconfig.Entry> entries = new ArrayList<>();
        for (String context : new TreeSet<>(kubeconfig.contexts().keySet())) {
            String token = minter.mint(new TokenRequest(user, List.of(context), List.of(), TOKEN_TTL,
                    Optional.empty()));
            entries.add(new ClientKubeconfig.Entry(context, token, false));
        }
        String ca = Files.readString(state.caCertificate());
        state.write(state.clientKubeconfig(), new ClientKubeconfig(serverUrl, ca, entries).toYaml());
        return state.clientKubeconfig();
    }

    static String serverUrl(ServerSettings settings, int port) {
        Scheme scheme = settings.schemes().contains(Scheme.HTTPS) ? Scheme.HTTPS : Scheme.HTTP;
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return scheme.name().toLowerCase(java.util.Locale.ROOT) + "://" + host + ":" + port;
    }
}
