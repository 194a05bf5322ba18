package io.multikube.spi.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.multikube.spi.credentials.CredentialLookup;
import io.multikube.spi.credentials.CredentialRequest;
import io.multikube.spi.credentials.UpstreamCredentials;

/** What every {@link CredentialLookup} must do. Extend it and create a lookup that knows {@link #knownContext}. */
public abstract class CredentialLookupContract {
    private CredentialLookup lookup;

    /** A lookup that has credentials for {@link #knownContext()} and none for other contexts. */
    protected abstract CredentialLookup createLookup() throws Exception;

    /** A request the lookup has credentials for. */
    protected abstract CredentialRequest knownContext();

    @AfterEach
    void closeLookup() {
        if (lookup != null) {
            lookup.close();
        }
    }

    private synchronized CredentialLookup lookup() throws Exception {
        if (lookup == null) {
            lookup = createLookup();
        }
        return lookup;
    }

    @Test
    void answersForAKnownContext() throws Exception {
        Optional<UpstreamCredentials> credentials = lookup().lookup(knownContext());
        assertThat(credentials).isPresent();
    }

    @Test
    void leavesAnUnknownContextToTheNextLookup() throws Exception {
        CredentialRequest known = knownContext();
        assertThat(lookup().lookup(new CredentialRequest("no-such-context-" + System.nanoTime(), known.server(),
                "nobody", CredentialRequest.Reason.REQUEST))).isEmpty();
    }

    @Test
    void neverShowsSecretsInItsText() throws Exception {
        UpstreamCredentials credentials = lookup().lookup(knownContext()).orElseThrow();
        String text = credentials.toString();
        credentials.bearerToken().ifPresent(token -> assertThat(text).doesNotContain(token));
        credentials.clientKeyPem().ifPresent(key -> assertThat(text).doesNotContain(key));
    }

    @Test
    void answersConcurrentCallersAlike() throws Exception {
        List<Future<Optional<UpstreamCredentials>>> answers = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 64; i++) {
                answers.add(threads.submit(() -> lookup().lookup(knownContext())));
            }
            Optional<UpstreamCredentials> first = answers.get(0).get();
            for (Future<Optional<UpstreamCredentials>> answer : answers) {
                assertThat(answer.get()).isEqualTo(first);
            }
        }
    }
}
