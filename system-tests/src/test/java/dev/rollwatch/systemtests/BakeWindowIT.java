package dev.rollwatch.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.events.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 (c): watching after success. A version good for all its steps SUCCEEDS and is baked (its own bake window,
 * 3 minutes here instead of the runbooks' hour; the first checkpoint, 20 s in {@link Stack}, finds it good); then it
 * goes bad (30 % errors) inside the window. The breach carries {@code phase: bake}, the runbook pack rolls back a
 * sustained error rate over 5 % ({@code error-rate-sustained}, 5 s by this scope's policy), and the deploy service
 * rolls the SUCCEEDED deployment back to the previous version: demo-target serves that version again.
 * <p>
 * The analysis step lasts 12 s (6 s until 2026-12-07): with a 2 s interval the first scrape is only a baseline, a
 * rate needs a page at least 1 s newer than the previous one, and a round may be given a page read up to 2 s
 * earlier, so a 6 s step on a loaded machine had two chances at a measurement and once (a CI run) got none: the step
 * ended INCONCLUSIVE and the deployment waited for an approval. What this test is about starts after the step.
 */
class BakeWindowIT {

    private static Stack stack;
    private static Judgement j;

    @BeforeAll
    static void startStack() throws Exception {
        stack = Stack.shared();
        j = new Judgement(stack);
    }

    @Test
    void aVersionThatGoesBadInsideTheBakeWindowIsRolledBackToThePreviousVersion() throws Exception {
        String service = j.service("bake");
        String version = j.version("4.1.0");
        j.rollbackPolicy(service, "production", "{\"error-rate-sustained\": {\"sustainedFor\": \"5s\"}}", "");
        String id = j.started("""
                {"service": "%s", "environment": "production", "version": "%s", "previousVersion": "4.0.0",
                 "target": {"type": "http", "url": "%s"},
                 "strategy": {"steps": [{"setWeight": 50}, {"analysis": {"duration": "12s"}}, {"setWeight": 100}]},
                 "bakeWindow": "3m",
                 "analysis": {"checks": [{"name": "error-rate", "provider": "scrape", "metric": "error_rate",
                                          "max": 0.05, "interval": "2s", "failureLimit": 2, "severity": "P1"}]}}
                """.formatted(service, version, j.targetUrl()));
        try {
            JsonNode succeeded = j.awaitStatus(id, Duration.ofMinutes(2), Judgement.TERMINAL.toArray(String[]::new));
            assertThat(succeeded.path("status").asText()).as(succeeded.toString()).isEqualTo("SUCCEEDED");
            assertThat(j.targetState(service).path("stableVersion").asText()).isEqualTo(version);

            // Watched after success: the first checkpoint of the bake window, with the version still good.
            JsonNode checkpoint = j.awaitEvent(Topics.BAKE_CHECKPOINTS, id, Duration.ofSeconds(90),
                    "a bake checkpoint", c -> c.path("index").asInt() >= 1);
            assertThat(checkpoint.path("version").asText()).isEqualTo(version);
            assertThat(checkpoint.path("verdict").asText()).as(checkpoint.toString()).isEqualTo("SUCCESSFUL");
            assertThat(checkpoint.path("last").asBoolean()).as("the window goes on").isFalse();

            j.behave(version, "\"errorRate\": 0.3");

            JsonNode rolledBack = j.awaitStatus(id, Duration.ofMinutes(2), "ROLLED_BACK");
            assertThat(rolledBack.path("status").asText()).isEqualTo("ROLLED_BACK");

            JsonNode breach = j.awaitEvent(Topics.THRESHOLD_BREACHED, id, Duration.ofSeconds(30),
                    "a breach in the bake window", b -> "bake".equals(b.path("phase").asText()));
            assertThat(breach.path("check").asText()).isEqualTo("error-rate");
            List<JsonNode> decisions = j.decisions(id);
            JsonNode rollback = decisions.stream().filter(Judgement.action("ROLLBACK")).findFirst().orElseThrow(
                    () -> new AssertionError("no ROLLBACK decision among " + decisions));
            assertThat(Judgement.packRule(rollback)).as(rollback.toString()).isEqualTo("error-rate-sustained");
            assertThat(rollback.path("toVersion").asText()).isEqualTo("4.0.0");

            // The target: finalized on the new version, then rolled back to the previous one, which serves again.
            List<String> kinds = j.targetCalls(id).stream().map(c -> c.path("kind").asText()).toList();
            assertThat(kinds).as("driver calls").containsSubsequence("finalize", "rollback");
            assertThat(kinds.get(kinds.size() - 1)).isEqualTo("rollback");
            assertThat(j.targetState(service).path("stableVersion").asText()).isEqualTo("4.0.0");
            List<JsonNode> finished = j.events(Topics.DEPLOYMENT_FINISHED, id);
            assertThat(finished).extracting(f -> f.path("outcome").asText())
                    .as("SUCCEEDED, then ROLLED_BACK for the same deployment").containsExactly("SUCCEEDED",
                            "ROLLED_BACK");
        } finally {
            j.heal(version);
        }
    }
}
