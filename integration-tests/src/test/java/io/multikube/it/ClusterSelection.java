package io.multikube.it;

import java.util.Locale;
import java.util.Objects;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/**
 * Which kind of clusters the suite starts, decided once per run from {@code MULTIKUBE_IT_CLUSTERS}: {@code local}
 * (kube-apiserver and etcd binaries on this machine), {@code k3s} (Testcontainers, needs a Docker engine) or
 * {@code auto}, the default: local binaries when present, else k3s when a Docker engine answers. When the chosen
 * kind cannot run here the suite is skipped with instructions, and fails under {@code CI=true}.
 */
final class ClusterSelection {
    static final String VARIABLE = "MULTIKUBE_IT_CLUSTERS";

    private static Outcome decided;

    private ClusterSelection() {
    }

    enum Kind {
        LOCAL, K3S
    }

    /** What the suite does: start clusters of one kind, or skip or fail, saying why and what to install. */
    sealed interface Outcome {
        record Start(Kind kind) implements Outcome {
        }

        record Skip(String reason) implements Outcome {
        }

        record Fail(String reason) implements Outcome {
        }
    }

    /**
     * What this machine offers. Docker is probed lazily: the probe takes seconds where no engine runs, and a
     * machine with local binaries never needs it.
     */
    record Machine(boolean ci, boolean localBinaries, String localMissing, BooleanSupplier docker) {
        Machine {
            Objects.requireNonNull(localMissing, "localMissing");
            Objects.requireNonNull(docker, "docker");
        }
    }

    /** The kind to start, from the variable's value (null when unset) and what the machine offers. */
    static Outcome decide(String requested, Machine machine) {
        String value = requested == null || requested.isBlank() ? "auto" : requested.strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "local" -> machine.localBinaries() ? new Outcome.Start(Kind.LOCAL)
                    : unavailable(machine, machine.localMissing());
            case "k3s" -> machine.docker().getAsBoolean() ? new Outcome.Start(Kind.K3S)
                    : unavailable(machine, VARIABLE + "=k3s, but no Docker engine answers (Testcontainers looks at "
                            + "DOCKER_HOST, then /var/run/docker.sock): start one, or unset " + VARIABLE
                            + " to use local binaries");
            case "auto" -> {
                if (machine.localBinaries()) {
                    yield new Outcome.Start(Kind.LOCAL);
                }
                if (machine.docker().getAsBoolean()) {
                    yield new Outcome.Start(Kind.K3S);
                }
                yield unavailable(machine, "no clusters to test against. Either " + machine.localMissing()
                        + "; or start a Docker engine, and the suite runs k3s clusters through Testcontainers");
            }
            default -> new Outcome.Fail(VARIABLE + "=\"" + requested + "\" (expected: local, k3s or auto)");
        };
    }

    private static Outcome unavailable(Machine machine, String reason) {
        return machine.ci() ? new Outcome.Fail(reason + ". CI requires the real API server suite")
                : new Outcome.Skip(reason);
    }

    /** The kind this run uses; skips (an aborted test) or fails the caller when there is none. */
    static synchronized Kind require() {
        if (decided == null) {
            decided = decide(System.getenv(VARIABLE), new Machine("true".equalsIgnoreCase(System.getenv("CI")),
                    KubeBinaries.available(), KubeBinaries.missing(),
                    () -> DockerClientFactory.instance().isDockerAvailable()));
        }
        return switch (decided) {
            case Outcome.Start start -> start.kind();
            case Outcome.Skip skip -> {
                Assumptions.abort(skip.reason());
                throw new IllegalStateException("unreachable");
            }
            case Outcome.Fail fail -> throw new AssertionError(fail.reason());
        };
    }
}
