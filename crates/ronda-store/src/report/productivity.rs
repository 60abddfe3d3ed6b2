//! Per-agent daily rollups for the productivity report, the distance of each agent's day,
//! and the portfolio funnel. Each finished visit is added once to `agent_day_rollups`, and
//! its promise to pay, when it has one, to `promise_outcomes`. Promises from hand-recorded
//! contacts are stored when the contact is recorded (see [`crate::contact`]).

use std::sync::LazyLock;

use async_trait::async_trait;
use jiff::Timestamp;
use ronda_domain::{OrganizationId, UserId};
use serde::Serialize;
use uuid::Uuid;

use crate::StoreResult;
use crate::payment::NewPromise;

/// A finished visit not yet in the productivity rollups.
#[derive(Clone, Debug, PartialEq)]
pub struct ProductivityVisit {
    pub visit_id: Uuid,
    pub organization_id: OrganizationId,
    pub agent_id: UserId,
    pub account_id: Uuid,
    pub lender_id: Uuid,
    pub portfolio_id: Uuid,
    pub finished_at: Timestamp,
    /// IANA zone of the visited address, when known.
    pub time_zone: Option<String>,
    pub result_code: Option<String>,
    /// Class of the result code in the organization's catalogue, when it has one.
    pub result_class: Option<String>,
    /// `verified`, `doubtful` or `rejected`.
    pub verdict: String,
    pub promise_amount_cents: Option<i64>,
    /// Local date `YYYY-MM-DD` the debtor promised to pay by.
    pub promise_date: Option<String>,
}

/// Counts one visit adds to its agent's day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProductivityIncrement {
    pub visit_id: Uuid,
    pub organization_id: OrganizationId,
    pub agent_id: UserId,
    /// `YYYY-MM-DD` in the address's zone.
    pub local_date: String,
    pub lender_id: Uuid,
    pub portfolio_id: Uuid,
    /// Unix milliseconds.
    pub finished_at: i64,
    pub verified: bool,
    pub right_party: bool,
    pub promise_cents: Option<i64>,
    /// Unix milliseconds after which the day's distance no longer changes.
    pub distance_final_after: i64,
    pub promise: Option<NewPromise>,
}

/// An agent's day whose distance needs computing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DistanceDay {
    pub organization_id: OrganizationId,
    pub agent_id: UserId,
    pub local_date: String,
}

/// One agent's figures over a report's period.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AgentProductivity {
    pub agent_id: UserId,
    pub agent_name: String,
    /// Days with at least one visit.
    pub days: i64,
    pub visits: i64,
    pub verified: i64,
    pub right_party: i64,
    pub promises: i64,
    pub promised_cents: i64,
    /// Sum over days of the time from the first to the last visit, in milliseconds.
    pub visit_span_ms: i64,
    /// Sum over days of visits minus one: the number of gaps in `visit_span_ms`.
    pub visit_gaps: i64,
    pub distance_m: f64,
    pub promises_kept: i64,
    pub promises_broken: i64,
    pub promises_pending: i64,
    pub kept_cents: i64,
}

/// Period and filters of the funnel. Dates are local and both included; the
/// millisecond bounds are the same period as instants, the end excluded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FunnelFilter {
    pub from: String,
    pub to: String,
    pub from_ms: i64,
    pub to_ms: i64,
    pub lender_id: Option<Uuid>,
    pub portfolio_id: Option<Uuid>,
}

/// Accounts at each stage of the funnel. Each stage counts the accounts of the stage
/// before it that also reached this one. `paid_any` counts every assigned account with a
/// payment in the period, visited or not.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FunnelCounts {
    pub assigned: i64,
    pub visited: i64,
    pub contacted: i64,
    pub promised: i64,
    pub paid: i64,
    pub paid_any: i64,
}

