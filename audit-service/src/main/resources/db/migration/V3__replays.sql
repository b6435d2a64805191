-- Replays: a request to re-publish a filtered, fixed range of the log (positions up to the head at request time)
-- to a topic, in position order, with the exact stored bytes. Progress is kept here so a replay can be followed
-- to completion and resumes after a restart from the last position the broker acknowledged.
CREATE TABLE audit_replay (
    id             uuid          PRIMARY KEY,
    status         varchar(16)   NOT NULL CHECK (status IN ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED')),
    destination    varchar(249)  NOT NULL,
    deployment_id  varchar(255),
    event_type     varchar(255),
    source         varchar(255),
    from_position  bigint        NOT NULL CHECK (from_position >= 1),
    to_position    bigint        NOT NULL,
    from_time      timestamptz,
    to_time        timestamptz,
    total          bigint        NOT NULL,
    published      bigint        NOT NULL DEFAULT 0,
    last_position  bigint        NOT NULL,
    created_at     timestamptz   NOT NULL,
    started_at     timestamptz,
    finished_at    timestamptz,
    error          text
);
CREATE INDEX audit_replay_unfinished ON audit_replay (created_at) WHERE status IN ('PENDING', 'RUNNING');
