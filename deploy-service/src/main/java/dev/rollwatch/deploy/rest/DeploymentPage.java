package dev.rollwatch.deploy.rest;

import dev.rollwatch.deploy.domain.Deployment;
import dev.rollwatch.deploy.domain.DeploymentStatus;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One page of the deployment list, newest first; {@code total} counts every match. */
public record DeploymentPage(List<Item> items, int page, int size, long total) {

    public record Item(UUID id, String service, String environment, String version, DeploymentStatus status,
            String statusReason, int currentStep, int currentWeight, String requestedBy, Instant createdAt,
            Instant finishedAt) {

        static Item of(Deployment d) {
            return new Item(d.id, d.service, d.environment, d.version, d.status, d.statusReason, d.currentStep,
                    d.currentWeight, d.requestedBy, d.createdAt, d.finishedAt);
        }
    }
}
