package dev.rollwatch.audit.messaging;

import dev.rollwatch.audit.domain.IngestPolicy;
import dev.rollwatch.audit.service.AuditAppender;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventHeader;
import dev.rollwatch.events.InvalidEventException;
import dev.rollwatch.events.Topics;
import dev.rollwatch.platform.messaging.RetryTransient;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads every contract topic (one channel per topic, named like it, consumed in batches) and appends each record's
 * exact bytes. A record is accepted when it is a valid CloudEvent envelope whose source is the topic's producer and
 * whose type, if known, belongs on the topic ({@link IngestPolicy}), even of a type this build does not know (a newer
 * producer); anything else goes to {@code <topic>.dlq} with the reason, and ingest goes on.
 */
@ApplicationScoped
public class AuditIngestConsumer {

    private static final Logger LOG = Logger.getLogger(AuditIngestConsumer.class);

    private static final int APPEND_ATTEMPTS = 3;

    private final AuditAppender appender;
    private final DeadLetters deadLetters;

    public AuditIngestConsumer(AuditAppender appender, DeadLetters deadLetters) {
        this.appender = appender;
        this.deadLetters = deadLetters;
    }

    @RetryTransient
    @Incoming(Topics.DEPLOYMENT_STARTED)
    @Blocking
    public void deploymentStarted(ConsumerRecords<String, byte[]> records) {
        ingest(records);
    }

    @RetryTransient
    @Incoming(Topics.STEP_STARTED)
    @Blocking
    public void stepStarted(ConsumerRecords<String, byte[]> records) {
        ingest(records);
    }

    @RetryTransient
    @Incoming(Topics.STEP_COMPLETED)
    @Blocking
    public void stepCompleted(ConsumerRecords<String, byte[]> records) {
        ingest(records);
    }

    @RetryTransient
    @Incoming(Topics.ANALYSIS_COMPLETED)
    @Blocking
    public void analysisCompleted(ConsumerRecords<String, byte[]> records) {
        ingest(records);
    }

    @RetryTransient
    @Incoming(Topics.THRESHOLD_BREACHED)
    @Blocking
    public void thresholdBreached(ConsumerRecords<String, byte[]> records) {
        ingest(records);
    }

    @RetryTransient
    @Incoming(Topics.THRESHOLD_RECOVERED)
    @Blocking
    public void thresholdRecovered(ConsumerRecords<String, byte[]> records) {
        ingest(records);
    }

    @RetryTransient
    @Incoming(Topics.ROLLBACK_REQUESTED)
    @Blocking
    public void rollbackRequested(ConsumerRecords<String, byte[]> records) {
        ingest(records);
    }

    @RetryTransient
    @Incoming(Topics.ROLLBACK_COMPLETED)
    @Blocking
    public void rollbackCompleted(ConsumerRecords<String, byte[]> records) {
        ingest(records);
    }

    @RetryTransient
    @Incoming(Topics.DEPLOYMENT_FINISHED)
    @Blocking
    public void deploymentFinished(ConsumerRecords<String, byte[]> records) {
        ingest(records);
    }

    @RetryTransient
    @Incoming(Topics.DEPLOYMENT_COMMANDS)
    @Blocking
    public void deploymentCommands(ConsumerRecords<String, byte[]> records) {
        ingest(records);
    }

    @RetryTransient
    @Incoming(Topics.NOTIFICATION_OUTCOMES)
    @Blocking
    public void notificationOutcomes(ConsumerRecords<String, byte[]> records) {
        ingest(records);
    }

    @RetryTransient
    @Incoming(Topics.ROLLBACK_ESCALATED)
    @Blocking
    public void rollbackEscalated(ConsumerRecords<String, byte[]> records) {
        ingest(records);
    }

    @RetryTransient
    @Incoming(Topics.ROLLBACK_DECISIONS)
    @Blocking
    public void rollbackDecisions(ConsumerRecords<String, byte[]> records) {
        ingest(records);
    }

    @RetryTransient
    @Incoming(Topics.POLICY_CHANGES)
    @Blocking
    public void policyChanges(ConsumerRecords<String, byte[]> records) {
        ingest(records);
    }

    @RetryTransient
    @Incoming(Topics.AUDIT_CHECKPOINTS)
    @Blocking
    public void auditCheckpoints(ConsumerRecords<String, byte[]> records) {
        ingest(records);
    }

    @RetryTransient
    @Incoming(Topics.ROLLBACK_VERIFICATIONS)
    @Blocking
    public void rollbackVerifications(ConsumerRecords<String, byte[]> records) {
        ingest(records);
    }

    @RetryTransient
    @Incoming(Topics.BAKE_CHECKPOINTS)
    @Blocking
    public void bakeCheckpoints(ConsumerRecords<String, byte[]> records) {
        ingest(records);
    }

    @RetryTransient
    @Incoming(Topics.APPROVAL_REQUESTS)
    @Blocking
    public void approvalRequests(ConsumerRecords<String, byte[]> records) {
        ingest(records);
    }

    /**
     * One poll's records: the valid ones appended in one transaction (one head lock, one JDBC batch), the poison
     * ones moved to the DLQ first. A failure of the append (the database away, say) is retried a few times, then
     * fails the batch, which the channel's dead-letter strategy takes as a last resort.
     */
    void ingest(ConsumerRecords<String, byte[]> records) {
        List<AuditAppender.Received> valid = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                EventHeader header = EventCodec.decodeHeader(record.value());
                java.util.Optional<String> refused = IngestPolicy.refusal(record.topic(), header);
                if (refused.isPresent()) {
                    deadLetters.send(record, "record " + record.topic() + "-" + record.partition() + "@"
                            + record.offset() + " breaks the topic's provenance: " + refused.get());
                    continue;
                }
                valid.add(new AuditAppender.Received(header, record.topic(), record.partition(), record.offset(),
                        record.value()));
            } catch (InvalidEventException e) {
                deadLetters.send(record, "record " + record.topic() + "-" + record.partition() + "@"
                        + record.offset() + " is not a CloudEvent: " + e.getMessage());
            }
        }
        if (valid.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                appender.append(valid);
                return;
            } catch (RuntimeException e) {
                if (attempt >= APPEND_ATTEMPTS) {
                    throw e;
                }
                LOG.warnf("audit append of %d records failed (attempt %d of %d), retrying: %s", valid.size(),
                        attempt, APPEND_ATTEMPTS, e.getMessage());
                sleep(attempt * 200L);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying an append", e);
        }
    }
}
