package io.multikube.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.multikube.config.GroupPolicy;
import io.multikube.config.ObserveSettings;
import io.multikube.config.Scheme;
import io.multikube.config.ServerSettings;
import io.multikube.config.TlsPolicy;
import io.multikube.observe.LogFormat;

/**
 * {@code multikube} without a subcommand: serve. Flag names and defaults follow the original multikube.
 * With no TLS or signer flags it runs the embedded default (see {@link EmbeddedDefault}).
 */
public final class ServeCommand implements Command {
    List<String> schemes = new ArrayList<>();
    String host;
    int port;
    int tlsPort;
    Path tlsCertificate;
    Path tlsKey;
    Path tlsCa;
    String tlsMinVersion;
    String tlsCipherSuites;
    List<Path> signerCertificates = new ArrayList<>();
    Path kubeconfig;
    Path config;
    Duration clockSkew;
    boolean allowTokensWithoutExpiry;
    Duration connectTimeout;
    Duration readTimeout;
    int maxConnections;
    Duration shutdownGrace;
    Path stateDir;
    Duration streamExpiryGrace;
    String groupsMatching;
    int maxImpersonatedGroups;
    Duration reloadInterval;
    int metricsPort;
    String logFormat;
    String logLevel;
    Duration probeInterval;
    final PluginOptions plugins = new PluginOptions();
    final OidcOptions oidc = new OidcOptions();

    @Override
    public String name() {
        return Cli.NAME;
    }

    @Override
    public String summary() {
        return "Serves the Kubernetes API of every context of the kubeconfig";
    }

    @Override
    public String description() {
        return "A multi-cluster router for the Kubernetes API.\n"
                + "Clients present a JWT whose 'ctx' claim names a context of the kubeconfig and whose 'sub' "
                + "names the user; multikube forwards each request to that cluster, impersonating the user.\n"
                + "Without TLS and signer flags it runs the embedded default: 127.0.0.1 only, generated "
                + "certificates and a ready client kubeconfig in --state-dir.\n"
                + "Every flag can also come from the environment (--tls-port: MULTIKUBE_TLS_PORT) or from the "
                + "--config file (tls-port: 8443); flags win, then the environment, then the file.";
    }

