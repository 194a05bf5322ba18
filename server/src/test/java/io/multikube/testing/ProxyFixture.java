package io.multikube.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.net.ssl.SSLContext;

import io.multikube.auth.TokenMinter;
import io.multikube.auth.TokenVerifier;
import io.multikube.auth.TokenRequest;
import io.multikube.config.GroupPolicy;
import io.multikube.config.ObserveSettings;
import io.multikube.config.OidcSettings;
import io.multikube.config.PluginSettings;
import io.multikube.config.Scheme;
import io.multikube.config.ServerSettings;
import io.multikube.config.TlsPolicy;
import io.multikube.kubeconfig.KubeconfigLoader;
import io.multikube.pki.KeyAndCertificate;
import io.multikube.pki.KeyType;
import io.multikube.plugin.Plugins;
import io.multikube.server.MultikubeServer;
import io.multikube.spi.PluginContext;

/**
 * A real multikube server for tests: generated serving certificate and signer, a kubeconfig file pointing at
 * the test's upstreams, HTTPS and HTTP listeners on free ports, and clients that trust it.
 */
public final class ProxyFixture implements AutoCloseable {
    private final TestPki pki;
    private final KeyPair signer;
    private final MultikubeServer server;
    private final Path folder;

    private ProxyFixture(TestPki pki, KeyPair signer, MultikubeServer server, Path folder) {
        this.pki = pki;
        this.signer = signer;
        this.server = server;
        this.folder = folder;
    }

