package io.multikube.kubeconfig;

import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.TrustManager;

/** Turns one named context of a {@link KubeconfigDocument} into a {@link ClusterContext}, or says why not. */
final class ContextResolver {
    private static final Logger LOG = System.getLogger(ContextResolver.class.getName());

    private final KubeconfigDocument document;
    private final Clock clock;

    ContextResolver(KubeconfigDocument document, Clock clock) {
        this.document = Objects.requireNonNull(document, "document");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @throws EntryProblem when the context, its cluster or its user cannot be used */
    ClusterContext resolve(String name) {
        Fields context = entry(document.contexts(), "context", name);
        Fields clusterFields = referenced(context, "cluster", document.clusters());
        Fields userFields = referenced(context, "user", document.users());
        ClusterEntry cluster = ClusterEntry.of(clusterFields, document.folder());
        UserEntry user = UserEntry.of(userFields, document.folder());
        if (!user.hasCredentials()) {
            LOG.log(Level.INFO, "context \"{0}\": {1} has no credentials; requests go to {2} without any "
                    + "(fine when the cluster trusts multikube some other way)", name, userFields.what(),
                    cluster.server());
        }
        Optional<UpstreamTls> tls = Optional.empty();
        if (cluster.https()) {
            tls = Optional.of(tls(cluster, clusterFields.what(), user, userFields.what()));
        } else if (user.clientCertificate().isPresent()) {
            throw new EntryProblem(userFields.what() + ": a client certificate needs an https server (found: "
                    + cluster.server() + ")");
        }
        Optional<KubeconfigCredentials.CertificatePem> certificate = user.clientCertificate()
                .map(chain -> new KubeconfigCredentials.CertificatePem(chain.text(),
                        user.clientKey().orElseThrow().text()));
        Optional<ExecCredentials> exec = user.exec().map(config -> new ExecCredentials(new ExecPlugin(name, config,
                Optional.of(ExecCredentialJson.cluster(cluster, cluster.authority().map(PemSource::text))),
                ExecPlugin.DEFAULT_TIMEOUT)::run, clock));
        KubeconfigCredentials credentials = new KubeconfigCredentials(name, token(user, userFields.what()),
                certificate, exec);
        String userName = context.string("user").orElseThrow();
        return new ClusterContext(name, cluster.server(), tls, credentials, cluster.proxy(), userName);
    }

    private Fields entry(Map<String, Fields> entries, String kind, String name) {
        Fields fields = entries.get(name);
        if (fields == null) {
            throw new EntryProblem(kind + " \"" + name + "\" is not defined (expected: an entry in " + kind + "s)");
        }
        String broken = document.broken().get(fields.what());
        if (broken != null) {
            throw new EntryProblem(broken);
        }
        return fields;
    }

    private Fields referenced(Fields context, String kind, Map<String, Fields> entries) {
        String name = context.string(kind).orElseThrow(() -> new EntryProblem(context.what() + ": " + kind
                + " is missing (expected: the name of an entry in " + kind + "s)"));
        return entry(entries, kind, name);
    }

    private static UpstreamTls tls(ClusterEntry cluster, String clusterWhat, UserEntry user, String userWhat) {
        List<X509Certificate> authorities = cluster.authority()
                .map(source -> source.certificates(clusterWhat))
                .orElse(List.of());
        // Checked now so a key that does not match shows at load time; presented per request (UpstreamTls#presenting).
        user.clientCertificate()
                .map(certificate -> ClientIdentity.of(userWhat, certificate, user.clientKey().orElseThrow()));
        try {
            List<TrustManager> trust = List.of(TlsContexts.trustManagers(authorities, cluster.insecure()));
            return new UpstreamTls(TlsContexts.create(trust, Optional.empty()), !cluster.insecure(),
                    cluster.tlsServerName(), trust);
        } catch (GeneralSecurityException e) {
            throw new EntryProblem(clusterWhat + " with " + userWhat + ": TLS cannot be set up ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
    }

    /** {@code tokenFile} wins over {@code token}, as in client-go; the file is read once now to fail early. */
    private static Optional<BearerToken> token(UserEntry user, String what) {
        if (user.tokenFile().isPresent()) {
            FileBearerToken token = new FileBearerToken(user.tokenFile().get());
            try {
                token.value();
            } catch (UncheckedIOException e) {
                throw new EntryProblem(what + ": tokenFile: " + e.getMessage(), e);
            }
            return Optional.of(token);
        }
        return user.token().map(StaticBearerToken::new);
    }
}
