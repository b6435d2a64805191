-- Registered targets (issue 17, 1): per service and environment, where deployments go — the target URL, the metrics
-- URL, the hosts smoke checks may call besides the target's own origin — and the target's own signing secret, sealed
-- (platform SecretBox: never stored in plain text, never returned). Admin-managed; a deployment names the service
-- and environment, and with rollwatch.deploy.targets.require-registration no other URLs.
CREATE TABLE service_target (
    id             bigserial     PRIMARY KEY,
    service        varchar(100)  NOT NULL,
    environment    varchar(100)  NOT NULL,
    target_url     varchar(2048) NOT NULL,
    metrics_url    varchar(2048),
    smoke_hosts    text          NOT NULL,
    signing_secret text,
    updated_by     varchar(200)  NOT NULL,
    updated_at     timestamptz   NOT NULL,
    CONSTRAINT service_target_once UNIQUE (service, environment)
);
