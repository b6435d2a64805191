package dev.rollwatch.demotarget.domain;

import com.fasterxml.jackson.annotation.JsonValue;

/** The driver calls the target understands. */
public enum CallKind {
    TRAFFIC("traffic"),
    ROLLBACK("rollback"),
    FINALIZE("finalize");

    private final String wireName;

    CallKind(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
