package dev.rollwatch.platform.time;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * The one {@link Clock} every service reads {@code now} from (the deploy engine and admission, the rollback
 * schedulers, the monitor's watches, bakes and outages): the system's, in UTC. A {@link DefaultBean}: a test (or a
 * service) that produces another {@code Clock} replaces it instead of clashing with it.
 */
@ApplicationScoped
public class SystemClock {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
