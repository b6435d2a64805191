package dev.rollwatch.deploy.admission;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;

/**
 * The clock admission and the report read {@code now} from. A {@link DefaultBean}: another producer of
 * {@link Clock} in the service (or a test's) replaces it instead of clashing with it.
 */
@ApplicationScoped
public class DeployClock {

    @Produces
    @DefaultBean
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }
}
