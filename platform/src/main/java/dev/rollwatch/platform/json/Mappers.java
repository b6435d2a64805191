package dev.rollwatch.platform.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON mappers of Rollwatch's services, one per kind, so none is written again with {@code new ObjectMapper()}:
 * <ul>
 * <li>Request bodies to a service: the Quarkus-managed {@code ObjectMapper} (inject it), strict by
 * {@link dev.rollwatch.platform.rest.StrictJson} and {@code quarkus.jackson.fail-on-unknown-properties=true}.</li>
 * <li>Events: {@code dev.rollwatch.events.EventCodec}, tolerant of fields a newer producer adds.</li>
 * <li>JSON exchanged with other systems, and JSON a service keeps for itself: {@link #lenient()}.</li>
 * </ul>
 */
public final class Mappers {

    private static final ObjectMapper LENIENT = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Mappers() {
    }

    /**
     * For reading what other systems send (a target's answer, a smoke check's body, Prometheus' API, a dead-lettered
     * record) and writing what Rollwatch sends them (a target call, Slack, PagerDuty, Teams and webhook bodies), and
     * for JSON a service stores and reads back itself: Jackson's defaults, with unknown properties ignored — a
     * receiver adding a field, repeating a key (the last wins) or sending {@code "5"} for 5 is not refused, unlike a
     * request to a service. Shared and thread-safe: use it as it is, never reconfigure it.
     */
    public static ObjectMapper lenient() {
        return LENIENT;
    }
}
