package dev.rollwatch.rollback.service;

import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.ThresholdRecovered;
import dev.rollwatch.rollback.domain.BreachRecovery;
import dev.rollwatch.rollback.domain.Decision;
import dev.rollwatch.rollback.domain.TrackedDeployment;
import dev.rollwatch.rollback.repository.BreachRecoveryRepository;
import dev.rollwatch.rollback.repository.DecisionRepository;
import dev.rollwatch.rollback.repository.TrackedDeploymentRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Optional;

/**
 * Records that a breach episode ended (ThresholdRecovered) and lets the persistence rule see it. Under the
 * deployment's lock — the same one every decision takes, so a recovery and its breach arriving together on their two
 * topics never miss each other — the recovery is stored by its breach event id; if that breach was alerted on as a
 * CONDITIONAL breach below its repeat limit, its episode is followed up at once ({@link PersistentBreaches#followUp}):
 * recovered within the window → "recovered after X, alert only"; recovered after the window → it persisted, roll
 * back. A recovery whose breach has not arrived yet is applied when the breach comes ({@link BreachDecisions}). A
 * recovery of a deployment that is finished or already rolling back changes nothing.
 */
@ApplicationScoped
public class Recoveries {

    private static final Logger LOG = Logger.getLogger(Recoveries.class);

    private final TrackedDeploymentRepository deployments;
    private final BreachRecoveryRepository recoveries;
    private final DecisionRepository decisions;
    private final PersistentBreaches persistent;

    public Recoveries(TrackedDeploymentRepository deployments, BreachRecoveryRepository recoveries,
            DecisionRepository decisions, PersistentBreaches persistent) {
        this.deployments = deployments;
        this.recoveries = recoveries;
        this.decisions = decisions;
        this.persistent = persistent;
    }

    /** Stores the recovery and returns the follow-up decision it caused, if any. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Decision> recovered(Envelope<ThresholdRecovered> event) {
        ThresholdRecovered r = event.data();
        String deploymentId = DeploymentTracker.deploymentId(event);
        Instant now = Times.now();
        TrackedDeployment deployment = deployments.lockOrCreate(deploymentId, r.service(), r.environment(),
                r.version(), now);
        Optional<BreachRecovery> known = recoveries.ofBreach(r.breachEventId());
        if (known.isPresent()) {
            LOG.infof("recovery %s: deployment %s breach %s already recovered (event %s at %s): nothing to do",
                    event.id(), deploymentId, r.breachEventId(), known.get().eventId, known.get().recoveredAt);
            return Optional.empty();
        }
        recoveries.persist(BreachRecovery.of(deploymentId, event, now));
        Optional<Decision> alert = decisions.conditionalAlertOf(deploymentId, r.breachEventId());
        Optional<Decision> followUp = alert.flatMap(a -> persistent.followUp(a, deployment, now));
        if (followUp.isEmpty()) {
            LOG.infof("recovery %s: deployment %s breach %s of %s recovered at %s: recorded, no decision (%s)",
                    event.id(), deploymentId, r.breachEventId(), r.check(), r.recoveredAt(), alert.isEmpty()
                            ? "no alert of that breach is waiting for its window; applied if the breach comes"
                            : "deployment " + deployment.state + " or episode already decided");
        }
        return followUp;
    }
}
