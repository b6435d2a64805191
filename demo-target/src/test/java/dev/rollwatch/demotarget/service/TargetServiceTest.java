package dev.rollwatch.demotarget.service;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class TargetServiceTest {

    @Test
    void readsConfiguredServicesAsNameAndStableVersion() {
        assertThat(TargetService.initialServices(List.of("checkout:2.3.0", " payments : 1.0.0-rc:1 ")))
                .containsExactly(entry("checkout", "2.3.0"),
                        entry("payments", "1.0.0-rc:1"));
    }

    @Test
    void refusesAServiceWithoutVersion() {
        assertThatThrownBy(() -> TargetService.initialServices(List.of("checkout")))
                .hasMessageContaining("name:stableVersion");
    }
}
