package io.multikube.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.multikube.auth.TokenMinter;
import io.multikube.auth.TokenRequest;

/** {@code multikube kubeconfig}: writes a client kubeconfig with a minted token per multikube context. */
final class KubeconfigCommand implements Command {
    String server;
    Path ca;
    Path signerKey;
    String subject;
    final List<String> contexts = new ArrayList<>();
    final List<String> groups = new ArrayList<>();
    Duration ttl;
    boolean singleToken;
    Path output;

    @Override
    public String name() {
        return "kubeconfig";
    }

    @Override
    public String summary() {
        return "Writes a client kubeconfig for kubectl, with a token per context";
    }

    @Override
    public String description() {
        return "Writes a client kubeconfig for kubectl: one context per --ctx, each reaching multikube with "
                + "a token for that context. With --single-token one token covers every context and each "
                + "context's server URL ends in /clusters/<context>.";
    }

    @Override
    public List<Flag> flags() {
        return List.of(
                Flag.value("--server", "URL", "multikube's URL as clients reach it, e.g. "
                        + "https://multikube.example:8443.", value -> server = value).mandatory(),
                Flag.value("--ca", "FILE", "The PEM CA that signed multikube's serving certificate.",
                        value -> ca = Values.path(value)).mandatory(),
                Flag.value("--signer-key", "FILE", "The PEM private key matching --tls-signer-certificate.",
                        value -> signerKey = Values.path(value)).mandatory(),
                Flag.value("--sub", "USER", "The user the clusters will see (Impersonate-User).",
                        value -> subject = value).mandatory(),
                Flag.repeated("--ctx", "CONTEXT", "A multikube context to include; repeat for several.",
                        contexts::add).mandatory(),
                Flag.repeated("--group", "GROUP", "A group to impersonate; repeat for several.", groups::add),
                Flag.value("--ttl", "DURATION", "Token lifetime. Default: ${DEFAULT}.",
                        value -> ttl = Values.duration(value)).withDefault("8h"),
                Flag.toggle("--single-token", "One token for all contexts, chosen by URL path prefix.",
                        value -> singleToken = value),
                Flag.value("--output", "FILE", "Write here (mode 600) instead of standard output.",
                        value -> output = Values.path(value)).withAlias("-o"));
    }

    @Override
    public int call() throws IOException {
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
