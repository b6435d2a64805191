package dev.rollwatch.notifier.rest;

import dev.rollwatch.notifier.domain.Delivery;
import dev.rollwatch.notifier.repository.DeliveryRepository;
import dev.rollwatch.platform.security.Caller;
import dev.rollwatch.platform.security.Roles;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import dev.rollwatch.platform.rest.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Set;

/** Delivery history: operator and admin (docs/security.md), limited to the caller's services. */
@Path("/api/v1/deliveries")
@RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "deliveries", description = "Every notification's delivery: status, attempts, outcome")
public class DeliveryResource {

    private final DeliveryRepository deliveries;
    private final Caller caller;

    public DeliveryResource(DeliveryRepository deliveries, Caller caller) {
        this.deliveries = deliveries;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "Delivery history, newest first", description = "Filter by the notified event's id, the "
            + "deployment id and/or the channel; page is 0-based. Only deliveries about the services the token "
            + "allows are listed (the token's `services` claim; none: nothing). Roles operator, admin. Each item: "
            + "`id`, `eventId`, `eventType`, `deploymentId`, `channel`, `channelType`, `fallbackFor` (the "
            + "channels a `log` delivery stands in for), `routes`, `severity`, `service`, `environment`, `status` "
            + "(`PENDING` with `nextAttemptAt`, `DELIVERED`, `FAILED`, `GROUPED`), `outcome` (`DELIVERED`, "
            + "`REJECTED`, `EXHAUSTED`, `CHANNEL_GONE`, `GROUPED`), `attempts`, `lastStatusCode`, `lastError` "
            + "(ours, never a receiver's body), `title`, `message`, `createdAt`, `updatedAt`, `deliveredAt`, "
            + "`finishedAt`, `alertKey`, `repeats` (later repeats grouped into it by flood control) and "
            + "`groupedInto` (for a GROUPED delivery, the delivery it was counted on).")
    @APIResponse(responseCode = "200", description = "A page: `items`, `page`, `size`, `total`")
    @APIResponse(responseCode = "400", description = "`validation`: `page` negative or `size` outside 1..500 "
            + "(`errors[]` lists the parameters)", content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "401", description = ChannelResource.UNAUTHORIZED,
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    @APIResponse(responseCode = "403", description = "`forbidden`: the token has neither the `operator` nor the "
            + "`admin` role", content = @Content(mediaType = Problem.MEDIA_TYPE))
    public DeliveryView.Page search(
            @Parameter(description = "Only deliveries of the notified event with this id") @QueryParam("eventId")
            String eventId,
            @Parameter(description = "Only deliveries about this deployment") @QueryParam("deploymentId")
            String deploymentId,
            @Parameter(description = "Only deliveries on this channel") @QueryParam("channel") String channel,
            @Parameter(description = "The page, 0-based (default 0)") @QueryParam("page") @DefaultValue("0")
            @Min(0) int page,
            @Parameter(description = "Page size, 1 to 500 (default 50)") @QueryParam("size") @DefaultValue("50")
            @Min(1) @Max(500) int size) {
        Set<String> scope = caller.serviceScope();
        if (scope != null && scope.isEmpty()) {
            return new DeliveryView.Page(List.of(), page, size, 0);
        }
        PanacheQuery<Delivery> query = deliveries.search(blankToNull(eventId), blankToNull(deploymentId),
                blankToNull(channel), scope);
        return new DeliveryView.Page(query.page(page, size).list().stream().map(DeliveryView::of).toList(), page,
                size, query.count());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