    /** Options a test may change; the defaults suit most tests. */
    public record Options(Duration readTimeout, Optional<TestPki> clientCa, Optional<TokenVerifier> verifier,
                          PluginSettings plugins, Duration clusterProbes, Duration reload, GroupPolicy groups,
                          Optional<OidcSettings> oidc, int maxConnections) {
        /** Cluster probes off: tests count what reaches their upstreams. */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(30), Optional.empty(), Optional.empty(), PluginSettings.none(),
                    Duration.ZERO, Duration.ZERO, GroupPolicy.defaults(), Optional.empty(), 0);
        }

        /** Accept this OIDC issuer's tokens too. */
        public Options withOidc(OidcSettings settings) {
            return new Options(readTimeout, clientCa, verifier, plugins, clusterProbes, reload, groups,
                    Optional.of(settings), maxConnections);
        }

        /** Impersonate groups under this policy. */
        public Options withGroups(GroupPolicy policy) {
            return new Options(readTimeout, clientCa, verifier, plugins, clusterProbes, reload, policy, oidc,
                    maxConnections);
        }

        /** Check the kubeconfig and certificate files for changes this often. */
        public Options withReload(Duration interval) {
            return new Options(readTimeout, clientCa, verifier, plugins, clusterProbes, interval, groups, oidc,
                    maxConnections);
        }

        /** Probe every context's cluster for /readyz this often. */
        public Options withClusterProbes(Duration interval) {
            return new Options(readTimeout, clientCa, verifier, plugins, interval, reload, groups, oidc,
                    maxConnections);
        }

        /** Accept at most this many client connections per listener (0: from the descriptor limit and the heap). */
        public Options withMaxConnections(int max) {
            return new Options(readTimeout, clientCa, verifier, plugins, clusterProbes, reload, groups, oidc, max);
        }

        public Options withReadTimeout(Duration timeout) {
            return new Options(timeout, clientCa, verifier, plugins, clusterProbes, reload, groups, oidc,
                    maxConnections);
        }

        public Options withClientCa(TestPki ca) {
            return new Options(readTimeout, Optional.of(ca), verifier, plugins, clusterProbes, reload, groups,
                    oidc, maxConnections);
        }

        /** Run with these plugins, found on the test class path and created with the fixture's folder as state. */
        public Options withPlugins(PluginSettings pluginSettings) {
            return new Options(readTimeout, clientCa, verifier, pluginSettings, clusterProbes, reload, groups,
                    oidc, maxConnections);
        }

        /** Verify tokens with this verifier (say, on a fixed clock) instead of the fixture's signer. */
        public Options withVerifier(TokenVerifier tokenVerifier) {
            return new Options(readTimeout, clientCa, Optional.of(tokenVerifier), plugins, clusterProbes, reload,
                    groups, oidc, maxConnections);
        }
    }

    public static ProxyFixture start(Path folder, TestKubeconfig kubeconfig) {
        return start(folder, kubeconfig, Options.defaults());
    }

    public static ProxyFixture start(Path folder, TestKubeconfig kubeconfig, Options options) {
        return start(folder, kubeconfig.write(folder.resolve("kubeconfig.yaml")), options);
    }

    /** A multikube routing to the contexts of an existing kubeconfig file. */
    public static ProxyFixture start(Path folder, Path kubeconfig, Options options) {
        TestPki pki = TestPki.create("multikube test CA");
        KeyAndCertificate serving = pki.server("localhost", "127.0.0.1");
        KeyAndCertificate signer = TestPki.create("signer").ca();
        Path certificate = TestPki.write(folder.resolve("serving.pem"), serving.certificatePem());
        Path key = TestPki.write(folder.resolve("serving-key.pem"), serving.keyPem());
        Path signerFile = TestPki.write(folder.resolve("signer.pem"), signer.certificatePem());
        Optional<Path> clientCa = options.clientCa()
                .map(ca -> TestPki.write(folder.resolve("client-ca.pem"), ca.ca().certificatePem()));
        ServerSettings settings = new ServerSettings(Set.of(Scheme.HTTPS, Scheme.HTTP), "127.0.0.1", 0, 0,
                Optional.of(certificate), Optional.of(key), clientCa, List.of(signerFile),
                kubeconfig, Duration.ofSeconds(5), false,
                Duration.ofSeconds(3), options.readTimeout(), Duration.ofSeconds(2),
                new ObserveSettings(0, false, options.clusterProbes()), Duration.ZERO,
                options.reload(), options.groups(), options.oidc(), TlsPolicy.DEFAULT,
                options.maxConnections());
        Plugins plugins = Plugins.load(options.plugins(), PluginContext.of(folder, Clock.systemUTC()));
        MultikubeServer server = options.verifier()
                .map(verifier -> MultikubeServer.start(settings, verifier, () -> KubeconfigLoader.load(kubeconfig),
                        plugins))
                .orElseGet(() -> MultikubeServer.start(settings, plugins));
        return new ProxyFixture(pki, signer.keyPair(), server, folder);
    }

    public String token(String subject, String... contexts) {
        return token(subject, List.of(), contexts);
    }

    /** A token that expires after {@code ttl}. */
    public String token(String subject, Duration ttl, String... contexts) {
        return new TokenMinter(signer.getPrivate(), signer.getPublic())
                .mint(new TokenRequest(subject, List.of(contexts), List.of(), ttl, Optional.empty()));
    }

    /** A token as the request says, signed by this fixture's signer. */
    public String token(TokenRequest request) {
        return new TokenMinter(signer.getPrivate(), signer.getPublic()).mint(request);
    }

    public String token(String subject, List<String> groups, String... contexts) {
        return new TokenMinter(signer.getPrivate(), signer.getPublic())
                .mint(new TokenRequest(subject, List.of(contexts), groups, Duration.ofMinutes(10), Optional.empty()));
    }

    /** A key pair multikube does not trust, for forged tokens. */
    public static KeyPair foreignKey() {
        return KeyType.EC_P256.generate();
    }

    public URI https(String pathAndQuery) {
        return URI.create("https://127.0.0.1:" + server.port(Scheme.HTTPS) + pathAndQuery);
    }

    public URI http(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port(Scheme.HTTP) + pathAndQuery);
    }

    public int tlsPort() {
        return server.port(Scheme.HTTPS);
    }

    /** The port of /metrics, /livez and /readyz. */
    public int metricsPort() {
        return server.metricsPort().orElseThrow();
    }

    public int plainPort() {
        return server.port(Scheme.HTTP);
    }

    public TestPki pki() {
        return pki;
    }

    public Path folder() {
        return folder;
    }

    /** The client's view of multikube's serving CA, for clients that verify it. */
    public SSLContext clientTls() {
        return pki.sslContext(null);
    }

    public HttpClient client(HttpClient.Version version) {
        return HttpClient.newBuilder().sslContext(clientTls()).version(version)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    public HttpRequest.Builder request(String pathAndQuery, String token) {
        return HttpRequest.newBuilder(https(pathAndQuery)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(20));
    }

    @Override
    public void close() {
        server.close();
    }
}
