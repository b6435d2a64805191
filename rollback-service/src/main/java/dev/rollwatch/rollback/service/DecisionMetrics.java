package dev.rollwatch.rollback.service;

import dev.rollwatch.rollback.domain.Decision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/** Meters of the decisions: how many of each, and how long after the breach was observed they were taken. */
@ApplicationScoped
public class DecisionMetrics {

    private final MeterRegistry registry;
    private final Timer breachToDecision;

    public DecisionMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.breachToDecision = Timer.builder("rollwatch.rollback.decision.latency")
                .description("breach observed to rollback decision taken").publishPercentiles(0.5, 0.95, 0.99)
                .register(registry);
    }

    public void decided(Decision d) {
        Counter.builder("rollwatch.rollback.decisions").description("decisions taken, by action and rule")
                .tag("action", d.action.name()).tag("rule", d.rule).register(registry).increment();
        if (d.observedAt != null && d.followsUp == null) {
            // A persistence follow-up is decided a window after the breach by design: not decision latency.
            breachToDecision.record(Duration.between(d.observedAt, d.decidedAt).abs());
        }
    }

    public void escalated(Decision d) {
        Counter.builder("rollwatch.rollback.escalations").description("rollbacks escalated, by rule")
                .tag("rule", d.rule).register(registry).increment();
    }
}
