-- Reports over long periods read smaller tables. A year of the organization's heatmap
-- read every agent's row of contact_hour_rollups, and the productivity report read every
-- promise of the year.

-- contact_hour_rollups without the agent: one row per organization, local day and hour,
-- lender, portfolio and channel. The rollup transaction that adds a visit or contact
-- attempt to contact_hour_rollups adds it here too.
CREATE TABLE contact_hour_totals (
    organization_id uuid NOT NULL
        CONSTRAINT contact_hour_totals_organization_id_fkey REFERENCES organizations (id),
    local_date text NOT NULL,
    weekday integer NOT NULL,
    hour integer NOT NULL,
    lender_id uuid NOT NULL,
    portfolio_id uuid NOT NULL,
    channel text NOT NULL,
    attempts bigint NOT NULL,
    right_party bigint NOT NULL,
    successes bigint NOT NULL,
    promises bigint NOT NULL,
    promised_cents bigint NOT NULL,
    CONSTRAINT contact_hour_totals_pkey PRIMARY KEY
        (organization_id, local_date, hour, lender_id, portfolio_id, channel)
);

INSERT INTO contact_hour_totals (organization_id, local_date, weekday, hour, lender_id,
    portfolio_id, channel, attempts, right_party, successes, promises, promised_cents)
SELECT organization_id, local_date, weekday, hour, lender_id, portfolio_id, channel,
    SUM(attempts), SUM(right_party), SUM(successes), SUM(promises), SUM(promised_cents)
FROM contact_hour_rollups
GROUP BY organization_id, local_date, weekday, hour, lender_id, portfolio_id, channel;

-- The totals split by zone, `state|municipality` of the address as in custom reports,
-- so a heatmap filtered by zone reads only that zone's rows.
CREATE TABLE contact_hour_zone_totals (
    organization_id uuid NOT NULL
        CONSTRAINT contact_hour_zone_totals_organization_id_fkey REFERENCES organizations (id),
    zone text NOT NULL,
    local_date text NOT NULL,
    weekday integer NOT NULL,
    hour integer NOT NULL,
    lender_id uuid NOT NULL,
    portfolio_id uuid NOT NULL,
    channel text NOT NULL,
    attempts bigint NOT NULL,
    right_party bigint NOT NULL,
    successes bigint NOT NULL,
    promises bigint NOT NULL,
    promised_cents bigint NOT NULL,
    CONSTRAINT contact_hour_zone_totals_pkey PRIMARY KEY
        (organization_id, zone, local_date, hour, lender_id, portfolio_id, channel)
);

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
    organization_id uuid NOT NULL
        CONSTRAINT visit_promise_rollups_organization_id_fkey REFERENCES organizations (id),
    created_on text NOT NULL,
    agent_id uuid NOT NULL,
    lender_id uuid NOT NULL,
    portfolio_id uuid NOT NULL,
    kept bigint NOT NULL,
    broken bigint NOT NULL,
    pending bigint NOT NULL,
    kept_cents bigint NOT NULL,
    CONSTRAINT visit_promise_rollups_pkey PRIMARY KEY
        (organization_id, created_on, agent_id, lender_id, portfolio_id)
);

INSERT INTO visit_promise_rollups (organization_id, created_on, agent_id, lender_id,
    portfolio_id, kept, broken, pending, kept_cents)
SELECT organization_id, created_on, agent_id, lender_id, portfolio_id,
    COUNT(*) FILTER (WHERE status = 'kept'), COUNT(*) FILTER (WHERE status = 'broken'),
    COUNT(*) FILTER (WHERE status = 'pending'),
    COALESCE(SUM(amount_cents) FILTER (WHERE status = 'kept'), 0)
FROM promise_outcomes WHERE visit_id IS NOT NULL
GROUP BY organization_id, created_on, agent_id, lender_id, portfolio_id;

-- Takes a changed or deleted promise's old row away from the counts and adds its new row.
CREATE FUNCTION visit_promise_rollups_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.visit_id IS NOT NULL THEN
        UPDATE visit_promise_rollups SET
            kept = kept - CASE WHEN OLD.status = 'kept' THEN 1 ELSE 0 END,
            broken = broken - CASE WHEN OLD.status = 'broken' THEN 1 ELSE 0 END,
            pending = pending - CASE WHEN OLD.status = 'pending' THEN 1 ELSE 0 END,
            kept_cents = kept_cents
                - CASE WHEN OLD.status = 'kept' THEN OLD.amount_cents ELSE 0 END
        WHERE organization_id = OLD.organization_id AND created_on = OLD.created_on
            AND agent_id = OLD.agent_id AND lender_id = OLD.lender_id
            AND portfolio_id = OLD.portfolio_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.visit_id IS NOT NULL THEN
        INSERT INTO visit_promise_rollups AS r (organization_id, created_on, agent_id,
            lender_id, portfolio_id, kept, broken, pending, kept_cents)
        VALUES (NEW.organization_id, NEW.created_on, NEW.agent_id, NEW.lender_id,
            NEW.portfolio_id, CASE WHEN NEW.status = 'kept' THEN 1 ELSE 0 END,
            CASE WHEN NEW.status = 'broken' THEN 1 ELSE 0 END,
            CASE WHEN NEW.status = 'pending' THEN 1 ELSE 0 END,
            CASE WHEN NEW.status = 'kept' THEN NEW.amount_cents ELSE 0 END)
        ON CONFLICT (organization_id, created_on, agent_id, lender_id, portfolio_id)
        DO UPDATE SET kept = r.kept + excluded.kept, broken = r.broken + excluded.broken,
            pending = r.pending + excluded.pending,
            kept_cents = r.kept_cents + excluded.kept_cents;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER visit_promise_rollups_insert_delete AFTER INSERT OR DELETE ON promise_outcomes
    FOR EACH ROW EXECUTE FUNCTION visit_promise_rollups_apply();

-- Judging rewrites paid_cents of every pending promise; only a changed status, amount or
-- key moves a count.
CREATE TRIGGER visit_promise_rollups_update AFTER UPDATE OF visit_id, organization_id,
    created_on, agent_id, lender_id, portfolio_id, amount_cents, status ON promise_outcomes
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status
        OR OLD.amount_cents IS DISTINCT FROM NEW.amount_cents
        OR OLD.visit_id IS DISTINCT FROM NEW.visit_id
        OR OLD.organization_id IS DISTINCT FROM NEW.organization_id
        OR OLD.created_on IS DISTINCT FROM NEW.created_on
        OR OLD.agent_id IS DISTINCT FROM NEW.agent_id
        OR OLD.lender_id IS DISTINCT FROM NEW.lender_id
        OR OLD.portfolio_id IS DISTINCT FROM NEW.portfolio_id)
    EXECUTE FUNCTION visit_promise_rollups_apply();