#[async_trait]
pub trait ProductivityStore: Send + Sync {
    /// Lists finished visits of every organization not yet in the productivity rollups,
    /// oldest first. The rollup worker is the only caller.
    async fn pending_productivity(&self, limit: u32) -> StoreResult<Vec<ProductivityVisit>>;

    /// Adds each increment to its agent's day, registers the day for a distance, stores
    /// the visit's promise, and marks the visit, in one transaction. A visit that is
    /// already marked adds nothing. Returns how many visits were added.
    async fn apply_productivity(
        &self,
        increments: &[ProductivityIncrement],
        at: Timestamp,
    ) -> StoreResult<usize>;

    /// Lists agent days whose distance was never computed, or was computed before
    /// `refreshed_before` while the day can still change at `now`.
    async fn stale_distance_days(
        &self,
        now: Timestamp,
        refreshed_before: Timestamp,
        limit: u32,
    ) -> StoreResult<Vec<DistanceDay>>;

    async fn set_day_distance(
        &self,
        day: &DistanceDay,
        distance_m: f64,
        at: Timestamp,
    ) -> StoreResult<()>;

    /// Adds up the organization's rollups and promise outcomes per agent, ordered by name.
    async fn productivity(
        &self,
        org: OrganizationId,
        filter: &super::ReportFilter,
    ) -> StoreResult<Vec<AgentProductivity>>;

    /// Counts the organization's accounts at each stage of the funnel.
    async fn funnel(&self, org: OrganizationId, filter: &FunnelFilter)
    -> StoreResult<FunnelCounts>;
}

pub(crate) mod sql {
    use super::LazyLock;
    use crate::visit::catalogue::DEFAULT_RESULT_CODES;

    pub(crate) const SELECT_PENDING: &str = "SELECT v.id, v.organization_id, v.agent_id, \
        v.account_id, a.lender_id, a.portfolio_id, v.finished_at, ad.time_zone, \
        v.result_code, rc.class, v.verdict, v.promise_amount_cents, v.promise_date \
        FROM visits v \
        JOIN accounts a ON a.id = v.account_id AND a.organization_id = v.organization_id \
        JOIN addresses ad ON ad.id = v.address_id AND ad.organization_id = v.organization_id \
        LEFT JOIN result_codes rc ON rc.organization_id = v.organization_id \
            AND rc.code = v.result_code \
        WHERE v.productivity_rolled_up_at IS NULL AND v.status = 'complete' \
        ORDER BY v.received_at, v.id LIMIT $1";

    pub(crate) const MARK_ROLLED_UP: &str = "UPDATE visits SET productivity_rolled_up_at = $3 \
        WHERE organization_id = $1 AND id = $2 AND productivity_rolled_up_at IS NULL";

    pub(crate) const ADD_TO_DAY: &str = "INSERT INTO agent_day_rollups (organization_id, \
        agent_id, local_date, lender_id, portfolio_id, visits, verified, right_party, \
        promises, promised_cents, first_finished_at, last_finished_at) \
        VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $10, $10) \
        ON CONFLICT (organization_id, agent_id, local_date, lender_id, portfolio_id) \
        DO UPDATE SET visits = agent_day_rollups.visits + 1, \
        verified = agent_day_rollups.verified + excluded.verified, \
        right_party = agent_day_rollups.right_party + excluded.right_party, \
        promises = agent_day_rollups.promises + excluded.promises, \
        promised_cents = agent_day_rollups.promised_cents + excluded.promised_cents, \
        first_finished_at = CASE WHEN excluded.first_finished_at \
            < agent_day_rollups.first_finished_at THEN excluded.first_finished_at \
            ELSE agent_day_rollups.first_finished_at END, \
        last_finished_at = CASE WHEN excluded.last_finished_at \
            > agent_day_rollups.last_finished_at THEN excluded.last_finished_at \
            ELSE agent_day_rollups.last_finished_at END";

