package dev.rollwatch.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.events.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 (d): runbook 004, "a failure at 25 % drops back to 5 %". (The deployments' own check, p95 latency over
 * 5 s, never breaches here: it stands in for the runbooks' default checks, whose sustained error-rate rule would
 * otherwise roll the paused deployment back two minutes later — right, but another case.) Two deployments whose strategy says
 * {@code onFailure: stepBack} fail the 25 % phase's own criterion (error rate under 5 %, judged while its analysis
 * runs): both return to 5 % (RollbackCompleted STEPPED_BACK, toWeight 5; demo-target really gets 5 % again) instead
 * of being rolled back. Then the policy: {@code afterStepBack: pause} waits at 5 % for an operator;
 * {@code afterStepBack: continue} retries the phase — the version healed meanwhile — and succeeds.
 */
class StepBackIT {

    private static Stack stack;
    private static Judgement j;

    @BeforeAll
    static void startStack() throws Exception {
        stack = Stack.shared();
        j = new Judgement(stack);
    }

    private static String deployment(String service, String version, String afterStepBack) {
        return """
                {"service": "%s", "environment": "production", "version": "%s", "previousVersion": "7.0.0",
                 "target": {"type": "http", "url": "%s"},
                 "strategy": {"steps": [{"setWeight": 5}, {"analysis": {"duration": "12s"}},
                                        {"setWeight": 25},
                                        {"analysis": {"duration": "40s", "criteria": [
                                          {"name": "phase-error-rate", "provider": "scrape", "metric": "error_rate",
                                           "max": 0.05, "interval": "2s", "failureLimit": 2}]}},
                                        {"setWeight": 100}],
                              "onFailure": "stepBack", "afterStepBack": "%s"},
                 "analysis": {"checks": [{"name": "latency-p95", "provider": "scrape", "metric": "latency_p95",
                                          "max": 5.0, "interval": "2s", "failureLimit": 3, "severity": "P2"}]}}
                """.formatted(service, version, j.targetUrl(), afterStepBack);
    }

    @Test
    void aFailureAt25PercentStepsBackTo5AndThenPausesOrContinuesPerPolicy() throws Exception {
        String pausing = j.service("stepback-pause");
        String continuing = j.service("stepback-continue");
        String pausingVersion = j.version("7.1.0");
        String continuingVersion = j.version("7.2.0");
        String pauseId = j.started(deployment(pausing, pausingVersion, "pause"));
        String continueId = j.started(deployment(continuing, continuingVersion, "continue"));
        try {
            for (String[] d : List.of(new String[] {pauseId, pausingVersion},
                    new String[] {continueId, continuingVersion})) {
                j.awaitDeployment(d[0], Duration.ofSeconds(90), "at 25 %",
                        x -> x.path("currentWeight").asInt() == 25);
                j.behave(d[1], "\"errorRate\": 0.5");
            }

            // The continuing one: heal its version as soon as the phase is judged failed, so the retry is clean.
            j.awaitDecision(continueId, Duration.ofSeconds(60), "that the phase failed", Judgement.action("ROLLBACK"));
            j.heal(continuingVersion);

            for (String id : List.of(pauseId, continueId)) {
                JsonNode stepped = j.awaitEvent(Topics.ROLLBACK_COMPLETED, id, Duration.ofSeconds(90),
                        "a step back", c -> "STEPPED_BACK".equals(c.path("outcome").asText()));
                assertThat(stepped.path("toWeight").asInt()).as(stepped.toString()).isEqualTo(5);
                List<JsonNode> traffic = j.targetCalls(id).stream()
                        .filter(c -> "traffic".equals(c.path("kind").asText())).toList();
                assertThat(traffic).extracting(c -> c.path("body").path("weight").asInt())
                        .as("the weights demo-target was told").containsSubsequence(5, 25, 5);
                assertThat(j.targetCalls(id)).noneMatch(c -> "rollback".equals(c.path("kind").asText()));
            }

            // afterStepBack: pause — it waits at 5 % for an operator, not rolled back, not going on.
            JsonNode paused = j.awaitDeployment(pauseId, Duration.ofSeconds(60), "paused at 5 %",
                    x -> x.path("currentWeight").asInt() == 5
                            && List.of("PAUSED", "AWAITING_APPROVAL").contains(x.path("status").asText()));
            assertThat(j.targetState(pausing).path("weight").asInt()).as("demo-target").isEqualTo(5);

            // afterStepBack: continue — the phase is retried and, the version healthy again, the rollout succeeds.
            JsonNode done = j.awaitStatus(continueId, Duration.ofMinutes(3), Judgement.TERMINAL.toArray(String[]::new));
            assertThat(done.path("status").asText()).as(done.toString()).isEqualTo("SUCCEEDED");
            assertThat(j.targetCalls(continueId).stream().filter(c -> "traffic".equals(c.path("kind").asText()))
                    .map(c -> c.path("body").path("weight").asInt()).toList())
                    .containsSubsequence(5, 25, 5, 25, 100);
            assertThat(j.deployment(pauseId).path("status").asText()).as("still waiting at 5 %")
                    .isIn("PAUSED", "AWAITING_APPROVAL");
        } finally {
            j.heal(pausingVersion);
            j.heal(continuingVersion);
            j.abortQuietly(pauseId);
            j.abortQuietly(continueId);
        }
    }
}
