package dev.rollwatch.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.events.Topics;
import dev.rollwatch.testsupport.ServiceProcess;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the system acknowledged during a test — every deployment it answered 202 for, with the terminal state it
 * must reach — and the final drain: every acknowledged deployment reaches that state, the target was told exactly
 * what it should have been, and every event about them is in the audit log exactly once.
 *
 * <p>Deployments run against the real demo-target, judged by the monitor's real {@code scrape} provider from
 * demo-target's {@code /metrics}: versions named {@code *-bad} serve 8% errors there, good ones 0.1%.
 */
final class Ledger {

    enum Expect { SUCCEEDED, ROLLED_BACK }

    record Deployment(String id, String service, String version, Expect expected) {
    }

    static final Set<String> TERMINAL = Set.of("SUCCEEDED", "ROLLED_BACK", "FAILED", "ABORTED", "ROLLBACK_FAILED");

    private final Stack stack;
    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final int analysisSeconds;
    private final List<Deployment> acknowledged = Collections.synchronizedList(new ArrayList<>());

    /** {@code analysisSeconds}: how long each deployment's analysis step at 25% lasts. */
    Ledger(Stack stack, int analysisSeconds) {
        this.stack = stack;
        this.analysisSeconds = analysisSeconds;
    }

    List<Deployment> deployments() {
        return List.copyOf(acknowledged);
    }

    Set<String> ids() {
        return acknowledged.stream().map(Deployment::id).collect(Collectors.toSet());
    }

    /**
     * Starts deployment {@code n} of this run (the POST, acknowledged and recorded): 25% to the new version, an
     * analysis step whose success criterion is the error rate the monitor scrapes from demo-target (every 3 s, over
     * 3% fails the phase: rolled back at once by the runbook pack's {@code criteria-failed}), then 100%. The
     * deployment's own check (over 3%, P1) stays, so the runbooks' default checks do not apply; a P1 alone asks an
     * operator (CONDITIONAL) since issue 15, so it is the criterion that rolls a bad version back.
     */
    Deployment submit(String prefix, int n, boolean bad) throws Exception {
        return submit(prefix, n, bad, stack.get("deploy-service"));
    }

    /** As {@link #submit(String, int, boolean)}, through the given deploy-service instance. */
    Deployment submit(String prefix, int n, boolean bad, ServiceProcess deployService) throws Exception {
        String service = prefix + "-" + run + "-" + n;
        String version = bad ? "2.0.0-bad" : "2.0.0";
        Http.Reply created = Http.post(deployService.url("/api/v1/deployments"), """
                {"service": "%s", "environment": "production", "version": "%s", "previousVersion": "1.9.0",
                 "target": {"type": "http", "url": "%s"},
                 "strategy": {"steps": [{"setWeight": 25},
                                        {"analysis": {"duration": "%ds", "criteria": [
                                          {"name": "phase-error-rate", "provider": "scrape",
                                           "metric": "error_rate", "max": 0.03, "interval": "3s",
                                           "failureLimit": 1}]}},
                                        {"setWeight": 100}]},
                 "analysis": {"checks": [{"name": "error-rate", "provider": "scrape", "metric": "error_rate",
                                          "max": 0.03, "interval": "3s", "failureLimit": 1, "severity": "P1"}]}}
                """.formatted(service, version, stack.url("demo-target", ""),
                analysisSeconds));
        assertThat(created.status()).as("POST deployment %s: %s", service, created.body()).isEqualTo(202);
        Deployment d = new Deployment(created.body().get("id").asText(), service, version,
                bad ? Expect.ROLLED_BACK : Expect.SUCCEEDED);
        acknowledged.add(d);
        return d;
    }

