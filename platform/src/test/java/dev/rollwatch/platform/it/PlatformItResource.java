package dev.rollwatch.platform.it;

import dev.rollwatch.events.ApprovalGranted;
import dev.rollwatch.events.Envelope;
import dev.rollwatch.platform.outbox.Outbox;
import jakarta.annotation.security.PermitAll;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The endpoints of platform's IT application: publish through the outbox, read a strict command. */
@Path("/it")
@PermitAll
public class PlatformItResource {

    private final Outbox outbox;

    public PlatformItResource(Outbox outbox) {
        this.outbox = outbox;
    }

    /** One transaction: an ApprovalGranted about {@code key} whose reason is the body; answers the event id. */
    @POST
    @Path("/events/{key}")
    @Transactional
    public String publish(@PathParam("key") String key, String reason) {
        Envelope<ApprovalGranted> event = Envelope.of(Envelope.source("platform-it"), key,
                new ApprovalGranted(0, "platform-it", Instant.now(), reason));
        outbox.publish(event);
        return event.id();
    }

    /** A command with one field of each kind of number, nested and listed, echoed back. */
    public record Command(String service, int weight, long count, Integer maxRetries, double threshold, Float ratio,
            Duration timeout, Instant at, Nested nested, List<Nested> items) {
    }

    public record Nested(String name, int value) {
    }

    @POST
    @Path("/commands")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_JSON)
    @jakarta.ws.rs.Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> command(Command command) {
        return Map.of("service", String.valueOf(command.service()), "weight", command.weight());
    }
}
