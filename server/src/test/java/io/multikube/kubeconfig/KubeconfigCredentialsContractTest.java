package io.multikube.kubeconfig;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;

import io.multikube.spi.credentials.CredentialLookup;
import io.multikube.spi.credentials.CredentialRequest;
import io.multikube.spi.testkit.CredentialLookupContract;
import io.multikube.testing.ExecScript;
import io.multikube.testing.TestKubeconfigs;

/** The kubeconfig's built-in lookup keeps the contract every credential lookup keeps (here with an exec plugin). */
class KubeconfigCredentialsContractTest extends CredentialLookupContract {
    @TempDir
    Path dir;

    private ClusterContext context;

    @Override
    protected CredentialLookup createLookup() {
        ExecScript plugin = ExecScript.create(dir.resolve("plugin"));
        Path file = TestKubeconfigs.builder()
                .context("known", Map.of("server", "https://127.0.0.1:6443"), Map.of("exec", plugin.execEntry(false)))
                .write(dir.resolve("config"));
        context = KubeconfigLoader.load(file).context("known").orElseThrow();
        return context.credentials();
    }

    @Override
    protected CredentialRequest knownContext() {
        return new CredentialRequest("known", "https://127.0.0.1:6443", "known", CredentialRequest.Reason.REQUEST);
    }
}
