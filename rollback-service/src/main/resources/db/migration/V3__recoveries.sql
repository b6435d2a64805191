-- ThresholdRecovered: a breach episode ended. Stored by the episode's breach event id whatever the order of arrival
-- (the recovery travels on its own topic and may come before the breach it names). One recovery per episode: a
-- second ThresholdRecovered naming the same breach keeps the first.
CREATE TABLE breach_recovery (
    breach_event_id varchar(255) PRIMARY KEY,
    deployment_id   varchar(255) NOT NULL,
    check_name      varchar(200) NOT NULL,
    severity        varchar(4)   NOT NULL,
    breached_at     timestamptz,
    recovered_at    timestamptz  NOT NULL,
    event_id        varchar(255) NOT NULL,
    event_source    varchar(255) NOT NULL,
    received_at     timestamptz  NOT NULL
);
CREATE INDEX breach_recovery_by_deployment ON breach_recovery (deployment_id);

-- The check definition that judged the breach (ThresholdBreached.ruleVersion), when the monitor names one.
ALTER TABLE decision ADD COLUMN rule_version varchar(200);
-- For a follow-up decided because the episode recovered: the ThresholdRecovered event and when it recovered.
ALTER TABLE decision ADD COLUMN recovery_event_id varchar(255);
ALTER TABLE decision ADD COLUMN recovered_at timestamptz;
