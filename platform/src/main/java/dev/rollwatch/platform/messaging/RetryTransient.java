package dev.rollwatch.platform.messaging;

import jakarta.interceptor.InterceptorBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Put on every {@code @Incoming} consumer method (next to {@code @Transactional}): a failure of the infrastructure
 * — the database unreachable or restarting, a serialization conflict — is retried with backoff around the whole
 * transaction instead of sending the record to the dead-letter topic. Only poison (a record that can never be
 * processed) belongs in the DLQ; a PostgreSQL restart must not turn good events into dead letters.
 *
 * @see TransientFailures
 */
@InterceptorBinding
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface RetryTransient {
}
