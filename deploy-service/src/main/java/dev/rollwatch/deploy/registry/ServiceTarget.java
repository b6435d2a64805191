package dev.rollwatch.deploy.registry;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** The registered target of one service in one environment (admin-managed). */
@Entity
@Table(name = "service_target")
public class ServiceTarget {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String service;

    @Column(nullable = false)
    public String environment;

    @Column(name = "target_url", nullable = false)
    public String targetUrl;

    /** Null: the target URL + {@code /metrics}. */
    @Column(name = "metrics_url")
    public String metricsUrl;

    /** The hosts ({@code host} or {@code host:port}, lower case) smoke checks may call, as a JSON array. */
    @Column(name = "smoke_hosts", nullable = false)
    public String smokeHosts;

    /** The target's own Standard Webhooks secret, sealed by platform's SecretBox; null: the global secret. */
    @Column(name = "signing_secret")
    public String signingSecret;

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** The metrics URL deployments of this target get. */
    public String effectiveMetricsUrl() {
        return metricsUrl != null ? metricsUrl : TargetUrls.trimmed(targetUrl) + "/metrics";
    }
}
