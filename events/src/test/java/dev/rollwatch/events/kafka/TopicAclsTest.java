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
                "threshold-recovered", "deployment-started.dlq", "step-started.dlq", "step-completed.dlq",
                "deployment-finished.dlq", "metric-samples.dlq");
    }

    @Test
    void theWritingServiceIsTheOneThatProducesTheEventTypesOfTheTopic() {
        assertThat(writers(EventType.ROLLBACK_REQUESTED.topic())).containsExactly("rollback-service");
        assertThat(writers(EventType.THRESHOLD_BREACHED.topic())).containsExactly("monitor-service");
        assertThat(writers(EventType.DEPLOYMENT_STARTED.topic())).containsExactly("deploy-service");
        assertThat(writers(EventType.NOTIFICATION_DELIVERED.topic())).containsExactly("notifier-service");
        assertThat(writers(EventType.AUDIT_CHECKPOINTED.topic())).containsExactly("audit-service");
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

    private static List<String> writesOf(List<AclBinding> acls) {
        return acls.stream().filter(a -> a.entry().operation() == AclOperation.WRITE)
                .map(a -> a.pattern().name()).toList();
    }
}
