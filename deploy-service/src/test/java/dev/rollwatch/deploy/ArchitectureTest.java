package dev.rollwatch.deploy;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.rollwatch.deploy.messaging.AnalysisCompletedConsumer;
import dev.rollwatch.deploy.rest.DeploymentResource;
import dev.rollwatch.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static dev.rollwatch.testsupport.ArchitectureRules.classes;
import static dev.rollwatch.testsupport.ArchitectureRules.repositoryOf;

/** deploy-service keeps Rollwatch's layer and module rules (test-support's ArchitectureRules). */
class ArchitectureTest {

    private static final String BASE = "dev.rollwatch.deploy";
    private static final JavaClasses CLASSES = ArchitectureRules.mainClasses(BASE);

    @Test
    void layers() {
        ArchitectureRules.layers(BASE)
                // Known exceptions, named rather than allowed in general: DeploymentResource returns the page
                // type DeploymentRepository.Page that DeploymentQueries hands it; the analysis consumer records
                // a step's verdict and the report's figures straight into their repositories (no service logic
                // in between; moving it behind a service is item 2 of issue 19, the consumers).
                .ignoreDependency(classes(DeploymentResource.class, AnalysisCompletedConsumer.class), repositoryOf(BASE))
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
