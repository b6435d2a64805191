-- Issue 15: the runbooks' judgement (docs/adr/0003-runbook-judgement.md).

-- Policies: the P0 row, the pack in force and its per-rule duration overrides, the default action and deciders of
-- CONDITIONAL decisions. The "freeze" that holds automatic rollbacks is renamed rollback_hold: deployment freezes
-- (windows) are deploy-service's business.
ALTER TABLE policy RENAME COLUMN frozen TO rollback_hold;
ALTER TABLE policy ADD COLUMN p0_action varchar(16) NOT NULL DEFAULT 'ROLLBACK';
ALTER TABLE policy ADD COLUMN policy_pack varchar(64) NOT NULL DEFAULT 'runbook@1';
ALTER TABLE policy ADD COLUMN overrides varchar(4000) NOT NULL DEFAULT '{}';
ALTER TABLE policy ADD COLUMN conditional_default varchar(16) NOT NULL DEFAULT 'ROLLBACK'
    CHECK (conditional_default IN ('ROLLBACK', 'HOLD'));
ALTER TABLE policy ADD COLUMN deciders varchar(200) NOT NULL DEFAULT 'operator';
-- Version 1's CONDITIONAL ("roll back if it repeats or persists") is now called MONITOR; CONDITIONAL now means "a
-- person decides". The meaning of every stored version is unchanged: only the name of the action is.
UPDATE policy SET p1_action = 'MONITOR' WHERE p1_action = 'CONDITIONAL';
UPDATE policy SET p2_action = 'MONITOR' WHERE p2_action = 'CONDITIONAL';
UPDATE policy SET p3_action = 'MONITOR' WHERE p3_action = 'CONDITIONAL';
-- The global default gets a new version with the runbooks' matrix (002): P0 rolls back at once, P1 is a conditional
-- rollback (a person decides within 15 min, default roll back), P2 is monitored, P3 notifies. Rows are append-only.
INSERT INTO policy (service, environment, version, p0_action, p1_action, p2_action, p3_action, repeat_count,
                    repeat_window_ms, auto_rollback, rollback_hold, rollback_deadline_ms, created_at, created_by,
                    change_reason, policy_pack, overrides, conditional_default, deciders)
SELECT '*', '*', p.version + 1, 'ROLLBACK', 'CONDITIONAL', 'MONITOR', 'NOTIFY', p.repeat_count, p.repeat_window_ms,
       p.auto_rollback, p.rollback_hold, p.rollback_deadline_ms, now(), 'migration',
       'issue 15: runbook 002 matrix (P0 rollback, P1 conditional, P2 monitor, P3 notify) and the runbook policy pack',
       'runbook@1', '{}', 'ROLLBACK', 'operator'
FROM policy p WHERE p.service = '*' AND p.environment = '*'
ORDER BY p.version DESC LIMIT 1;

-- Decisions: the pack entry and the runbook rule behind them, the phase of the breach, response targets,
-- CONDITIONAL terms and their resolution, acknowledgement, verification of a rollback.
ALTER TABLE decision ADD COLUMN policy_pack varchar(64);
ALTER TABLE decision ADD COLUMN pack_rule varchar(64);
ALTER TABLE decision ADD COLUMN seed_rule varchar(500);
ALTER TABLE decision ADD COLUMN phase varchar(16);
ALTER TABLE decision ADD COLUMN follow_up_at timestamptz;
ALTER TABLE decision ADD COLUMN respond_by timestamptz;
ALTER TABLE decision ADD COLUMN decide_by timestamptz;
ALTER TABLE decision ADD COLUMN deciders varchar(200);
ALTER TABLE decision ADD COLUMN default_action varchar(16);
ALTER TABLE decision ADD COLUMN resolved_at timestamptz;
ALTER TABLE decision ADD COLUMN resolved_by varchar(200);
ALTER TABLE decision ADD COLUMN resolution varchar(16);
ALTER TABLE decision ADD COLUMN acknowledged_at timestamptz;
ALTER TABLE decision ADD COLUMN acknowledged_by varchar(200);
ALTER TABLE decision ADD COLUMN unanswered_escalated_at timestamptz;
ALTER TABLE decision ADD COLUMN verification varchar(16);
ALTER TABLE decision ADD COLUMN verified_at timestamptz;
ALTER TABLE decision ADD COLUMN verification_event_id varchar(255);
ALTER TABLE decision ADD COLUMN verification_detail varchar(2000);
ALTER TABLE decision ADD COLUMN unverified_escalated_at timestamptz;

-- One open rollback per deployment: a rollback that STEPPED_BACK (the deployment runs again at a lower weight) no
-- longer counts, so a later breach may request a new one.
DROP INDEX decision_one_rollback;
CREATE UNIQUE INDEX decision_one_rollback ON decision (deployment_id)
    WHERE action = 'ROLLBACK' AND (status IS NULL OR status <> 'STEPPED_BACK');

-- The follow-up of "sustained" rules and the CONDITIONAL / response-target schedulers.
CREATE INDEX decision_pending_sustained ON decision (follow_up_at) WHERE action = 'ALERT' AND follow_up_at IS NOT NULL;
CREATE INDEX decision_open_conditionals ON decision (decide_by) WHERE action = 'CONDITIONAL' AND resolved_at IS NULL;
CREATE INDEX decision_respond_by ON decision (respond_by)
    WHERE respond_by IS NOT NULL AND acknowledged_at IS NULL AND unanswered_escalated_at IS NULL;

-- Every version that finished SUCCEEDED in an environment (an operator may roll back to any of them); last_known_good
-- stays the one in force and is restored when a SUCCEEDED deployment is rolled back.
CREATE TABLE succeeded_version (
    service        varchar(100) NOT NULL,
    environment    varchar(100) NOT NULL,
    deployment_id  varchar(255) NOT NULL,
    version        varchar(128) NOT NULL,
    finished_at    timestamptz  NOT NULL,
    rolled_back_at timestamptz,
    PRIMARY KEY (service, environment, deployment_id)
);
CREATE INDEX succeeded_version_by_version ON succeeded_version (service, environment, version);
INSERT INTO succeeded_version (service, environment, deployment_id, version, finished_at)
SELECT service, environment, deployment_id, version, finished_at FROM last_known_good;
