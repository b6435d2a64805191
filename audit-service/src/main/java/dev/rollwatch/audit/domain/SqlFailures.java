package dev.rollwatch.audit.domain;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** What the database said inside a failure: JDBC's errors are wrapped, chained as causes and as next exceptions. */
public final class SqlFailures {

    private SqlFailures() {
    }

    /** Whether any {@link SQLException} among {@code failure}'s causes and their next exceptions passes {@code test}. */
    public static boolean any(Throwable failure, Predicate<SQLException> test) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> todo = new ArrayDeque<>(List.of(failure));
        while (!todo.isEmpty()) {
            Throwable t = todo.pop();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof SQLException sql) {
                if (test.test(sql)) {
                    return true;
                }
                if (sql.getNextException() != null) {
                    todo.push(sql.getNextException());
                }
            }
            if (t.getCause() != null) {
                todo.push(t.getCause());
            }
        }
        return false;
    }
}
