-- Issue 15 (ADR 0003): what the monitor needs to know about a watch beyond its checks.
-- Where the target answers (its health endpoint is {target_url}/health?version=<version>), when the deployment and
-- the current step started (carried on every ThresholdBreached), which analysis step's criteria are being judged.
ALTER TABLE watch ADD COLUMN target_url varchar(2048);
ALTER TABLE watch ADD COLUMN deployment_started_at timestamptz;
ALTER TABLE watch ADD COLUMN step_started_at timestamptz;
ALTER TABLE watch ADD COLUMN criteria_step integer;

-- Outage episodes: since when each availability signal (the health endpoint, the metrics source) has been failing,
-- whether an outage episode is open (one ThresholdBreached kind 'unavailable' per episode) and how many there were.
ALTER TABLE watch ADD COLUMN health_down_since timestamptz;
ALTER TABLE watch ADD COLUMN health_reason varchar(1000);
ALTER TABLE watch ADD COLUMN metrics_down_since timestamptz;
ALTER TABLE watch ADD COLUMN metrics_reason varchar(1000);
ALTER TABLE watch ADD COLUMN outage_open boolean NOT NULL DEFAULT false;
ALTER TABLE watch ADD COLUMN outage_episodes integer NOT NULL DEFAULT 0;

-- The bake window after SUCCEEDED: its length (the deployment's own, or the monitor's default), when the deployment
-- succeeded, how many checkpoints were emitted, and each check's counters at success (the window's baseline).
ALTER TABLE watch ADD COLUMN bake_window_ms bigint;
ALTER TABLE watch ADD COLUMN succeeded_at timestamptz;
ALTER TABLE watch ADD COLUMN bake_checkpoints_done integer NOT NULL DEFAULT 0;
ALTER TABLE watch ADD COLUMN bake_baseline text;

-- Verifying a rollback: the restored version watched until verify_until, the RollbackCompleted that started it,
-- and the outcome once decided (VERIFIED / UNVERIFIED).
ALTER TABLE watch ADD COLUMN verify_version varchar(128);
ALTER TABLE watch ADD COLUMN verify_started_at timestamptz;
ALTER TABLE watch ADD COLUMN verify_until timestamptz;
ALTER TABLE watch ADD COLUMN verify_event_id varchar(255);
ALTER TABLE watch ADD COLUMN verify_outcome varchar(16);
CREATE INDEX watch_verifying ON watch (verify_until) WHERE status = 'VERIFYING';

-- A step's own success criteria (StepSpec.criteria of an ANALYSIS step): judged only while that step runs.
ALTER TABLE check_state ADD COLUMN step_index integer;

-- The kind and phase of a breach episode (threshold / unavailable / criteria; rollout / bake).
ALTER TABLE breach ADD COLUMN kind varchar(16) NOT NULL DEFAULT 'threshold';
ALTER TABLE breach ADD COLUMN phase varchar(16) NOT NULL DEFAULT 'rollout';
