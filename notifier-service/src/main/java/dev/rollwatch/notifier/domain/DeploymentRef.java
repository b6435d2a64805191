package dev.rollwatch.notifier.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A deployment as its DeploymentStarted described it: the {@link DeploymentContext} of its later step events. */
@Entity
@Table(name = "deployment_context")
public class DeploymentRef {

    @Id
    @Column(name = "deployment_id")
    public String deploymentId;

    @Column(nullable = false)
    public String service;

    @Column(nullable = false)
    public String environment;

    @Column(nullable = false)
    public String version;

    @Column(name = "previous_version")
    public String previousVersion;

    @Column(name = "steps_planned", nullable = false)
    public int stepsPlanned;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public DeploymentContext toContext() {
        return new DeploymentContext(service, environment, version, previousVersion, stepsPlanned);
    }
}
