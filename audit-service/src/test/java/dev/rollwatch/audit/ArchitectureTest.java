package dev.rollwatch.audit;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.rollwatch.audit.rest.AuditResource;
import dev.rollwatch.audit.rest.AuditStreamResource;
import dev.rollwatch.audit.rest.CheckpointResource;
import dev.rollwatch.audit.rest.ReplayResource;
import dev.rollwatch.audit.rest.TimelineResource;
import dev.rollwatch.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static dev.rollwatch.testsupport.ArchitectureRules.classes;
import static dev.rollwatch.testsupport.ArchitectureRules.repositoryOf;

/** audit-service keeps Rollwatch's layer and module rules (test-support's ArchitectureRules). */
class ArchitectureTest {

    private static final String BASE = "dev.rollwatch.audit";
    private static final JavaClasses CLASSES = ArchitectureRules.mainClasses(BASE);

    @Test
    void layers() {
        ArchitectureRules.layers(BASE)
                // Known exceptions, named rather than allowed in general: these read-only endpoints query
                // AuditLogRepository (and build its EntryFilter) directly, streaming rows without a service in
                // between; nothing here writes the log.
                .ignoreDependency(classes(AuditResource.class, AuditStreamResource.class, CheckpointResource.class,
                        ReplayResource.class, TimelineResource.class)
                        // EntryLines is package-private: named by its name.
                        .or(nameMatching("dev\\.rollwatch\\.audit\\.rest\\.EntryLines(\\$.*)?")),
                        repositoryOf(BASE))
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