    @Override
    public List<Flag> flags() {
        List<Flag> flags = new ArrayList<>(List.of(
                Flag.commaSeparated("--scheme", "SCHEME", "Listeners to serve: http, https or both "
                        + "(comma-separated or repeated). Default: ${DEFAULT}.", schemes::add).withDefault("https"),
                Flag.value("--host", "HOST", "The address to listen on. Default: ${DEFAULT} (127.0.0.1 in the "
                        + "embedded default).", value -> host = value).withDefault(ServerSettings.DEFAULT_HOST),
                Flag.value("--port", "PORT", "The plain HTTP port. Default: ${DEFAULT}.",
                        value -> port = Values.integer(value)).withDefault("8080"),
                Flag.value("--tls-port", "PORT", "The HTTPS port. Default: ${DEFAULT}.",
                        value -> tlsPort = Values.integer(value)).withDefault("8443"),
                Flag.value("--tls-certificate", "FILE", "The serving certificate (PEM, with its chain).",
                        value -> tlsCertificate = Values.path(value)),
                Flag.value("--tls-key", "FILE", "The serving private key (PEM).",
                        value -> tlsKey = Values.path(value)),
                Flag.value("--tls-ca", "FILE", "Enables mutual TLS: clients must present a certificate signed by "
                        + "this CA (PEM).", value -> tlsCa = Values.path(value)),
                Flag.value("--tls-min-version", "VERSION", "The lowest TLS version clients may use: VersionTLS12 "
                        + "or VersionTLS13. Default: VersionTLS12.", value -> tlsMinVersion = value),
                Flag.value("--tls-cipher-suites", "SUITES", "TLS 1.2 cipher suites, comma-separated IANA names, "
                        + "preferred first. Default: ECDHE with AES-GCM or ChaCha20-Poly1305 (Mozilla "
                        + "intermediate). TLS 1.3 always uses its AEAD suites.", value -> tlsCipherSuites = value),
                Flag.repeated("--tls-signer-certificate", "FILE", "The PEM certificate or public key whose key "
                        + "verifies client JWTs. Repeat for key rotation; a token's 'kid' selects the key.",
                        value -> signerCertificates.add(Values.path(value))),
                Flag.value("--kubeconfig", "FILE", "The kubeconfig with the clusters to route to. "
                        + "Default: $KUBECONFIG, then ~/.kube/config.", value -> kubeconfig = Values.path(value)),
                Flag.value("--config", "FILE", "A YAML file with any of these settings (keys are flag names); "
                        + "flags and the environment win.", value -> config = Values.path(value)),
                Flag.value("--token-clock-skew", "DURATION", "Tolerance for token 'exp' and 'nbf'. "
                        + "Default: ${DEFAULT}.", value -> clockSkew = Values.duration(value)).withDefault("60s"),
                Flag.toggle("--allow-tokens-without-expiry", "Accept tokens that have no 'exp' claim (refused by "
                        + "default).", value -> allowTokensWithoutExpiry = value),
                Flag.value("--upstream-connect-timeout", "DURATION", "Bound on connecting to a cluster (then 503). "
                        + "Default: ${DEFAULT}.", value -> connectTimeout = Values.duration(value))
                        .withDefault("10s"),
                Flag.value("--upstream-read-timeout", "DURATION", "Bound on waiting for a cluster's answer, except "
                        + "watches, follows and upgrades (then 504). Default: ${DEFAULT}.",
                        value -> readTimeout = Values.duration(value)).withDefault("120s"),
                Flag.value("--max-connections", "N", "Client connections each listener accepts at once; more wait "
                        + "in the accept queue. Twice this bounds the requests served at once (HTTP/2 carries many "
                        + "per connection); more are answered 429 with Retry-After. 0 (the default) derives it "
                        + "from the file descriptor limit and the heap (an open TLS connection holds ~96 KiB), -1 "
                        + "sets none.",
                        value -> maxConnections = Values.integer(value)).withDefault("0"),
                Flag.value("--shutdown-grace", "DURATION", "How long in-flight requests may finish on SIGTERM. "
                        + "Default: ${DEFAULT}.", value -> shutdownGrace = Values.duration(value))
                        .withDefault("10s"),
                Flag.value("--state-dir", "DIR", "Where the embedded default keeps its generated certificates and "
                        + "client kubeconfig. Default: ${DEFAULT}.", value -> stateDir = Values.path(value))
                        .withDefault(System.getProperty("user.home") + "/.multikube"),
                Flag.value("--stream-expiry-grace", "DURATION", "Watches, logs -f, exec and port-forward end this "
                        + "long after the token that opened them expires. Default: ${DEFAULT}.",
                        value -> streamExpiryGrace = Values.duration(value)).withDefault("0s"),
                Flag.value("--impersonate-groups-matching", "REGEX", "Impersonate only the token groups whose "
                        + "whole name matches, e.g. '(?!system:).*'. Default: every group.",
                        value -> groupsMatching = value),
                Flag.value("--max-impersonated-groups", "N", "Refuse (403) a token carrying more groups than this "
                        + "after filtering. Default: ${DEFAULT}.",
                        value -> maxImpersonatedGroups = Values.integer(value)).withDefault("64"),
                Flag.value("--reload-interval", "DURATION", "How often the kubeconfig, signer and serving "
                        + "certificate files are checked for changes and reloaded (0s: never). Default: ${DEFAULT}.",
                        value -> reloadInterval = Values.duration(value)).withDefault("10s"),
                Flag.value("--metrics-port", "PORT", "The port serving /metrics (Prometheus), /livez and /readyz; "
                        + "-1 turns it off. Default: ${DEFAULT}.", value -> metricsPort = Values.integer(value))
                        .withDefault("8888"),
                Flag.value("--log-format", "FORMAT", "text or json: one JSON object per log record and access "
                        + "line. Default: ${DEFAULT}.", value -> logFormat = value).withDefault("text"),
                Flag.value("--log-level", "LEVEL", "debug, info, warning or error for multikube's own loggers (the "
                        + "access log is info). Default: ${DEFAULT}.", value -> logLevel = value)
                        .withDefault("info"),
                Flag.value("--cluster-probe-interval", "DURATION", "How often each cluster is probed for /readyz "
                        + "(0s: never). Default: ${DEFAULT}.", value -> probeInterval = Values.duration(value))
                        .withDefault("10s")));
        flags.addAll(plugins.flags());
        flags.addAll(oidc.flags());
        return flags;
    }

    @Override
    public int call() throws Exception {
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
