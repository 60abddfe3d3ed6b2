-- Reports over long periods read smaller tables. A year of the organization's heatmap
-- read every agent's row of contact_hour_rollups, and the productivity report read every
-- promise of the year.

-- contact_hour_rollups without the agent: one row per organization, local day and hour,
-- lender, portfolio and channel. The rollup transaction that adds a visit or contact
-- attempt to contact_hour_rollups adds it here too. WITHOUT ROWID keeps the rows in
-- primary-key order, so a period is read in one pass.
CREATE TABLE contact_hour_totals (
    organization_id BLOB NOT NULL
        CONSTRAINT contact_hour_totals_organization_id_fkey REFERENCES organizations (id),
    local_date TEXT NOT NULL,
    weekday INTEGER NOT NULL,
    hour INTEGER NOT NULL,
    lender_id BLOB NOT NULL,
    portfolio_id BLOB NOT NULL,
    channel TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    right_party INTEGER NOT NULL,
    successes INTEGER NOT NULL,
    promises INTEGER NOT NULL,
    promised_cents INTEGER NOT NULL,
    CONSTRAINT contact_hour_totals_pkey PRIMARY KEY
        (organization_id, local_date, hour, lender_id, portfolio_id, channel)
) WITHOUT ROWID;

INSERT INTO contact_hour_totals (organization_id, local_date, weekday, hour, lender_id,
    portfolio_id, channel, attempts, right_party, successes, promises, promised_cents)
SELECT organization_id, local_date, weekday, hour, lender_id, portfolio_id, channel,
    SUM(attempts), SUM(right_party), SUM(successes), SUM(promises), SUM(promised_cents)
FROM contact_hour_rollups
GROUP BY organization_id, local_date, weekday, hour, lender_id, portfolio_id, channel;

-- The totals split by zone, `state|municipality` of the address as in custom reports,
-- so a heatmap filtered by zone reads only that zone's rows.
CREATE TABLE contact_hour_zone_totals (
    organization_id BLOB NOT NULL
        CONSTRAINT contact_hour_zone_totals_organization_id_fkey REFERENCES organizations (id),
    zone TEXT NOT NULL,
    local_date TEXT NOT NULL,
    weekday INTEGER NOT NULL,
    hour INTEGER NOT NULL,
    lender_id BLOB NOT NULL,
    portfolio_id BLOB NOT NULL,
    channel TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    right_party INTEGER NOT NULL,
    successes INTEGER NOT NULL,
    promises INTEGER NOT NULL,
    promised_cents INTEGER NOT NULL,
    CONSTRAINT contact_hour_zone_totals_pkey PRIMARY KEY
        (organization_id, zone, local_date, hour, lender_id, portfolio_id, channel)
) WITHOUT ROWID;

INSERT INTO contact_hour_zone_totals (organization_id, zone, local_date, weekday, hour,
    lender_id, portfolio_id, channel, attempts, right_party, successes, promises,
    promised_cents)
SELECT organization_id, zone_state || '|' || zone_municipality, local_date, weekday, hour,
    lender_id, portfolio_id, channel, SUM(attempts), SUM(right_party), SUM(successes),
    SUM(promises), SUM(promised_cents)
FROM report_rollups
GROUP BY organization_id, zone_state || '|' || zone_municipality, local_date, weekday, hour,
    lender_id, portfolio_id, channel;

-- Reports filtered by zone and by a dimension only report_rollups has read only that
-- zone's rows there.
CREATE INDEX report_rollups_zone_idx ON report_rollups
    (organization_id, (zone_state || '|' || zone_municipality), local_date);

-- Outcomes of the promises made in field visits, counted per organization, local day the
-- promise was made, agent, lender and portfolio. Triggers keep the counts in step with
-- promise_outcomes, whichever statement inserts, judges or deletes a promise.
CREATE TABLE visit_promise_rollups (
    organization_id BLOB NOT NULL
        CONSTRAINT visit_promise_rollups_organization_id_fkey REFERENCES organizations (id),
    created_on TEXT NOT NULL,
    agent_id BLOB NOT NULL,
    lender_id BLOB NOT NULL,
    portfolio_id BLOB NOT NULL,
    kept INTEGER NOT NULL,
    broken INTEGER NOT NULL,
    pending INTEGER NOT NULL,
    kept_cents INTEGER NOT NULL,
    CONSTRAINT visit_promise_rollups_pkey PRIMARY KEY
        (organization_id, created_on, agent_id, lender_id, portfolio_id)
) WITHOUT ROWID;

