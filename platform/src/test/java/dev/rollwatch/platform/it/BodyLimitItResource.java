package dev.rollwatch.platform.it;

import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Takes a body and records that it ran (marker → bytes read), for BodySizeLimitIT. */
@Path("/it/bodies")
@PermitAll
@ApplicationScoped
public class BodyLimitItResource {

    private final Map<String, Integer> received = new ConcurrentHashMap<>();

    @POST
    @Path("/{marker}")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    public String take(@PathParam("marker") String marker, byte[] body) {
        received.put(marker, body.length);
        return String.valueOf(body.length);
    }

    /** The bytes the resource read for {@code marker}, or null when it never ran. */
    public Integer received(String marker) {
        return received.get(marker);
    }
}
