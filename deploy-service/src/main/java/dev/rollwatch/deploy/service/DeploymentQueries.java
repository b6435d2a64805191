package dev.rollwatch.deploy.service;

import dev.rollwatch.deploy.domain.Deployment;
import dev.rollwatch.deploy.domain.DeploymentStatus;
import dev.rollwatch.deploy.domain.DeploymentStep;
import dev.rollwatch.deploy.repository.DeploymentRepository;
import dev.rollwatch.deploy.repository.StepRepository;
import dev.rollwatch.platform.rest.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Read side of the API: one deployment with its history, filtered pages, and the metrics report. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class DeploymentQueries {

    private final DeploymentRepository deployments;
    private final StepRepository steps;
    private final Clock clock;

    public DeploymentQueries(DeploymentRepository deployments, StepRepository steps, Clock clock) {
        this.clock = clock;
        this.deployments = deployments;
        this.steps = steps;
    }

    public record WithHistory(Deployment deployment, List<DeploymentStep> history) {
    }

    public WithHistory get(UUID id) {
        Deployment d = deployments.findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("deployment", id.toString()));
        return new WithHistory(d, steps.history(id));
    }

    /** A page of deployments; {@code services} limits it to those services unless null (all). */
    /**
     * The service a deployment belongs to, for the caller's object-level check ({@link ObjectOwners}); empty when
     * there is no such deployment. A scalar query, so no entity is cached in the request's session before a change
     * is made.
     */
    public Optional<String> serviceOf(UUID id) {
        return deployments.getEntityManager()
                .createQuery("select d.service from Deployment d where d.id = ?1", String.class)
                .setParameter(1, id).getResultStream().findFirst();
    }

    public DeploymentRepository.Page list(String service, java.util.Set<String> services, String environment,
            DeploymentStatus status, Instant from, Instant to, int page, int size) {
        return deployments.search(service, services, environment, status, from, to, page, size);
    }

    public ReportCalculator.Report report(UUID id) {
        WithHistory w = get(id);
        Deployment d = w.deployment();
        List<ReportCalculator.StepFacts> facts = w.history().stream()
                .map(s -> new ReportCalculator.StepFacts(s.stepIndex, s.kind, s.weight, s.status, s.startedAt,
                        s.finishedAt, s.smokePassed, s.smokeTotal))
                .toList();
        return ReportCalculator.compute(new ReportCalculator.Facts(d.status, d.createdAt, d.finishedAt,
                DeploymentEvents.plan(d), d.rollbackDetectedAt, d.rollbackStartedAt, d.rollbackFinishedAt), facts,
                Instant.now(clock));
    }
}
