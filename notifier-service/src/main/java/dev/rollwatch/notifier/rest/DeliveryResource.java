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
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;
import java.util.Set;

/** Delivery history: operator and admin (docs/security.md), limited to the caller's services. */
@Path("/api/v1/deliveries")
@RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
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
            + "allows are listed.")
    public DeliveryView.Page search(@QueryParam("eventId") String eventId,
            @QueryParam("deploymentId") String deploymentId, @QueryParam("channel") String channel,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
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
