-- A watch: one deployment under observation, from DeploymentStarted until it stops (after the bake window
-- that follows DeploymentFinished(SUCCEEDED), or at once for any other outcome).
CREATE TABLE watch (
    deployment_id       varchar(64)   PRIMARY KEY,
    service             varchar(100)  NOT NULL,
    environment         varchar(100)  NOT NULL,
    version             varchar(128)  NOT NULL,
    previous_version    varchar(128),
    metrics_url         varchar(2048),
    status              varchar(16)   NOT NULL,
    step_index          integer,
    weight              integer,
    started_event_id    varchar(255)  NOT NULL,
    started_event_source varchar(255) NOT NULL,
    finish_outcome      varchar(32),
    bake_until          timestamptz,
    created_at          timestamptz   NOT NULL,
    updated_at          timestamptz   NOT NULL,
    stopped_at          timestamptz,
    row_version         integer       NOT NULL DEFAULT 0
);
CREATE INDEX watch_baking ON watch (bake_until) WHERE status = 'BAKING';

-- One row per check of a watch: the effective rule (defaults applied) and its progress so far.
CREATE TABLE check_state (
    id                       bigserial     PRIMARY KEY,
    deployment_id            varchar(64)   NOT NULL REFERENCES watch (deployment_id),
    position                 integer       NOT NULL,
    name                     varchar(100)  NOT NULL,
    provider                 varchar(32)   NOT NULL,
    metric                   varchar(200)  NOT NULL,
    query                    varchar(2000),
    min_value                double precision,
    max_value                double precision,
    interval_ms              bigint,
    window_ms                bigint,
    failure_limit            integer       NOT NULL,
    consecutive_error_limit  integer       NOT NULL,
    severity                 varchar(8)    NOT NULL,
    measurements             integer       NOT NULL DEFAULT 0,
    failures                 integer       NOT NULL DEFAULT 0,
    total_failures           integer       NOT NULL DEFAULT 0,
    consecutive_errors       integer       NOT NULL DEFAULT 0,
    in_breach                boolean       NOT NULL DEFAULT false,
    episodes                 integer       NOT NULL DEFAULT 0,
    failing_values           text          NOT NULL DEFAULT '[]',
    recent                   text          NOT NULL DEFAULT '[]',
    last_value               double precision,
    last_observed_at         timestamptz,
    UNIQUE (deployment_id, name)
);

-- Every ThresholdBreached emitted. The id is derived from (deployment, check, episode), so the primary key
-- makes a second emission of the same episode impossible, across restarts and instances.
CREATE TABLE breach (
    event_id        varchar(64)      PRIMARY KEY,
    deployment_id   varchar(64)      NOT NULL REFERENCES watch (deployment_id),
    check_name      varchar(100)     NOT NULL,
    metric          varchar(200)     NOT NULL,
    episode         integer          NOT NULL,
    severity        varchar(8)       NOT NULL,
    operator        varchar(8)       NOT NULL,
    threshold       double precision NOT NULL,
    observed        text             NOT NULL,
    failures        integer          NOT NULL,
    failure_limit   integer          NOT NULL,
    step_index      integer,
    observed_at     timestamptz      NOT NULL,
    emitted_at      timestamptz      NOT NULL,
    UNIQUE (deployment_id, check_name, episode)
);
CREATE INDEX breach_by_deployment ON breach (deployment_id, emitted_at);
