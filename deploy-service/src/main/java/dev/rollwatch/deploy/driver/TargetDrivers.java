package dev.rollwatch.deploy.driver;

import dev.rollwatch.deploy.config.DeployConfig;
import dev.rollwatch.deploy.driver.http.HttpTargetDriver;
import dev.rollwatch.deploy.registry.ServiceTargets;
import dev.rollwatch.platform.http.OutboundUrlPolicy;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.Set;

/** The drivers by target type. Only {@code http} exists today. */
@ApplicationScoped
public class TargetDrivers {

    private static final Logger LOG = Logger.getLogger(TargetDrivers.class);

    private final Map<String, TargetDriver> byType;
    private final boolean signed;

    public TargetDrivers(DeployConfig config, ServiceTargets targets, OutboundUrlPolicy policy) {
        DeployConfig.HttpDriver c = config.httpDriver();
        HttpTargetDriver http = new HttpTargetDriver(new HttpTargetDriver.Settings(c.secret().orElse(null),
                c.connectTimeout(), c.requestTimeout(), Math.max(1, c.maxAttempts()), c.backoff(), c.maxBackoff(),
                Math.max(1, c.maxResponseBytes())),
                t -> targets.signingSecret(t.service(), t.environment(), t.url()), policy);
        this.signed = http.signs();
        this.byType = Map.of(http.type(), http);
    }

    void warnIfUnsigned(@Observes StartupEvent started) {
        if (!signed) {
            LOG.warn("rollwatch.deploy.http-driver.secret (ROLLWATCH_TARGET_SECRET) is not set: target calls go out "
                    + "unsigned");
        }
    }

    public Set<String> types() {
        return byType.keySet();
    }

    public TargetDriver forType(String type) {
        TargetDriver driver = byType.get(type);
        if (driver == null) {
            throw new DriverException("no driver for target type '" + type + "'", 0, null);
        }
        return driver;
    }
}