    /** {@code count} deployments from {@code threads} concurrent clients; every {@code badEvery}-th one is bad. */
    List<Deployment> submitConcurrently(String prefix, int count, int badEvery, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Deployment>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit(() -> submit(prefix, n, n % badEvery == badEvery - 1)));
            }
            List<Deployment> started = new ArrayList<>();
            for (Future<Deployment> f : futures) {
                started.add(f.get());
            }
            return started;
        } finally {
            pool.shutdownNow();
        }
    }

    String status(String id) throws Exception {
        return Http.get(stack.url("deploy-service", "/api/v1/deployments/" + id)).body().path("status").asText();
    }

    /** Waits until {@code deployments} all stand at their analysis step or later (mid-flow). */
    void awaitMidFlow(List<Deployment> deployments, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (Deployment d : deployments) {
                JsonNode body = Http.get(stack.url("deploy-service", "/api/v1/deployments/" + d.id())).body();
                assertThat(body.path("currentStep").asInt() >= 1 || TERMINAL.contains(body.path("status").asText()))
                        .as("%s at its analysis step: %s", d.service(), body.path("status")).isTrue();
            }
        });
    }

    /** Every acknowledged deployment reaches a terminal state, and it is the right one. */
    void drain(Duration timeout) {
        Map<String, String> statuses = new LinkedHashMap<>();
        await().atMost(timeout).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            for (Deployment d : deployments()) {
                statuses.put(d.id(), status(d.id()));
            }
            assertThat(statuses.values()).as("statuses %s", statuses).allMatch(TERMINAL::contains);
        });
        for (Deployment d : deployments()) {
            assertThat(statuses.get(d.id())).as("%s %s (%s)", d.service(), d.version(), d.id())
                    .isEqualTo(d.expected().name());
        }
    }

    /**
     * The target got 25% then 100% of each good version and then exactly one finalize of it, and exactly one
     * rollback call (and no finalize) for each bad one.
     */
    void assertTargetCalls() throws Exception {
        for (Deployment d : deployments()) {
            JsonNode calls = Http.get(stack.url("demo-target", "/rollwatch/v1/calls?deploymentId=" + d.id())).body();
            List<String> kinds = new ArrayList<>();
            calls.forEach(c -> kinds.add(c.get("kind").asText().toLowerCase(Locale.ROOT)));
            if (d.expected() == Expect.ROLLED_BACK) {
                assertThat(kinds).as("%s: %s", d.service(), calls).containsOnlyOnce("rollback")
                        .doesNotContain("finalize").last().isEqualTo("rollback");
            } else {
                assertThat(kinds).as("%s: %s", d.service(), calls).containsExactly("traffic", "traffic", "finalize")
                        .doesNotContain("rollback");
                assertThat(calls.get(1).get("body").get("weight").asInt()).isEqualTo(100);
                assertThat(calls.get(2).get("body").get("version").asText()).as("%s: %s", d.service(), calls)
                        .isEqualTo(d.version());
            }
        }
    }

    /** Exactly one distinct RollbackRequested on Kafka per bad deployment, none for the good ones. */
    void assertOneRollbackRequestedEach() {
        Map<String, Set<String>> requests = new HashMap<>();
        for (KafkaEvents.Event e : KafkaEvents.read(stack.kafka().bootstrap(), List.of(Topics.ROLLBACK_REQUESTED),
                ids())) {
            requests.computeIfAbsent(e.key(), k -> new HashSet<>()).add(e.id());
        }
        for (Deployment d : deployments()) {
            assertThat(requests.getOrDefault(d.id(), Set.of())).as("RollbackRequested ids of %s", d.service())
                    .hasSize(d.expected() == Expect.ROLLED_BACK ? 1 : 0);
        }
    }

    /**
     * Every event on every contract topic about these deployments is in the audit log, no event id is in the log
     * twice, and the log's DeploymentFinished of each deployment carries the expected outcome. Retried until the
     * audit service has caught up.
     */
    void assertAuditHoldsEveryEventOnce(Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            List<KafkaEvents.Event> onKafka = KafkaEvents.read(stack.kafka().bootstrap(), Topics.ALL, ids());
            Map<String, Integer> inLog = new HashMap<>();
            Map<String, String> outcomes = new HashMap<>();
            for (String line : Http.getText(stack.url("audit-service", "/api/v1/audit/events/stream?after=0"))
                    .split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode entry = Http.JSON.readTree(line);
                inLog.merge(entry.get("id").asText(), 1, Integer::sum);
                if ("dev.rollwatch.deployment.finished.v1".equals(entry.get("type").asText())) {
                    outcomes.put(entry.path("subject").asText(), entry.get("event").get("data").get("outcome").asText());
                }
            }
            assertThat(inLog.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList())
                    .as("event ids appended more than once").isEmpty();
            List<String> missing = onKafka.stream().filter(e -> !inLog.containsKey(e.id()))
                    .map(e -> e.topic() + "/" + e.type() + "/" + e.id()).toList();
            assertThat(missing).as("events on Kafka missing from the audit log (of %d)", onKafka.size()).isEmpty();
            for (Deployment d : deployments()) {
                assertThat(outcomes.get(d.id())).as("audited outcome of %s", d.service()).isEqualTo(d.expected().name());
            }
        });
    }

    void assertAuditVerifies() throws Exception {
        Http.Reply verify = Http.get(stack.url("audit-service", "/api/v1/audit/verify"));
        assertThat(verify.status()).isEqualTo(200);
        assertThat(verify.body().get("valid").asBoolean()).as(verify.body().toString()).isTrue();
    }

    /**
     * The notifier recorded exactly one delivery per (event, channel), and each deployment's DeploymentStarted and
     * DeploymentFinished (routed by the default routes) was notified.
     */
    void assertOneDeliveryPerEventAndChannel(Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofSeconds(2)).untilAsserted(this::deliveries);
    }

    private void deliveries() throws Exception {
        Map<String, List<KafkaEvents.Event>> lifecycle = KafkaEvents.read(stack.kafka().bootstrap(),
                        List.of(Topics.DEPLOYMENT_STARTED, Topics.DEPLOYMENT_FINISHED), ids()).stream()
                .collect(Collectors.groupingBy(KafkaEvents.Event::key));
        for (Deployment d : deployments()) {
            JsonNode items = Http.get(stack.url("notifier-service",
                    "/api/v1/deliveries?deploymentId=" + d.id() + "&size=500")).body().get("items");
            Map<String, Integer> perEventAndChannel = new HashMap<>();
            items.forEach(i -> perEventAndChannel.merge(i.get("eventId").asText() + " -> " + i.get("channel").asText(),
                    1, Integer::sum));
            assertThat(perEventAndChannel).as("deliveries of %s", d.service()).allSatisfy((k, n) -> assertThat(n)
                    .as(k).isEqualTo(1));
            Set<String> notified = new HashSet<>();
            items.forEach(i -> notified.add(i.get("eventId").asText()));
            for (KafkaEvents.Event e : lifecycle.getOrDefault(d.id(), List.of())) {
                assertThat(notified).as("%s of %s notified", e.type(), d.service()).contains(e.id());
            }
        }
    }
}