    /// Registers a day for its distance. A later visit can only move `final_after` later,
    /// so the worker keeps computing the day while its positions may still change.
    pub(crate) const ADD_DISTANCE_DAY: &str = "INSERT INTO agent_day_distances \
        (organization_id, agent_id, local_date, distance_m, refreshed_at, final_after) \
        VALUES ($1, $2, $3, 0, NULL, $4) \
        ON CONFLICT (organization_id, agent_id, local_date) DO UPDATE SET \
        final_after = CASE WHEN excluded.final_after > agent_day_distances.final_after \
            THEN excluded.final_after ELSE agent_day_distances.final_after END";

    pub(crate) const STALE_DISTANCES: &str = "SELECT organization_id, agent_id, local_date \
        FROM agent_day_distances WHERE refreshed_at IS NULL \
        OR (refreshed_at < final_after AND (refreshed_at < $2 OR final_after <= $1)) \
        ORDER BY local_date LIMIT $3";

    pub(crate) const SET_DISTANCE: &str = "UPDATE agent_day_distances SET distance_m = $4, \
        refreshed_at = $5 WHERE organization_id = $1 AND agent_id = $2 AND local_date = $3";

    pub(crate) const PRODUCTIVITY: &str = "SELECT r.agent_id, u.name, \
        CAST(COUNT(DISTINCT r.local_date) AS BIGINT), CAST(SUM(r.visits) AS BIGINT), \
        CAST(SUM(r.verified) AS BIGINT), CAST(SUM(r.right_party) AS BIGINT), \
        CAST(SUM(r.promises) AS BIGINT), CAST(SUM(r.promised_cents) AS BIGINT), \
        CAST(SUM(r.last_finished_at - r.first_finished_at) AS BIGINT), \
        CAST(SUM(r.visits - 1) AS BIGINT) \
        FROM agent_day_rollups r \
        JOIN users u ON u.id = r.agent_id AND u.organization_id = r.organization_id \
        WHERE r.organization_id = $1 AND r.local_date >= $2 AND r.local_date <= $3 \
        AND ($4 IS NULL OR r.lender_id = $4) AND ($5 IS NULL OR r.portfolio_id = $5) \
        AND ($6 IS NULL OR r.agent_id = $6) \
        GROUP BY r.agent_id, u.name ORDER BY u.name, r.agent_id";

    /// Distance of the days on which the agent has rollups matching the filters. With a
    /// lender or portfolio filter, a day counts whole when any of its visits match.
    pub(crate) const DISTANCES: &str = "SELECT d.agent_id, \
        CAST(SUM(d.distance_m) AS DOUBLE PRECISION) FROM agent_day_distances d \
        WHERE d.organization_id = $1 AND d.local_date >= $2 AND d.local_date <= $3 \
        AND ($6 IS NULL OR d.agent_id = $6) \
        AND EXISTS (SELECT 1 FROM agent_day_rollups r \
            WHERE r.organization_id = d.organization_id AND r.agent_id = d.agent_id \
            AND r.local_date = d.local_date \
            AND ($4 IS NULL OR r.lender_id = $4) AND ($5 IS NULL OR r.portfolio_id = $5)) \
        GROUP BY d.agent_id";

    /// Outcomes of the promises made in field visits, per agent, from the counts that
    /// triggers keep in `visit_promise_rollups`. The productivity report counts field work
    /// only: visits and the promises made in them. Promises from hand-recorded contacts
    /// (`contact_attempt_id` set) are credited to the supervisor who recorded them, and
    /// the rollup leaves them out. So an agent's kept and broken promises are always a
    /// subset of the promises made in their visits.
    pub(crate) const PROMISE_OUTCOMES: &str = "SELECT agent_id, \
        CAST(SUM(kept) AS BIGINT), CAST(SUM(broken) AS BIGINT), \
        CAST(SUM(pending) AS BIGINT), CAST(SUM(kept_cents) AS BIGINT) \
        FROM visit_promise_rollups \
        WHERE organization_id = $1 AND created_on >= $2 AND created_on <= $3 \
        AND ($4 IS NULL OR lender_id = $4) AND ($5 IS NULL OR portfolio_id = $5) \
        AND ($6 IS NULL OR agent_id = $6) GROUP BY agent_id \
        HAVING SUM(kept) + SUM(broken) + SUM(pending) > 0";

