package dev.rollwatch.deploy.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rollwatch.deploy.service.DeploymentChanges;
import dev.rollwatch.deploy.service.DeploymentQueries;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.jboss.logging.Logger;

import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The live progress of one deployment as Server-Sent Events: {@code event: deployment} whose data is the JSON of
 * {@code GET /api/v1/deployments/{id}}; one at once, then one whenever that JSON changes, ending after the one
 * that shows a terminal state. Changes are noticed through {@link DeploymentChanges} (this replica's commits at
 * once, any replica's on the periodic re-check).
 */
@ApplicationScoped
public class DeploymentStream {

    static final String EVENT = "deployment";
    private static final Logger LOG = Logger.getLogger(DeploymentStream.class);

    private final DeploymentQueries queries;
    private final DeploymentChanges changes;
    private final ObjectMapper json;

    public DeploymentStream(DeploymentQueries queries, DeploymentChanges changes, ObjectMapper json) {
        this.queries = queries;
        this.changes = changes;
        this.json = json;
    }

    /** The stream; reads the deployment first, so an unknown id fails here (404) before anything is streamed. */
    public Multi<OutboundSseEvent> follow(UUID id, Sse sse) {
        Snapshot first = read(id);
        return Multi.createFrom().emitter(emitter -> new Follower(id, sse, emitter).begin(first));
    }

    private record Snapshot(String json, boolean terminal) {
    }

    private Snapshot read(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            DeploymentQueries.WithHistory w = queries.get(id);
            DeploymentView view = DeploymentView.of(w.deployment(),
                    dev.rollwatch.deploy.service.DeploymentService.stepsOf(w.deployment()),
                    dev.rollwatch.deploy.service.DeploymentService.analysisOf(w.deployment()), w.history());
            try {
                return new Snapshot(json.writeValueAsString(view), view.status().isTerminal());
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** One watcher: re-reads on every poke (coalesced), sends what changed, completes at a terminal state. */
    private final class Follower {
        private final UUID id;
        private final Sse sse;
        private final MultiEmitter<? super OutboundSseEvent> emitter;
        private final AtomicBoolean pending = new AtomicBoolean();
        private volatile AutoCloseable subscription;
        private String last;
        private boolean done;

        Follower(UUID id, Sse sse, MultiEmitter<? super OutboundSseEvent> emitter) {
            this.id = id;
            this.sse = sse;
            this.emitter = emitter;
        }

        void begin(Snapshot first) {
            emitter.onTermination(this::stop);
            subscription = changes.follow(id, this::poke);
            send(first);
            if (!first.terminal()) {
                poke(); // a change committed between the first read and following it
            }
        }

        private void poke() {
            if (pending.compareAndSet(false, true)) {
                changes.run(this::refresh);
            }
        }

        private void refresh() {
            pending.set(false);
            synchronized (this) { // one re-read at a time, so a stale read is never sent after a newer one
                if (done) {
                    return;
                }
                try {
                    send(read(id));
                } catch (RuntimeException e) {
                    LOG.warnf("deployment %s: live stream re-read failed, the next re-check retries: %s", id,
                            e.toString());
                }
            }
        }

        private synchronized void send(Snapshot s) {
            if (done || emitter.isCancelled()) {
                return;
            }
            if (!s.json().equals(last)) {
                last = s.json();
                emitter.emit(sse.newEventBuilder().name(EVENT).mediaType(MediaType.TEXT_PLAIN_TYPE)
                        .data(String.class, s.json()).build());
            }
            if (s.terminal()) {
                done = true;
                emitter.complete();
            }
        }

        private void stop() {
            synchronized (this) {
                done = true;
            }
            AutoCloseable s = subscription;
            if (s != null) {
                try {
                    s.close();
                } catch (Exception ignored) {
                    // removing a listener cannot fail
                }
            }
        }
    }
}
