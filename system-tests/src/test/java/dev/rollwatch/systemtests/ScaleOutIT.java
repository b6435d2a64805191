package dev.rollwatch.systemtests;

import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.ServiceProcess;
import dev.rollwatch.testsupport.TestPostgres;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scale-out (issue 16, 5): two rollback-service and two deploy-service instances on the same broker and database
 * (the rest of the stack once). The instances of a service are one consumer group, so the broker splits each topic's
 * partitions between them; the deployment id is the record key, so a deployment's events of one topic all reach the
 * same instance, and the instances coordinate through the database (row locks, the inbox, deploy-service's engine
 * lease). Bad deployments, their ids spread over every partition, are started through both deploy-service
 * instances and fail their analysis criterion on demo-target's metrics: each is decided and rolled back exactly
 * once — one {@code RollbackRequested} on Kafka, one rollback call at demo-target, ROLLED_BACK, every event in the
 * audit log once — and both instances of each service did some of that work (each instance's own log names the
 * deployments it decided / rolled back; its {@code /q/metrics} counters are printed beside).
 */
class ScaleOutIT {

    private static final String DEPLOY = "deploy-service";
    private static final String ROLLBACK = "rollback-service";
    /**
     * At least this many deployments on every partition, so that both instances of each group get some: a rollback
     * is usually driven by the deploy-service instance that consumed its request, but the other one wins the lease
     * now and then (its tick, or a forward run it holds at that moment), so one per partition would not be enough.
     */
    private static final int PER_PARTITION = 3;
    private static final int FIRST_BATCH = 12;
    private static final int MAX_DEPLOYMENTS = 30;

    /** rollback-service's log line for a decision (BreachDecisions): its deployment and action. */
    private static final Pattern DECIDED = Pattern.compile("decision \\S+: deployment (\\S+) breach \\S+ -> ROLLBACK ");
    /** deploy-service's log line once the target has been rolled back (RollbackExecutor, applying EndRollback). */
    private static final Pattern ROLLED_BACK = Pattern.compile("deployment (\\S+) rollback to \\S+ (SUCCEEDED|UNVERIFIED) in ");

    private static Stack stack;
    private static ServiceProcess deploy2;
    private static ServiceProcess rollback2;

    @BeforeAll
    static void startSecondInstances() throws Exception {
        stack = Stack.shared();
        CompletableFuture<ServiceProcess> d = CompletableFuture.supplyAsync(() -> start(DEPLOY));
        CompletableFuture<ServiceProcess> r = CompletableFuture.supplyAsync(() -> start(ROLLBACK));
        deploy2 = d.join();
        rollback2 = r.join();
    }

    private static ServiceProcess start(String module) {
        try {
            return stack.extraInstance(module, 2);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start a second " + module + ": " + e.getMessage(), e);
        }
    }

    @AfterAll
    static void stopSecondInstances() {
        if (stack != null) {
            stack.stopExtraInstances();
        }
    }