    /// Counts accounts per funnel stage. `$2`/`$3` are the period in Unix milliseconds
    /// (end excluded), `$4`/`$5` the same period as local dates. A visit reached the
    /// right party when its result code's class is `success`, from the organization's
    /// catalogue or, for a code it does not have, from the shipped default. A promise made
    /// in the period counts whether a visit or a hand-recorded contact made it.
    pub(crate) static FUNNEL: LazyLock<String> = LazyLock::new(|| {
        let default_success: Vec<String> = DEFAULT_RESULT_CODES
            .iter()
            .filter(|entry| entry.1 == "success")
            .map(|entry| format!("'{}'", entry.0))
            .collect();
        let right_party = format!(
            "(rc.class = 'success' OR (rc.class IS NULL AND v.result_code IN ({})))",
            default_success.join(", ")
        );
        let visit_in_period = "FROM visits v LEFT JOIN result_codes rc \
            ON rc.organization_id = v.organization_id AND rc.code = v.result_code \
            WHERE v.organization_id = a.organization_id AND v.account_id = a.id \
            AND v.status = 'complete' AND v.finished_at >= $2 AND v.finished_at < $3";
        format!(
            "SELECT CAST(COUNT(*) AS BIGINT), \
            CAST(COALESCE(SUM(CASE WHEN visited THEN 1 ELSE 0 END), 0) AS BIGINT), \
            CAST(COALESCE(SUM(CASE WHEN visited AND contacted THEN 1 ELSE 0 END), 0) AS BIGINT), \
            CAST(COALESCE(SUM(CASE WHEN visited AND contacted AND promised THEN 1 ELSE 0 END), 0) \
                AS BIGINT), \
            CAST(COALESCE(SUM(CASE WHEN visited AND contacted AND promised AND paid \
                THEN 1 ELSE 0 END), 0) AS BIGINT), \
            CAST(COALESCE(SUM(CASE WHEN paid THEN 1 ELSE 0 END), 0) AS BIGINT) \
            FROM (SELECT \
                EXISTS (SELECT 1 {visit_in_period}) AS visited, \
                EXISTS (SELECT 1 {visit_in_period} AND {right_party}) AS contacted, \
                EXISTS (SELECT 1 FROM promise_outcomes o \
                    WHERE o.organization_id = a.organization_id AND o.account_id = a.id \
                    AND o.created_on >= $4 AND o.created_on <= $5) AS promised, \
                EXISTS (SELECT 1 FROM payments p \
                    WHERE p.organization_id = a.organization_id AND p.account_id = a.id \
                    AND p.paid_on >= $4 AND p.paid_on <= $5) AS paid \
            FROM accounts a WHERE a.organization_id = $1 \
            AND ($6 IS NULL OR a.lender_id = $6) AND ($7 IS NULL OR a.portfolio_id = $7) \
            AND EXISTS (SELECT 1 FROM assignments s \
                WHERE s.organization_id = a.organization_id AND s.account_id = a.id \
                AND s.assigned_at < $3 \
                AND (s.unassigned_at IS NULL OR s.unassigned_at >= $2))) stages"
        )
    });
}

/// Row of [`sql::SELECT_PENDING`].
pub(crate) type PendingRow = (
    Uuid,
    Uuid,
    Uuid,
    Uuid,
    Uuid,
    Uuid,
    i64,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    Option<i64>,
    Option<String>,
);

