package dev.rollwatch.notifier;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.rollwatch.notifier.rest.DeliveryResource;
import dev.rollwatch.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static dev.rollwatch.testsupport.ArchitectureRules.classes;
import static dev.rollwatch.testsupport.ArchitectureRules.repositoryOf;

/** notifier-service keeps Rollwatch's layer and module rules (test-support's ArchitectureRules). */
class ArchitectureTest {

    private static final String BASE = "dev.rollwatch.notifier";
    private static final JavaClasses CLASSES = ArchitectureRules.mainClasses(BASE);

    @Test
    void layers() {
        ArchitectureRules.layers(BASE)
                // Known exception, named rather than allowed in general: the read-only delivery log endpoints
                // query DeliveryRepository directly (no service logic in between).
                .ignoreDependency(classes(DeliveryResource.class), repositoryOf(BASE))
                .check(CLASSES);
    }

    @Test
    void onlyRestUsesRest() {
        ArchitectureRules.onlyRestUsesRest(BASE).check(CLASSES);
    }

    @Test
    void dependsOnNoOtherService() {
        ArchitectureRules.serviceIsSelfContained(BASE).check(CLASSES);
    }
}
