package dev.rollwatch.audit.deadletter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rollwatch.audit.domain.IngestPolicy;
import dev.rollwatch.audit.domain.StoredEntry;
import dev.rollwatch.audit.service.AuditAppender;
import dev.rollwatch.events.EventCodec;
import dev.rollwatch.events.EventHeader;
import dev.rollwatch.platform.json.Mappers;
import dev.rollwatch.platform.rest.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The operator's dead-letter tool (issue 17, 4; review L9): lists the dead-letter topics with their record counts,
 * pages through one topic's records (metadata only, never the value), and re-drives one record to the contract topic
 * it came from — its key, value and headers (without the {@code dead-letter-*} ones) unchanged, so the CloudEvent is
 * the same event and every consumer's idempotent inbox (and the audit log's (topic, source, id) key) takes it at most
 * once. Each re-drive is recorded once ({@code dead_letter_redrive}: a second one is 409) and appended to the
 * hash-chained log as a {@value #REDRIVEN_TYPE} entry, in one transaction.
 */
@ApplicationScoped
public class DeadLetterService {

    private static final Logger LOG = Logger.getLogger(DeadLetterService.class);

    /** The CloudEvents type of the audit entry a re-drive appends. */
    public static final String REDRIVEN_TYPE = "dev.rollwatch.audit.dead-letter-redriven.v1";
    public static final String SOURCE = "/rollwatch/audit-service";
    /** The header a re-driven record carries: where it was re-driven from ({@code <dlq topic>-<partition>@<offset>}). */
    public static final String REDRIVEN_FROM_HEADER = "rollwatch-redriven-from";
    /** Most records one page may ask for. */
    public static final int MAX_LIMIT = 200;
    public static final int DEFAULT_LIMIT = 50;

    private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);
    /** How long one page may spend reading (a page with fewer records says where to go on). */
    private static final Duration PAGE_TIME = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = Mappers.lenient();

    private final KafkaClients kafka;
    private final RedriveRepository redrives;
    private final AuditAppender appender;

    public DeadLetterService(KafkaClients kafka, RedriveRepository redrives, AuditAppender appender) {
        this.kafka = kafka;
        this.redrives = redrives;
        this.appender = appender;
    }

    /** A dead-letter topic: its partitions, the records it holds now, how many of them were re-driven. */
    public record TopicSummary(String topic, String redrivesTo, int partitions, long records, long redriven) {
    }

    /** A record with its re-drive, if it had one. */
    public record Item(DeadLetter record, String redrivenBy, Instant redrivenAt) {
    }

    /** One page of a topic; {@code next} is the {@code from} of the following page (null: nothing more). */
    public record Page(String topic, String redrivesTo, List<Item> records, String next) {
    }

    /** What a re-drive did. */
    public record Redriven(String dlqTopic, int partition, long offset, String topic, int toPartition, long toOffset,
            String eventId, String eventType, String redrivenBy, Instant redrivenAt, long auditPosition,
            String auditEventId) {
    }

    /** Every dead-letter topic Rollwatch provisions that exists on the cluster, with its counts. */
    public List<TopicSummary> topics() {
        try (Admin admin = kafka.admin()) {
            Set<String> existing = admin.listTopics().names().get(KAFKA_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            List<String> dlqs = DeadLetterTopics.readable().stream().filter(existing::contains).toList();
            if (dlqs.isEmpty()) {
                return List.of();
            }
            Map<String, TopicDescription> described = admin.describeTopics(dlqs).allTopicNames()
                    .get(KAFKA_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            List<TopicPartition> partitions = new ArrayList<>();
            described.values().forEach(d -> d.partitions().forEach(p ->
                    partitions.add(new TopicPartition(d.name(), p.partition()))));
            Map<TopicPartition, Long> begin;
            Map<TopicPartition, Long> end;
            try (KafkaConsumer<byte[], byte[]> reader = kafka.reader(1)) {
                begin = reader.beginningOffsets(partitions, KAFKA_TIMEOUT);
                end = reader.endOffsets(partitions, KAFKA_TIMEOUT);
            }
            Map<String, Long> redriven = redrives.counts();
            List<TopicSummary> summaries = new ArrayList<>();
            for (String topic : dlqs) {
                TopicDescription d = described.get(topic);
                long records = d.partitions().stream().mapToLong(p -> {
                    TopicPartition tp = new TopicPartition(topic, p.partition());
                    return end.getOrDefault(tp, 0L) - begin.getOrDefault(tp, 0L);
                }).sum();
                summaries.add(new TopicSummary(topic, DeadLetterTopics.redriveTarget(topic).orElse(null),
                        d.partitions().size(), records, redriven.getOrDefault(topic, 0L)));
            }
            return summaries;
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw unavailable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        }
    }

    /**
     * Up to {@code limit} records of {@code topic} in (partition, offset) order from {@code from}
     * ({@code <partition>:<offset>}; null: the beginning of every partition).
     */
    public Page page(String topic, String from, int limit) {
        requireReadable(topic);
        int startPartition = 0;
        long startOffset = 0;
        if (from != null && !from.isBlank()) {
            String[] parts = from.split(":", -1);
            try {
                if (parts.length != 2) {
                    throw new NumberFormatException();
                }
                startPartition = Integer.parseInt(parts[0]);
                startOffset = Long.parseLong(parts[1]);
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("invalid-cursor", "from must be <partition>:<offset>, e.g. 0:120");
            }
            if (startPartition < 0 || startOffset < 0) {
                throw ProblemException.badRequest("invalid-cursor", "from must not be negative");
            }
        }
        List<DeadLetter> found = new ArrayList<>();
        String next = null;
        try (KafkaConsumer<byte[], byte[]> reader = kafka.reader(Math.min(limit, MAX_LIMIT))) {
            List<TopicPartition> partitions = partitions(reader, topic);
            Map<TopicPartition, Long> begin = reader.beginningOffsets(partitions, KAFKA_TIMEOUT);
            Map<TopicPartition, Long> end = reader.endOffsets(partitions, KAFKA_TIMEOUT);
            long deadline = System.nanoTime() + PAGE_TIME.toNanos();
            outer:
            for (TopicPartition tp : partitions) {
                if (tp.partition() < startPartition) {
                    continue;
                }
                long position = Math.max(begin.get(tp), tp.partition() == startPartition ? startOffset : 0);
                long last = end.get(tp);
                if (position >= last) {
                    continue;
                }
                reader.assign(List.of(tp));
                reader.seek(tp, position);
                while (position < last) {
                    if (found.size() >= limit || System.nanoTime() > deadline) {
                        next = tp.partition() + ":" + position;
                        break outer;
                    }
                    for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(500))) {
                        if (r.offset() >= last || found.size() >= limit) {
                            break;
                        }
                        found.add(DeadLetter.of(r));
                        position = r.offset() + 1;
                    }
                    position = Math.max(position, Math.min(reader.position(tp, KAFKA_TIMEOUT), last));
                }
            }
        } catch (org.apache.kafka.common.KafkaException e) {
            throw unavailable(e);
        }
        Map<String, RedriveRepository.Redrive> done = redrives.of(topic,
                found.stream().map(DeadLetter::partition).toList(), found.stream().map(DeadLetter::offset).toList());
        List<Item> items = found.stream().map(d -> {
            RedriveRepository.Redrive r = done.get(d.partition() + "/" + d.offset());
            return new Item(d, r == null ? null : r.redrivenBy(), r == null ? null : r.redrivenAt());
        }).toList();
        return new Page(topic, DeadLetterTopics.redriveTarget(topic).orElse(null), items, next);
    }

    /**
     * Re-publishes the record at {@code partition}/{@code offset} of {@code dlqTopic} to its contract topic, records
     * the re-drive and appends its audit entry — all or nothing: a failed send changes nothing; a second re-drive of
     * the record is 409 {@code already-redriven}.
     */
    public Redriven redrive(String dlqTopic, int partition, long offset, String who) {
        String target = DeadLetterTopics.redriveTarget(dlqTopic).orElseThrow(() -> ProblemException.badRequest(
                "not-redrivable", "only <contract topic>.dlq can be re-driven, to its contract topic; "
                        + (DeadLetterTopics.isReadable(dlqTopic) ? dlqTopic + " is not one"
                        : "this is not a dead-letter topic Rollwatch provisions")));
        if (partition < 0 || offset < 0) {
            throw notFound(dlqTopic, partition, offset);
        }
        redrives.find(dlqTopic, partition, offset).ifPresent(r -> {
            throw alreadyRedriven(r);
        });
        ConsumerRecord<byte[], byte[]> record = read(dlqTopic, partition, offset);
        DeadLetter letter = DeadLetter.of(record);
        if (letter.originalTopic() != null && !letter.originalTopic().equals(target)) {
            throw new ProblemException(422, "not-redrivable", "Unprocessable", "the record's dead-letter-topic header "
                    + "names another topic than " + target + ": it is not re-driven");
        }
        EventHeader event = DeadLetter.header(record.value());
        if (event == null) {
            throw new ProblemException(422, "not-redrivable", "Unprocessable", "the record is not a CloudEvent "
                    + "envelope: re-driving it would only dead-letter it again");
        }
        java.util.Optional<String> provenance = IngestPolicy.refusal(target, event);
        if (provenance.isPresent()) {
            // A DLQ is written by every consumer of its topic; its topic by one producer. Whatever does not keep
            // the topic's provenance table stays where it is.
            throw new ProblemException(422, "not-redrivable", "Unprocessable", "the record breaks the provenance "
                    + "of " + target + ": " + provenance.get());
        }
        String by = who == null || who.isBlank() ? "unknown" : cut(who, 255);
        return QuarkusTransaction.requiringNew().call(() -> {
            redrives.lock(dlqTopic, partition, offset);
            redrives.find(dlqTopic, partition, offset).ifPresent(r -> {
                throw alreadyRedriven(r);
            });
            RecordMetadata sent = send(target, record);
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            String auditId = UUID.nameUUIDFromBytes(("dead-letter-redriven\n" + dlqTopic + "\n" + partition + "\n"
                    + offset).getBytes(StandardCharsets.UTF_8)).toString();
            byte[] bytes = entry(auditId, now, by, letter, event, record.value(), target, sent);
            List<StoredEntry> appended = appender.append(List.of(new AuditAppender.Received(
                    EventCodec.decodeHeader(bytes), dlqTopic, partition, offset, bytes)));
            if (appended.isEmpty()) {
                throw new IllegalStateException("the re-drive of " + dlqTopic + "-" + partition + "@" + offset
                        + " is already in the audit log");
            }
            long position = appended.get(0).position();
            redrives.insert(new RedriveRepository.Redrive(dlqTopic, partition, offset, target,
                    cut(event.id(), 255), cut(event.type(), 255), by, now, sent.partition(), sent.offset(), position));
            LOG.infof("dead letter %s-%d@%d (event %s, %s) re-driven to %s-%d@%d by %s; audit position %d", dlqTopic,
                    partition, offset, event.id(), event.type(), target, sent.partition(), sent.offset(), by,
                    position);
            return new Redriven(dlqTopic, partition, offset, target, sent.partition(), sent.offset(), event.id(),
                    event.type(), by, now, position, auditId);
        });
    }

    /** The audit entry of a re-drive: a CloudEvent from the audit service about the original event. */
    static byte[] entry(String id, Instant now, String by, DeadLetter letter, EventHeader event, byte[] value,
            String target, RecordMetadata sent) {
        ObjectNode data = JSON.createObjectNode();
        data.put("redrivenBy", by);
        data.put("dlqTopic", letter.topic());
        data.put("dlqPartition", letter.partition());
        data.put("dlqOffset", letter.offset());
        data.put("originalTopic", target);
        if (letter.originalPartition() != null) {
            data.put("originalPartition", letter.originalPartition());
        }
        if (letter.originalOffset() != null) {
            data.put("originalOffset", letter.originalOffset());
        }
        data.put("reason", letter.reason());
        data.put("eventId", cut(event.id(), 255));
        data.put("eventType", cut(event.type(), 255));
        data.put("eventSource", cut(event.source(), 255));
        if (event.subject() != null) {
            data.put("deploymentId", cut(event.subject(), 255));
        }
        String service = serviceOf(value);
        if (service != null) {
            // audit reads scoped by the services claim re-derive the service from data.service
            data.put("service", service);
        }
        data.put("toPartition", sent.partition());
        data.put("toOffset", sent.offset());
        ObjectNode envelope = JSON.createObjectNode();
        envelope.put("specversion", "1.0");
        envelope.put("id", id);
        envelope.put("source", SOURCE);
        envelope.put("type", REDRIVEN_TYPE);
        envelope.put("subject", cut(event.id(), 255));
        envelope.put("time", now.toString());
        envelope.put("datacontenttype", EventCodec.DATA_CONTENT_TYPE);
        envelope.set("data", data);
        try {
            return JSON.writeValueAsBytes(envelope);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the re-drive's audit entry", e);
        }
    }

    private static String serviceOf(byte[] value) {
        try {
            JsonNode service = JSON.readTree(value).path("data").path("service");
            return service.isTextual() && service.asText().length() <= 255 ? service.asText() : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private RecordMetadata send(String topic, ConsumerRecord<byte[], byte[]> record) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : record.headers()) {
            if (!h.key().startsWith("dead-letter-") && !h.key().equals(REDRIVEN_FROM_HEADER)) {
                headers.add(h);
            }
        }
        headers.add(REDRIVEN_FROM_HEADER, (record.topic() + "-" + record.partition() + "@" + record.offset())
                .getBytes(StandardCharsets.UTF_8));
        try {
            return kafka.producer().send(new ProducerRecord<>(topic, null, record.key(), record.value(), headers))
                    .get(KAFKA_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw unavailable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        }
    }

    /** The one record at {@code partition}/{@code offset}, or 404. */
    private ConsumerRecord<byte[], byte[]> read(String topic, int partition, long offset) {
        try (KafkaConsumer<byte[], byte[]> reader = kafka.reader(1)) {
            TopicPartition tp = partitions(reader, topic).stream().filter(p -> p.partition() == partition)
                    .findFirst().orElseThrow(() -> notFound(topic, partition, offset));
            long begin = reader.beginningOffsets(List.of(tp), KAFKA_TIMEOUT).get(tp);
            long end = reader.endOffsets(List.of(tp), KAFKA_TIMEOUT).get(tp);
            if (offset < begin || offset >= end) {
                throw notFound(topic, partition, offset);
            }
            reader.assign(List.of(tp));
            reader.seek(tp, offset);
            long deadline = System.nanoTime() + PAGE_TIME.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(500))) {
                    if (r.offset() == offset) {
                        return r;
                    }
                    if (r.offset() > offset) {
                        throw notFound(topic, partition, offset); // a gap (a transaction marker, compaction)
                    }
                }
            }
            throw new ProblemException(503, "kafka-unavailable", "Service Unavailable",
                    "the record could not be read from Kafka in time");
        } catch (org.apache.kafka.common.KafkaException e) {
            throw unavailable(e);
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> reader, String topic) {
        List<PartitionInfo> infos = reader.listTopics(KAFKA_TIMEOUT).get(topic);
        if (infos == null || infos.isEmpty()) {
            throw new ProblemException(404, "dead-letter-topic-not-found", "Not found", "the dead-letter topic "
                    + topic + " does not exist on the cluster");
        }
        return infos.stream().map(i -> new TopicPartition(topic, i.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition)).toList();
    }

    static void requireReadable(String topic) {
        if (!DeadLetterTopics.isReadable(topic)) {
            throw new ProblemException(404, "not-a-dead-letter-topic", "Not found", "only the dead-letter topics "
                    + "Rollwatch provisions (<topic>.dlq) can be read here");
        }
    }

    private static ProblemException notFound(String topic, int partition, long offset) {
        return new ProblemException(404, "dead-letter-not-found", "Not found", "no record at " + topic + "-"
                + partition + "@" + offset);
    }

    private static ProblemException alreadyRedriven(RedriveRepository.Redrive r) {
        return ProblemException.conflict("already-redriven", "the record " + r.dlqTopic() + "-" + r.dlqPartition()
                + "@" + r.dlqOffset() + " was re-driven at " + r.redrivenAt() + " by " + r.redrivenBy())
                .with("redrivenBy", r.redrivenBy()).with("redrivenAt", r.redrivenAt().toString())
                .with("auditPosition", r.auditPosition());
    }

    private static ProblemException unavailable(Exception e) {
        LOG.warnf("dead-letter tool: Kafka call failed: %s", e.toString());
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.errors.AuthorizationException) {
                return new ProblemException(503, "kafka-unavailable", "Service Unavailable", "Kafka refused the "
                        + "dead-letter tool's principal (its ACLs, docs/security.md \"Dead letters\"); nothing was "
                        + "changed");
            }
        }
        return new ProblemException(503, "kafka-unavailable", "Service Unavailable",
                "Kafka did not answer in time; nothing was changed");
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
