//! The numbers and the visit points of the console's "Hoy" page: today's visits of an
//! organization, read through the (organization, finished_at) index.

use async_trait::async_trait;
use jiff::Timestamp;
use ronda_domain::{OrganizationId, UserId};
use serde::Serialize;
use uuid::Uuid;

use crate::StoreResult;

/// Counts of one organization's day so far.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DaySummary {
    /// Accounts assigned to an agent now: the day's planned visits.
    pub planned: i64,
    /// Visits finished since the start of the day.
    pub done: i64,
    pub verified: i64,
    pub doubtful: i64,
    pub rejected: i64,
    /// Visits that recorded a promise to pay, and its total in cents.
    pub promises: i64,
    pub promised_cents: i64,
}

/// A visit of the day, placed where the agent checked in.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DayVisitPoint {
    pub visit_id: Uuid,
    pub agent_id: UserId,
    pub agent_name: String,
    pub lender_account_id: String,
    pub latitude: f64,
    pub longitude: f64,
    /// `verified`, `doubtful` or `rejected`.
    pub verdict: String,
    pub finished_at: Timestamp,
}

#[async_trait]
pub trait TodayStore: Send + Sync {
    /// Returns the organization's counts of visits finished at or after `since`.
    async fn today_summary(&self, org: OrganizationId, since: Timestamp)
    -> StoreResult<DaySummary>;

    /// Lists the organization's visits finished at or after `since`, newest first.
    async fn today_visit_points(
        &self,
        org: OrganizationId,
        since: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<DayVisitPoint>>;
}

pub(crate) mod sql {
    /// Sums are cast because PostgreSQL sums a bigint column into a numeric.
    pub(crate) const SUMMARY: &str = "SELECT COUNT(*), \
        CAST(COALESCE(SUM(CASE WHEN verdict = 'verified' THEN 1 ELSE 0 END), 0) AS BIGINT), \
        CAST(COALESCE(SUM(CASE WHEN verdict = 'doubtful' THEN 1 ELSE 0 END), 0) AS BIGINT), \
        CAST(COALESCE(SUM(CASE WHEN verdict = 'rejected' THEN 1 ELSE 0 END), 0) AS BIGINT), \
        CAST(COALESCE(SUM(CASE WHEN promise_amount_cents IS NOT NULL THEN 1 ELSE 0 END), 0) \
            AS BIGINT), \
        CAST(COALESCE(SUM(promise_amount_cents), 0) AS BIGINT) \
        FROM visits WHERE organization_id = $1 AND finished_at >= $2";
    pub(crate) const PLANNED: &str = "SELECT COUNT(*) FROM assignments \
        WHERE organization_id = $1 AND unassigned_at IS NULL";
    pub(crate) const POINTS: &str = "SELECT v.id, v.agent_id, u.name, a.lender_account_id, \
        v.checkin_latitude, v.checkin_longitude, v.verdict, v.finished_at FROM visits v \
        JOIN users u ON u.id = v.agent_id JOIN accounts a ON a.id = v.account_id \
        WHERE v.organization_id = $1 AND v.finished_at >= $2 \
        ORDER BY v.finished_at DESC LIMIT $3";
}

/// Implements [`TodayStore`] for a store type.
macro_rules! impl_today_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::today::TodayStore for $store {
            async fn today_summary(
                &self,
                org: ronda_domain::OrganizationId,
                since: jiff::Timestamp,
            ) -> $crate::StoreResult<$crate::today::DaySummary> {
                let counts: (i64, i64, i64, i64, i64, i64) =
                    sqlx::query_as($crate::today::sql::SUMMARY)
                        .bind(org.0)
                        .bind(since.as_millisecond())
                        .fetch_one(&self.pool)
                        .await?;
                let (planned,): (i64,) = sqlx::query_as($crate::today::sql::PLANNED)
                    .bind(org.0)
                    .fetch_one(&self.pool)
                    .await?;
                Ok($crate::today::DaySummary {
                    planned,
                    done: counts.0,
                    verified: counts.1,
                    doubtful: counts.2,
                    rejected: counts.3,
                    promises: counts.4,
                    promised_cents: counts.5,
                })
            }

            async fn today_visit_points(
                &self,
                org: ronda_domain::OrganizationId,
                since: jiff::Timestamp,
                limit: u32,
            ) -> $crate::StoreResult<Vec<$crate::today::DayVisitPoint>> {
                type Row = (
                    uuid::Uuid,
                    uuid::Uuid,
                    String,
                    String,
                    f64,
                    f64,
                    String,
                    i64,
                );
                let rows: Vec<Row> = sqlx::query_as($crate::today::sql::POINTS)
                    .bind(org.0)
                    .bind(since.as_millisecond())
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter()
                    .map(|row| {
                        Ok($crate::today::DayVisitPoint {
                            visit_id: row.0,
                            agent_id: ronda_domain::UserId(row.1),
                            agent_name: row.2,
                            lender_account_id: row.3,
                            latitude: row.4,
                            longitude: row.5,
                            verdict: row.6,
                            finished_at: $crate::rows::timestamp("visits", "finished_at", row.7)?,
                        })
                    })
                    .collect()
            }
        }
    };
}

pub(crate) use impl_today_store;
