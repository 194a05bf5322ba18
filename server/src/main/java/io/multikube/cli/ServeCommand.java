package io.multikube.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import io.multikube.config.GroupPolicy;
import io.multikube.config.ObserveSettings;
import io.multikube.config.Scheme;
import io.multikube.config.ServerSettings;
import io.multikube.config.TlsPolicy;
import io.multikube.observe.LogFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code multikube} without a subcommand: serve. Flag names and defaults follow the original multikube.
 * With no TLS or signer flags it runs the embedded default (see {@link EmbeddedDefault}).
 */
@Command(name = "multikube", mixinStandardHelpOptions = true, versionProvider = Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "A multi-cluster router for the Kubernetes API.%n"
                + "Clients present a JWT whose 'ctx' claim names a context of the kubeconfig and whose 'sub' "
                + "names the user; multikube forwards each request to that cluster, impersonating the user.%n"
                + "Without TLS and signer flags it runs the embedded default: 127.0.0.1 only, generated "
                + "certificates and a ready client kubeconfig in --state-dir.",
        subcommands = {TokenCommand.class, KeysCommand.class, KubeconfigCommand.class})
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--scheme", split = ",", defaultValue = "https", paramLabel = "SCHEME",
            description = "Listeners to serve: http, https or both (comma-separated or repeated). "
                    + "Default: ${DEFAULT-VALUE}.")
    List<String> schemes = new ArrayList<>();

    @Option(names = "--host", paramLabel = "HOST", defaultValue = ServerSettings.DEFAULT_HOST,
            description = "The address to listen on. Default: ${DEFAULT-VALUE} (127.0.0.1 in the embedded default).")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "The plain HTTP port. Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--tls-port", paramLabel = "PORT", defaultValue = "8443", description = "The HTTPS port. Default: ${DEFAULT-VALUE}.")
    int tlsPort;

    @Option(names = "--tls-certificate", paramLabel = "FILE",
            description = "The serving certificate (PEM, with its chain).")
    Path tlsCertificate;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "The serving private key (PEM).")
    Path tlsKey;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "Enables mutual TLS: clients must present a certificate signed by this CA (PEM).")
    Path tlsCa;

    @Option(names = "--tls-min-version", paramLabel = "VERSION",
            description = "The lowest TLS version clients may use: VersionTLS12 or VersionTLS13. "
                    + "Default: VersionTLS12.")
    String tlsMinVersion;

    @Option(names = "--tls-cipher-suites", paramLabel = "SUITES",
            description = "TLS 1.2 cipher suites, comma-separated IANA names, preferred first. Default: ECDHE with "
                    + "AES-GCM or ChaCha20-Poly1305 (Mozilla intermediate). TLS 1.3 always uses its AEAD suites.")
    String tlsCipherSuites;

    @Option(names = "--tls-signer-certificate", paramLabel = "FILE",
            description = "The PEM certificate or public key whose key verifies client JWTs. "
                    + "Repeat for key rotation; a token's 'kid' selects the key.")
    List<Path> signerCertificates = new ArrayList<>();

    @Option(names = "--kubeconfig", paramLabel = "FILE",
            description = "The kubeconfig with the clusters to route to. Default: $KUBECONFIG, then ~/.kube/config.")
    Path kubeconfig;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A YAML file with any of these settings (keys are flag names); flags win.")
    Path config;

    @Option(names = "--token-clock-skew", paramLabel = "DURATION", defaultValue = "60s", converter = DurationConverter.class,
            description = "Tolerance for token 'exp' and 'nbf'. Default: ${DEFAULT-VALUE}.")
    Duration clockSkew;

    @Option(names = "--allow-tokens-without-expiry", defaultValue = "false",
            description = "Accept tokens that have no 'exp' claim (refused by default).")
    boolean allowTokensWithoutExpiry;

    @Option(names = "--upstream-connect-timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "Bound on connecting to a cluster (then 503). Default: ${DEFAULT-VALUE}.")
    Duration connectTimeout;

    @Option(names = "--upstream-read-timeout", paramLabel = "DURATION", defaultValue = "120s", converter = DurationConverter.class,
            description = "Bound on waiting for a cluster's answer, except watches, follows and upgrades "
                    + "(then 504). Default: ${DEFAULT-VALUE}.")
    Duration readTimeout;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "0",
            description = "Client connections each listener accepts at once; more wait in the accept queue. Twice "
                    + "this bounds the requests served at once (HTTP/2 carries many per connection); more are "
                    + "answered 429 with Retry-After. 0 (the default) derives it from the file descriptor limit, -1 "
                    + "sets none.")
    int maxConnections;

    @Option(names = "--shutdown-grace", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long in-flight requests may finish on SIGTERM. Default: ${DEFAULT-VALUE}.")
    Duration shutdownGrace;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "${sys:user.home}/.multikube",
            description = "Where the embedded default keeps its generated certificates and client kubeconfig. "
                    + "Default: ${DEFAULT-VALUE}.")
    Path stateDir;

    @Option(names = "--stream-expiry-grace", paramLabel = "DURATION", defaultValue = "0s",
            converter = DurationConverter.class,
            description = "Watches, logs -f, exec and port-forward end this long after the token that opened them "
                    + "expires. Default: ${DEFAULT-VALUE}.")
    Duration streamExpiryGrace;

    @Option(names = "--impersonate-groups-matching", paramLabel = "REGEX",
            description = "Impersonate only the token groups whose whole name matches, e.g. '(?!system:).*'. "
                    + "Default: every group.")
    String groupsMatching;

    @Option(names = "--max-impersonated-groups", paramLabel = "N", defaultValue = "64",
            description = "Refuse (403) a token carrying more groups than this after filtering. "
                    + "Default: ${DEFAULT-VALUE}.")
    int maxImpersonatedGroups;

    @Option(names = "--reload-interval", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "How often the kubeconfig, signer and serving certificate files are checked for changes "
                    + "and reloaded (0s: never). Default: ${DEFAULT-VALUE}.")
    Duration reloadInterval;

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "8888",
            description = "The port serving /metrics (Prometheus), /livez and /readyz; -1 turns it off. "
                    + "Default: ${DEFAULT-VALUE}.")
    int metricsPort;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json: one JSON object per log record and access line. Default: ${DEFAULT-VALUE}.")
    String logFormat;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info",
            description = "debug, info, warning or error for multikube's own loggers (the access log is info). "
                    + "Default: ${DEFAULT-VALUE}.")
    String logLevel;

    @Option(names = "--cluster-probe-interval", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "How often each cluster is probed for /readyz (0s: never). Default: ${DEFAULT-VALUE}.")
    Duration probeInterval;

    @Mixin
    PluginOptions plugins = new PluginOptions();

    @Mixin
    OidcOptions oidc = new OidcOptions();

    @Override
    public Integer call() throws Exception {
        return new Serve(this).run();
    }

    boolean embeddedDefault() {
        return tlsCertificate == null && tlsKey == null && signerCertificates.isEmpty();
    }

    Set<Scheme> parsedSchemes() {
        Set<Scheme> result = new LinkedHashSet<>();
        schemes.forEach(value -> result.add(Scheme.parse(value)));
        return result;
    }

    ServerSettings settings(Path resolvedKubeconfig) {
        return new ServerSettings(parsedSchemes(), host, port, tlsPort, Optional.ofNullable(tlsCertificate),
                Optional.ofNullable(tlsKey), Optional.ofNullable(tlsCa), signerCertificates, resolvedKubeconfig,
                clockSkew, allowTokensWithoutExpiry, connectTimeout, readTimeout, shutdownGrace, observeSettings(),
                streamExpiryGrace, reloadInterval, groupPolicy(), oidc.settings(), tlsPolicy(),
                maxConnections);
    }

    TlsPolicy tlsPolicy() {
        return TlsPolicy.parse(tlsMinVersion, tlsCipherSuites);
    }

    GroupPolicy groupPolicy() {
        try {
            return new GroupPolicy(Optional.ofNullable(groupsMatching).map(java.util.regex.Pattern::compile),
                    maxImpersonatedGroups);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException("--impersonate-groups-matching: " + groupsMatching
                    + " is not a regular expression (" + e.getDescription() + ")");
        }
    }

    ObserveSettings observeSettings() {
        return new ObserveSettings(metricsPort, jsonLogs(), probeInterval);
    }

    boolean jsonLogs() {
        return LogFormat.parse(logFormat) == LogFormat.JSON;
    }
}
