-- A CONDITIONAL breach whose episode stays open (no newer breach of the same check) past the policy's window is
-- decided again by the persistence check: that follow-up decision names the ALERT it follows up. One follow-up
-- per alert, whoever checks (several instances, a restart).
ALTER TABLE decision ADD COLUMN follows_up uuid REFERENCES decision (id);
CREATE UNIQUE INDEX decision_one_follow_up ON decision (follows_up) WHERE follows_up IS NOT NULL;

-- The follow-up cites the same breach event as the alert it follows up: one decision per breach event still holds
-- for the decisions taken when the breach arrived.
DROP INDEX decision_one_per_breach;
CREATE UNIQUE INDEX decision_one_per_breach ON decision (breach_source, breach_event_id)
    WHERE breach_event_id IS NOT NULL AND action <> 'ESCALATED' AND follows_up IS NULL;

-- The persistence check looks for open conditional alerts of active deployments.
CREATE INDEX decision_conditional_alerts ON decision (decided_at)
    WHERE action = 'ALERT' AND rule LIKE '%-below-repeat-limit';
CREATE INDEX decision_by_check ON decision (deployment_id, check_name, observed_at);
