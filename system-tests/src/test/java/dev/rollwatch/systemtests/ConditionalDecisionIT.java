package dev.rollwatch.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.events.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 (b): a version with 2 % errors is not rolled back at the first sample. It breaches the 1 % check (P1),
 * which the runbooks answer with "rollback if no quick fix": the rollback service decides CONDITIONAL — who must
 * decide (the operators) and by when — the notifier tells them, and when nobody answers, the default action
 * (ROLLBACK) happens at the deadline. The P1 response target (15 minutes) is shortened to 20 s by this scope's
 * policy ({@code p1-conditional.decideWithin}). Real time.
 */
class ConditionalDecisionIT {

    private static final Duration DECIDE_WITHIN = Duration.ofSeconds(20);
    private static Stack stack;
    private static Judgement j;

    @BeforeAll
    static void startStack() throws Exception {
        stack = Stack.shared();
        j = new Judgement(stack);
    }

    @Test
    void twoPercentErrorsAskTheOperatorAndWithNoAnswerTheDefaultRollbackHappensAtTheDeadline() throws Exception {
        String service = j.service("conditional");
        String version = j.version("6.1.0");
        j.rollbackPolicy(service, "production", """
                {"p1-conditional": {"decideWithin": "20s"}, "multiple-p1": {"decideWithin": "20s"}}""", "");
        j.behave(version, "\"errorRate\": 0.02");
        String id = j.started("""
                {"service": "%s", "environment": "production", "version": "%s", "previousVersion": "6.0.0",
                 "target": {"type": "http", "url": "%s"},
                 "strategy": {"steps": [{"setWeight": 50}, {"analysis": {"duration": "10m"}}, {"setWeight": 100}]},
                 "analysis": {"checks": [{"name": "error-rate", "provider": "scrape", "metric": "error_rate",
                                          "max": 0.01, "interval": "3s", "failureLimit": 2, "severity": "P1"}]}}
                """.formatted(service, version, j.targetUrl()));
        try {
            JsonNode conditional = j.awaitDecision(id, Duration.ofSeconds(90), "CONDITIONAL",
                    Judgement.action("CONDITIONAL"));
            String statusThen = j.status(id);

            // Who decides, by when, and what happens otherwise; and the runbook rule behind it.
            assertThat(conditional.path("severity").asText()).as(conditional.toString()).isEqualTo("P1");
            assertThat(conditional.path("deciders").asText()).isNotBlank();
            assertThat(conditional.path("defaultAction").asText()).isEqualTo("ROLLBACK");
            assertThat(conditional.path("seedRule").asText()).isNotBlank();
            Instant decidedAt = Instant.parse(conditional.path("decidedAt").asText());
            Instant decideBy = Instant.parse(conditional.path("decideBy").asText());
            assertThat(conditional.path("respondBy").isTextual()).as("a P1 has a response target").isTrue();
            assertThat(Duration.between(decidedAt, decideBy)).as("the policy's decideWithin, not the runbook's 15 min")
                    .isPositive().isLessThanOrEqualTo(DECIDE_WITHIN.plusSeconds(1));
            // Not rolled back at the first breach: the version keeps its traffic while the operator decides.
            assertThat(statusThen).as("the deployment while a person decides").isEqualTo("RUNNING");

            // The operators were told that a decision waits for them.
            JsonNode told = j.awaitDelivery(id, Duration.ofSeconds(60), "about the CONDITIONAL decision",
                    d -> "dev.rollwatch.rollback.decided.v1".equals(d.path("eventType").asText()));
            assertThat(Judgement.paged(told) || "slack".equals(told.path("channel").asText())
                    || !told.path("fallbackFor").isEmpty()).as(told.toString()).isTrue();

            // Nobody answers: the default action, at the deadline.
            JsonNode finished = j.awaitStatus(id, DECIDE_WITHIN.plusSeconds(120),
                    Judgement.TERMINAL.toArray(String[]::new));
            assertThat(finished.path("status").asText()).as(finished.toString()).isEqualTo("ROLLED_BACK");
            List<JsonNode> requested = j.events(Topics.ROLLBACK_REQUESTED, id);
            assertThat(requested).hasSize(1);
            List<JsonNode> decisions = j.decisions(id);
            JsonNode rollback = decisions.stream().filter(Judgement.action("ROLLBACK")).findFirst().orElseThrow(
                    () -> new AssertionError("no ROLLBACK decision among " + decisions));
            assertThat(Instant.parse(rollback.path("decidedAt").asText()))
                    .as("the default rollback waits for the deadline").isAfterOrEqualTo(decideBy);
            assertThat(j.targetCalls(id).stream().filter(c -> "rollback".equals(c.path("kind").asText())))
                    .hasSize(1);
        } finally {
            j.heal(version);
            j.abortQuietly(id);
        }
    }
}
