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
 */
record UserEntry(Optional<PemSource> clientCertificate, Optional<PemSource> clientKey, Optional<String> token,
                 Optional<Path> tokenFile) {
    /** Fields that ask for a kind of authentication multikube cannot perform yet, with what to say. */
    private static final List<Map.Entry<String, String>> UNSUPPORTED = List.of(
            Map.entry("exec", "exec credential plugins (exec) are not supported yet"),
            Map.entry("auth-provider", "auth-provider plugins (auth-provider) are not supported yet"),
            Map.entry("username", "basic authentication (username/password) is not supported yet"),
            Map.entry("password", "basic authentication (username/password) is not supported yet"));
    /** kubectl's own impersonation would fight with the impersonation multikube sets for the caller. */
    private static final List<String> IMPERSONATION = List.of("as", "as-uid", "as-groups", "as-user-extra");

    UserEntry {
        Objects.requireNonNull(clientCertificate, "clientCertificate");
        Objects.requireNonNull(clientKey, "clientKey");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(tokenFile, "tokenFile");
    }

    static UserEntry of(Fields fields, Path folder) {
        for (Map.Entry<String, String> unsupported : UNSUPPORTED) {
            if (fields.has(unsupported.getKey())) {
                throw new EntryProblem(fields.what() + ": " + unsupported.getValue()
                        + " (expected: client certificate, token or tokenFile)");
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
        return new UserEntry(certificate, key, token, fields.path("tokenFile", folder));
    }

    boolean hasCredentials() {
        return clientCertificate.isPresent() || token.isPresent() || tokenFile.isPresent();
    }

    @Override
    public String toString() {
        return "UserEntry[clientCertificate=" + clientCertificate.isPresent() + ", token=" + token.isPresent()
                + ", tokenFile=" + tokenFile + "]"; // never the token
    }
}