INSERT INTO visit_promise_rollups (organization_id, created_on, agent_id, lender_id,
    portfolio_id, kept, broken, pending, kept_cents)
SELECT organization_id, created_on, agent_id, lender_id, portfolio_id,
    SUM(status = 'kept'), SUM(status = 'broken'), SUM(status = 'pending'),
    SUM(CASE WHEN status = 'kept' THEN amount_cents ELSE 0 END)
FROM promise_outcomes WHERE visit_id IS NOT NULL
GROUP BY organization_id, created_on, agent_id, lender_id, portfolio_id;

CREATE TRIGGER visit_promise_rollups_insert AFTER INSERT ON promise_outcomes
WHEN NEW.visit_id IS NOT NULL
BEGIN
    INSERT INTO visit_promise_rollups (organization_id, created_on, agent_id, lender_id,
        portfolio_id, kept, broken, pending, kept_cents)
    VALUES (NEW.organization_id, NEW.created_on, NEW.agent_id, NEW.lender_id,
        NEW.portfolio_id, NEW.status = 'kept', NEW.status = 'broken', NEW.status = 'pending',
        CASE WHEN NEW.status = 'kept' THEN NEW.amount_cents ELSE 0 END)
    ON CONFLICT (organization_id, created_on, agent_id, lender_id, portfolio_id)
    DO UPDATE SET kept = kept + excluded.kept, broken = broken + excluded.broken,
        pending = pending + excluded.pending, kept_cents = kept_cents + excluded.kept_cents;
END;

CREATE TRIGGER visit_promise_rollups_delete AFTER DELETE ON promise_outcomes
WHEN OLD.visit_id IS NOT NULL
BEGIN
    UPDATE visit_promise_rollups SET kept = kept - (OLD.status = 'kept'),
        broken = broken - (OLD.status = 'broken'), pending = pending - (OLD.status = 'pending'),
        kept_cents = kept_cents - CASE WHEN OLD.status = 'kept' THEN OLD.amount_cents ELSE 0 END
    WHERE organization_id = OLD.organization_id AND created_on = OLD.created_on
        AND agent_id = OLD.agent_id AND lender_id = OLD.lender_id
        AND portfolio_id = OLD.portfolio_id;
END;

-- A judged promise moves from one count to another: its old row is taken away and its
-- new row added, so a change of agent, day or amount is counted right too. Judging
-- rewrites paid_cents of every pending promise; only a changed status, amount or key
-- moves a count.
CREATE TRIGGER visit_promise_rollups_update AFTER UPDATE OF visit_id, organization_id,
    created_on, agent_id, lender_id, portfolio_id, amount_cents, status ON promise_outcomes
WHEN OLD.status IS NOT NEW.status OR OLD.amount_cents IS NOT NEW.amount_cents
    OR OLD.visit_id IS NOT NEW.visit_id OR OLD.organization_id IS NOT NEW.organization_id
    OR OLD.created_on IS NOT NEW.created_on OR OLD.agent_id IS NOT NEW.agent_id
    OR OLD.lender_id IS NOT NEW.lender_id OR OLD.portfolio_id IS NOT NEW.portfolio_id
BEGIN
    UPDATE visit_promise_rollups SET kept = kept - (OLD.status = 'kept'),
        broken = broken - (OLD.status = 'broken'), pending = pending - (OLD.status = 'pending'),
        kept_cents = kept_cents - CASE WHEN OLD.status = 'kept' THEN OLD.amount_cents ELSE 0 END
    WHERE OLD.visit_id IS NOT NULL AND organization_id = OLD.organization_id
        AND created_on = OLD.created_on AND agent_id = OLD.agent_id
        AND lender_id = OLD.lender_id AND portfolio_id = OLD.portfolio_id;
    INSERT INTO visit_promise_rollups (organization_id, created_on, agent_id, lender_id,
        portfolio_id, kept, broken, pending, kept_cents)
    SELECT NEW.organization_id, NEW.created_on, NEW.agent_id, NEW.lender_id,
        NEW.portfolio_id, NEW.status = 'kept', NEW.status = 'broken', NEW.status = 'pending',
        CASE WHEN NEW.status = 'kept' THEN NEW.amount_cents ELSE 0 END
    WHERE NEW.visit_id IS NOT NULL
    ON CONFLICT (organization_id, created_on, agent_id, lender_id, portfolio_id)
    DO UPDATE SET kept = kept + excluded.kept, broken = broken + excluded.broken,
        pending = pending + excluded.pending, kept_cents = kept_cents + excluded.kept_cents;
END;
