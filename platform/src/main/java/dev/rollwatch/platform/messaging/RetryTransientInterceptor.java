package dev.rollwatch.platform.messaging;

import dev.rollwatch.platform.retry.Backoff;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Retries a consumer method whose transaction failed for a {@linkplain TransientFailures transient} reason. It runs
 * outside the {@code @Transactional} interceptor (lower priority number), so every attempt is a whole new
 * transaction: the inbox claim and the effect are rolled back together and tried again, never half-applied.
 * While it waits, the channel does not move on, so the order of the partition is kept.
 *
 * <p>The database unavailable: retried until it is back (backoff 100 ms doubling to 5 s), logged at the first
 * attempt and every 30 s. A conflict with a concurrent transaction: retried up to {@value #CONFLICT_ATTEMPTS} times.
 * Anything else is rethrown for the channel's failure strategy (DLQ). At shutdown a waiting retry is not cut
 * short: the process ends with the record unacknowledged, and it is delivered again after the restart.
 */
@RetryTransient
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 100)
public class RetryTransientInterceptor {

    static final int CONFLICT_ATTEMPTS = 10;
    private static final Logger LOG = Logger.getLogger(RetryTransientInterceptor.class);
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    private static final long LOG_EVERY_MS = 30_000;
    @AroundInvoke
    Object retry(InvocationContext ctx) throws Exception {
        long firstFailure = 0;
        long lastLogged = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                Object result = ctx.proceed();
                if (attempt > 1) {
                    LOG.infof("%s succeeded after %d attempts (%d ms of transient failures)", where(ctx), attempt,
                            (System.nanoTime() - firstFailure) / 1_000_000);
                }
                return result;
            } catch (Exception e) {
                TransientFailures.Kind kind = TransientFailures.classify(e);
                if (kind == TransientFailures.Kind.PERMANENT
                        || (kind == TransientFailures.Kind.CONFLICT && attempt >= CONFLICT_ATTEMPTS)) {
                    throw e;
                }
                long now = System.nanoTime();
                if (attempt == 1) {
                    firstFailure = now;
                }
                if (attempt == 1 || (now - lastLogged) / 1_000_000 >= LOG_EVERY_MS) {
                    lastLogged = now;
                    LOG.warnf("%s failed (%s, attempt %d), retrying the whole transaction: %s", where(ctx), kind,
                            attempt, rootMessage(e));
                }
                try {
                    Thread.sleep(BACKOFF.delay(attempt).toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static String where(InvocationContext ctx) {
        return ctx.getMethod().getDeclaringClass().getSimpleName() + "#" + ctx.getMethod().getName();
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