    @Test
    void twoInstancesOfEachServiceShareTheWorkAndEveryDeploymentIsRolledBackOnce() throws Exception {
        // Both instances of each group hold partitions of the topic that brings them their work before anything starts.
        awaitTwoMembersAssigned(ROLLBACK, Topics.THRESHOLD_BREACHED);
        awaitTwoMembersAssigned(DEPLOY, Topics.ROLLBACK_REQUESTED);
        int partitions = partitions(Topics.THRESHOLD_BREACHED);
        assertThat(partitions(Topics.ROLLBACK_REQUESTED)).isEqualTo(partitions);

        Map<String, List<ServiceProcess>> instances = Map.of(
                DEPLOY, List.of(stack.get(DEPLOY), deploy2), ROLLBACK, List.of(stack.get(ROLLBACK), rollback2));
        Map<String, Double> decisionsBefore = meters(instances.get(ROLLBACK), "rollwatch_rollback_decisions_total",
                "action=\"ROLLBACK\"");
        Map<String, Double> rollbackCallsBefore = meters(instances.get(DEPLOY),
                "rollwatch_deploy_driver_calls_seconds_count", "kind=\"rollback\"");

        // Bad deployments through both deploy-service instances in turn, until every partition has its share.
        Ledger ledger = new Ledger(stack, 60);
        Map<Integer, Integer> perPartition = new TreeMap<>();
        long[] transactionsBefore = committedTransactions();
        long started = System.nanoTime();
        for (int n = 0; n < MAX_DEPLOYMENTS && (n < FIRST_BATCH || !covered(perPartition, partitions)); n++) {
            Ledger.Deployment d = ledger.submit("scale", n, true, instances.get(DEPLOY).get(n % 2));
            perPartition.merge(partition(d.id(), partitions), 1, Integer::sum);
        }
        int count = ledger.deployments().size();
        System.out.printf("[system-tests] scale-out: %d bad deployments, per partition %s%n", count, perPartition);
        assertThat(covered(perPartition, partitions)).as("deployments per partition %s", perPartition).isTrue();

        ledger.drain(Duration.ofMinutes(3));
        long terminalMs = (System.nanoTime() - started) / 1_000_000;
        long[] transactionsAfter = committedTransactions();
        ledger.assertTargetCalls();
        ledger.assertOneRollbackRequestedEach();

        // Who did what, from each instance's own log: every deployment decided once and rolled back once, by one
        // instance of each service, and each instance did some of them.
        Map<String, Map<String, Integer>> decided = new LinkedHashMap<>();
        Map<String, Map<String, Integer>> rolledBack = new LinkedHashMap<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            decided.clear();
            rolledBack.clear();
            for (ServiceProcess p : instances.get(ROLLBACK)) {
                decided.put(p.name, linesPerDeployment(p, DECIDED, ledger.ids()));
            }
            for (ServiceProcess p : instances.get(DEPLOY)) {
                rolledBack.put(p.name, linesPerDeployment(p, ROLLED_BACK, ledger.ids()));
            }
            for (Ledger.Deployment d : ledger.deployments()) {
                assertThat(decided.values().stream().mapToInt(m -> m.getOrDefault(d.id(), 0)).sum())
                        .as("ROLLBACK decisions of %s (%s) in %s", d.service(), d.id(), decided.keySet())
                        .isEqualTo(1);
                assertThat(rolledBack.values().stream().mapToInt(m -> m.getOrDefault(d.id(), 0)).sum())
                        .as("rollbacks of %s (%s) done by %s", d.service(), d.id(), rolledBack.keySet())
                        .isEqualTo(1);
            }
        });
        Map<String, Double> decisionsAfter = meters(instances.get(ROLLBACK), "rollwatch_rollback_decisions_total",
                "action=\"ROLLBACK\"");
        Map<String, Double> rollbackCallsAfter = meters(instances.get(DEPLOY),
                "rollwatch_deploy_driver_calls_seconds_count", "kind=\"rollback\"");
        System.out.printf("[system-tests] scale-out: %d deployments ROLLED_BACK in %d ms; decided (log) %s, "
                        + "ROLLBACK decisions (metric delta) %s; rolled back (log) %s, rollback calls (metric delta) %s%n",
                count, terminalMs, sizes(decided), delta(decisionsBefore, decisionsAfter), sizes(rolledBack),
                delta(rollbackCallsBefore, rollbackCallsAfter));
        decided.forEach((instance, ids) -> assertThat(ids).as("deployments %s decided", instance).isNotEmpty());
        rolledBack.forEach((instance, ids) -> assertThat(ids).as("deployments %s rolled back", instance).isNotEmpty());

        ledger.assertAuditHoldsEveryEventOnce(Duration.ofMinutes(2));
        ledger.assertAuditVerifies();

        // Figures for docs/scaling.md (printed, not asserted): events per rolled-back deployment, and what PostgreSQL
        // committed from the first POST to the last terminal state (every service, both instances' engine ticks).
        Map<String, Integer> perTopic = new TreeMap<>();
        KafkaEvents.read(stack.kafka().bootstrap(), Topics.ALL, ledger.ids())
                .forEach(e -> perTopic.merge(e.topic(), 1, Integer::sum));
        int events = perTopic.values().stream().mapToInt(Integer::intValue).sum();
        long committed = transactionsAfter[0] - transactionsBefore[0];
        System.out.printf("[system-tests] scale-out: breach consumed -> RollbackRequested committed, p50/p99 ms: %s; "
                + "%s p50/p99 ms %s%n", quantiles(instances.get(ROLLBACK),
                "rollwatch_rollback_breach_commit_latency_seconds"), "breach observed -> rollback completed (deploy)",
                quantiles(instances.get(DEPLOY), "rollwatch_rollback_detection_latency_seconds"));
        System.out.printf("[system-tests] scale-out: %d contract events about them (%.1f per deployment) %s; "
                        + "PostgreSQL committed %d transactions (%d rolled back) in %d ms: %.0f/s, %.0f per deployment%n",
                events, events / (double) count, perTopic, committed, transactionsAfter[1] - transactionsBefore[1],
                terminalMs, committed * 1000.0 / terminalMs, committed / (double) count);
    }

    /** {@code pg_stat_database}'s committed and rolled-back transactions of the stack's database. */
    private static long[] committedTransactions() throws Exception {
        try (Connection c = DriverManager.getConnection(stack.postgres().jdbcUrl(), TestPostgres.USER,
                TestPostgres.PASSWORD); Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet r = s.executeQuery("SELECT xact_commit, xact_rollback FROM pg_stat_database "
                    + "WHERE datname = current_database()")) {
                r.next();
                return new long[] {r.getLong(1), r.getLong(2)};
            }
        }
    }

    private static boolean covered(Map<Integer, Integer> perPartition, int partitions) {
        for (int p = 0; p < partitions; p++) {
            if (perPartition.getOrDefault(p, 0) < PER_PARTITION) {
                return false;
            }
        }
        return true;
    }

    /** The partition a record keyed by {@code key} goes to: Kafka's default partitioner for keyed records. */
    private static int partition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private static int partitions(String topic) throws Exception {
        try (Admin admin = admin()) {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic);
            return d.partitions().size();
        }
    }

    /** Waits until two members of {@code group} (one per instance) each hold partitions of {@code topic}. */
    private static void awaitTwoMembersAssigned(String group, String topic) {
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            List<Set<TopicPartition>> assigned = new ArrayList<>();
            try (Admin admin = admin()) {
                ConsumerGroupDescription g = admin.describeConsumerGroups(List.of(group)).all()
                        .get(30, TimeUnit.SECONDS).get(group);
                for (MemberDescription m : g.members()) {
                    Set<TopicPartition> mine = m.assignment().topicPartitions();
                    if (mine.stream().anyMatch(tp -> tp.topic().equals(topic))) {
                        assigned.add(mine);
                    }
                }
            }
            assertThat(assigned).as("members of %s assigned partitions of %s", group, topic).hasSize(2);
            System.out.printf("[system-tests] scale-out: %s's members on %s: %s%n", group, topic, assigned);
        });
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrap()));
    }

    /** How many log lines of {@code instance} match {@code line}, per deployment of this test. */
    private static Map<String, Integer> linesPerDeployment(ServiceProcess instance, Pattern line, Set<String> ids)
            throws Exception {
        Map<String, Integer> counts = new TreeMap<>();
        for (String l : Files.readAllLines(instance.log, StandardCharsets.UTF_8)) {
            Matcher m = line.matcher(l);
            if (m.find() && ids.contains(m.group(1))) {
                counts.merge(m.group(1), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Per instance, the sum of the Prometheus samples of {@code metric} whose labels contain {@code label}. */
    private static Map<String, Double> meters(List<ServiceProcess> instances, String metric, String label)
            throws Exception {
        Map<String, Double> sums = new LinkedHashMap<>();
        for (ServiceProcess p : instances) {
            double sum = 0;
            for (String l : Http.getText(p.url("/q/metrics")).split("\n")) {
                if (l.startsWith(metric + "{") && l.contains(label)) {
                    sum += Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
                }
            }
            sums.put(p.name, sum);
        }
        return sums;
    }

    /** Per instance, a timer's p50 and p99 in ms (Micrometer's client-side percentiles: about the last 2 minutes). */
    private static Map<String, String> quantiles(List<ServiceProcess> instances, String timer) throws Exception {
        Map<String, String> q = new LinkedHashMap<>();
        for (ServiceProcess p : instances) {
            double p50 = -1;
            double p99 = -1;
            for (String l : Http.getText(p.url("/q/metrics")).split("\n")) {
                if (l.startsWith(timer + "{")) {
                    double ms = Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) * 1000;
                    if (l.contains("quantile=\"0.5\"")) {
                        p50 = ms;
                    } else if (l.contains("quantile=\"0.99\"")) {
                        p99 = ms;
                    }
                }
            }
            q.put(p.name, String.format("%.0f/%.0f", p50, p99));
        }
        return q;
    }

    private static Map<String, Long> delta(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Long> d = new LinkedHashMap<>();
        after.forEach((k, v) -> d.put(k, Math.round(v - before.getOrDefault(k, 0.0))));
        return d;
    }

    private static Map<String, Integer> sizes(Map<String, Map<String, Integer>> perInstance) {
        Map<String, Integer> s = new LinkedHashMap<>();
        perInstance.forEach((k, v) -> s.put(k, v.size()));
        return s;
    }
}
