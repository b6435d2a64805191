package dev.rollwatch.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.events.Roles;
import dev.rollwatch.testsupport.TestTokens;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The on-call operator of a long run. Since issue 15 a P1 breach is decided CONDITIONAL (the runbooks' rule
 * {@code p1-conditional}): an operator decides within 15 minutes, else the default action (ROLLBACK) happens. A run
 * that must drain sooner answers as a real on-call would: every {@code interval} this polls rollback-service for
 * CONDITIONAL decisions that await the operator role and are unresolved, about deployments the {@link Ledger}
 * acknowledged, and resolves each with ROLLBACK and a reason. It never looks at what the ledger expects of a
 * deployment: it answers what Rollwatch asks, as a person would.
 *
 * <p>Opt-in: only a test that starts one has an operator (the stack benchmark); the others meet the runbooks'
 * deadline as before. It calls as subject {@value #SUBJECT} with the operator role only, for every service:
 * {@code GET /api/v1/decisions?action=CONDITIONAL} (newest first, pages of 200) and
 * {@code POST /api/v1/decisions/{id}/resolve} with {@code {"action": "ROLLBACK", "reason": ...}}.
 */
final class Operator {

    static final String SUBJECT = "bench-operator";
    static final String REASON = "benchmark operator: a P1 breach during a load run, rolled back rather than waiting"
            + " out the response target";
    /** rollback-service's rule of a ROLLBACK decided by a person's answer to a CONDITIONAL decision. */
    static final String RESOLVED_RULE = "conditional-resolved";
    private static final int PAGE = 200;

    private final Stack stack;
    private final Ledger ledger;
    private final Duration interval;
    /** Decisions are listed newest first: paging stops at the first one decided before the operator came on duty. */
    private final Instant onDuty = Instant.now().minusSeconds(60);
    /** Conditional decisions answered with a final reply (202 or 409): never asked again. */
    private final Set<String> answered = ConcurrentHashMap.newKeySet();
    /** The replies to the operator's answers: {@code 202}, or {@code 409 <problem type>}. */
    private final Map<String, Integer> replies = new ConcurrentHashMap<>();
    /** What the operator could not do (a failed round, an unexpected reply): reported, the next round retries. */
    private final List<String> trouble = java.util.Collections.synchronizedList(new ArrayList<>());
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "benchmark-operator");
        t.setDaemon(true);
        return t;
    });

    /** Goes on duty at once: the first round runs now, the next {@code interval} after each round ends. */
    Operator(Stack stack, Ledger ledger, Duration interval) {
        this.stack = stack;
        this.ledger = ledger;
        this.interval = interval;
        poller.scheduleWithFixedDelay(this::round, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A token per round: a run outlasts a token's 15 minutes. Operator role only, every service. */
    private static String token() {
        return TestTokens.builder().subject(SUBJECT).roles(Roles.OPERATOR).services("*").bearer();
    }

    private void round() {
        try {
            String token = token();
            Set<String> ours = ledger.deployments().stream().map(Ledger.Deployment::id).collect(Collectors.toSet());
            for (JsonNode conditional : awaiting(token)) {
                if (ours.contains(conditional.path("deploymentId").asText())
                        && !answered.contains(conditional.path("id").asText())) {
                    resolve(conditional, token);
                }
            }
        } catch (Exception e) {
            // under load a request may time out; the next round asks again
            trouble.add(Instant.now() + " round failed: " + e);
        }
    }

    /** The unresolved CONDITIONAL decisions whose deciders are the operators, decided since the operator came on. */
    private List<JsonNode> awaiting(String token) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (int page = 0; ; page++) {
            Http.Reply reply = Http.get(stack.url("rollback-service",
                    "/api/v1/decisions?action=CONDITIONAL&size=" + PAGE + "&page=" + page), token);
            if (reply.status() != 200) {
                throw new IllegalStateException("GET decisions answered " + reply.status() + ": " + reply.body());
            }
            JsonNode items = reply.body().path("items");
            boolean older = false;
            for (JsonNode d : items) {
                if (Instant.parse(d.path("decidedAt").asText()).isBefore(onDuty)) {
                    older = true;
                } else if (d.path("resolvedAt").isMissingNode() || d.path("resolvedAt").isNull()) {
                    if (Roles.OPERATOR.equals(d.path("deciders").asText())) {
                        found.add(d);
                    }
                }
            }
            if (older || items.size() < PAGE) {
                return found;
            }
        }
    }

    private void resolve(JsonNode conditional, String token) throws Exception {
        String id = conditional.path("id").asText();
        Http.Reply reply = Http.post(stack.url("rollback-service", "/api/v1/decisions/" + id + "/resolve"),
                Http.JSON.createObjectNode().put("action", "ROLLBACK").put("reason", REASON).toString(), token);
        if (reply.status() == 429 || reply.status() >= 500) {
            trouble.add(Instant.now() + " resolve " + id + " answered " + reply.status() + ", asking again: "
                    + reply.body());
            return;
        }
        // A final reply. 409: nothing left to decide — the deployment is already rolling back or finished (a failed
        // phase criterion rolls back at once), or the decision was resolved meanwhile. Any other refusal (400, 403,
        // 404) would not change by asking again: it is counted, and the drain shows what it left undecided.
        answered.add(id);
        String type = reply.body().path("type").asText("");
        replies.merge(reply.status() == 202 ? "202" : reply.status() + " " + type.substring(type.lastIndexOf('/') + 1),
                1, Integer::sum);
    }

    /** The replies to the operator's answers so far, e.g. {@code {202=60, 409 deployment-not-open=7}}. */
    Map<String, Integer> replies() {
        return new TreeMap<>(replies);
    }

    List<String> trouble() {
        return List.copyOf(trouble);
    }

    /**
     * How a rolled-back deployment's rollback was decided, as rollback-service recorded it: its first ROLLBACK
     * decision's {@code rule}, whether that was the operator's answer, and the figure that belongs to each kind —
     * for a rule's own rollback {@code detectionToRollbackMs} (breach observed → rollback decided; absent when no
     * breach decided it), for the operator's the time from the CONDITIONAL decision to the operator's (the
     * benchmark's poll interval and load, not the product's latency).
     */
    record Rollback(String deploymentId, String rule, boolean byOperator, Long detectionToRollbackMs,
            Long decisionToOperatorMs) {
    }

    /**
     * Each of {@code deployments}' rollback, read from rollback-service's decisions about it (none for a deployment
     * without a ROLLBACK decision). Each deployment counts once, by its first ROLLBACK decision.
     */
    List<Rollback> rollbacks(List<Ledger.Deployment> deployments) throws Exception {
        String token = token();
        List<Rollback> out = new ArrayList<>();
        for (Ledger.Deployment deployment : deployments) {
            Http.Reply reply = Http.get(stack.url("rollback-service",
                    "/api/v1/decisions?deploymentId=" + deployment.id() + "&size=" + PAGE), token);
            if (reply.status() != 200) {
                throw new IllegalStateException("GET decisions of " + deployment.id() + " answered "
                        + reply.status() + ": " + reply.body());
            }
            List<JsonNode> decisions = Judgement.list(reply.body().path("items"));
            java.util.Collections.reverse(decisions); // oldest first
            decisions.stream().filter(Judgement.action("ROLLBACK")).findFirst().ifPresent(rollback -> {
                boolean byOperator = RESOLVED_RULE.equals(rollback.path("rule").asText())
                        && SUBJECT.equals(rollback.path("requestedBy").asText());
                Long toOperator = null;
                if (byOperator) {
                    String conditionalId = rollback.path("relatedDecision").asText();
                    toOperator = decisions.stream().filter(d -> conditionalId.equals(d.path("id").asText()))
                            .findFirst().map(c -> Duration.between(Instant.parse(c.path("decidedAt").asText()),
                                    Instant.parse(rollback.path("decidedAt").asText())).toMillis()).orElse(null);
                }
                JsonNode detection = rollback.path("detectionToRollbackMs");
                out.add(new Rollback(deployment.id(), rollback.path("rule").asText(), byOperator,
                        byOperator || !detection.isNumber() ? null : detection.asLong(), toOperator));
            });
        }
        return out;
    }

    /** Off duty: no round after the one under way, which is waited for. */
    void close() throws InterruptedException {
        poller.shutdown();
        poller.awaitTermination(interval.toMillis() + 60_000, TimeUnit.MILLISECONDS);
    }
}
