package dev.rollwatch.systemtests;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the runbook-judgement system tests do as a user would: set a scope's rollback policy and deployment policy,
 * make a demo-target version misbehave (errors, or stop answering), start deployments, and read what came of them —
 * the deployment, the rollback service's decisions, the notifier's deliveries, the target's calls and the events on
 * Kafka.
 */
final class Judgement {

    static final Set<String> TERMINAL = Set.of("SUCCEEDED", "ROLLED_BACK", "FAILED", "ABORTED", "ROLLBACK_FAILED");

    private final Stack stack;
    private final String run = UUID.randomUUID().toString().substring(0, 6);

    Judgement(Stack stack) {
        this.stack = stack;
    }

    /** A service name no other test uses. */
    String service(String prefix) {
        return prefix + "-" + run;
    }

    /** A version name no other test uses (demo-target behaviours are per version name, across services). */
    String version(String base) {
        return base + "-" + run;
    }

    String targetUrl() {
        return stack.url("demo-target", "");
    }

    // --- policies ---------------------------------------------------------------------------------------------

    /**
     * A new rollback policy for the scope: the runbook pack with these per-rule overrides (JSON object, e.g.
     * {@code {"outage": {"sustainedFor": "10s"}}}) and any other fields given (a JSON fragment, or empty).
     */
    JsonNode rollbackPolicy(String service, String environment, String overrides, String moreFields)
            throws Exception {
        String body = "{\"overrides\": " + overrides + (moreFields.isBlank() ? "" : ", " + moreFields)
                + ", \"reason\": \"system test: shorter windows than the runbooks' so it runs in a minute\"}";
        Http.Reply reply = Http.put(stack.url("rollback-service",
                "/api/v1/policies/" + service + "/" + environment), body);
        assertThat(reply.status()).as("PUT rollback policy: %s", reply.body()).isIn(200, 201);
        return reply.body();
    }

    /** A deployment policy for the scope (windows, freezes), as the deploy service takes it. */
    Http.Reply deploymentPolicy(String service, String environment, String body) throws Exception {
        return Http.put(stack.url("deploy-service", "/api/v1/deployment-policies/" + service + "/" + environment),
                body);
    }

    // --- demo-target --------------------------------------------------------------------------------------------

    /** Changes how a version behaves on demo-target from now on ({@code "errorRate": 0.3}, {@code "down": true}). */
    void behave(String version, String fields) throws Exception {
        Http.Reply reply = Http.post(stack.url("demo-target", "/demo/behaviour"),
                "{\"version\": \"" + version + "\", " + fields + "}");
        assertThat(reply.status()).as("POST /demo/behaviour: %s", reply.body()).isEqualTo(200);
    }

    /** Back to the configured behaviour (a good, answering version). */
    void heal(String version) throws Exception {
        Http.delete(stack.url("demo-target", "/demo/behaviour?version=" + version));
    }

    /** The driver calls demo-target applied for the deployment, oldest first. */
    List<JsonNode> targetCalls(String deploymentId) throws Exception {
        return list(Http.get(stack.url("demo-target", "/rollwatch/v1/calls?deploymentId=" + deploymentId)).body());
    }

    JsonNode targetState(String service) throws Exception {
        return Http.get(stack.url("demo-target", "/rollwatch/v1/state?service=" + service)).body();
    }

    // --- deployments --------------------------------------------------------------------------------------------

    /** POSTs the deployment and returns the answer (202 expected by the caller, or a 409 problem). */
    Http.Reply start(String body) throws Exception {
        return Http.post(stack.url("deploy-service", "/api/v1/deployments"), body);
    }

    String started(String body) throws Exception {
        Http.Reply created = start(body);
        assertThat(created.status()).as("POST deployment: %s", created.body()).isEqualTo(202);
        return created.body().get("id").asText();
    }

    JsonNode deployment(String id) throws Exception {
        return Http.get(stack.url("deploy-service", "/api/v1/deployments/" + id)).body();
    }

    String status(String id) throws Exception {
        return deployment(id).path("status").asText();
    }

