package io.multikube.server;

import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.nio.file.Path;
import java.util.function.Supplier;

import io.helidon.common.socket.SocketOptions;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http2.Http2Config;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.multikube.auth.IssuerRouting;
import io.multikube.auth.JwtVerifier;
import io.multikube.auth.OidcTrust;
import io.multikube.auth.OidcVerifier;
import io.multikube.auth.SignerKeys;
import io.multikube.auth.TokenVerifier;
import io.multikube.config.OidcSettings;
import io.multikube.config.Scheme;
import io.multikube.config.ServerSettings;
import io.multikube.kubeconfig.Kubeconfig;
import io.multikube.kubeconfig.KubeconfigLoader;
import io.multikube.observe.RequestObserver;
import io.multikube.observe.AccessLog;
import io.multikube.observe.BuildInfo;
import io.multikube.observe.ClusterProbes;
import io.multikube.observe.ListenerWatch;
import io.multikube.observe.LogFormat;
import io.multikube.observe.Readiness;
import io.multikube.observe.RequestMetrics;
import io.multikube.observe.ServerMeters;
import io.multikube.observe.SinkAuditor;
import io.multikube.pipeline.RequestPipeline;
import io.multikube.plugin.Plugins;
import io.multikube.pipeline.RequestRouter;
import io.multikube.status.RouterException;
import io.multikube.upstream.HttpForwarder;
import io.multikube.upstream.UpstreamClients;
import io.multikube.upstream.UpstreamCredentialSource;
import io.multikube.upstream.UpstreamProbe;

/**
 * The running proxy: an HTTPS listener ({@code --tls-port}, HTTP/2 by ALPN, mutual TLS with {@code --tls-ca})
 * and/or a plain HTTP/1.1 listener ({@code --port}), both routing every request through one pipeline.
 */
public final class MultikubeServer implements AutoCloseable {
    static final String TLS_LISTENER = "@default";
    static final String PLAIN_LISTENER = "plain";
    static final String METRICS_LISTENER = "metrics";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    /** The least time between two fetches of the OIDC issuer's keys (an unknown kid triggers one). */
    private static final Duration OIDC_MIN_REFRESH = Duration.ofSeconds(10);
    /** How soon a client listener that stopped accepting fails /livez and /readyz. */
    private static final Duration LISTENER_CHECK_INTERVAL = Duration.ofSeconds(5);
    /** Quiet watches and idle exec sessions must outlive the idle reaper (HELIDON-NOTES: GOAWAY on idle h2). */
    static final Duration IDLE_CONNECTION_TIMEOUT = Duration.ofHours(2);
    static final int MAX_HEADER_BYTES = 64 * 1024;

    private static final System.Logger LOG = System.getLogger(MultikubeServer.class.getName());

    private final ServerSettings settings;
    private final WebServer webServer;
    private final Supplier<Kubeconfig> kubeconfig;
    private final InFlightRequests inFlight;
    private final Plugins plugins;
    private final Readiness readiness;
    private final ClusterProbes probes;
    private final StreamDeadlines deadlines;
    private final HttpForwarder forwarder;
    private FileReloader reloader = new FileReloader(List.of());
    private Optional<OidcVerifier> oidc = Optional.empty();
    private ListenerWatch listenerWatch = new ListenerWatch(List.of(), new Readiness());

    private MultikubeServer(ServerSettings settings, WebServer webServer, Supplier<Kubeconfig> kubeconfig,
                            InFlightRequests inFlight, Plugins plugins, Readiness readiness, ClusterProbes probes,
                            StreamDeadlines deadlines, HttpForwarder forwarder) {
        this.deadlines = deadlines;
        this.forwarder = forwarder;
        this.settings = settings;
        this.webServer = webServer;
        this.kubeconfig = kubeconfig;
        this.inFlight = inFlight;
        this.plugins = plugins;
        this.readiness = readiness;
        this.probes = probes;
    }

    /** Loads the signer keys and the kubeconfig the settings name, then starts without plugins. */
    public static MultikubeServer start(ServerSettings settings) {
        return start(settings, Plugins.none());
    }

    /** Loads the signer keys and the kubeconfig the settings name, then starts with these plugins (closed on close). */
    public static MultikubeServer start(ServerSettings settings, Plugins plugins) {
        SwappableVerifier verifier = new SwappableVerifier(signerVerifier(settings));
        AtomicReference<Kubeconfig> kubeconfig = new AtomicReference<>(usableKubeconfig(settings));
        logContexts(kubeconfig.get());
        Optional<OidcVerifier> oidc = settings.oidc().map(MultikubeServer::oidcVerifier);
        TokenVerifier tokens = oidc.<TokenVerifier>map(issuer -> new IssuerRouting(issuer, verifier)).orElse(verifier);
        MultikubeServer server = start(settings, tokens, kubeconfig::get, plugins);
        server.oidc = oidc;
        server.reloader = reloader(settings, server.webServer, verifier, kubeconfig)
                .start(settings.reloadInterval());
        return server;
    }