pub(crate) fn pending_visit(row: PendingRow) -> StoreResult<ProductivityVisit> {
    Ok(ProductivityVisit {
        visit_id: row.0,
        organization_id: OrganizationId(row.1),
        agent_id: UserId(row.2),
        account_id: row.3,
        lender_id: row.4,
        portfolio_id: row.5,
        finished_at: crate::rows::timestamp("visits", "finished_at", row.6)?,
        time_zone: row.7,
        result_code: row.8,
        result_class: row.9,
        verdict: row.10,
        promise_amount_cents: row.11,
        promise_date: row.12,
    })
}

/// Row of [`sql::PRODUCTIVITY`].
pub(crate) type ProductivityRow = (Uuid, String, i64, i64, i64, i64, i64, i64, i64, i64);

pub(crate) fn agent_productivity(row: ProductivityRow) -> AgentProductivity {
    AgentProductivity {
        agent_id: UserId(row.0),
        agent_name: row.1,
        days: row.2,
        visits: row.3,
        verified: row.4,
        right_party: row.5,
        promises: row.6,
        promised_cents: row.7,
        visit_span_ms: row.8,
        visit_gaps: row.9,
        ..AgentProductivity::default()
    }
}

/// Implements [`ProductivityStore`] for a store type.
macro_rules! impl_productivity_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::report::productivity::ProductivityStore for $store {
            async fn pending_productivity(
                &self,
                limit: u32,
            ) -> $crate::StoreResult<Vec<$crate::report::productivity::ProductivityVisit>> {
                let rows: Vec<$crate::report::productivity::PendingRow> =
                    sqlx::query_as($crate::report::productivity::sql::SELECT_PENDING)
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await?;
                rows.into_iter()
                    .map($crate::report::productivity::pending_visit)
                    .collect()
            }

            async fn apply_productivity(
                &self,
                increments: &[$crate::report::productivity::ProductivityIncrement],
                at: jiff::Timestamp,
            ) -> $crate::StoreResult<usize> {
                use $crate::report::productivity::sql;
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                let mut added = 0;
                for increment in increments {
                    let org = increment.organization_id.0;
                    let marked = sqlx::query(sql::MARK_ROLLED_UP)
                        .bind(org)
                        .bind(increment.visit_id)
                        .bind(at.as_millisecond())
                        .execute(&mut *tx)
                        .await?;
                    if marked.rows_affected() != 1 {
                        continue;
                    }
                    sqlx::query(sql::ADD_TO_DAY)
                        .bind(org)
                        .bind(increment.agent_id.0)
                        .bind(&increment.local_date)
                        .bind(increment.lender_id)
                        .bind(increment.portfolio_id)
                        .bind(i64::from(increment.verified))
                        .bind(i64::from(increment.right_party))
                        .bind(i64::from(increment.promise_cents.is_some()))
                        .bind(increment.promise_cents.unwrap_or(0))
                        .bind(increment.finished_at)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(sql::ADD_DISTANCE_DAY)
                        .bind(org)
                        .bind(increment.agent_id.0)
                        .bind(&increment.local_date)
                        .bind(increment.distance_final_after)
                        .execute(&mut *tx)
                        .await?;
                    if let Some(promise) = &increment.promise {
                        $crate::payment::insert_promise!(tx, promise, at.as_millisecond())?;
                    }
                    added += 1;
                }
                tx.commit().await?;
                Ok(added)
            }

            async fn stale_distance_days(
                &self,
                now: jiff::Timestamp,
                refreshed_before: jiff::Timestamp,
                limit: u32,
            ) -> $crate::StoreResult<Vec<$crate::report::productivity::DistanceDay>> {
                let rows: Vec<(uuid::Uuid, uuid::Uuid, String)> =
                    sqlx::query_as($crate::report::productivity::sql::STALE_DISTANCES)
                        .bind(now.as_millisecond())
                        .bind(refreshed_before.as_millisecond())
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await?;
                Ok(rows
                    .into_iter()
                    .map(|row| $crate::report::productivity::DistanceDay {
                        organization_id: ronda_domain::OrganizationId(row.0),
                        agent_id: ronda_domain::UserId(row.1),
                        local_date: row.2,
                    })
                    .collect())
            }

            async fn set_day_distance(
                &self,
                day: &$crate::report::productivity::DistanceDay,
                distance_m: f64,
                at: jiff::Timestamp,
            ) -> $crate::StoreResult<()> {
                sqlx::query($crate::report::productivity::sql::SET_DISTANCE)
                    .bind(day.organization_id.0)
                    .bind(day.agent_id.0)
                    .bind(&day.local_date)
                    .bind(distance_m)
                    .bind(at.as_millisecond())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn productivity(
                &self,
                org: ronda_domain::OrganizationId,
                filter: &$crate::report::ReportFilter,
            ) -> $crate::StoreResult<Vec<$crate::report::productivity::AgentProductivity>> {
                use $crate::report::productivity::sql;
                let agent = filter.agent_id.map(|agent| agent.0);
                let mut tx = self.pool.begin().await?;
                if let Some(setup) = Self::CUSTOM_PLANS {
                    sqlx::query(setup).execute(&mut *tx).await?;
                }
                let rows: Vec<$crate::report::productivity::ProductivityRow> =
                    sqlx::query_as(sql::PRODUCTIVITY)
                        .bind(org.0)
                        .bind(&filter.from)
                        .bind(&filter.to)
                        .bind(filter.lender_id)
                        .bind(filter.portfolio_id)
                        .bind(agent)
                        .fetch_all(&mut *tx)
                        .await?;
                let mut agents: Vec<_> = rows
                    .into_iter()
                    .map($crate::report::productivity::agent_productivity)
                    .collect();
                let distances: Vec<(uuid::Uuid, f64)> = sqlx::query_as(sql::DISTANCES)
                    .bind(org.0)
                    .bind(&filter.from)
                    .bind(&filter.to)
                    .bind(filter.lender_id)
                    .bind(filter.portfolio_id)
                    .bind(agent)
                    .fetch_all(&mut *tx)
                    .await?;
                let outcomes: Vec<(uuid::Uuid, i64, i64, i64, i64)> =
                    sqlx::query_as(sql::PROMISE_OUTCOMES)
                        .bind(org.0)
                        .bind(&filter.from)
                        .bind(&filter.to)
                        .bind(filter.lender_id)
                        .bind(filter.portfolio_id)
                        .bind(agent)
                        .fetch_all(&mut *tx)
                        .await?;
                tx.commit().await?;
                for row in &mut agents {
                    if let Some(distance) = distances.iter().find(|d| d.0 == row.agent_id.0) {
                        row.distance_m = distance.1;
                    }
                    if let Some(outcome) = outcomes.iter().find(|o| o.0 == row.agent_id.0) {
                        row.promises_kept = outcome.1;
                        row.promises_broken = outcome.2;
                        row.promises_pending = outcome.3;
                        row.kept_cents = outcome.4;
                    }
                }
                Ok(agents)
            }

            async fn funnel(
                &self,
                org: ronda_domain::OrganizationId,
                filter: &$crate::report::productivity::FunnelFilter,
            ) -> $crate::StoreResult<$crate::report::productivity::FunnelCounts> {
                let row: (i64, i64, i64, i64, i64, i64) =
                    sqlx::query_as($crate::report::productivity::sql::FUNNEL.as_str())
                        .bind(org.0)
                        .bind(filter.from_ms)
                        .bind(filter.to_ms)
                        .bind(&filter.from)
                        .bind(&filter.to)
                        .bind(filter.lender_id)
                        .bind(filter.portfolio_id)
                        .fetch_one(&self.pool)
                        .await?;
                Ok($crate::report::productivity::FunnelCounts {
                    assigned: row.0,
                    visited: row.1,
                    contacted: row.2,
                    promised: row.3,
                    paid: row.4,
                    paid_any: row.5,
                })
            }
        }
    };
}

pub(crate) use impl_productivity_store;
