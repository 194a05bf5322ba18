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
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

import io.multikube.testing.Kubectl;

/**
 * Marks an IT that needs the shared real clusters. Without kubectl or clusters to start (see
 * {@link ClusterSelection}) its tests are reported as skipped, each with the reason and how to fix it (an abort in
 * {@code @BeforeAll} would show as "Tests run: 0" and hide why); under {@code CI=true} the class fails instead.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RealClusters.Condition.class)
@interface RealClusters {
    /**
     * The IT serves a {@link FakeKubelet} on 127.0.0.1 of this machine: skipped, saying so, on clusters that cannot
     * reach it (k3s).
     */
    boolean fakeKubelet() default false;

    /** Checks once per run, at class level, what {@link Clusters#get()} will need. */
    final class Condition implements ExecutionCondition {
        private static Optional<String> missing;
        private static AssertionError failure;

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (context.getTestMethod().isPresent()) {
                return ConditionEvaluationResult.enabled("checked for the class");
            }
            Optional<String> absent = missing();
            if (absent.isPresent()) {
                return ConditionEvaluationResult.disabled(absent.get());
            }
            boolean fakeKubelet = AnnotationSupport.findAnnotation(context.getElement(), RealClusters.class)
                    .map(RealClusters::fakeKubelet).orElse(false);
            if (fakeKubelet && !Clusters.get().alpha.reachesFakeKubelet()) {
                return ConditionEvaluationResult.disabled("needs an API server that reaches a fake kubelet on"
                        + " 127.0.0.1 of this machine, which " + Clusters.get().alpha.describe() + " cannot (on k3s"
                        + " these streams could run against real pods; not done yet)");
            }
            return ConditionEvaluationResult.enabled("kubectl found and clusters to start");
        }

        private static synchronized Optional<String> missing() {
            if (failure != null) {
                throw failure;
            }
            if (missing == null) {
                try {
                    Kubectl.require();
                    if (ClusterSelection.require() == ClusterSelection.Kind.LOCAL) {
                        KubeBinaries.require();
                    }
                    missing = Optional.empty();
                } catch (TestAbortedException e) {
                    missing = Optional.of(e.getMessage());
                    System.out.println("multikube IT: SKIPPING the real-cluster suite: " + e.getMessage());
                } catch (AssertionError e) {
                    failure = e; // CI without clusters, or a failed build: every class fails, nothing is retried
                    throw e;
                }
            }
            return missing;
        }
    }
}
