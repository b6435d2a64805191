package dev.rollwatch.audit.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which entries a query, an export or a verification looks at. Every criterion is optional; {@code from}/{@code to}
 * bound the event's {@code time} (inclusive, exclusive); {@code after} is the cursor (a position).
 */
public record EntryFilter(String deploymentId, String type, String source, Instant from, Instant to, long after) {

    public static EntryFilter all() {
        return new EntryFilter(null, null, null, null, null, 0);
    }

    public EntryFilter after(long position) {
        return new EntryFilter(deploymentId, type, source, from, to, position);
    }

    record Sql(String where, List<Object> params) {
    }

    Sql toSql() {
        StringBuilder where = new StringBuilder("position > ?");
        List<Object> params = new ArrayList<>();
        params.add(after);
        if (deploymentId != null) {
            where.append(" AND subject = ?");
            params.add(deploymentId);
        }
        if (type != null) {
            where.append(" AND event_type = ?");
            params.add(type);
        }
        if (source != null) {
            where.append(" AND source = ?");
            params.add(source);
        }
        if (from != null) {
            where.append(" AND event_time >= ?");
            params.add(from);
        }
        if (to != null) {
            where.append(" AND event_time < ?");
            params.add(to);
        }
        return new Sql(where.toString(), params);
    }
}