    private static OidcVerifier oidcVerifier(OidcSettings oidc) {
        return new OidcVerifier(oidc, OidcTrust.socketFactory(oidc.caFile()), Clock.systemUTC(),
                ServerSettings.DEFAULT_CLOCK_SKEW, OIDC_MIN_REFRESH);
    }

    private static TokenVerifier signerVerifier(ServerSettings settings) {
        return new JwtVerifier(SignerKeys.load(settings.signerCertificates()), Clock.systemUTC(),
                settings.clockSkew(), settings.allowTokensWithoutExpiry());
    }

    private static Kubeconfig usableKubeconfig(ServerSettings settings) {
        Kubeconfig loaded = KubeconfigLoader.load(settings.kubeconfig());
        if (loaded.contexts().isEmpty()) {
            throw new IllegalArgumentException("kubeconfig " + settings.kubeconfig() + " has no usable context"
                    + (loaded.problems().isEmpty() ? "" : ": " + loaded.problems()));
        }
        return loaded;
    }

    /** Reloads the kubeconfig, the signer certificates and the serving certificate when their files change. */
    private static FileReloader reloader(ServerSettings settings, WebServer webServer, SwappableVerifier verifier,
                                         AtomicReference<Kubeconfig> kubeconfig) {
        List<FileReloader.Reloadable> reloadables = new ArrayList<>();
        reloadables.add(new FileReloader.Reloadable("kubeconfig", new WatchedFiles(List.of(settings.kubeconfig())),
                () -> {
                    Kubeconfig next = usableKubeconfig(settings);
                    kubeconfig.set(next);
                    logContexts(next);
                }));
        reloadables.add(new FileReloader.Reloadable("signer certificates",
                new WatchedFiles(settings.signerCertificates()), () -> verifier.swap(signerVerifier(settings))));
        if (settings.schemes().contains(Scheme.HTTPS)) {
            Path certificate = settings.tlsCertificate().orElseThrow();
            Path key = settings.tlsKey().orElseThrow();
            reloadables.add(new FileReloader.Reloadable("serving certificate",
                    new WatchedFiles(List.of(certificate, key)),
                    () -> webServer.reloadTls(ServerTls.create(certificate, key, settings.tlsCa(),
                            settings.tlsPolicy()))));
        }
        return new FileReloader(reloadables);
    }

    private static void logContexts(Kubeconfig kubeconfig) {
        // The loader has logged each unusable context already.
        LOG.log(Level.INFO, "kubeconfig " + kubeconfig.source() + ": routing to "
                + (kubeconfig.contexts().isEmpty() ? "no context" : kubeconfig.knownNames()));
    }

    /** Starts listening; returns once every listener is bound. */
    public static MultikubeServer start(ServerSettings settings, TokenVerifier verifier,
                                        Supplier<Kubeconfig> kubeconfig) {
        return start(settings, verifier, kubeconfig, Plugins.none());
    }

    /** Starts listening with these plugins; returns once every listener is bound. */
    public static MultikubeServer start(ServerSettings settings, TokenVerifier verifier,
                                        Supplier<Kubeconfig> kubeconfig, Plugins plugins) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(plugins, "plugins");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ServerMeters.register(registry, BuildInfo.version(), plugins.cache(), plugins.auditSink());
        RequestObserver observer = observers(settings, plugins, registry);
        RequestRouter router = new RequestPipeline(verifier, kubeconfig, settings.groups());
        UpstreamCredentialSource credentials = new UpstreamCredentialSource(plugins.credentials().stream().toList());
        UpstreamClients clients = new UpstreamClients(settings.upstreamConnectTimeout());
        Readiness readiness = new Readiness();
        HttpForwarder forwarder = new HttpForwarder(clients, settings.upstreamReadTimeout(), credentials);
        ServerMeters.registerUpstream(registry, forwarder::connectionStats);
        InFlightRequests inFlight = new InFlightRequests();
        StreamDeadlines deadlines = new StreamDeadlines(settings.streamExpiryGrace(), Clock.systemUTC());
        ResponseStep toCluster = new ClusterAnswer(forwarder, deadlines);
        ResponseStep answer = plugins.cache()
                .<ResponseStep>map(cache -> new CachedReads(cache, toCluster, Clock.systemUTC(),
                        CachedReads.MAX_ENTRY_BYTES))
                .orElse(toCluster);
        ProxyHandler handler = new ProxyHandler(router, answer, inFlight,
                RequestSlots.forConnectionCap(ConnectionCap.descriptorBudget(settings.maxConnections())), observer);
        ConnectionSelectors selectors = new ConnectionSelectors(router, settings, observer, credentials, deadlines);

