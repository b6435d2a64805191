package dev.rollwatch.audit.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which entries a query, an export or a verification looks at. Every criterion is optional; {@code from}/{@code to}
 * bound the event's {@code time} (inclusive, exclusive); {@code after} is the cursor (a position); {@code services}
 * is the caller's service scope ({@code null}: every entry; else only entries of those services, see
 * {@link #SERVICE_VISIBLE}).
 */
public record EntryFilter(String deploymentId, String type, String source, Instant from, Instant to, long after,
        Set<String> services) {

    /**
     * An entry belongs to a service when its hashed bytes say so ({@code data.service}, re-derived from the payload by
     * {@code audit_entry_service}, never from a column), or when its subject is a deployment whose
     * {@code DeploymentStarted} says so. Entries of neither kind (the log's own checkpoints, say) belong to no service
     * and only an unscoped auditor sees them. Two parameters: the scope twice, as a varchar array.
     */
    static final String SERVICE_VISIBLE = "(audit_entry_service(payload) = ANY (?) OR subject IN (SELECT d.subject "
            + "FROM audit_entry d WHERE d.event_type = 'dev.rollwatch.deployment.started.v1' "
            + "AND audit_entry_service(d.payload) = ANY (?)))";

    public EntryFilter(String deploymentId, String type, String source, Instant from, Instant to, long after) {
        this(deploymentId, type, source, from, to, after, null);
    }

    public static EntryFilter all() {
        return new EntryFilter(null, null, null, null, null, 0);
    }

    public EntryFilter after(long position) {
        return new EntryFilter(deploymentId, type, source, from, to, position, services);
    }

    /** The same criteria, limited to the entries of these services ({@code null}: all). */
    public EntryFilter scopedTo(Set<String> scope) {
        return new EntryFilter(deploymentId, type, source, from, to, after, scope == null ? null : Set.copyOf(scope));
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
        if (services != null) {
            where.append(" AND ").append(SERVICE_VISIBLE);
            String[] scope = services.toArray(String[]::new);
            params.add(scope);
            params.add(scope);
        }
        return new Sql(where.toString(), params);
    }
}
