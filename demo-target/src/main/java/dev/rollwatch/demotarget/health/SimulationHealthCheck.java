package dev.rollwatch.demotarget.health;

import dev.rollwatch.demotarget.service.SimulationTicker;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the traffic ticker runs: a target whose metrics stopped moving would mislead every analysis. */
@Readiness
public class SimulationHealthCheck implements HealthCheck {

    private final SimulationTicker ticker;

    public SimulationHealthCheck(SimulationTicker ticker) {
        this.ticker = ticker;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("simulation").status(ticker.healthy()).build();
    }
}
