package dev.rollwatch.audit.repository;

import dev.rollwatch.audit.config.AuditConfig;
import io.quarkus.arc.Unremovable;
import io.quarkus.credentials.CredentialsProvider;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import java.util.Map;

/**
 * The login of the service's connection pool: {@value #USER} (migration V7), which owns nothing and holds only what
 * {@code rollwatch_audit_writer} holds, with the password of {@code rollwatch.audit.db.app-password} (env
 * {@code ROLLWATCH_AUDIT_DB_APP_PASSWORD}; R__audit_app_password.sql gives the role the same one).
 *
 * <p>A credentials provider and not {@code quarkus.datasource.username}: that setting (the platform's
 * {@code ROLLWATCH_DB_USER}, and what test resources set) names the owner, which Flyway migrates with
 * ({@code quarkus.flyway.username}); the provider's user and password replace it on every pooled connection, so no
 * other setting can put the owner back into the pool.
 */
@ApplicationScoped
@Unremovable
@Named(AppLogin.NAME)
public class AppLogin implements CredentialsProvider {

    /** The bean name {@code quarkus.datasource.credentials-provider-name} points at. */
    public static final String NAME = "audit-app-login";
    /** The runtime login role (V7). */
    public static final String USER = "rollwatch_audit_app";

    private final String password;

    public AppLogin(AuditConfig config) {
        this.password = config.db().appPassword();
    }

    @Override
    public Map<String, String> getCredentials(String credentialsProviderName) {
        return Map.of(USER_PROPERTY_NAME, USER, PASSWORD_PROPERTY_NAME, password);
    }

    @Override
    public Uni<Map<String, String>> getCredentialsAsync(String credentialsProviderName) {
        return Uni.createFrom().item(getCredentials(credentialsProviderName));
    }
}
