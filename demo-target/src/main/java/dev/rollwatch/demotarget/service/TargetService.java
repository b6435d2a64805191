package dev.rollwatch.demotarget.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rollwatch.demotarget.config.DemoConfig;
import dev.rollwatch.demotarget.domain.CallKind;
import dev.rollwatch.demotarget.domain.DriverCall;
import dev.rollwatch.demotarget.domain.FinalizeCommand;
import dev.rollwatch.demotarget.domain.RollbackCommand;
import dev.rollwatch.demotarget.domain.TargetState;
import dev.rollwatch.demotarget.domain.TrafficCommand;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the target runs for each service, changed only by driver calls. Each change re-routes the simulator's traffic
 * and is recorded as evidence. A call whose {@code webhook-id} was already applied changes nothing (a driver retry).
 */
@Startup // the configured services receive traffic from start-up, before any call
@ApplicationScoped
public class TargetService {

    /** The outcome of a driver call: the state after it, and whether it was a repeat that changed nothing. */
    public record Applied(TargetState state, boolean duplicate) {
    }

    private final TrafficSimulator simulator;
    private final Clock clock;
    private final int maxRecordedCalls;
    private final Map<String, TargetState> states = new TreeMap<>();
    private final Deque<RecordedCall> calls = new ArrayDeque<>();
    private final Map<String, RecordedCall> callsByWebhookId = new HashMap<>();

    public TargetService(TrafficSimulator simulator, Clock clock, DemoConfig config) {
        this.simulator = simulator;
        this.clock = clock;
        this.maxRecordedCalls = config.maxRecordedCalls();
        Instant now = clock.instant();
        initialServices(config.services()).forEach((service, version) -> place(TargetState.stable(service, version, now)));
    }

    public synchronized Applied shiftTraffic(TrafficCommand command, String webhookId, JsonNode body) {
        Optional<Applied> repeat = repeat(webhookId);
        if (repeat.isPresent()) {
            return repeat.get();
        }
        TargetState state = new TargetState(command.service(), command.stableVersion(), command.canaryVersion(),
                command.weight(), clock.instant());
        place(state);
        record(CallKind.TRAFFIC, webhookId, command.deploymentId(), command.service(), command.environment(), body,
                state.updatedAt());
        Log.infof("traffic shifted: deploymentId=%s webhookId=%s service=%s environment=%s stable=%s canary=%s weight=%d",
                command.deploymentId(), webhookId, command.service(), command.environment(), command.stableVersion(),
                command.canaryVersion(), command.weight());
        return new Applied(state, false);
    }

    public synchronized Applied rollback(RollbackCommand command, String webhookId, JsonNode body) {
        Optional<Applied> repeat = repeat(webhookId);
        if (repeat.isPresent()) {
            return repeat.get();
        }
        TargetState previous = states.get(command.service());
        TargetState state = TargetState.stable(command.service(), command.toVersion(), clock.instant());
        place(state);
        record(CallKind.ROLLBACK, webhookId, command.deploymentId(), command.service(), command.environment(), body,
                state.updatedAt());
        Log.infof("rolled back: deploymentId=%s webhookId=%s service=%s environment=%s to=%s removedCanary=%s",
                command.deploymentId(), webhookId, command.service(), command.environment(), command.toVersion(),
                previous == null ? null : previous.canaryVersion());
        return new Applied(state, false);
    }

    /**
     * The rollout is over: {@code version} becomes the stable version with all the traffic and the canary slot is
     * emptied. Like a rollback, it runs what the call says whatever ran before (a service it did not know starts
     * running {@code version}); the version that was stable stops being deployed.
     */
    public synchronized Applied finalizeRollout(FinalizeCommand command, String webhookId, JsonNode body) {
        Optional<Applied> repeat = repeat(webhookId);
        if (repeat.isPresent()) {
            return repeat.get();
        }
        TargetState previous = states.get(command.service());
        TargetState state = TargetState.stable(command.service(), command.version(), clock.instant());
        place(state);
        record(CallKind.FINALIZE, webhookId, command.deploymentId(), command.service(), command.environment(), body,
                state.updatedAt());
        Log.infof("finalized: deploymentId=%s webhookId=%s service=%s environment=%s stable=%s retired=%s",
                command.deploymentId(), webhookId, command.service(), command.environment(), command.version(),
                previous == null || command.version().equals(previous.stableVersion())
                        ? null : previous.stableVersion());
        return new Applied(state, false);
    }

    public synchronized Optional<TargetState> state(String service) {
        return Optional.ofNullable(states.get(service));
    }

    /** The applied calls, oldest first, optionally only those of one deployment and/or service. */
    public synchronized List<DriverCall> calls(String deploymentId, String service) {
        return calls.stream()
                .filter(c -> deploymentId == null || deploymentId.equals(c.deploymentId))
                .filter(c -> service == null || service.equals(c.service))
                .map(RecordedCall::toDriverCall)
                .toList();
    }

    private Optional<Applied> repeat(String webhookId) {
        RecordedCall earlier = webhookId == null ? null : callsByWebhookId.get(webhookId);
        if (earlier == null) {
            return Optional.empty();
        }
        earlier.deliveries++;
        Log.infof("repeated call ignored: deploymentId=%s webhookId=%s service=%s deliveries=%d",
                earlier.deploymentId, webhookId, earlier.service, earlier.deliveries);
        return Optional.of(new Applied(states.get(earlier.service), true));
    }

    private void place(TargetState state) {
        states.put(state.service(), state);
        simulator.route(state.service(), state.stableVersion(), state.canaryVersion(), state.weight());
    }

    private void record(CallKind kind, String webhookId, String deploymentId, String service, String environment,
            JsonNode body, Instant receivedAt) {
        RecordedCall call = new RecordedCall(kind, webhookId, deploymentId, service, environment, receivedAt, body);
        calls.addLast(call);
        if (webhookId != null) {
            callsByWebhookId.put(webhookId, call);
        }
        while (calls.size() > maxRecordedCalls) {
            RecordedCall oldest = calls.removeFirst();
            if (oldest.webhookId != null) {
                callsByWebhookId.remove(oldest.webhookId, oldest);
            }
        }
    }

    /** Parses {@code name:stableVersion} entries. */
    static Map<String, String> initialServices(List<String> entries) {
        Map<String, String> services = new LinkedHashMap<>();
        for (String entry : entries) {
            String trimmed = entry.trim();
            int colon = trimmed.indexOf(':');
            if (colon <= 0 || colon == trimmed.length() - 1) {
                throw new IllegalArgumentException(
                        "demo.services entries are name:stableVersion, e.g. checkout:2.3.0; got '" + entry + "'");
            }
            services.put(trimmed.substring(0, colon).trim(), trimmed.substring(colon + 1).trim());
        }
        return services;
    }

    private static final class RecordedCall {
        private final CallKind kind;
        private final String webhookId;
        private final String deploymentId;
        private final String service;
        private final String environment;
        private final Instant receivedAt;
        private final JsonNode body;
        private int deliveries = 1;

        RecordedCall(CallKind kind, String webhookId, String deploymentId, String service, String environment,
                Instant receivedAt, JsonNode body) {
            this.kind = kind;
            this.webhookId = webhookId;
            this.deploymentId = deploymentId;
            this.service = service;
            this.environment = environment;
            this.receivedAt = receivedAt;
            this.body = body.deepCopy();
        }

        DriverCall toDriverCall() {
            return new DriverCall(kind, webhookId, deploymentId, service, environment, receivedAt, deliveries,
                    body.deepCopy());
        }
    }
}
