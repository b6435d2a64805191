package dev.rollwatch.rollback.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Instants at the precision PostgreSQL stores, so what is read back equals what was written. */
final class Times {

    private Times() {
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
