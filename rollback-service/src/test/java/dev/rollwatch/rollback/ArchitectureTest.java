package dev.rollwatch.rollback;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.rollwatch.rollback.rest.DecisionResource;
import dev.rollwatch.rollback.rest.DeploymentResource;
import dev.rollwatch.rollback.rest.LastKnownGoodResource;
import dev.rollwatch.rollback.rest.PolicyResource;
import dev.rollwatch.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static dev.rollwatch.testsupport.ArchitectureRules.classes;
import static dev.rollwatch.testsupport.ArchitectureRules.repositoryOf;

/** rollback-service keeps Rollwatch's layer and module rules (test-support's ArchitectureRules). */
class ArchitectureTest {

    private static final String BASE = "dev.rollwatch.rollback";
    private static final JavaClasses CLASSES = ArchitectureRules.mainClasses(BASE);

    @Test
    void layers() {
        ArchitectureRules.layers(BASE)
                // Known exceptions, named rather than allowed in general: these read-only GET endpoints query
                // their repositories directly (no service logic in between); changes go through the services.
                .ignoreDependency(classes(DecisionResource.class, DeploymentResource.class,
                        LastKnownGoodResource.class, PolicyResource.class), repositoryOf(BASE))
                .check(CLASSES);
    }

    @Test
    void onlyRestUsesRest() {
        ArchitectureRules.onlyRestUsesRest(BASE).check(CLASSES);
    }

    @Test
    void objectEndpointsDeclareTheirScope() {
        ArchitectureRules.objectEndpointsDeclareTheirScope(BASE).check(CLASSES);
    }

    @Test
    void dependsOnNoOtherService() {
        ArchitectureRules.serviceIsSelfContained(BASE).check(CLASSES);
    }
}
