package dev.rollwatch.rollback;

import dev.rollwatch.events.RollbackRequested;
import dev.rollwatch.events.Severity;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import dev.rollwatch.testsupport.RollwatchInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static dev.rollwatch.rollback.Fixtures.WAIT;
import static dev.rollwatch.rollback.Fixtures.awaitDecisions;
import static dev.rollwatch.rollback.Fixtures.breach;
import static dev.rollwatch.rollback.Fixtures.unique;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The persistence check looks at every open P2 episode, a page at a time: open episodes with a long window at the
 * head of the queue (the oldest) do not hide a younger one whose short window has passed. Pages of 2 here, so
 * the due episode is several pages in.
 */
@QuarkusTest
@TestProfile(PersistenceCheckPagingIT.SmallPages.class)
@QuarkusTestResource(value = RollwatchInfraResource.class, restrictToAnnotatedClass = false)
class PersistenceCheckPagingIT {

    public static class SmallPages implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("rollwatch.rollback.persistence-batch", "2");
        }
    }

    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void aDueEpisodeBehindManyLongWindowsStillRollsBack() {
        for (int i = 0; i < 5; i++) {
            String patient = unique("long-window");
            Fixtures.policy(patient, "\"repeatWindow\": \"1h\"");
            String id = Fixtures.start(kafka, patient, "2.1.0", "2.0.0");
            kafka.send(breach(id, patient, "2.1.0", Severity.P2, "latency", Instant.now()));
            assertThat(awaitDecisions(id, 1).get(0)).containsEntry("rule", "p2-below-repeat-limit");
        }
        String hurried = unique("short-window");
        Fixtures.policy(hurried, "\"repeatWindow\": \"2s\"");
        String id = Fixtures.start(kafka, hurried, "3.1.0", "3.0.0");
        kafka.send(breach(id, hurried, "3.1.0", Severity.P2, "latency", Instant.now()));

        RollbackRequested rollback = kafka.awaitEvent(Topics.ROLLBACK_REQUESTED, id, RollbackRequested.class, WAIT)
                .data();
        assertThat(rollback.policyRule()).isEqualTo("p2-persisted");
    }
}
