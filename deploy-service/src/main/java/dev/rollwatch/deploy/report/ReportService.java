package dev.rollwatch.deploy.report;

import dev.rollwatch.deploy.domain.Deployment;
import dev.rollwatch.deploy.service.DeploymentEvents;
import dev.rollwatch.deploy.service.DeploymentQueries;
import dev.rollwatch.deploy.service.ReportCalculator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

/** The deployment report: the persisted history and the monitor's figures, held against the runbooks' targets. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class ReportService {

    private final DeploymentQueries queries;
    private final FigureRepository figures;
    private final ReportTargets targets;
    private final Clock clock;

    public ReportService(DeploymentQueries queries, FigureRepository figures, ReportTargets targets, Clock clock) {
        this.queries = queries;
        this.figures = figures;
        this.targets = targets;
        this.clock = clock;
    }

    public ReportCalculator.Report report(UUID id) {
        DeploymentQueries.WithHistory w = queries.get(id);
        Deployment d = w.deployment();
        List<ReportCalculator.StepFacts> facts = w.history().stream()
                .map(s -> new ReportCalculator.StepFacts(s.stepIndex, s.kind, s.weight, s.status, s.startedAt,
                        s.finishedAt, s.smokePassed, s.smokeTotal))
                .toList();
        ReportCalculator.Override override = d.overrideReason == null ? null
                : new ReportCalculator.Override(d.requestedBy, d.overrideReason, d.overridden);
        return ReportCalculator.compute(new ReportCalculator.Facts(d.status, d.createdAt, d.finishedAt,
                DeploymentEvents.plan(d), d.rollbackDetectedAt, d.rollbackStartedAt, d.rollbackFinishedAt), facts,
                figures.of(id), override, targets.asTargets(), clock.instant());
    }
}
