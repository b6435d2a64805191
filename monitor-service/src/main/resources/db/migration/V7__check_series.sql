-- Every check's measurements over time, for the console's charts (GET /api/v1/deployments/{id}/series): one row per
-- measurement, appended in the transaction that judges it (one multi-row INSERT per sample batch), kept after the
-- watch stops. Bounded per check: seq numbers a check's points (check_state.series_seq, never reset, so a
-- rollback's restart or a step's retry goes on numbering), the API reads the newest rollwatch.monitor.series-points,
-- and every series-points/4 appends the rows older than the newest series-points are deleted (PK range).
-- value is the figure compared with the range (null: an ERROR measurement, nothing could be compared).
ALTER TABLE check_state ADD COLUMN series_seq bigint NOT NULL DEFAULT 0;

CREATE TABLE check_point (
    check_id     bigint           NOT NULL REFERENCES check_state (id),
    seq          bigint           NOT NULL,
    observed_at  timestamptz      NOT NULL,
    value        double precision,
    PRIMARY KEY (check_id, seq)
);
