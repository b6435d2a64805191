package dev.rollwatch.rollback.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/** A deployment that finished SUCCEEDED: the versions an operator may roll back to. */
@Entity
@Table(name = "succeeded_version")
public class SucceededVersion {

    @EmbeddedId
    public Key key;

    @Column(nullable = false)
    public String version;

    @Column(name = "finished_at", nullable = false)
    public Instant finishedAt;

    /** When this deployment was rolled back after it had SUCCEEDED (it is no longer a known good version). */
    @Column(name = "rolled_back_at")
    public Instant rolledBackAt;

    @Embeddable
    public record Key(@Column(name = "service") String service, @Column(name = "environment") String environment,
            @Column(name = "deployment_id") String deploymentId) implements Serializable {
    }
}
