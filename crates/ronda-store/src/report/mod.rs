//! Rollups for reports: each finished visit is added once to counts per local hour, and
//! reports read those counts instead of the visits.

use async_trait::async_trait;
use jiff::Timestamp;
use ronda_domain::{OrganizationId, UserId};
use serde::Serialize;
use uuid::Uuid;

use crate::StoreResult;

pub mod productivity;
pub mod query;
pub mod saved;

#[cfg(test)]
mod migration_tests;
#[cfg(test)]
mod totals_migration_tests;

pub use query::{Dimension, FilterValues, RollupQuery, RollupQueryStore, RollupRow};
pub use saved::{ReportShare, SavedReport, SavedReportStore};

/// A finished visit not yet added to the rollups, with what the rollup needs.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingVisit {
    pub visit_id: Uuid,
    pub organization_id: OrganizationId,
    pub agent_id: UserId,
    pub lender_id: Uuid,
    pub portfolio_id: Uuid,
    pub finished_at: Timestamp,
    /// IANA zone of the visited address, when known.
    pub time_zone: Option<String>,
    pub result_code: Option<String>,
    /// Class of the result code in the organization's catalogue, when it has one.
    pub result_class: Option<String>,
    pub promise_amount_cents: Option<i64>,
    /// State and municipality of the visited address, when known.
    pub zone_state: Option<String>,
    pub zone_municipality: Option<String>,
    /// `verified`, `doubtful` or `rejected`.
    pub verdict: String,
    /// The verdict's findings as JSON text, an array of `{"code": ...}` objects.
    pub verdict_reasons: String,
}

/// The row an increment comes from, marked rolled up when the increment is added.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RollupSource {
    Visit(Uuid),
    /// A manual contact attempt of the `contact_attempts` table.
    ContactAttempt(Uuid),
}

/// The counts one visit or manual contact attempt adds to one rollup row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RollupIncrement {
    pub source: RollupSource,
    pub organization_id: OrganizationId,
    /// `YYYY-MM-DD` in the address's zone.
    pub local_date: String,
    /// ISO weekday: 1 is Monday, 7 is Sunday.
    pub weekday: i8,
    pub hour: i8,
    pub lender_id: Uuid,
    pub portfolio_id: Uuid,
    pub agent_id: UserId,
    /// `visit` for field visits; `phone`, `email`, `sms` or `whatsapp` for manual attempts.
    pub channel: &'static str,
    pub right_party: bool,
    pub success: bool,
    pub promise_cents: Option<i64>,
    /// State of the address, `''` when unknown.
    pub zone_state: String,
    /// Municipality of the address, `''` when unknown.
    pub zone_municipality: String,
    /// `''` when the attempt has none.
    pub result_code: String,
    /// `verified`, `doubtful`, `rejected`, or `none` for attempts without a check-in.
    pub verdict: String,
    /// Class of the main finding of a doubtful or rejected check-in, `''` otherwise.
    pub reason_class: String,
}

/// Filters of a report over rollups. Dates are local `YYYY-MM-DD`, both included.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportFilter {
    pub from: String,
    pub to: String,
    pub lender_id: Option<Uuid>,
    pub portfolio_id: Option<Uuid>,
    pub agent_id: Option<UserId>,
    /// A rollup channel such as `visit` or `phone`.
    pub channel: Option<String>,
    /// `state|municipality` of the addresses, as the custom reports' zone dimension.
    pub zone: Option<String>,
}

impl ReportFilter {
    /// Returns the heatmap as a custom report: attempts per weekday and hour, filtered.
    pub fn heatmap_query(&self) -> RollupQuery {
        let ids =
            |dimension, id: Option<Uuid>| id.map(|id| (dimension, FilterValues::Id(vec![id])));
        let text = |dimension, value: &Option<String>| {
            value
                .clone()
                .map(|value| (dimension, FilterValues::Text(vec![value])))
        };
        let filters = [
            ids(Dimension::Lender, self.lender_id),
            ids(Dimension::Portfolio, self.portfolio_id),
            ids(Dimension::Agent, self.agent_id.map(|agent| agent.0)),
            text(Dimension::Channel, &self.channel),
            text(Dimension::Zone, &self.zone),
        ];
        RollupQuery {
            from: self.from.clone(),
            to: self.to.clone(),
            dimensions: vec![Dimension::Weekday, Dimension::Hour],
            filters: filters.into_iter().flatten().collect(),
            // Every weekday and hour: 7 times 24 groups.
            limit: 168,
        }
    }
}

