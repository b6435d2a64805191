-- Escalated rollbacks page (P1: PagerDuty + Slack). Rollback decisions route by urgency (see AlertFacts):
-- APPROVAL_REQUIRED and HOLD (P1) page the on-call, ALERT (P2) goes to Slack, NOTIFY (P3) to Slack;
-- ATTACHED and IGNORED tell nobody.
INSERT INTO route (name, event_type, severity, channels, builtin, created_at, updated_at) VALUES
    ('rollback-escalated', 'rollback-escalated', NULL, 'pagerduty,slack', true, now(), now()),
    ('decision-page',      'rollback-decisions', 'P1', 'pagerduty,slack', true, now(), now()),
    ('decision-alert',     'rollback-decisions', 'P2', 'slack',           true, now(), now()),
    ('decision-notify',    'rollback-decisions', 'P3', 'slack',           true, now(), now())
ON CONFLICT (name) DO NOTHING;
