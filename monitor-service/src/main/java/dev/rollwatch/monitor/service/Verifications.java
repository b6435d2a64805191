package dev.rollwatch.monitor.service;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.RollbackCompleted;
import dev.rollwatch.events.RollbackOutcome;
import dev.rollwatch.events.RollbackVerified;
import dev.rollwatch.monitor.config.MonitorConfig;
import dev.rollwatch.monitor.domain.CheckProgress;
import dev.rollwatch.monitor.domain.CheckState;
import dev.rollwatch.monitor.domain.Verification;
import dev.rollwatch.monitor.domain.Watch;
import dev.rollwatch.monitor.domain.WatchStatus;
import dev.rollwatch.monitor.repository.CheckStateRepository;
import dev.rollwatch.monitor.repository.WatchRepository;
import dev.rollwatch.platform.outbox.Outbox;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Verified rollbacks (issue 15, item 7; runbooks 000/002/004: after a rollback, watch the restored version for 30
 * minutes and make sure the error rate drops back and the service is healthy). A RollbackCompleted SUCCEEDED or
 * UNVERIFIED turns the deployment's watch to VERIFYING the restored version ({@code toVersion}) for
 * {@code rollwatch.monitor.verify-window}: the deployment's checks (not the steps' criteria) judged on that version,
 * and the outage detection on it. A check that breaches, or an outage, is RollbackVerified UNVERIFIED at once; the
 * window over with neither is VERIFIED with every check's figures. No ThresholdBreached is emitted meanwhile:
 * RollbackVerified is the signal. STEPPED_BACK and FAILED start no verification (they end a bake window).
 */
@ApplicationScoped
public class Verifications {

    private static final Logger LOG = Logger.getLogger(Verifications.class);

    private final WatchRepository watches;
    private final CheckStateRepository checks;
    private final Outbox outbox;
    private final MonitorConfig config;
    private final Clock clock;

    public Verifications(WatchRepository watches, CheckStateRepository checks, Outbox outbox, MonitorConfig config,
            Clock clock) {
        this.watches = watches;
        this.checks = checks;
        this.outbox = outbox;
        this.config = config;
        this.clock = clock;
    }

    /** A rollback completed: verify the restored version, or (STEPPED_BACK, FAILED) only end a bake window. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void rollbackCompleted(Envelope<RollbackCompleted> event) {
        RollbackCompleted c = event.data();
        Watch w = watches.lock(event.subject()).orElse(null);
        if (w == null) {
            LOG.warnf("RollbackCompleted %s for deployment %s: no watch, nothing to verify", event.id(),
                    event.subject());
            return;
        }
        Instant now = now();
        boolean verify = (c.outcome() == RollbackOutcome.SUCCEEDED || c.outcome() == RollbackOutcome.UNVERIFIED)
                && c.toVersion() != null && !c.toVersion().isBlank();
        if (!verify) {
            if (w.status == WatchStatus.BAKING) {
                w.stop(now);
                LOG.infof("watch %s STOPPED: the bake window ended with a rollback %s (event %s)", w.deploymentId,
                        c.outcome(), event.id());
            }
            return;
        }
        if (event.id().equals(w.verifyEventId)) {
            return;
        }
        w.verify(c.toVersion(), event.id(), now, now.plus(config.verifyWindow()));
        List<CheckState> states = deploymentChecks(w);
        states.forEach(CheckState::restart);
        w.bakeBaseline = Json.write(CheckFigures.snapshot(states));
        LOG.infof("watch %s VERIFYING the restored version %s of %s until %s (rollback %s, event %s)",
                w.deploymentId, c.toVersion(), w.service, w.verifyUntil, c.outcome(), event.id());
    }

    /**
     * Something went wrong on the restored version of a watch the caller holds locked: RollbackVerified UNVERIFIED
     * now, and the watch stops.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void unverified(Watch w, String check, String detail, Instant now) {
        if (w.status != WatchStatus.VERIFYING) {
            return;
        }
        emit(w, RollbackVerified.UNVERIFIED, check, detail, now);
    }

    /** Verifications whose window ended with nothing wrong: VERIFIED. */
    @Scheduled(every = "${rollwatch.monitor.bake-check-interval:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void verifyDue() {
        QuarkusTransaction.requiringNew().run(() -> {
            Instant now = now();
            for (Watch w : watches.lockVerifyingUntil(now, 100)) {
                if (Verification.decide(false, false, w.verifyUntil, now) == Verification.Outcome.VERIFIED) {
                    emit(w, RollbackVerified.VERIFIED, null, "every check stayed within its threshold and the "
                            + "target answered for " + Duration.between(w.verifyStartedAt, w.verifyUntil), now);
                }
            }
        });
    }

    private void emit(Watch w, String outcome, String check, String detail, Instant now) {
        Map<String, CheckProgress> baseline = w.bakeBaseline == null ? Map.of()
                : AnalysisService.baseline(w.bakeBaseline);
        CheckFigures.Judged figures = CheckFigures.judge(deploymentChecks(w), baseline);
        String eventId = UUID.nameUUIDFromBytes(("rollback-verified/" + w.deploymentId + "/" + w.verifyEventId)
                .getBytes(StandardCharsets.UTF_8)).toString();
        RollbackVerified data = new RollbackVerified(w.service, w.environment, w.verifyVersion, outcome,
                Duration.between(w.verifyStartedAt, w.verifyUntil), w.verifyStartedAt, now, check, detail,
                figures.results());
        outbox.publish(new Envelope<>(eventId, SampleEvaluator.SOURCE, null, w.deploymentId, now, w.verifyEventId,
                w.deploymentId, w.deploymentId, data));
        w.verifyOutcome = outcome;
        w.stop(now);
        LOG.infof("rollback of deployment %s to %s %s%s (event %s, caused by %s): %s", w.deploymentId,
                w.verifyVersion, outcome, check == null ? "" : " by " + check, eventId, w.verifyEventId, detail);
    }

    private List<CheckState> deploymentChecks(Watch w) {
        return checks.forDeployment(w.deploymentId).stream().filter(s -> !s.isCriterion()).toList();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