/// One cell of the contact-hours heatmap.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HourCell {
    pub weekday: i8,
    pub hour: i8,
    pub attempts: i64,
    pub right_party: i64,
    pub successes: i64,
    pub promises: i64,
    pub promised_cents: i64,
}

#[async_trait]
pub trait ReportStore: RollupQueryStore + SavedReportStore + Send + Sync {
    /// Lists finished visits of every organization not yet rolled up, oldest first. The
    /// rollup worker is the only caller and keeps each visit inside its organization.
    async fn pending_rollups(&self, limit: u32) -> StoreResult<Vec<PendingVisit>>;

    /// Adds each increment to its rollup row and marks its visit or contact attempt rolled
    /// up, in one transaction. A source that another worker already rolled up adds nothing.
    /// Returns how many increments were added.
    async fn apply_rollups(
        &self,
        increments: &[RollupIncrement],
        at: Timestamp,
    ) -> StoreResult<usize>;

    /// Lists the state and municipality of the organization's addresses, each pair once,
    /// sorted: the zones reports can be filtered by.
    async fn report_zones(&self, org: OrganizationId) -> StoreResult<Vec<(String, String)>>;

    /// Adds up the organization's rollups per weekday and hour, from the smallest rollup
    /// table that keeps the filtered dimensions.
    async fn contact_hours(
        &self,
        org: OrganizationId,
        filter: &ReportFilter,
    ) -> StoreResult<Vec<HourCell>>;
}

pub(crate) mod sql {
    pub(crate) const SELECT_PENDING: &str = "SELECT v.id, v.organization_id, v.agent_id, \
        a.lender_id, a.portfolio_id, v.finished_at, ad.time_zone, v.result_code, rc.class, \
        v.promise_amount_cents, ad.state, ad.municipality, v.verdict, \
        CAST(v.verdict_reasons AS TEXT) FROM visits v \
        JOIN accounts a ON a.id = v.account_id AND a.organization_id = v.organization_id \
        JOIN addresses ad ON ad.id = v.address_id AND ad.organization_id = v.organization_id \
        LEFT JOIN result_codes rc ON rc.organization_id = v.organization_id \
            AND rc.code = v.result_code \
        WHERE v.rolled_up_at IS NULL AND v.status = 'complete' \
        ORDER BY v.received_at, v.id LIMIT $1";
    pub(crate) const MARK_ROLLED_UP: &str = "UPDATE visits SET rolled_up_at = $3 \
        WHERE organization_id = $1 AND id = $2 AND rolled_up_at IS NULL";
    pub(crate) const MARK_ATTEMPT_ROLLED_UP: &str = "UPDATE contact_attempts \
        SET rolled_up_at = $3 WHERE organization_id = $1 AND id = $2 AND rolled_up_at IS NULL";
    pub(crate) const ADD_TO_ROLLUP: &str = "INSERT INTO contact_hour_rollups \
        (organization_id, local_date, weekday, hour, lender_id, portfolio_id, agent_id, \
        channel, attempts, right_party, successes, promises, promised_cents) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $11, $12) \
        ON CONFLICT (organization_id, local_date, hour, lender_id, portfolio_id, agent_id, \
        channel) DO UPDATE SET attempts = contact_hour_rollups.attempts + 1, \
        right_party = contact_hour_rollups.right_party + excluded.right_party, \
        successes = contact_hour_rollups.successes + excluded.successes, \
        promises = contact_hour_rollups.promises + excluded.promises, \
        promised_cents = contact_hour_rollups.promised_cents + excluded.promised_cents";
    pub(crate) const ZONES: &str = "SELECT DISTINCT state, municipality FROM addresses \
        WHERE organization_id = $1 AND state IS NOT NULL AND municipality IS NOT NULL \
        AND state <> '' AND municipality <> '' ORDER BY state, municipality";
    /// Adds one attempt to `contact_hour_totals`, the rollup without the agent.
    pub(crate) const ADD_TO_TOTALS: &str = "INSERT INTO contact_hour_totals \
        (organization_id, local_date, weekday, hour, lender_id, portfolio_id, channel, \
        attempts, right_party, successes, promises, promised_cents) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $10, $11) \
        ON CONFLICT (organization_id, local_date, hour, lender_id, portfolio_id, channel) \
        DO UPDATE SET attempts = contact_hour_totals.attempts + 1, \
        right_party = contact_hour_totals.right_party + excluded.right_party, \
        successes = contact_hour_totals.successes + excluded.successes, \
        promises = contact_hour_totals.promises + excluded.promises, \
        promised_cents = contact_hour_totals.promised_cents + excluded.promised_cents";
    /// Adds one attempt to `contact_hour_zone_totals`, the totals split by zone.
    pub(crate) const ADD_TO_ZONE_TOTALS: &str = "INSERT INTO contact_hour_zone_totals \
        (organization_id, local_date, weekday, hour, lender_id, portfolio_id, channel, \
        attempts, right_party, successes, promises, promised_cents, zone) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $10, $11, $12) \
        ON CONFLICT (organization_id, zone, local_date, hour, lender_id, portfolio_id, channel) \
        DO UPDATE SET attempts = contact_hour_zone_totals.attempts + 1, \
        right_party = contact_hour_zone_totals.right_party + excluded.right_party, \
        successes = contact_hour_zone_totals.successes + excluded.successes, \
        promises = contact_hour_zone_totals.promises + excluded.promises, \
        promised_cents = contact_hour_zone_totals.promised_cents + excluded.promised_cents";
    /// Adds one attempt to `report_rollups`, the table custom reports read.
    pub(crate) const ADD_TO_REPORT_ROLLUP: &str = "INSERT INTO report_rollups \
        (organization_id, local_date, weekday, hour, lender_id, portfolio_id, agent_id, \
        channel, zone_state, zone_municipality, result_code, verdict, reason_class, attempts, \
        right_party, successes, promises, promised_cents) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $15, $16, $17) \
        ON CONFLICT (organization_id, local_date, hour, lender_id, portfolio_id, agent_id, \
        channel, zone_state, zone_municipality, result_code, verdict, reason_class) \
        DO UPDATE SET attempts = report_rollups.attempts + 1, \
        right_party = report_rollups.right_party + excluded.right_party, \
        successes = report_rollups.successes + excluded.successes, \
        promises = report_rollups.promises + excluded.promises, \
        promised_cents = report_rollups.promised_cents + excluded.promised_cents";
}

