package dev.rollwatch.systemtests;

import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.KafkaTestClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A poison record (not a CloudEvent) on every contract topic: every consumer group of the topic puts it on
 * {@code <topic>.dlq} with a {@code dead-letter-reason}, the audit service counts it, and a normal flow still
 * completes afterwards.
 */
class PoisonIT {

    private static Stack stack;

    @BeforeAll
    static void startStack() throws Exception {
        stack = Stack.shared();
    }

    @Test
    void poisonOnEveryTopicIsDeadLetteredByEveryConsumerAndTheFlowGoesOn() throws Exception {
        Map<String, Set<String>> groupsByTopic = consumerGroupsByTopic();
        for (String topic : Topics.ALL) {
            assertThat(groupsByTopic.getOrDefault(topic, Set.of())).as("consumer groups of %s", topic)
                    .contains("audit-service");
        }

        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> topics = new ArrayList<>(groupsByTopic.keySet());
        try (KafkaTestClient kafka = new KafkaTestClient(stack.kafka().bootstrap())) {
            for (String topic : topics) {
                kafka.send(topic, key(run, topic), "{\"not\": \"a cloudevent\"".getBytes(StandardCharsets.UTF_8));
            }
        }

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            List<String> dlqs = topics.stream().map(Topics::dlq).toList();
            Map<String, Integer> dead = new TreeMap<>();
            for (KafkaEvents.Event e : KafkaEvents.read(stack.kafka().bootstrap(), dlqs, k -> k.startsWith("poison-" + run))) {
                assertThat(KafkaTestClient.header(e.record(), "dead-letter-reason")).as("reason on %s", e.topic())
                        .isNotBlank();
                dead.merge(e.topic(), 1, Integer::sum);
            }
            for (String topic : topics) {
                assertThat(dead.getOrDefault(Topics.dlq(topic), 0)).as("dead letters of %s (consumed by %s)", topic,
                        groupsByTopic.get(topic)).isEqualTo(groupsByTopic.get(topic).size());
            }
        });

        String metrics = Http.getText(stack.url("audit-service", "/q/metrics"));
        for (String topic : Topics.ALL) {
            assertThat(metrics).as("audit counts the poison of %s", topic)
                    .containsPattern("rollwatch_audit_rejected_total\\{[^}]*topic=\"" + topic + "\"[^}]*} [1-9]");
        }

        Ledger ledger = new Ledger(stack, 40);
        ledger.submit("after-poison", 0, true);
        ledger.submit("after-poison", 1, false);
        ledger.drain(Duration.ofMinutes(3));
        ledger.assertTargetCalls();
        ledger.assertAuditHoldsEveryEventOnce(Duration.ofMinutes(2));
    }

    private static String key(String run, String topic) {
        return "poison-" + run + "-" + topic;
    }

    /** Which Rollwatch consumer groups have a member assigned partitions of each topic, as the broker sees it. */
    private static Map<String, Set<String>> consumerGroupsByTopic() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrap()))) {
            List<String> groups = admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
                    .map(GroupListing::groupId).filter(g -> g.endsWith("-service")).toList();
            Map<String, Set<String>> byTopic = new TreeMap<>();
            Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(groups).all()
                    .get(30, TimeUnit.SECONDS);
            for (ConsumerGroupDescription group : described.values()) {
                for (MemberDescription member : group.members()) {
                    for (TopicPartition tp : member.assignment().topicPartitions()) {
                        byTopic.computeIfAbsent(tp.topic(), t -> new TreeSet<>()).add(group.groupId());
                    }
                }
            }
            byTopic.keySet().removeIf(t -> t.endsWith(".dlq") || t.startsWith("__"));
            System.out.println("[system-tests] consumer groups by topic: " + byTopic);
            return byTopic;
        }
    }
}
