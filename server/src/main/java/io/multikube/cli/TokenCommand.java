package io.multikube.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.multikube.auth.TokenMinter;
import io.multikube.auth.TokenRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code multikube token}: prints a signed JWT for a client. */
@Command(name = "token", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Prints a signed client JWT. The algorithm follows the key: RSA → RS256, "
                + "EC P-256/384/521 → ES256/384/512; 'kid' is the key's RFC 7638 thumbprint.")
final class TokenCommand implements Callable<Integer> {
    @Option(names = "--signer-key", required = true, paramLabel = "FILE",
            description = "The PEM private key matching --tls-signer-certificate.")
    Path signerKey;

    @Option(names = "--sub", required = true, description = "The user the cluster will see (Impersonate-User).")
    String subject;

    @Option(names = "--ctx", required = true, paramLabel = "CONTEXT",
            description = "A kubeconfig context the token may reach; repeat for several.")
    List<String> contexts = new ArrayList<>();

    @Option(names = "--group", paramLabel = "GROUP", description = "A group to impersonate; repeat for several.")
    List<String> groups = new ArrayList<>();

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "8h", converter = DurationConverter.class,
            description = "Lifetime. Default: ${DEFAULT-VALUE}.")
    Duration ttl;

    @Option(names = "--aud", description = "The 'aud' claim.")
    String audience;

    @Option(names = "--uid", description = "The user's UID, sent to the cluster as Impersonate-Uid.")
    String uid;

    @Option(names = "--bind-cluster-ca", paramLabel = "FILE",
            description = "Bind the token to the cluster with this CA (PEM): it is refused for a context whose "
                    + "cluster has another CA.")
    Path clusterCa;

    @Override
    public Integer call() throws java.io.IOException {
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
