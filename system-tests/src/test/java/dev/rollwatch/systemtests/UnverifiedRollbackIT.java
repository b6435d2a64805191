package dev.rollwatch.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.events.Topics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 (e): a rollback is not done when the target call returns. A bad canary fails its phase criterion and is
 * rolled back — to a previous version that is itself failing (it has stopped answering on demo-target). The
 * restored version's health probe fails, so the rollback is UNVERIFIED, not SUCCEEDED; the rollback service
 * escalates it at P0 ({@code rollback-unverified}), the on-call is paged, and the audit timeline says so.
 */
class UnverifiedRollbackIT {

    private static Stack stack;
    private static Judgement j;

    @BeforeAll
    static void startStack() throws Exception {
        stack = Stack.shared();
        j = new Judgement(stack);
    }

    @Test
    void aRollbackToAVersionThatIsItselfFailingEndsUnverifiedAndEscalatesAtP0() throws Exception {
        String service = j.service("unverified");
        String previous = j.version("5.0.0");
        String bad = j.version("5.1.0-bad"); // demo-target serves *bad* versions with 8 % errors
        String id = j.started("""
                {"service": "%s", "environment": "production", "version": "%s", "previousVersion": "%s",
                 "target": {"type": "http", "url": "%s"},
                 "strategy": {"steps": [{"setWeight": 50},
                                        {"analysis": {"duration": "60s", "criteria": [
                                          {"name": "canary-error-rate", "provider": "scrape", "metric": "error_rate",
                                           "max": 0.03, "interval": "2s", "failureLimit": 2}]}},
                                        {"setWeight": 100}]}}
                """.formatted(service, bad, previous, j.targetUrl()));
        try {
            j.awaitDeployment(id, Duration.ofSeconds(90), "at its analysis step",
                    d -> d.path("currentStep").asInt() >= 1);
            j.behave(previous, "\"down\": true"); // the version a rollback would restore has stopped answering

            JsonNode completed = j.awaitEvent(Topics.ROLLBACK_COMPLETED, id, Duration.ofMinutes(2),
                    "the rollback's completion", c -> !c.path("outcome").asText().isEmpty());
            assertThat(completed.path("outcome").asText()).as(completed.toString()).isEqualTo("UNVERIFIED");
            assertThat(completed.path("toVersion").asText()).isEqualTo(previous);
            assertThat(j.targetState(service).path("stableVersion").asText()).as("the call itself went through")
                    .isEqualTo(previous);

            JsonNode escalated = j.awaitEvent(Topics.ROLLBACK_ESCALATED, id, Duration.ofSeconds(60),
                    "an escalation of the unverified rollback",
                    e -> "rollback-unverified".equals(e.path("rule").asText()));
            assertThat(escalated.path("severity").asText()).as(escalated.toString()).isEqualTo("P0");
            j.awaitDelivery(id, Duration.ofSeconds(60), "paging the escalation at P0",
                    d -> "dev.rollwatch.rollback.escalated.v1".equals(d.path("eventType").asText())
                            && "P0".equals(d.path("severity").asText()) && Judgement.paged(d));
            assertThat(j.status(id)).as("not a successful rollback").isNotEqualTo("SUCCEEDED");

            // The auditor's view says so too.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Http.Reply timeline = Http.get(stack.url("audit-service",
                        "/api/v1/audit/deployments/" + id + "/timeline"));
                assertThat(timeline.status()).isEqualTo(200);
                assertThat(timeline.body().path("rollbacks").path(0).path("rollback").path("outcome").asText())
                        .as(timeline.body().toString()).isEqualTo("UNVERIFIED");
            });
        } finally {
            j.heal(previous);
            j.abortQuietly(id);
        }
    }
}
