package dev.rollwatch.deploy.admission;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** One version of the deployment policy of a scope ({@code *} = any service or environment). Never updated. */
@Entity
@Table(name = "deployment_policy")
public class DeploymentPolicy {

    public static final String ANY = "*";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String service;

    @Column(nullable = false)
    public String environment;

    @Column(nullable = false)
    public int version;

    /** The {@link PolicyDocument} as JSON. */
    @Column(nullable = false)
    public String rules;

    @Column(name = "changed_by", nullable = false)
    public String changedBy;

    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;

    @Column(nullable = false)
    public String reason;

    /** Exact service and environment beat a service-wide policy, which beats an environment-wide one, then * / *. */
    public int specificity() {
        return (ANY.equals(service) ? 0 : 2) + (ANY.equals(environment) ? 0 : 1);
    }
}
