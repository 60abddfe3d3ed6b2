//! Daily summaries of agents' tracks, and the retention of raw positions. A summary is
//! written before the positions of its day are deleted, so distance and stops outlive the
//! raw points.

use async_trait::async_trait;
use jiff::Timestamp;
use ronda_domain::{OrganizationId, UserId};
use serde::{Deserialize, Serialize};

use crate::StoreResult;

/// A stop as kept in a daily summary.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SummaryStop {
    /// Unix milliseconds of the stop's first point.
    pub start: i64,
    /// Unix milliseconds of the stop's last point.
    pub end: i64,
    pub latitude: f64,
    pub longitude: f64,
    pub point_count: u64,
}

/// What one agent's positions showed on one calendar day.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DaySummaryRecord {
    pub organization_id: OrganizationId,
    pub agent_id: UserId,
    /// `YYYY-MM-DD` in `time_zone`.
    pub day: String,
    pub time_zone: String,
    pub distance_m: f64,
    pub stops: Vec<SummaryStop>,
    pub accepted_count: u64,
    pub flagged_count: u64,
    pub first_fix_time: Option<Timestamp>,
    pub last_fix_time: Option<Timestamp>,
    pub summarized_at: Timestamp,
}

/// An agent with positions older than a retention cutoff, and the oldest fix time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgentBacklog {
    pub organization_id: OrganizationId,
    pub agent_id: UserId,
    pub oldest_fix_time: Timestamp,
}

#[async_trait]
pub trait TrackingHistoryStore: Send + Sync {
    /// Stores a day's summary, replacing an earlier one of the same agent and day.
    async fn upsert_day_summary(&self, summary: &DaySummaryRecord) -> StoreResult<()>;

    /// Returns the stored summary of an agent's day, if any.
    async fn day_summary(
        &self,
        org: OrganizationId,
        agent: UserId,
        day: &str,
    ) -> StoreResult<Option<DaySummaryRecord>>;

    /// Lists, across organizations, the agents that have positions with fix times before
    /// `cutoff`, oldest first.
    async fn agents_with_positions_before(
        &self,
        cutoff: Timestamp,
    ) -> StoreResult<Vec<AgentBacklog>>;

    /// Deletes an agent's positions with fix times before `before` and returns how many.
    async fn delete_agent_positions_before(
        &self,
        org: OrganizationId,
        agent: UserId,
        before: Timestamp,
    ) -> StoreResult<u64>;
}

pub(crate) mod sql {
    pub(crate) const UPSERT_DAY_SUMMARY: &str = "INSERT INTO agent_day_summaries \
        (organization_id, agent_id, day, time_zone, distance_m, stops, accepted_count, \
        flagged_count, first_fix_time, last_fix_time, summarized_at) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
        ON CONFLICT (organization_id, agent_id, day) DO UPDATE SET \
        time_zone = excluded.time_zone, distance_m = excluded.distance_m, \
        stops = excluded.stops, accepted_count = excluded.accepted_count, \
        flagged_count = excluded.flagged_count, first_fix_time = excluded.first_fix_time, \
        last_fix_time = excluded.last_fix_time, summarized_at = excluded.summarized_at";

    pub(crate) const SELECT_DAY_SUMMARY: &str = "SELECT organization_id, agent_id, day, \
        time_zone, distance_m, stops, accepted_count, flagged_count, first_fix_time, \
        last_fix_time, summarized_at FROM agent_day_summaries \
        WHERE organization_id = $1 AND agent_id = $2 AND day = $3";

    pub(crate) const SELECT_AGENTS_WITH_POSITIONS_BEFORE: &str = "SELECT organization_id, \
        agent_id, MIN(fix_time) AS oldest_fix_time FROM positions WHERE fix_time < $1 \
        GROUP BY organization_id, agent_id ORDER BY MIN(fix_time)";

    pub(crate) const DELETE_AGENT_POSITIONS_BEFORE: &str = "DELETE FROM positions \
        WHERE organization_id = $1 AND agent_id = $2 AND fix_time < $3";
}

pub(crate) mod rows {
    use ronda_domain::{OrganizationId, UserId};
    use sqlx::FromRow;
    use sqlx::types::Json;
    use uuid::Uuid;

    use super::{AgentBacklog, DaySummaryRecord, SummaryStop};
    use crate::StoreResult;
    use crate::rows::timestamp;

    #[derive(FromRow)]
    pub(crate) struct DaySummaryRow {
        organization_id: Uuid,
        agent_id: Uuid,
        day: String,
        time_zone: String,
        distance_m: f64,
        stops: Json<Vec<SummaryStop>>,
        accepted_count: i64,
        flagged_count: i64,
        first_fix_time: Option<i64>,
        last_fix_time: Option<i64>,
        summarized_at: i64,
    }

