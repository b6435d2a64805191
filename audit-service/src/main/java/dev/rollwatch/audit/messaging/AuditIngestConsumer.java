package dev.rollwatch.audit.messaging;

import dev.rollwatch.audit.domain.IngestPolicy;
import dev.rollwatch.audit.domain.SqlFailures;
import dev.rollwatch.audit.domain.StorableCheck;
import dev.rollwatch.audit.service.AuditAppender;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventHeader;
import dev.rollwatch.events.InvalidEventException;
import dev.rollwatch.platform.messaging.RetryTransient;
import dev.rollwatch.platform.messaging.TransientFailures;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads every contract topic (one batch channel for all of them, {@link IngestChannel}) and appends each record's
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

    /**
     * Every contract topic's records, through the one {@linkplain IngestChannel ingest channel} (a poll mixes topics
     * and partitions; each record keeps its own topic, and its partition's order). A batch that fails as a whole
     * past {@code @RetryTransient} is the channel's {@linkplain PerTopicDeadLetterQueue last resort}.
     */
    @RetryTransient
    @Incoming(IngestChannel.NAME)
    @Blocking
    public void contractEvents(ConsumerRecords<String, byte[]> records) {
        ingest(records);
    }

    /**
     * One poll's records, each checked before anything is appended: a record that is not a CloudEvent, breaks the
     * topic's provenance ({@link IngestPolicy}) or does not fit the columns ({@link StorableCheck}: a NUL character, a
     * field over 255 characters, a time outside the years 1 to 9999) goes alone to the DLQ with the reason. The rest
     * are appended in their order in one transaction (one head lock, one JDBC batch). Should that transaction still
     * fail for the data (not for the database being away, which {@code @RetryTransient} waits out), each record is
     * appended in a transaction of its own and only the one the database refuses goes to the DLQ: one bad record
     * never takes its batch with it. Positions stay gap-free (a failed transaction hands out none) and a record
     * appended before a retry is a duplicate the second time (exactly once).
     */
    void ingest(ConsumerRecords<String, byte[]> records) {
        List<AuditAppender.Received> valid = new ArrayList<>(records.count());
        Map<AuditAppender.Received, ConsumerRecord<String, byte[]>> origin = new IdentityHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            String where = "record " + record.topic() + "-" + record.partition() + "@" + record.offset();
            try {
                EventHeader header = EventCodec.decodeHeader(record.value());
                Optional<String> refused = IngestPolicy.refusal(record.topic(), header);
                if (refused.isPresent()) {
                    deadLetters.send(record, where + " breaks the topic's provenance: " + refused.get());
                    continue;
                }
                Optional<String> unstorable = StorableCheck.refusal(record.topic(), header);
                if (unstorable.isPresent()) {
                    deadLetters.send(record, where + " cannot be stored: " + unstorable.get());
                    continue;
                }
                AuditAppender.Received received = new AuditAppender.Received(header, record.topic(),
                        record.partition(), record.offset(), record.value());
                valid.add(received);
                origin.put(received, record);
            } catch (InvalidEventException e) {
                deadLetters.send(record, where + " is not a CloudEvent: " + e.getMessage());
            }
        }
        if (valid.isEmpty()) {
            return;
        }
        try {
            appendRetrying(valid);
        } catch (RuntimeException e) {
            if (!isDataError(e)) {
                throw e; // the database away or busy: @RetryTransient retries the whole batch
            }
            LOG.warnf("audit append of %d records failed for their data (%s): appending them one by one",
                    valid.size(), rootMessage(e));
            for (AuditAppender.Received r : valid) {
                try {
                    appender.append(List.of(r));
                } catch (RuntimeException one) {
                    if (!isDataError(one)) {
                        throw one; // appended so far: duplicates when the batch comes again
                    }
                    ConsumerRecord<String, byte[]> record = origin.get(r);
                    deadLetters.send(record, "record " + record.topic() + "-" + record.partition() + "@"
                            + record.offset() + " cannot be stored: the database refused it (" + rootMessage(one)
                            + ")");
                }
            }
        }
    }

    /**
     * The transaction of {@code valid}, tried a few times for failures that are not about the data. Not platform's
     * {@code Backoff} on purpose: a bounded few quick tries (200 then 400 ms apart) within one delivery of the batch;
     * a database that stays away is waited out, with exponential backoff, by {@code @RetryTransient} around the
     * whole batch once this gives up.
     */
    private void appendRetrying(List<AuditAppender.Received> valid) {
        for (int attempt = 1; ; attempt++) {
            try {
                appender.appendPolled(valid);
                return;
            } catch (RuntimeException e) {
                if (attempt >= APPEND_ATTEMPTS || isDataError(e)) {
                    throw e;
                }
                LOG.warnf("audit append of %d records failed (attempt %d of %d), retrying: %s", valid.size(),
                        attempt, APPEND_ATTEMPTS, rootMessage(e));
                sleep(attempt * 200L);
            }
        }
    }

    /**
     * A failure caused by what a record holds: SQLSTATE class 22 (data exception: an invalid byte sequence, a value
     * too long, a time out of range), 23 (integrity constraint) or 54 (program limit exceeded, e.g. a row too big).
     */
    static boolean isDataError(Throwable failure) {
        if (TransientFailures.classify(failure) != TransientFailures.Kind.PERMANENT) {
            return false;
        }
        return SqlFailures.any(failure, sql -> {
            String state = sql.getSQLState();
            return state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
        });
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage());
        int newline = message.indexOf('\n');
        String first = newline > 0 ? message.substring(0, newline) : message;
        return first.length() > 300 ? first.substring(0, 300) + "…" : first;
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