/// Implements [`ReportStore`] for a store type, as the main store does.
macro_rules! impl_report_store {
    ($store:ty) => {
        $crate::report::query::impl_rollup_query_store!($store);
        $crate::report::saved::impl_saved_report_store!($store);

        #[async_trait::async_trait]
        impl $crate::report::ReportStore for $store {
            async fn pending_rollups(
                &self,
                limit: u32,
            ) -> $crate::StoreResult<Vec<$crate::report::PendingVisit>> {
                type Row = (
                    uuid::Uuid,
                    uuid::Uuid,
                    uuid::Uuid,
                    uuid::Uuid,
                    uuid::Uuid,
                    i64,
                    Option<String>,
                    Option<String>,
                    Option<String>,
                    Option<i64>,
                    Option<String>,
                    Option<String>,
                    String,
                    String,
                );
                let rows: Vec<Row> = sqlx::query_as($crate::report::sql::SELECT_PENDING)
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter()
                    .map(|row| {
                        Ok($crate::report::PendingVisit {
                            visit_id: row.0,
                            organization_id: ronda_domain::OrganizationId(row.1),
                            agent_id: ronda_domain::UserId(row.2),
                            lender_id: row.3,
                            portfolio_id: row.4,
                            finished_at: $crate::rows::timestamp("visits", "finished_at", row.5)?,
                            time_zone: row.6,
                            result_code: row.7,
                            result_class: row.8,
                            promise_amount_cents: row.9,
                            zone_state: row.10,
                            zone_municipality: row.11,
                            verdict: row.12,
                            verdict_reasons: row.13,
                        })
                    })
                    .collect()
            }

            async fn apply_rollups(
                &self,
                increments: &[$crate::report::RollupIncrement],
                at: jiff::Timestamp,
            ) -> $crate::StoreResult<usize> {
                let mut tx = self.pool.begin_with(Self::BEGIN_WRITE).await?;
                let mut added = 0;
                for increment in increments {
                    let (mark, source_id) = match increment.source {
                        $crate::report::RollupSource::Visit(id) => {
                            ($crate::report::sql::MARK_ROLLED_UP, id)
                        }
                        $crate::report::RollupSource::ContactAttempt(id) => {
                            ($crate::report::sql::MARK_ATTEMPT_ROLLED_UP, id)
                        }
                    };
                    let marked = sqlx::query(mark)
                        .bind(increment.organization_id.0)
                        .bind(source_id)
                        .bind(at.as_millisecond())
                        .execute(&mut *tx)
                        .await?;
                    if marked.rows_affected() != 1 {
                        continue;
                    }
                    sqlx::query($crate::report::sql::ADD_TO_ROLLUP)
                        .bind(increment.organization_id.0)
                        .bind(&increment.local_date)
                        .bind(i32::from(increment.weekday))
                        .bind(i32::from(increment.hour))
                        .bind(increment.lender_id)
                        .bind(increment.portfolio_id)
                        .bind(increment.agent_id.0)
                        .bind(increment.channel)
                        .bind(i64::from(increment.right_party))
                        .bind(i64::from(increment.success))
                        .bind(i64::from(increment.promise_cents.is_some()))
                        .bind(increment.promise_cents.unwrap_or(0))
                        .execute(&mut *tx)
                        .await?;
                    // The zone totals take the same values as the totals, and the zone last.
                    let zone = format!("{}|{}", increment.zone_state, increment.zone_municipality);
                    for (statement, zone) in [
                        ($crate::report::sql::ADD_TO_TOTALS, None),
                        ($crate::report::sql::ADD_TO_ZONE_TOTALS, Some(&zone)),
                    ] {
                        let mut query = sqlx::query(statement)
                            .bind(increment.organization_id.0)
                            .bind(&increment.local_date)
                            .bind(i32::from(increment.weekday))
                            .bind(i32::from(increment.hour))
                            .bind(increment.lender_id)
                            .bind(increment.portfolio_id)
                            .bind(increment.channel)
                            .bind(i64::from(increment.right_party))
                            .bind(i64::from(increment.success))
                            .bind(i64::from(increment.promise_cents.is_some()))
                            .bind(increment.promise_cents.unwrap_or(0));
                        if let Some(zone) = zone {
                            query = query.bind(zone);
                        }
                        query.execute(&mut *tx).await?;
                    }
                    sqlx::query($crate::report::sql::ADD_TO_REPORT_ROLLUP)
                        .bind(increment.organization_id.0)
                        .bind(&increment.local_date)
                        .bind(i32::from(increment.weekday))
                        .bind(i32::from(increment.hour))
                        .bind(increment.lender_id)
                        .bind(increment.portfolio_id)
                        .bind(increment.agent_id.0)
                        .bind(increment.channel)
                        .bind(&increment.zone_state)
                        .bind(&increment.zone_municipality)
                        .bind(&increment.result_code)
                        .bind(&increment.verdict)
                        .bind(&increment.reason_class)
                        .bind(i64::from(increment.right_party))
                        .bind(i64::from(increment.success))
                        .bind(i64::from(increment.promise_cents.is_some()))
                        .bind(increment.promise_cents.unwrap_or(0))
                        .execute(&mut *tx)
                        .await?;
                    added += 1;
                }
                tx.commit().await?;
                Ok(added)
            }

            async fn report_zones(
                &self,
                org: ronda_domain::OrganizationId,
            ) -> $crate::StoreResult<Vec<(String, String)>> {
                Ok(sqlx::query_as($crate::report::sql::ZONES)
                    .bind(org.0)
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn contact_hours(
                &self,
                org: ronda_domain::OrganizationId,
                filter: &$crate::report::ReportFilter,
            ) -> $crate::StoreResult<Vec<$crate::report::HourCell>> {
                use $crate::report::query::RollupQueryStore as _;
                let rows = self.report_rows(org, &filter.heatmap_query()).await?;
                Ok(rows
                    .into_iter()
                    .map(|row| $crate::report::HourCell {
                        weekday: row.keys[0].parse().unwrap_or(0),
                        hour: row.keys[1].parse().unwrap_or(0),
                        attempts: row.attempts,
                        right_party: row.right_party,
                        successes: row.successes,
                        promises: row.promises,
                        promised_cents: row.promised_cents,
                    })
                    .collect())
            }
        }
    };
}

pub(crate) use impl_report_store;