        WebServerConfig.Builder builder = WebServer.builder().shutdownHook(false);
        boolean tls = settings.schemes().contains(Scheme.HTTPS);
        if (tls) {
            configureTls(builder, settings, handler, selectors);
        }
        if (settings.schemes().contains(Scheme.HTTP)) {
            ListenerConfig.Builder plain = ListenerConfig.builder().name(PLAIN_LISTENER);
            configurePlain(plain, settings, handler, selectors);
            if (tls) {
                builder.putSocket(PLAIN_LISTENER, plain.build());
            } else {
                // Only plain HTTP: it becomes the default listener.
                configurePlain(builder, settings, handler, selectors);
            }
        }
        if (settings.observe().metricsPort() >= 0) {
            builder.putSocket(METRICS_LISTENER, ListenerConfig.builder().name(METRICS_LISTENER)
                    .host(settings.host()).port(settings.observe().metricsPort())
                    .routing(AdminRoutes.routing(registry, readiness)).build());
        }
        WebServer webServer = builder.build().start();
        if (!webServer.isRunning()) {
            deadlines.close();
            forwarder.close();
            throw ListenFailure.of(wantedListeners(settings));
        }
        ClusterProbes probes = new ClusterProbes(kubeconfig,
                // Probes get their own pool: they present no client credentials and must not displace the clients
                // that do.
                new UpstreamProbe(new UpstreamClients(PROBE_TIMEOUT), PROBE_TIMEOUT), readiness)
                .start(settings.observe().probeInterval());
        MultikubeServer server = new MultikubeServer(settings, webServer, kubeconfig, inFlight, plugins, readiness,
                probes, deadlines, forwarder);
        server.listenerWatch = new ListenerWatch(server.clientListeners(), readiness).start(LISTENER_CHECK_INTERVAL);
        LOG.log(Level.INFO, "multikube listening: " + server.describeListeners());
        return server;
    }

    private static List<ListenFailure.Listener> wantedListeners(ServerSettings settings) {
        List<ListenFailure.Listener> wanted = new ArrayList<>();
        if (settings.schemes().contains(Scheme.HTTPS)) {
            wanted.add(new ListenFailure.Listener("https", settings.host(), settings.tlsPort()));
        }
        if (settings.schemes().contains(Scheme.HTTP)) {
            wanted.add(new ListenFailure.Listener("http", settings.host(), settings.port()));
        }
        if (settings.observe().metricsPort() >= 0) {
            wanted.add(new ListenFailure.Listener("metrics", settings.host(), settings.observe().metricsPort()));
        }
        return wanted;
    }

    /** Audit (when a sink is configured), metrics and the access log, in that order. */
    private static RequestObserver observers(ServerSettings settings, Plugins plugins, MeterRegistry registry) {
        List<RequestObserver> observers = new ArrayList<>();
        plugins.auditSink().ifPresent(sink -> observers.add(
                new SinkAuditor(sink, plugins.auditFailure(), Clock.systemUTC())));
        observers.add(new RequestMetrics(registry));
        observers.add(new AccessLog(settings.observe().jsonLogs() ? LogFormat.JSON : LogFormat.TEXT));
        return RequestObserver.all(observers);
    }

    private static void configureTls(WebServerConfig.Builder builder, ServerSettings settings,
                                     ProxyHandler handler, ConnectionSelectors selectors) {
        builder.host(settings.host())
                .port(settings.tlsPort())
                .tls(ServerTls.create(settings.tlsCertificate().orElseThrow(), settings.tlsKey().orElseThrow(),
                        settings.tlsCa(), settings.tlsPolicy()))
                .addProtocol(http2())
                .connectionOptions(MultikubeServer::clientSockets)
                .maxTcpConnections(ConnectionCap.resolve(settings.maxConnections()))
                .idleConnectionTimeout(IDLE_CONNECTION_TIMEOUT)
                .shutdownGracePeriod(settings.shutdownGrace())
                .directHandlers(TransportErrors.handlers())
                .routing(routing(handler));
        selectors.http1().forEach(builder::addConnectionSelector);
    }

    private static void configurePlain(ListenerConfig.BuilderBase<?, ?> listener, ServerSettings settings,
                                       ProxyHandler handler, ConnectionSelectors selectors) {
        // HTTP/1.1 only: plain-text h2c would bypass the concurrency limits (HELIDON-NOTES).
        listener.host(settings.host())
                .port(settings.port())
                .protocolsDiscoverServices(false)
                .connectionOptions(MultikubeServer::clientSockets)
                .maxTcpConnections(ConnectionCap.resolve(settings.maxConnections()))
                .idleConnectionTimeout(IDLE_CONNECTION_TIMEOUT)
                .shutdownGracePeriod(settings.shutdownGrace())
                .directHandlers(TransportErrors.handlers())
                .routing(routing(handler));
        selectors.http1().forEach(listener::addConnectionSelector);
    }

    /**
     * Client connections send without delay: Helidon writes a response's head and body apart, and with Nagle the body
     * waited for the client's delayed ACK (40 ms per small response in the benchmark).
     */
    static void clientSockets(SocketOptions.Builder options) {
        options.tcpNoDelay(true);
    }

    private static Http2Config http2() {
        return Http2Config.builder()
                .maxHeaderListSize(MAX_HEADER_BYTES)
                // Slow readers (logs -f | less) must not be cut after the default 15 s.
                .flowControlTimeout(Duration.ofMinutes(10))
                .build();
    }

    private static HttpRouting.Builder routing(ProxyHandler handler) {
        return HttpRouting.builder()
                .any(handler)
                .error(RouterException.class, (request, response, error) -> StatusResponses.send(response, error))
                // A cluster that broke its response stream: mid-body there is nothing to send, the connection ends.
                .error(UncheckedIOException.class, (request, response, error) -> StatusResponses.send(response,
                        new RouterException.ServiceUnavailable("the connection to the cluster broke", error)))
                .error(RuntimeException.class, (request, response, error) -> StatusResponses.send(response,
                        new RouterException.InternalError("internal error in multikube", error)));
    }

    /** The bound port of a listener (useful with port 0). */
    public int port(Scheme scheme) {
        boolean both = settings.schemes().size() == 2;
        if (scheme == Scheme.HTTP && both) {
            return webServer.port(PLAIN_LISTENER);
        }
        if (!settings.schemes().contains(scheme)) {
            throw new IllegalArgumentException("scheme: " + scheme + " (expected: one of " + settings.schemes() + ")");
        }
        return webServer.port();
    }

    /** The kubeconfig currently routed to. */
    public Kubeconfig kubeconfig() {
        return kubeconfig.get();
    }

    /** The bound port of the metrics listener, unless it is off. */
    public java.util.Optional<Integer> metricsPort() {
        return settings.observe().metricsPort() < 0 ? java.util.Optional.empty()
                : java.util.Optional.of(webServer.port(METRICS_LISTENER));
    }

    public boolean isRunning() {
        return webServer.isRunning();
    }

    /** The client listeners, each where this replica reaches it (loopback when it listens on every address). */
    private List<ListenerWatch.Listener> clientListeners() {
        return settings.schemes().stream().map(scheme -> {
            InetSocketAddress bound = new InetSocketAddress(settings.host(), port(scheme));
            InetSocketAddress reachable = bound.isUnresolved() || bound.getAddress().isAnyLocalAddress()
                    ? new InetSocketAddress(InetAddress.getLoopbackAddress(), bound.getPort()) : bound;
            return new ListenerWatch.Listener(scheme.name().toLowerCase(java.util.Locale.ROOT), reachable);
        }).toList();
    }

    private String describeListeners() {
        StringBuilder out = new StringBuilder();
        for (Scheme scheme : settings.schemes()) {
            out.append(out.isEmpty() ? "" : ", ").append(scheme.name().toLowerCase(java.util.Locale.ROOT))
                    .append("://").append(settings.host()).append(':').append(port(scheme));
        }
        return out.toString();
    }

    /**
     * Lets in-flight ordinary requests finish within the shutdown grace, then stops listening and closes every
     * connection, streams included. (Helidon's own stop closes active connections at once.)
     */
    @Override
    public void close() {
        readiness.shuttingDown();
        listenerWatch.close();
        probes.close();
        reloader.close();
        oidc.ifPresent(OidcVerifier::close);
        try {
            int unfinished = inFlight.awaitIdle(settings.shutdownGrace());
            if (unfinished > 0) {
                LOG.log(Level.WARNING, unfinished + " request(s) still running after the shutdown grace of "
                        + settings.shutdownGrace().toSeconds() + " s; closing them");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            webServer.stop();
            deadlines.close();
            forwarder.close();
            // Last, so the audit sink writes out the events of the requests that just ended.
            plugins.close();
        }
    }
}
