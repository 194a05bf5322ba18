package io.multikube.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.multikube.auth.TokenMinter;
import io.multikube.auth.TokenRequest;

/** {@code multikube token}: prints a signed JWT for a client. */
final class TokenCommand implements Command {
    Path signerKey;
    String subject;
    final List<String> contexts = new ArrayList<>();
    final List<String> groups = new ArrayList<>();
    Duration ttl;
    String audience;
    String uid;
    Path clusterCa;

    @Override
    public String name() {
        return "token";
    }

    @Override
    public String summary() {
        return "Prints a signed client JWT";
    }

    @Override
    public String description() {
        return "Prints a signed client JWT. The algorithm follows the key: RSA → RS256, "
                + "EC P-256/384/521 → ES256/384/512; 'kid' is the key's RFC 7638 thumbprint.";
    }

    @Override
    public List<Flag> flags() {
        return List.of(
                Flag.value("--signer-key", "FILE", "The PEM private key matching --tls-signer-certificate.",
                        value -> signerKey = Values.path(value)).mandatory(),
                Flag.value("--sub", "USER", "The user the cluster will see (Impersonate-User).",
                        value -> subject = value).mandatory(),
                Flag.repeated("--ctx", "CONTEXT", "A kubeconfig context the token may reach; repeat for several.",
                        contexts::add).mandatory(),
                Flag.repeated("--group", "GROUP", "A group to impersonate; repeat for several.", groups::add),
                Flag.value("--ttl", "DURATION", "Lifetime. Default: ${DEFAULT}.",
                        value -> ttl = Values.duration(value)).withDefault("8h"),
                Flag.value("--aud", "AUDIENCE", "The 'aud' claim.", value -> audience = value),
                Flag.value("--uid", "UID", "The user's UID, sent to the cluster as Impersonate-Uid.",
                        value -> uid = value),
                Flag.value("--bind-cluster-ca", "FILE", "Bind the token to the cluster with this CA (PEM): it is "
                        + "refused for a context whose cluster has another CA.",
                        value -> clusterCa = Values.path(value)));
    }

    @Override
    public int call() throws java.io.IOException {
        TokenMinter minter = TokenMinter.fromPem(signerKey);
        System.out.println(minter.mint(new TokenRequest(subject, contexts, groups, ttl,
                Optional.ofNullable(audience), Optional.ofNullable(uid), binding())));
        return 0;
    }

    private Optional<String> binding() throws java.io.IOException {
        if (clusterCa == null) {
            return Optional.empty();
        }
        var certificates = io.multikube.pki.Pem.certificates(java.nio.file.Files.readString(clusterCa));
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("--bind-cluster-ca: " + clusterCa + " holds no certificate");
        }
        return Optional.of(io.multikube.pki.Certificates.sha256Fingerprint(certificates.getFirst()));
    }
}