    /** Waits until the deployment is in one of {@code statuses}; returns its view. */
    JsonNode awaitStatus(String id, Duration timeout, String... statuses) {
        Set<String> wanted = Set.of(statuses);
        JsonNode[] last = new JsonNode[1];
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                last[0] = deployment(id);
                assertThat(last[0].path("status").asText()).as("deployment %s: %s", id, last[0]).isIn(wanted);
            });
        } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\nthe monitor's view of it: " + monitorView(id), e);
        }
        return last[0];
    }

    /**
     * The monitor's analysis view of the deployment (every check's state and its latest measurements with their
     * reasons), or why it could not be read: what a failed wait for a status shows, so that a step ended
     * INCONCLUSIVE says which readings the monitor took (issue 16: a CI run once had none in a 6 s step).
     */
    String monitorView(String id) {
        try {
            Http.Reply reply = Http.get(stack.url("monitor-service", "/api/v1/deployments/" + id + "/analysis"));
            return reply.status() + " " + reply.body();
        } catch (Exception e) {
            return "unreadable: " + e;
        }
    }

    /** Waits until the deployment matches {@code condition} (e.g. it stands at a weight); returns its view. */
    JsonNode awaitDeployment(String id, Duration timeout, String what, Predicate<JsonNode> condition) {
        JsonNode[] last = new JsonNode[1];
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                last[0] = deployment(id);
                assertThat(condition.test(last[0])).as("deployment %s %s: %s", id, what, last[0]).isTrue();
            });
        } catch (AssertionError | org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\nthe monitor's view of it: " + monitorView(id), e);
        }
        return last[0];
    }

    void abortQuietly(String id) {
        try {
            if (!TERMINAL.contains(status(id))) {
                Http.post(stack.url("deploy-service", "/api/v1/deployments/" + id + "/abort"),
                        "{\"reason\": \"system test cleanup\"}");
            }
        } catch (Exception ignored) {
            // cleanup only
        }
    }

    // --- the rollback service ---------------------------------------------------------------------------------

    /** Every decision about the deployment, oldest first. */
    List<JsonNode> decisions(String deploymentId) throws Exception {
        Http.Reply reply = Http.get(stack.url("rollback-service",
                "/api/v1/decisions?deploymentId=" + deploymentId + "&size=200"));
        assertThat(reply.status()).as(reply.body().toString()).isEqualTo(200);
        List<JsonNode> items = list(reply.body().path("items"));
        java.util.Collections.reverse(items); // the API lists newest first
        return items;
    }

    /** Waits for a decision about the deployment that matches; returns it. */
    JsonNode awaitDecision(String deploymentId, Duration timeout, String what, Predicate<JsonNode> condition) {
        JsonNode[] found = new JsonNode[1];
        List<JsonNode> seen = new ArrayList<>();
        await().atMost(timeout).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            seen.clear();
            seen.addAll(decisions(deploymentId));
            found[0] = seen.stream().filter(condition).findFirst().orElse(null);
            assertThat(found[0]).as("a decision %s about %s among %s", what, deploymentId, seen).isNotNull();
        });
        return found[0];
    }

    /** The runbook pack rule that decided: {@code packRule}, else the decision's {@code rule}. */
    static String packRule(JsonNode decision) {
        String packRule = decision.path("packRule").asText("");
        return packRule.isEmpty() ? decision.path("rule").asText() : packRule;
    }

    static Predicate<JsonNode> action(String action) {
        return d -> action.equals(d.path("action").asText());
    }

    // --- the notifier -------------------------------------------------------------------------------------------

    /** The notifier's deliveries about the deployment. */
    List<JsonNode> deliveries(String deploymentId) throws Exception {
        return list(Http.get(stack.url("notifier-service",
                "/api/v1/deliveries?deploymentId=" + deploymentId + "&size=200")).body().path("items"));
    }

    /** Waits for a delivery about the deployment that matches; returns it. */
    JsonNode awaitDelivery(String deploymentId, Duration timeout, String what, Predicate<JsonNode> condition) {
        JsonNode[] found = new JsonNode[1];
        List<JsonNode> seen = new ArrayList<>();
        await().atMost(timeout).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            seen.clear();
            seen.addAll(deliveries(deploymentId));
            found[0] = seen.stream().filter(condition).findFirst().orElse(null);
            assertThat(found[0]).as("a delivery %s about %s among %s", what, deploymentId, seen).isNotNull();
        });
        return found[0];
    }

    /** Sent to PagerDuty, or to the channel standing in for it (out of the box the log channel). */
    static boolean paged(JsonNode delivery) {
        if ("pagerduty".equals(delivery.path("channel").asText())
                || "pagerduty".equals(delivery.path("channelType").asText())) {
            return true;
        }
        for (JsonNode f : delivery.path("fallbackFor")) {
            if ("pagerduty".equals(f.asText())) {
                return true;
            }
        }
        return false;
    }

    // --- Kafka ----------------------------------------------------------------------------------------------------

    /** The {@code data} of every event about the deployment on the topic, in order. */
    List<JsonNode> events(String topic, String deploymentId) {
        List<JsonNode> data = new ArrayList<>();
        for (KafkaEvents.Event e : KafkaEvents.read(stack.kafka().bootstrap(), List.of(topic),
                Set.of(deploymentId))) {
            if (e.json() != null) {
                data.add(e.json().path("data"));
            }
        }
        return data;
    }

    /** Waits for an event about the deployment on the topic that matches; returns its data. */
    JsonNode awaitEvent(String topic, String deploymentId, Duration timeout, String what,
            Predicate<JsonNode> condition) {
        JsonNode[] found = new JsonNode[1];
        List<JsonNode> seen = new ArrayList<>();
        await().atMost(timeout).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            seen.clear();
            seen.addAll(events(topic, deploymentId));
            found[0] = seen.stream().filter(condition).findFirst().orElse(null);
            assertThat(found[0]).as("%s on %s about %s among %s", what, topic, deploymentId, seen).isNotNull();
        });
        return found[0];
    }

    static List<JsonNode> list(JsonNode array) {
        List<JsonNode> l = new ArrayList<>();
        array.forEach(l::add);
        return l;
    }
}
