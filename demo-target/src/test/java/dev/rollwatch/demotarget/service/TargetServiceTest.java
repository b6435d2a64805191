package dev.rollwatch.demotarget.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollwatch.demotarget.config.DemoConfig;
import dev.rollwatch.demotarget.domain.Behaviour;
import dev.rollwatch.demotarget.domain.CallKind;
import dev.rollwatch.demotarget.domain.FinalizeCommand;
import dev.rollwatch.demotarget.domain.ServiceMetrics;
import dev.rollwatch.demotarget.domain.TargetState;
import dev.rollwatch.demotarget.domain.TrafficCommand;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

class TargetServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private final TrafficSimulator simulator = new TrafficSimulator(
            new BehaviourCatalog(new Behaviour(0.001, 120, 0), new Behaviour(0.08, 900, 0), Set.of(), "bad"),
            new SplittableRandom(42), 200, 180);
    private final TargetService target = new TargetService(simulator, Clock.fixed(NOW, ZoneOffset.UTC),
            config(List.of("checkout:2.3.0")));

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

    @Test
    void afterFinalizeEveryRequestGoesToTheNewStableVersionAndTheOldOneIsNoLongerDeployed() {
        target.shiftTraffic(new TrafficCommand("dep-1", "checkout", "production", "2.3.0", "2.4.0", 25), "msg_t",
                body("{}"));
        ticks(10);
        long oldBefore = requests("2.3.0");
        long newBefore = requests("2.4.0");
        assertThat(oldBefore).isPositive();

        TargetService.Applied applied = target.finalizeRollout(finalizeCommand("dep-1", "2.4.0"), "msg_f",
                body("{\"version\":\"2.4.0\"}"));
        ticks(10); // one simulated second at 200 requests per second

        assertThat(applied.duplicate()).isFalse();
        assertThat(applied.state()).isEqualTo(new TargetState("checkout", "2.4.0", null, 0, NOW));
        assertThat(target.state("checkout")).contains(applied.state());
        assertThat(requests("2.3.0")).isEqualTo(oldBefore);
        assertThat(requests("2.4.0") - newBefore).isEqualTo(200);
        ServiceMetrics metrics = simulator.snapshot("checkout").orElseThrow();
        assertThat(metrics.version("2.3.0").orElseThrow().residentMemoryBytes()).isEmpty();
        assertThat(metrics.version("2.4.0").orElseThrow().residentMemoryBytes()).isPresent();
        assertThat(target.calls("dep-1", null)).extracting(c -> c.kind())
                .containsExactly(CallKind.TRAFFIC, CallKind.FINALIZE);
    }

    @Test
    void aRepeatedFinalizeIsReportedAsADuplicateAndChangesNothing() {
        target.shiftTraffic(new TrafficCommand("dep-2", "checkout", "production", "2.3.0", "2.4.0", 100), "msg_t2",
                body("{}"));
        target.finalizeRollout(finalizeCommand("dep-2", "2.4.0"), "msg_f2", body("{}"));
        target.shiftTraffic(new TrafficCommand("dep-3", "checkout", "production", "2.4.0", "2.5.0", 5), "msg_t3",
                body("{}"));

        TargetService.Applied again = target.finalizeRollout(finalizeCommand("dep-2", "2.4.0"), "msg_f2", body("{}"));

        assertThat(again.duplicate()).isTrue();
        assertThat(again.state().canaryVersion()).isEqualTo("2.5.0");
        assertThat(again.state().weight()).isEqualTo(5);
        assertThat(target.calls("dep-2", null)).extracting(c -> c.deliveries()).containsExactly(1, 2);
    }

    private static FinalizeCommand finalizeCommand(String deploymentId, String version) {
        return new FinalizeCommand(deploymentId, "checkout", "production", version);
    }

    private void ticks(int count) {
        for (int i = 0; i < count; i++) {
            simulator.tick(Duration.ofMillis(100));
        }
    }

    private long requests(String version) {
        return simulator.snapshot("checkout").orElseThrow().version(version).orElseThrow().requests();
    }

    private static JsonNode body(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The two settings TargetService reads; any other is a mistake in this test. */
    private static DemoConfig config(List<String> services) {
        return (DemoConfig) Proxy.newProxyInstance(DemoConfig.class.getClassLoader(), new Class<?>[] {DemoConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "services" -> services;
                    case "maxRecordedCalls" -> 10_000;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
