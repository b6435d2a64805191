package dev.rollwatch.monitor;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.rollwatch.monitor.domain.CheckState;
import dev.rollwatch.monitor.service.Json;
import dev.rollwatch.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static dev.rollwatch.testsupport.ArchitectureRules.classes;

/** monitor-service keeps Rollwatch's layer and module rules (test-support's ArchitectureRules). */
class ArchitectureTest {

    private static final String BASE = "dev.rollwatch.monitor";
    private static final JavaClasses CLASSES = ArchitectureRules.mainClasses(BASE);

    @Test
    void layers() {
        ArchitectureRules.layers(BASE)
                // Known exception, named rather than allowed in general: CheckState.progress() decodes its
                // failing-values JSON column with the service package's Json helper. Json needs only the event
                // mapper and domain types and belongs in domain; moving it changes eight files (left for later).
                .ignoreDependency(classes(CheckState.class), classes(Json.class))
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
