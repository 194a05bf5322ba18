package io.multikube.kubeconfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code user} part of a kubeconfig entry, checked but not yet read.
 *
 * @param clientCertificate {@code client-certificate} or {@code client-certificate-data}
 * @param clientKey         {@code client-key} or {@code client-key-data}
 * @param token             {@code token}
 * @param tokenFile         {@code tokenFile}
 * @param exec              {@code exec}: a credential plugin
 */
record UserEntry(Optional<PemSource> clientCertificate, Optional<PemSource> clientKey, Optional<String> token,
                 Optional<Path> tokenFile, Optional<ExecConfig> exec) {
    /** Fields that ask for a kind of authentication multikube does not perform, with why. */
    private static final List<Map.Entry<String, String>> UNSUPPORTED = List.of(
            Map.entry("auth-provider", "auth-provider plugins (auth-provider) are not supported: client-go "
                    + "removed the gcp and azure providers in 1.26; use their exec plugins "
                    + "(gke-gcloud-auth-plugin, kubelogin)"),
            Map.entry("username", "basic authentication (username/password) is not supported: the "
                    + "kube-apiserver removed it in 1.19"),
            Map.entry("password", "basic authentication (username/password) is not supported: the "
                    + "kube-apiserver removed it in 1.19"));
    /** kubectl's own impersonation would fight with the impersonation multikube sets for the caller. */
    private static final List<String> IMPERSONATION = List.of("as", "as-uid", "as-groups", "as-user-extra");

    UserEntry {
        Objects.requireNonNull(clientCertificate, "clientCertificate");
        Objects.requireNonNull(clientKey, "clientKey");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(tokenFile, "tokenFile");
        Objects.requireNonNull(exec, "exec");
    }

    static UserEntry of(Fields fields, Path folder) {
        for (Map.Entry<String, String> unsupported : UNSUPPORTED) {
            if (fields.has(unsupported.getKey())) {
                throw new EntryProblem(fields.what() + ": " + unsupported.getValue()
                        + " (expected: client certificate, token, tokenFile or exec)");
            }
        }
        for (String field : IMPERSONATION) {
            if (fields.has(field)) {
                throw new EntryProblem(fields.what() + ": " + field + " is not supported (expected: no "
                        + "impersonation; multikube impersonates the caller itself)");
            }
        }
        Optional<PemSource> certificate = PemSource.of(fields, "client-certificate", folder);
        Optional<PemSource> key = PemSource.of(fields, "client-key", folder);
        if (certificate.isPresent() != key.isPresent()) {
            throw new EntryProblem(fields.what() + ": " + (certificate.isPresent()
                    ? "client certificate without a client key" : "client key without a client certificate")
                    + " (expected: both client-certificate[-data] and client-key[-data], or neither)");
        }
        Optional<String> token = fields.string("token").map(String::strip).filter(text -> !text.isEmpty());
        Optional<Path> tokenFile = fields.path("tokenFile", folder);
        Optional<ExecConfig> exec = ExecConfig.of(fields, folder);
        if (exec.isPresent() && (token.isPresent() || tokenFile.isPresent())) {
            // Which one would win is unclear to a reader; client-go lets a token override exec silently.
            throw new EntryProblem(fields.what() + ": exec and " + (token.isPresent() ? "token" : "tokenFile")
                    + " are both set (expected: one source of bearer tokens)");
        }
        return new UserEntry(certificate, key, token, tokenFile, exec);
    }

    boolean hasCredentials() {
        return clientCertificate.isPresent() || token.isPresent() || tokenFile.isPresent() || exec.isPresent();
    }

    @Override
    public String toString() {
        return "UserEntry[clientCertificate=" + clientCertificate.isPresent() + ", token=" + token.isPresent()
                + ", tokenFile=" + tokenFile + ", exec=" + exec + "]"; // never the token
    }
}
