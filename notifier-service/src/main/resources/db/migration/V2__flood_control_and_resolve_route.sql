-- Flood control: a repeat of an alert (same deployment, channel and alert key) within the window of the
-- delivery that was sent is recorded as GROUPED, points at that delivery, and is counted on it.
ALTER TABLE delivery ADD COLUMN alert_key    varchar(500);
ALTER TABLE delivery ADD COLUMN repeats      integer NOT NULL DEFAULT 0;
ALTER TABLE delivery ADD COLUMN grouped_into uuid REFERENCES delivery (id);

CREATE INDEX delivery_flood ON delivery (deployment_id, channel, alert_key, created_at DESC)
    WHERE status IN ('PENDING', 'DELIVERED');

-- A rollback that completed resolves the PagerDuty incident its breach opened: completed rollbacks go to
-- pagerduty too (a PagerDuty channel sends SUCCEEDED as a resolve). Only if the default was not changed.
UPDATE route SET channels = 'slack,pagerduty', updated_at = now()
WHERE name = 'rollback-completed' AND builtin AND channels = 'slack';
