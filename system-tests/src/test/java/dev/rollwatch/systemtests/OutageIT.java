package dev.rollwatch.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.events.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 (a): a version that stops answering is an incident, not a measurement error. demo-target's version goes
 * {@code down} mid-canary (its requests are lost, its series leave {@code /metrics}, its health answers 503); the
 * monitor raises a P0 breach of kind {@code unavailable} once the target stayed unreachable for its outage window
 * ({@code rollwatch.monitor.outage-detection}, 15 s in {@link Stack}); the rollback service's runbook pack rolls it
 * back once the outage is sustained (rule {@code outage}, runbook 001 "complete system outage &gt; 5 minutes",
 * shortened to 10 s by this scope's policy), and the on-call is paged at P0. Real time, short windows.
 */
class OutageIT {

    private static Stack stack;
    private static Judgement j;

    @BeforeAll
    static void startStack() throws Exception {
        stack = Stack.shared();
        j = new Judgement(stack);
    }

    @Test
    void aVersionThatStopsAnsweringIsRolledBackWithinTheOutageWindowAndPagedAtP0() throws Exception {
        String service = j.service("outage");
        String version = j.version("3.1.0");
        j.rollbackPolicy(service, "production", "{\"outage\": {\"sustainedFor\": \"10s\"}}", "");
        String id = j.started("""
                {"service": "%s", "environment": "production", "version": "%s", "previousVersion": "3.0.0",
                 "target": {"type": "http", "url": "%s"},
                 "strategy": {"steps": [{"setWeight": 20}, {"analysis": {"duration": "10m"}}, {"setWeight": 100}]},
                 "analysis": {"checks": [{"name": "error-rate", "provider": "scrape", "metric": "error_rate",
                                          "max": 0.05, "interval": "2s", "failureLimit": 2, "severity": "P1"}]}}
                """.formatted(service, version, j.targetUrl()));
        try {
            j.awaitDeployment(id, Duration.ofSeconds(90), "at its analysis step",
                    d -> d.path("currentStep").asInt() >= 1 && "RUNNING".equals(d.path("status").asText()));

            j.behave(version, "\"down\": true");

            JsonNode finished = j.awaitStatus(id, Duration.ofMinutes(3), Judgement.TERMINAL.toArray(String[]::new));
            assertThat(finished.path("status").asText()).as(finished.toString()).isEqualTo("ROLLED_BACK");

            // The monitor saw an outage, not an error: one breach of kind unavailable, at P0.
            JsonNode breach = j.awaitEvent(Topics.THRESHOLD_BREACHED, id, Duration.ofSeconds(30),
                    "a breach of kind unavailable", b -> "unavailable".equals(b.path("kind").asText()));
            assertThat(breach.path("severity").asText()).as(breach.toString()).isEqualTo("P0");

            // Decided by the pack's outage rule: an ALERT naming it while the outage was young, then the rollback.
            List<JsonNode> decisions = j.decisions(id);
            JsonNode rollback = decisions.stream().filter(Judgement.action("ROLLBACK")).findFirst().orElseThrow(
                    () -> new AssertionError("no ROLLBACK decision among " + decisions));
            assertThat(Judgement.packRule(rollback)).as(rollback.toString()).isEqualTo("outage");
            assertThat(rollback.path("severity").asText()).isEqualTo("P0");
            assertThat(rollback.path("seedRule").asText()).contains("outage");
            assertThat(rollback.path("respondBy").isTextual()).as("a P0 has a response target").isTrue();

            // The target itself was told: back to the previous version, once.
            List<JsonNode> calls = j.targetCalls(id);
            List<JsonNode> rollbacks = calls.stream().filter(c -> "rollback".equals(c.path("kind").asText())).toList();
            assertThat(rollbacks).as(calls.toString()).hasSize(1);
            assertThat(rollbacks.get(0).path("body").path("toVersion").asText()).isEqualTo("3.0.0");

            // The on-call was paged at P0.
            JsonNode page = j.awaitDelivery(id, Duration.ofSeconds(60), "paging at P0",
                    d -> "P0".equals(d.path("severity").asText()) && Judgement.paged(d));
            assertThat(page.path("title").asText()).contains("P0");
        } finally {
            j.heal(version);
            j.abortQuietly(id);
        }
    }
}
