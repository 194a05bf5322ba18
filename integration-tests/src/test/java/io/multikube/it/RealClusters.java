package io.multikube.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Optional;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;

import io.multikube.testing.Kubectl;

/**
 * Marks an IT that needs the shared real clusters. Without kubectl or the API server binaries its tests are
 * reported as skipped, each with the reason and how to fix it (an abort in {@code @BeforeAll} would show as
 * "Tests run: 0" and hide why); under {@code CI=true} the class fails instead.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RealClusters.Condition.class)
@interface RealClusters {
    /** Checks once per run, at class level, what {@link Clusters#get()} will need. */
    final class Condition implements ExecutionCondition {
        private static Optional<String> missing;
        private static AssertionError failure;

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (context.getTestMethod().isPresent()) {
                return ConditionEvaluationResult.enabled("checked for the class");
            }
            return missing().map(ConditionEvaluationResult::disabled)
                    .orElseGet(() -> ConditionEvaluationResult.enabled("kubectl and API server binaries found"));
        }

        private static synchronized Optional<String> missing() {
            if (failure != null) {
                throw failure;
            }
            if (missing == null) {
                try {
                    Kubectl.require();
                    KubeBinaries.require();
                    missing = Optional.empty();
                } catch (TestAbortedException e) {
                    missing = Optional.of(e.getMessage());
                    System.out.println("multikube IT: SKIPPING the real-cluster suite: " + e.getMessage());
                } catch (AssertionError e) {
                    failure = e; // CI without binaries, or a failed build: every class fails, nothing is retried
                    throw e;
                }
            }
            return missing;
        }
    }
}
