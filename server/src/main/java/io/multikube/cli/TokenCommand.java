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

    @Override
    public Integer call() {
        TokenMinter minter = TokenMinter.fromPem(signerKey);
        System.out.println(minter.mint(new TokenRequest(subject, contexts, groups, ttl,
                Optional.ofNullable(audience))));
        return 0;
    }
}
