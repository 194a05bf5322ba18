package io.multikube.cli;

import java.io.IOException;
import java.nio.file.Files;
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

/** {@code multikube kubeconfig}: writes a client kubeconfig with a minted token per multikube context. */
@Command(name = "kubeconfig", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Writes a client kubeconfig for kubectl: one context per --ctx, each reaching multikube with "
                + "a token for that context. With --single-token one token covers every context and each "
                + "context's server URL ends in /clusters/<context>.")
final class KubeconfigCommand implements Callable<Integer> {
    @Option(names = "--server", required = true, paramLabel = "URL",
            description = "multikube's URL as clients reach it, e.g. https://multikube.example:8443.")
    String server;

    @Option(names = "--ca", required = true, paramLabel = "FILE",
            description = "The PEM CA that signed multikube's serving certificate.")
    Path ca;

    @Option(names = "--signer-key", required = true, paramLabel = "FILE",
            description = "The PEM private key matching --tls-signer-certificate.")
    Path signerKey;

    @Option(names = "--sub", required = true, description = "The user the clusters will see (Impersonate-User).")
    String subject;

    @Option(names = "--ctx", required = true, paramLabel = "CONTEXT",
            description = "A multikube context to include; repeat for several.")
    List<String> contexts = new ArrayList<>();

    @Option(names = "--group", paramLabel = "GROUP", description = "A group to impersonate; repeat for several.")
    List<String> groups = new ArrayList<>();

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "8h", converter = DurationConverter.class,
            description = "Token lifetime. Default: ${DEFAULT-VALUE}.")
    Duration ttl;

    @Option(names = "--single-token", description = "One token for all contexts, chosen by URL path prefix.")
    boolean singleToken;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write here (mode 600) instead of standard output.")
    Path output;

    @Override
    public Integer call() throws IOException {
        if (!server.startsWith("https://") && !server.startsWith("http://")) {
            throw new IllegalArgumentException("--server: " + server + " (expected: an https:// URL)");
        }
        TokenMinter minter = TokenMinter.fromPem(signerKey);
        List<ClientKubeconfig.Entry> entries = new ArrayList<>();
        String shared = singleToken ? mint(minter, contexts) : null;
        for (String context : contexts) {
            String token = singleToken ? shared : mint(minter, List.of(context));
            entries.add(new ClientKubeconfig.Entry(context, token, singleToken && contexts.size() > 1));
        }
        String yaml = new ClientKubeconfig(server.replaceAll("/+$", ""), Files.readString(ca), entries).toYaml();
        if (output == null) {
            System.out.print(yaml);
        } else {
            Files.createDirectories(output.toAbsolutePath().getParent());
            PrivateFiles.write(output.toAbsolutePath(), yaml);
            System.err.println("wrote " + output + ": kubectl --kubeconfig " + output + " get --raw /version");
        }
        return 0;
    }

    private String mint(TokenMinter minter, List<String> allowed) {
        return minter.mint(new TokenRequest(subject, allowed, groups, ttl, Optional.empty()));
    }
}
