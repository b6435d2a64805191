package dev.rollwatch.platform;

import dev.rollwatch.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * Platform depends on no service, and the event contract on nothing of Rollwatch (test-support's ArchitectureRules).
 * The events rule is checked here, on the events jar of this module's class path, because events' own tests cannot
 * use test-support (test-support depends on events).
 */
class ArchitectureTest {

    @Test
    void platformDependsOnNoService() {
        ArchitectureRules.platformDependsOnNoService().check(ArchitectureRules.mainClasses(ArchitectureRules.PLATFORM));
    }

    @Test
    void eventsDependOnNothingOfRollwatch() {
        ArchitectureRules.eventsDependOnNothingOfRollwatch()
                .check(ArchitectureRules.mainClasses(ArchitectureRules.EVENTS));
    }
}
