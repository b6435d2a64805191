package dev.rollwatch.audit.domain;

import dev.rollwatch.events.EventHeader;
import dev.rollwatch.events.EventType;
import dev.rollwatch.events.Topics;
import dev.rollwatch.events.kafka.TopicAcls;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IngestPolicyTest {

    private static EventHeader header(String source, String type) {
        return new EventHeader("id-1", source, type, "dep-1", null, null, null, null);
    }

    @Test
    void everyAuditedTopicHasExactlyOneProducerFromTopicAcls() {
        assertThat(IngestPolicy.PRODUCERS.keySet()).containsExactlyInAnyOrderElementsOf(Topics.ALL);
        assertThat(IngestPolicy.producerOf(Topics.THRESHOLD_BREACHED)).contains("/rollwatch/monitor-service");
        assertThat(IngestPolicy.producerOf(Topics.AUDIT_CHECKPOINTS)).contains("/rollwatch/audit-service");
        assertThat(IngestPolicy.producerOf(Topics.METRIC_SAMPLES)).isEmpty();
    }

    @Test
    void everyContractTypeIsAcceptedOnItsTopicFromItsProducer() {
        for (EventType type : EventType.values()) {
            if (!Topics.ALL.contains(type.topic())) {
                continue; // metric-samples: an input, not audited
            }
            String producer = TopicAcls.SERVICES.stream().filter(g -> g.produces().contains(type.topic()))
                    .findFirst().orElseThrow().service();
            assertThat(IngestPolicy.refusal(type.topic(), header("/rollwatch/" + producer, type.type())))
                    .as(type.name()).isEmpty();
        }
    }

    @Test
    void aTypeOffItsTopicOrASourceThatIsNotTheTopicsProducerIsRefused() {
        assertThat(IngestPolicy.refusal(Topics.NOTIFICATION_OUTCOMES,
                header("/rollwatch/monitor-service", EventType.THRESHOLD_BREACHED.type())))
                .hasValueSatisfying(r -> assertThat(r).contains("belongs on topic threshold-breached"));
        assertThat(IngestPolicy.refusal(Topics.THRESHOLD_BREACHED,
                header("/rollwatch/notifier-service", EventType.THRESHOLD_BREACHED.type())))
                .hasValueSatisfying(r -> assertThat(r).contains("may not write topic threshold-breached"));
        assertThat(IngestPolicy.refusal(Topics.DEPLOYMENT_COMMANDS,
                header("/rollwatch/deploy-service", "dev.rollwatch.deployment.paused.v1"))).isEmpty();
        assertThat(IngestPolicy.refusal(Topics.DEPLOYMENT_COMMANDS,
                header("/x", "dev.rollwatch.deployment.paused.v1"))).isPresent();
        assertThat(IngestPolicy.refusal("other-topic", header("/rollwatch/deploy-service",
                EventType.DEPLOYMENT_STARTED.type()))).isPresent();
    }
}
