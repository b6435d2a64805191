package dev.rollwatch.events.kafka;

import dev.rollwatch.events.EventType;
import dev.rollwatch.events.Topics;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TopicAclsTest {

    private static List<String> writers(String topic) {
        return TopicAcls.SERVICES.stream().filter(g -> g.produces().contains(topic))
                .map(TopicAcls.Grant::service).toList();
    }

    @Test
    void everyContractTopicHasExactlyOneWritingService() {
        Map<String, List<String>> writers = new HashMap<>();
        for (String topic : Topics.ALL) {
            writers.put(topic, writers(topic));
        }
        assertThat(writers).allSatisfy((topic, services) -> assertThat(services).as(topic).hasSize(1));
    }

    @Test
    void noServiceMayWriteTheInputTopicsOrAnotherServicesTopics() {
        for (String input : Topics.INPUTS) {
            assertThat(writers(input)).as(input + " is written by agents outside Rollwatch").isEmpty();
        }
        List<AclBinding> monitor = TopicAcls.bindings(TopicAcls.of("monitor-service").orElseThrow(),
                "User:monitor-service");
        assertThat(writesOf(monitor)).containsExactlyInAnyOrder("analysis-completed", "threshold-breached",
                "threshold-recovered", "rollback-verifications", "bake-checkpoints", "deployment-started.dlq",
                "step-started.dlq", "step-completed.dlq", "deployment-finished.dlq", "metric-samples.dlq",
                "rollback-requested.dlq", "rollback-completed.dlq", "producer-warmup");
        // Reading rollback-requested and rollback-completed (to watch the restored version) gives the monitor their
        // dead-letter topics, never the topics: it still cannot ask for, or claim, a rollback.
        assertThat(writesOf(monitor)).doesNotContain("rollback-requested", "rollback-completed");
    }

    @Test
    void everyServiceWritesExactlyTheContractTopicsItProducesAndTheDeadLettersOfWhatItReads() {
        for (TopicAcls.Grant grant : TopicAcls.SERVICES) {
            List<String> writes = writesOf(TopicAcls.bindings(grant, "User:" + grant.service()));

            assertThat(writes).as(grant.service() + " sends its start-up warm-up records")
                    .contains(Topics.PRODUCER_WARMUP);
            assertThat(writes.stream().filter(t -> !t.endsWith(".dlq") && !t.equals(Topics.PRODUCER_WARMUP))
                    .toList()).as(grant.service()).containsExactlyInAnyOrderElementsOf(grant.produces());
            assertThat(writes.stream().filter(t -> t.endsWith(".dlq")).toList()).as(grant.service())
                    .containsExactlyInAnyOrderElementsOf(grant.consumes().stream().map(Topics::dlq).toList());
            for (String topic : writes.stream().filter(t -> !t.endsWith(".dlq") && !t.equals(Topics.PRODUCER_WARMUP))
                    .toList()) {
                assertThat(writers(topic)).as("writers of " + topic).containsExactly(grant.service());
            }
        }
    }

    /** The warm-up topic carries no event: every service may write it, none may read it, and it is no contract topic. */
    @Test
    void theWarmupTopicIsWrittenByEveryServiceAndReadByNone() {
        assertThat(Topics.ALL).doesNotContain(Topics.PRODUCER_WARMUP);
        assertThat(readers(Topics.PRODUCER_WARMUP)).isEmpty();
        for (TopicAcls.Grant grant : TopicAcls.SERVICES) {
            assertThat(TopicAcls.bindings(grant, "User:" + grant.service()))
                    .filteredOn(a -> a.pattern().name().equals(Topics.PRODUCER_WARMUP))
                    .extracting(a -> a.entry().operation()).as(grant.service())
                    .containsExactlyInAnyOrder(AclOperation.WRITE, AclOperation.DESCRIBE);
        }
    }

    /** The topics of issue 15 (ADR 0003) and who reads them. */
    @Test
    void theRunbookTopicsHaveTheirConsumers() {
        assertThat(readers(Topics.ROLLBACK_VERIFICATIONS))
                .containsExactlyInAnyOrder("rollback-service", "notifier-service", "audit-service");
        assertThat(readers(Topics.BAKE_CHECKPOINTS))
                .containsExactlyInAnyOrder("deploy-service", "notifier-service", "audit-service");
        assertThat(readers(Topics.APPROVAL_REQUESTS)).containsExactlyInAnyOrder("notifier-service", "audit-service");
        assertThat(TopicAcls.of("notifier-service").orElseThrow().consumes())
                .contains(Topics.STEP_STARTED, Topics.STEP_COMPLETED);
        assertThat(TopicAcls.of("monitor-service").orElseThrow().consumes())
                .contains(Topics.ROLLBACK_REQUESTED, Topics.ROLLBACK_COMPLETED);
        assertThat(Topics.ALL).contains(Topics.ROLLBACK_VERIFICATIONS, Topics.BAKE_CHECKPOINTS,
                Topics.APPROVAL_REQUESTS);
    }

    @Test
    void theWritingServiceIsTheOneThatProducesTheEventTypesOfTheTopic() {
        assertThat(writers(EventType.ROLLBACK_REQUESTED.topic())).containsExactly("rollback-service");
        assertThat(writers(EventType.THRESHOLD_BREACHED.topic())).containsExactly("monitor-service");
        assertThat(writers(EventType.DEPLOYMENT_STARTED.topic())).containsExactly("deploy-service");
        assertThat(writers(EventType.NOTIFICATION_DELIVERED.topic())).containsExactly("notifier-service");
        assertThat(writers(EventType.AUDIT_CHECKPOINTED.topic())).containsExactly("audit-service");
        assertThat(writers(EventType.ROLLBACK_VERIFIED.topic())).containsExactly("monitor-service");
        assertThat(writers(EventType.BAKE_CHECKPOINT.topic())).containsExactly("monitor-service");
        assertThat(writers(EventType.APPROVAL_REQUESTED.topic())).containsExactly("deploy-service");
    }

    @Test
    void aServiceGetsNoCreateAlterOrClusterRightsAndReadsOnlyWithItsOwnGroup() {
        for (TopicAcls.Grant grant : TopicAcls.SERVICES) {
            List<AclBinding> acls = TopicAcls.bindings(grant, "User:" + grant.service());
            assertThat(acls).extracting(a -> a.entry().operation())
                    .containsOnly(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE);
            assertThat(acls).extracting(a -> a.pattern().resourceType())
                    .containsOnly(ResourceType.TOPIC, ResourceType.GROUP);
            assertThat(acls).filteredOn(a -> a.pattern().resourceType() == ResourceType.GROUP)
                    .extracting(a -> a.pattern().name()).containsExactly(grant.service());
        }
    }

    @Test
    void theAuditServiceReadsEveryContractTopic() {
        List<String> reads = new ArrayList<>();
        TopicAcls.bindings(TopicAcls.of("audit-service").orElseThrow(), "User:audit").stream()
                .filter(a -> a.entry().operation() == AclOperation.READ
                        && a.pattern().resourceType() == ResourceType.TOPIC)
                .forEach(a -> reads.add(a.pattern().name()));
        assertThat(reads).containsExactlyInAnyOrderElementsOf(Topics.ALL);
    }

    private static List<String> readers(String topic) {
        return TopicAcls.SERVICES.stream().filter(g -> g.consumes().contains(topic))
                .map(TopicAcls.Grant::service).toList();
    }

    private static List<String> writesOf(List<AclBinding> acls) {
        return acls.stream().filter(a -> a.entry().operation() == AclOperation.WRITE)
                .map(a -> a.pattern().name()).toList();
    }
}
