package dev.rollwatch.platform.messaging;

import dev.rollwatch.events.DeploymentAborted;
import dev.rollwatch.events.Envelope;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A consumer as services write them ({@link EventConsumer}, the method hands its record to {@link Consumption}), called
 * directly by ConsumptionIT. Its effect records the event id, and fails when the abort's reason is "fail" (always) or
 * "conflict once" (the first attempt, as a serialization conflict).
 */
@EventConsumer
public class ConsumptionItConsumer {

    private final List<String> applied = new CopyOnWriteArrayList<>();
    private final List<String> attempts = new CopyOnWriteArrayList<>();

    @Inject
    Consumption consumption;

    public Consumption.Outcome consume(ConsumerRecord<String, byte[]> record) {
        return consumption.once(record, DeploymentAborted.class, this::apply);
    }

    /** The ids of the events applied, in order (read through the bean, not its client proxy's fields). */
    public List<String> applied() {
        return List.copyOf(applied);
    }

    /** How many times the effect began for {@code eventId}. */
    public long attempts(String eventId) {
        return attempts.stream().filter(eventId::equals).count();
    }

    private void apply(Envelope<DeploymentAborted> event) {
        attempts.add(event.id());
        if ("fail".equals(event.data().reason())) {
            throw new IllegalStateException("the effect failed");
        }
        if ("conflict once".equals(event.data().reason()) && attempts.stream().filter(event.id()::equals).count() == 1) {
            throw new IllegalStateException(new SQLException("could not serialize access", "40001"));
        }
        applied.add(event.id());
    }
}
