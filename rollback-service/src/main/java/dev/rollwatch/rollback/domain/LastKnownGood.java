package dev.rollwatch.rollback.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/** The last version of a service that finished SUCCEEDED in an environment: where a rollback goes. */
@Entity
@Table(name = "last_known_good")
public class LastKnownGood {

    @EmbeddedId
    public Scope scope;

    @Column(nullable = false)
    public String version;

    @Column(name = "deployment_id", nullable = false)
    public String deploymentId;

    @Column(name = "finished_at", nullable = false)
    public Instant finishedAt;

    @Column(name = "event_id", nullable = false)
    public String eventId;

    @Embeddable
    public record Scope(@Column(name = "service") String service, @Column(name = "environment") String environment)
            implements Serializable {
    }
}
