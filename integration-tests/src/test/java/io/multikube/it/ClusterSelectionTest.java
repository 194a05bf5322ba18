package io.multikube.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

import io.multikube.it.ClusterSelection.Kind;
import io.multikube.it.ClusterSelection.Machine;
import io.multikube.it.ClusterSelection.Outcome;

/** How the suite picks its clusters from MULTIKUBE_IT_CLUSTERS and what the machine offers. */
class ClusterSelectionTest {
    private static final String MISSING = "no kube-apiserver and etcd 1.34.2 in /root/.kubeapitest/k8s";

    @Test
    void autoUsesLocalBinariesWithoutAskingDocker() {
        AtomicInteger probes = new AtomicInteger();

        Outcome outcome = ClusterSelection.decide(null, machine(false, true, () -> probes.incrementAndGet() > 0));

        assertThat(outcome).isEqualTo(new Outcome.Start(Kind.LOCAL));
        assertThat(probes).hasValue(0);
    }

    @Test
    void autoFallsBackToK3sWhenDockerAnswers() {
        assertThat(ClusterSelection.decide("auto", machine(false, false, () -> true)))
                .isEqualTo(new Outcome.Start(Kind.K3S));
    }

    @Test
    void autoWithNeitherSkipsNamingBothWays() {
        Outcome outcome = ClusterSelection.decide(" ", machine(false, false, () -> false));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Skip.class, skip -> assertThat(skip.reason())
                .contains(MISSING, "Docker engine", "k3s"));
    }

    @Test
    void autoWithNeitherFailsUnderCi() {
        Outcome outcome = ClusterSelection.decide(null, machine(true, false, () -> false));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Fail.class, fail -> assertThat(fail.reason())
                .contains(MISSING, "Docker engine").endsWith(". CI requires the real API server suite"));
    }

    @Test
    void localIsUsedEvenWhereDockerRuns() {
        assertThat(ClusterSelection.decide("LOCAL", machine(false, true, () -> true)))
                .isEqualTo(new Outcome.Start(Kind.LOCAL));
    }

    @Test
    void localWithoutBinariesSkipsWithTheBinariesMessageAlone() {
        assertThat(ClusterSelection.decide("local", machine(false, false, () -> true)))
                .isEqualTo(new Outcome.Skip(MISSING));
    }

    @Test
    void k3sIsUsedEvenWhereBinariesExist() {
        assertThat(ClusterSelection.decide("k3s", machine(true, true, () -> true)))
                .isEqualTo(new Outcome.Start(Kind.K3S));
    }

    @Test
    void k3sWithoutDockerFailsUnderCi() {
        Outcome outcome = ClusterSelection.decide("k3s", machine(true, true, () -> false));

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Fail.class, fail -> assertThat(fail.reason())
                .startsWith("MULTIKUBE_IT_CLUSTERS=k3s, but no Docker engine answers"));
    }

    @Test
    void unknownValueFailsEvenOutsideCi() {
        assertThat(ClusterSelection.decide("kind", machine(false, true, () -> true)))
                .isEqualTo(new Outcome.Fail("MULTIKUBE_IT_CLUSTERS=\"kind\" (expected: local, k3s or auto)"));
    }

    /** The real probe auto mode falls back to: Testcontainers loads on our classpath and answers, Docker or not. */
    @Test
    void dockerProbeAnswersOnThisMachine() {
        long started = System.nanoTime();

        boolean available = DockerClientFactory.instance().isDockerAvailable();

        System.out.printf("multikube test: Docker engine %s (probed in %d ms)%n",
                available ? "available" : "not available", (System.nanoTime() - started) / 1_000_000);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMinutes(1));
    }

    private static Machine machine(boolean ci, boolean localBinaries, BooleanSupplier docker) {
        return new Machine(ci, localBinaries, MISSING, docker);
    }
}
