package dev.rollwatch.notifier.rest;

import dev.rollwatch.notifier.domain.Delivery;
import dev.rollwatch.notifier.repository.DeliveryRepository;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

@Path("/api/v1/deliveries")
@Produces(MediaType.APPLICATION_JSON)
public class DeliveryResource {

    private final DeliveryRepository deliveries;

    public DeliveryResource(DeliveryRepository deliveries) {
        this.deliveries = deliveries;
    }

    @GET
    @Operation(summary = "Delivery history, newest first", description = "Filter by the notified event's id, the "
            + "deployment id and/or the channel; page is 0-based.")
    public DeliveryView.Page search(@QueryParam("eventId") String eventId,
            @QueryParam("deploymentId") String deploymentId, @QueryParam("channel") String channel,
            @QueryParam("page") @DefaultValue("0") @Min(0) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        PanacheQuery<Delivery> query = deliveries.search(blankToNull(eventId), blankToNull(deploymentId),
                blankToNull(channel));
        return new DeliveryView.Page(query.page(page, size).list().stream().map(DeliveryView::of).toList(), page,
                size, query.count());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
