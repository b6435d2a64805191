package dev.rollwatch.audit;

import dev.rollwatch.audit.domain.ChainHash;
import dev.rollwatch.audit.domain.StoredEntry;
import dev.rollwatch.audit.domain.Timeline;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.events.EventCodec;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TimelineTest {

    static StoredEntry stored(long position, Envelope<?> e) {
        byte[] bytes = EventCodec.encode(e);
        return new StoredEntry(position, e.source(), e.id(), e.type().type(), e.subject(), e.time(), e.causationId(),
                e.correlationId(), e.topic(), 0, position, bytes, ChainHash.genesis(), ChainHash.genesis(),
                Instant.now());
    }

    static List<StoredEntry> stored(List<? extends Envelope<?>> events) {
        List<StoredEntry> entries = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            entries.add(stored(i + 1, events.get(i)));
        }
        return entries;
    }

    @Test
    void aRollbackIsResolvedFromBreachToFinishWithTheDurationsBetweenTheHops() {
        RollbackFlow flow = new RollbackFlow();
        Timeline timeline = Timeline.of(flow.deploymentId, stored(flow.events()), Map.of());

        assertThat(timeline.events()).extracting(Timeline.Item::id)
                .containsExactlyElementsOf(flow.events().stream().map(Envelope::id).toList());
        assertThat(timeline.events().get(4).causedByType()).isEqualTo("dev.rollwatch.threshold.breached.v1");
        assertThat(timeline.events().get(4).causedByPosition()).isEqualTo(4);

        assertThat(timeline.rollbacks()).singleElement().satisfies(r -> {
            assertThat(r.breaches()).singleElement().usingRecursiveComparison().isEqualTo(new Timeline.Breach(
                    flow.breach.id(), 4, flow.breach.time(), "error-rate", "error_rate", "rate(errors[1m])",
                    List.of(0.0831), 0.01, ">", "P1", flow.observedAt));
            assertThat(r.decision().policyRule()).isEqualTo("p1-immediate");
            assertThat(r.decision().policyVersion()).isEqualTo(3);
            assertThat(r.decision().toVersion()).isEqualTo("2.3.0");
            assertThat(r.rollback().eventId()).isEqualTo(flow.completed.id());
            assertThat(r.rollback().outcome()).isEqualTo("SUCCEEDED");
            assertThat(r.finished().outcome()).isEqualTo("ROLLED_BACK");
            assertThat(r.notifications()).singleElement().satisfies(n -> {
                assertThat(n.channel()).isEqualTo("oncall-pager");
                assertThat(n.aboutEventId()).isEqualTo(flow.requested.id());
            });
            assertThat(r.durations()).isEqualTo(new Timeline.Durations(15L, 105L, 120L));
        });
    }

    @Test
    void aRollbackStillInFlightHasNoDoneHopAndNoDurationToIt() {
        RollbackFlow flow = new RollbackFlow();
        Timeline timeline = Timeline.of(flow.deploymentId,
                stored(List.of(flow.started, flow.breach, flow.requested)), Map.of());
        assertThat(timeline.rollbacks()).singleElement().satisfies(r -> {
            assertThat(r.rollback()).isNull();
            assertThat(r.durations()).isEqualTo(new Timeline.Durations(15L, null, null));
        });
    }

    @Test
    void aBreachRecordedElsewhereInTheLogIsFoundById() {
        RollbackFlow flow = new RollbackFlow();
        StoredEntry breachElsewhere = stored(99, flow.breach);
        Timeline timeline = Timeline.of(flow.deploymentId, stored(List.of(flow.started, flow.requested)),
                Map.of(flow.breach.id(), breachElsewhere));
        assertThat(timeline.rollbacks().get(0).breaches()).extracting(Timeline.Breach::position).containsExactly(99L);
    }
}
