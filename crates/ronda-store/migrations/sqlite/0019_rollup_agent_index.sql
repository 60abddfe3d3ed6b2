-- Reports filtered by agent read only that agent's rollup rows. The primary keys start
-- with (organization_id, local_date), so without these indexes an agent's year read
-- every row of the year.
CREATE INDEX contact_hour_rollups_agent_idx
    ON contact_hour_rollups (organization_id, agent_id, local_date);
CREATE INDEX report_rollups_agent_idx ON report_rollups (organization_id, agent_id, local_date);
