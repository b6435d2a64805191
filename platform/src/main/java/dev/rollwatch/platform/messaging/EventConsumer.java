package dev.rollwatch.platform.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Stereotype;
import jakarta.transaction.Transactional;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A class of event consumers: an application-scoped bean whose every {@code @Incoming @Blocking} method runs in a
 * transaction of its own ({@code @Transactional}), retried whole on a transient database failure
 * ({@link RetryTransient}, outside the transaction). Each method hands its record to {@link Consumption#once}, which
 * skips replays, decodes (poison: an exception, the channel's {@code <topic>.dlq}), claims the event in the inbox and
 * applies the effect, in that transaction:
 *
 * <pre>{@code
 * @EventConsumer
 * public class StepCompletedConsumer {
 *     @Incoming(Topics.STEP_COMPLETED)
 *     @Blocking
 *     public void consume(ConsumerRecord<String, byte[]> record) {
 *         consumption.once(record, StepCompleted.class, decisions::decideStep);
 *     }
 * }
 * }</pre>
 *
 * A channel named like its contract topic needs no configuration ({@link ContractChannels}).
 */
@Stereotype
@ApplicationScoped
@RetryTransient
@Transactional
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface EventConsumer {
}
