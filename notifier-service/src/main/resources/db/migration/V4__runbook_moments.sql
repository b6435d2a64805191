-- Issue 15, item 12: notifications at the moments the runbooks name. Every default route below says the runbook
-- rule it serves (seed file prefix and rule, as in docs/runbook-policy.md "Notifications"). How loud a route is
-- follows AlertFacts: P0 and P1 page (PagerDuty + Slack), P2 alerts the on-call, P3 and informational events chat.

-- What a deployment's DeploymentStarted said, for its step events (step-completed carries only the step, and
-- "checkout production 2.4.0 at 25 %" needs the service, environment and versions).
CREATE TABLE deployment_context (
    deployment_id    varchar(255) PRIMARY KEY,
    service          varchar(100) NOT NULL,
    environment      varchar(100) NOT NULL,
    version          varchar(255) NOT NULL,
    previous_version varchar(255),
    steps_planned    integer      NOT NULL,
    created_at       timestamptz  NOT NULL
);

INSERT INTO route (name, event_type, severity, channels, builtin, created_at, updated_at) VALUES
    -- 002 "P0 (Critical) < 5 min: immediate rollback" (application down, database connection lost), 002 emergency
    -- contacts "On-Call: PagerDuty (24/7), Slack #incidents (immediate)", 000 "P1 (Critical - Page Immediately)":
    -- a P0 breach (kind unavailable: the target is down) pages.
    ('p0-breach',               'threshold-breached',     'P0', 'pagerduty,slack', true, now(), now()),
    -- 000/002 post-rollback health checks, 004 "VERIFY: error rate drops": the restored version's health probe
    -- failed right after the rollback (RollbackCompleted UNVERIFIED, P0): the incident is still on, page.
    ('rollback-unverified',     'rollback-completed',     'P0', 'pagerduty,slack', true, now(), now()),
    -- 000 "30-min monitoring window" after a rollback, 004 "VERIFY: error rate drops": the monitor found the
    -- restored version unhealthy (RollbackVerified UNVERIFIED, P0): page.
    ('verification-failed',     'rollback-verifications', 'P0', 'pagerduty,slack', true, now(), now()),
    -- 004 "COMMUNICATE: notify stakeholders" after the rollback: the restored version held for the window
    -- (RollbackVerified VERIFIED, informational P3): chat.
    ('verification-passed',     'rollback-verifications', 'P3', 'slack',           true, now(), now()),
    -- 002 "P0 < 5 min": a decision about a P0 that waits for a person (CONDITIONAL, APPROVAL_REQUIRED, HOLD) pages
    -- (P1 ones page through decision-page, V3: 002 "P1 (High) < 15 min: rollback if no quick fix").
    ('decision-page-p0',        'rollback-decisions',     'P0', 'pagerduty,slack', true, now(), now()),
    -- 004 "Status updates every phase" (5 % / 25 % / 100 %), Slack "for real-time updates": a SET_WEIGHT step
    -- completed, informational: chat.
    ('phase-reached',           'step-completed',         NULL, 'slack',           true, now(), now()),
    -- 001/002 post-deployment verification "checks at 15 min, 30 min and 1 h": each bake checkpoint with its
    -- figures, informational: chat (a breach inside the bake window pages through the breach routes).
    ('bake-checkpoint',         'bake-checkpoints',       NULL, 'slack',           true, now(), now()),
    -- 001 "Go / No-Go decision, decision maker", 004 "Release Manager makes go/no-go decisions", "wait for team
    -- decision": a gate (or an unclear analysis) waits for its approvers: chat, not a page (the deployment holds
    -- safely at its weight while it waits; an operator may add a route to pagerduty for a service or environment).
    ('approval-waiting',        'approval-requests',      NULL, 'slack',           true, now(), now())
ON CONFLICT (name) DO NOTHING;