    const TABLE: &str = "agent_day_summaries";

    impl TryFrom<DaySummaryRow> for DaySummaryRecord {
        type Error = crate::StoreError;

        fn try_from(row: DaySummaryRow) -> StoreResult<Self> {
            let optional = |column, ms: Option<i64>| ms.map(|ms| timestamp(TABLE, column, ms));
            Ok(Self {
                organization_id: OrganizationId(row.organization_id),
                agent_id: UserId(row.agent_id),
                day: row.day,
                time_zone: row.time_zone,
                distance_m: row.distance_m,
                stops: row.stops.0,
                accepted_count: u64::try_from(row.accepted_count).unwrap_or_default(),
                flagged_count: u64::try_from(row.flagged_count).unwrap_or_default(),
                first_fix_time: optional("first_fix_time", row.first_fix_time).transpose()?,
                last_fix_time: optional("last_fix_time", row.last_fix_time).transpose()?,
                summarized_at: timestamp(TABLE, "summarized_at", row.summarized_at)?,
            })
        }
    }

    #[derive(FromRow)]
    pub(crate) struct AgentBacklogRow {
        organization_id: Uuid,
        agent_id: Uuid,
        oldest_fix_time: i64,
    }

    impl TryFrom<AgentBacklogRow> for AgentBacklog {
        type Error = crate::StoreError;

        fn try_from(row: AgentBacklogRow) -> StoreResult<Self> {
            Ok(Self {
                organization_id: OrganizationId(row.organization_id),
                agent_id: UserId(row.agent_id),
                oldest_fix_time: timestamp("positions", "fix_time", row.oldest_fix_time)?,
            })
        }
    }
}

/// Implements [`TrackingHistoryStore`] for a store type, as the main store does.
macro_rules! impl_tracking_history_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::tracking::history::TrackingHistoryStore for $store {
            async fn upsert_day_summary(
                &self,
                summary: &$crate::tracking::history::DaySummaryRecord,
            ) -> $crate::StoreResult<()> {
                let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
                sqlx::query($crate::tracking::history::sql::UPSERT_DAY_SUMMARY)
                    .bind(summary.organization_id.0)
                    .bind(summary.agent_id.0)
                    .bind(&summary.day)
                    .bind(&summary.time_zone)
                    .bind(summary.distance_m)
                    .bind(sqlx::types::Json(&summary.stops))
                    .bind(count(summary.accepted_count))
                    .bind(count(summary.flagged_count))
                    .bind(summary.first_fix_time.map(|t| t.as_millisecond()))
                    .bind(summary.last_fix_time.map(|t| t.as_millisecond()))
                    .bind(summary.summarized_at.as_millisecond())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn day_summary(
                &self,
                org: ronda_domain::OrganizationId,
                agent: ronda_domain::UserId,
                day: &str,
            ) -> $crate::StoreResult<Option<$crate::tracking::history::DaySummaryRecord>> {
                let row: Option<$crate::tracking::history::rows::DaySummaryRow> =
                    sqlx::query_as($crate::tracking::history::sql::SELECT_DAY_SUMMARY)
                        .bind(org.0)
                        .bind(agent.0)
                        .bind(day)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(TryInto::try_into).transpose()
            }

            async fn agents_with_positions_before(
                &self,
                cutoff: jiff::Timestamp,
            ) -> $crate::StoreResult<Vec<$crate::tracking::history::AgentBacklog>> {
                let rows: Vec<$crate::tracking::history::rows::AgentBacklogRow> = sqlx::query_as(
                    $crate::tracking::history::sql::SELECT_AGENTS_WITH_POSITIONS_BEFORE,
                )
                .bind(cutoff.as_millisecond())
                .fetch_all(&self.pool)
                .await?;
                $crate::rows::convert_all(rows)
            }

            async fn delete_agent_positions_before(
                &self,
                org: ronda_domain::OrganizationId,
                agent: ronda_domain::UserId,
                before: jiff::Timestamp,
            ) -> $crate::StoreResult<u64> {
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                let deleted =
                    sqlx::query($crate::tracking::history::sql::DELETE_AGENT_POSITIONS_BEFORE)
                        .bind(org.0)
                        .bind(agent.0)
                        .bind(before.as_millisecond())
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                tx.commit().await?;
                Ok(deleted)
            }
        }
    };
}
pub(crate) use impl_tracking_history_store;
