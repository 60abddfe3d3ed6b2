//! Full-scan baseline of the productivity report: every finished visit of the period
//! with its account, address and result class, grouped per agent day as the rollups are,
//! and each promise judged against the account's payments.

use std::collections::HashMap;

use ronda_domain::UserId;
use ronda_server::productivity::PROMISE_GRACE_DAYS;
use ronda_store::report::ReportFilter;
use ronda_store::report::productivity::AgentProductivity;
use sqlx::Row;
use tokio_stream::StreamExt;
use uuid::Uuid;

use super::db::Db;
use super::scan::{AgentDays, Zones, due_on, local_sql, period, right_party, right_party_sql};
use crate::http::BenchResult;

/// Returns the SQL that selects the finished visits of the period with what the report
/// needs. `$4` is the agent when `agent` is true.
fn visits_sql(agent: bool, local_date: &str) -> String {
    let agent = if agent { " AND v.agent_id = $4" } else { "" };
    format!(
        "SELECT v.agent_id, a.lender_id, a.portfolio_id, v.account_id, v.finished_at, \
         {local_date} AS local_date, v.verdict, {} AS rp, v.promise_amount_cents AS amount, \
         v.promise_date, ad.time_zone, v.result_code, rc.class FROM visits v \
         JOIN accounts a ON a.id = v.account_id AND a.organization_id = v.organization_id \
         JOIN addresses ad ON ad.id = v.address_id AND ad.organization_id = v.organization_id \
         LEFT JOIN result_codes rc ON rc.organization_id = v.organization_id \
             AND rc.code = v.result_code \
         WHERE v.organization_id = $1 AND v.status = 'complete' \
         AND v.finished_at >= $2 AND v.finished_at < $3{agent}",
        right_party_sql("rc.class", "v.result_code"),
    )
}

type Row14 = (
    Uuid,
    String,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
);

/// Computes the productivity report from the raw visits and payments. `today` decides
/// which unpaid promises are broken, as the store's evaluation does.
pub(crate) async fn productivity(
    db: &Db,
    org: Uuid,
    filter: &ReportFilter,
    today: &str,
) -> BenchResult<Vec<AgentProductivity>> {
    let period = period(filter)?;
    let agent = filter.agent_id.map(|agent| agent.0);
    match db {
        Db::Postgres(pool) => {
            let next = if agent.is_some() { 5 } else { 4 };
            let local = format!(
                "to_char({}, 'YYYY-MM-DD')",
                local_sql("v.finished_at", "ad.time_zone")
            );
            let sql = format!(
                "WITH f AS MATERIALIZED (SELECT * FROM ({}) r \
                     WHERE r.local_date >= ${} AND r.local_date <= ${}), \
                 d AS (SELECT agent_id, local_date, COUNT(*) AS visits, \
                     SUM(CASE WHEN verdict = 'verified' THEN 1 ELSE 0 END) AS verified, \
                     SUM(CASE WHEN rp THEN 1 ELSE 0 END) AS rp, COUNT(amount) AS promises, \
                     COALESCE(SUM(amount), 0) AS cents, \
                     MAX(finished_at) - MIN(finished_at) AS span \
                     FROM f GROUP BY agent_id, local_date, lender_id, portfolio_id), \
                 t AS (SELECT agent_id, COUNT(DISTINCT local_date) AS days, \
                     SUM(visits) AS visits, SUM(verified) AS verified, SUM(rp) AS rp, \
                     SUM(promises) AS promises, SUM(cents) AS cents, SUM(span) AS span, \
                     SUM(visits - 1) AS gaps FROM d GROUP BY agent_id), \
                 p AS (SELECT f.agent_id, f.account_id, f.local_date, f.amount, \
                     to_char(CAST(f.promise_date AS DATE) + {PROMISE_GRACE_DAYS}, 'YYYY-MM-DD') \
                         AS due_on \
                     FROM f WHERE f.amount IS NOT NULL AND f.promise_date IS NOT NULL), \
                 s AS (SELECT p.agent_id, p.amount, CASE WHEN \
                     (SELECT COALESCE(SUM(pay.amount_cents), 0) FROM payments pay \
                      WHERE pay.organization_id = $1 AND pay.account_id = p.account_id \
                      AND pay.paid_on >= p.local_date AND pay.paid_on <= p.due_on) >= p.amount \
                     THEN 'kept' WHEN p.due_on < ${} THEN 'broken' ELSE 'pending' END AS status \
                     FROM p), \
                 o AS (SELECT agent_id, \
                     SUM(CASE WHEN status = 'kept' THEN 1 ELSE 0 END) AS kept, \
                     SUM(CASE WHEN status = 'broken' THEN 1 ELSE 0 END) AS broken, \
                     SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) AS pending, \
                     SUM(CASE WHEN status = 'kept' THEN amount ELSE 0 END) AS kept_cents \
                     FROM s GROUP BY agent_id) \
                 SELECT t.agent_id, u.name, CAST(t.days AS BIGINT), CAST(t.visits AS BIGINT), \
                 CAST(t.verified AS BIGINT), CAST(t.rp AS BIGINT), CAST(t.promises AS BIGINT), \
                 CAST(t.cents AS BIGINT), CAST(t.span AS BIGINT), CAST(t.gaps AS BIGINT), \
                 CAST(COALESCE(o.kept, 0) AS BIGINT), CAST(COALESCE(o.broken, 0) AS BIGINT), \
                 CAST(COALESCE(o.pending, 0) AS BIGINT), \
                 CAST(COALESCE(o.kept_cents, 0) AS BIGINT) \
                 FROM t JOIN users u ON u.id = t.agent_id AND u.organization_id = $1 \
                 LEFT JOIN o ON o.agent_id = t.agent_id ORDER BY u.name, t.agent_id",
                visits_sql(agent.is_some(), &local),
                next,
                next + 1,
                next + 2,
            );
            let mut query = sqlx::query_as::<_, Row14>(sqlx::AssertSqlSafe(sql))
                .bind(org)
                .bind(period.from_ms)
                .bind(period.to_ms);
            if let Some(agent) = agent {
                query = query.bind(agent);
            }
            let rows = query
                .bind(&filter.from)
                .bind(&filter.to)
                .bind(today)
                .fetch_all(pool)
                .await?;
            Ok(rows
                .into_iter()
                .map(|row| AgentProductivity {
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
                    distance_m: 0.0,
                    promises_kept: row.10,
                    promises_broken: row.11,
                    promises_pending: row.12,
                    kept_cents: row.13,
                })
                .collect())
        }
        Db::Sqlite(pool) => {
            let names: HashMap<Uuid, String> =
                sqlx::query_as("SELECT id, name FROM users WHERE organization_id = $1")
                    .bind(org)
                    .fetch_all(pool)
                    .await?
                    .into_iter()
                    .collect();
            let mut payments: HashMap<Uuid, Vec<(String, i64)>> = HashMap::new();
            let rows: Vec<(Uuid, String, i64)> = sqlx::query_as(
                "SELECT account_id, paid_on, amount_cents FROM payments WHERE organization_id = $1",
            )
            .bind(org)
            .fetch_all(pool)
            .await?;
            for (account, paid_on, cents) in rows {
                payments.entry(account).or_default().push((paid_on, cents));
            }
            // The raw zone is read and converted in Rust, so the SQL's local date is unused.
            let sql = visits_sql(agent.is_some(), "NULL");
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(org)
                .bind(period.from_ms)
                .bind(period.to_ms);
            if let Some(agent) = agent {
                query = query.bind(agent);
            }
            let mut zones = Zones::default();
            let mut report = AgentDays::default();
            let mut rows = query.fetch(pool);
            while let Some(row) = rows.next().await {
                let row = row?;
                let at: i64 = row.try_get("finished_at")?;
                let zone = zones.get(row.try_get("time_zone")?);
                let date = jiff::Timestamp::from_millisecond(at)?
                    .to_zoned_datetime(zone)
                    .date();
                if date < period.from || date > period.to {
                    continue;
                }
                let agent: Uuid = row.try_get("agent_id")?;
                let amount: Option<i64> = row.try_get("amount")?;
                let code: Option<&str> = row.try_get("result_code")?;
                let class: Option<&str> = row.try_get("class")?;
                let local_date = date.to_string();
                let key = (
                    agent,
                    local_date.clone(),
                    row.try_get("lender_id")?,
                    row.try_get("portfolio_id")?,
                );
                let day = report.days.entry(key).or_insert([0, 0, 0, 0, 0, at, at]);
                day[0] += 1;
                day[1] += i64::from(row.try_get::<&str, _>("verdict")? == "verified");
                day[2] += i64::from(right_party(code, class));
                day[3] += i64::from(amount.is_some());
                day[4] += amount.unwrap_or(0);
                day[5] = day[5].min(at);
                day[6] = day[6].max(at);
                let promise_date: Option<&str> = row.try_get("promise_date")?;
                let (Some(amount), Some(due)) = (amount, promise_date.and_then(due_on)) else {
                    continue;
                };
                let account: Uuid = row.try_get("account_id")?;
                let paid: i64 = payments
                    .get(&account)
                    .into_iter()
                    .flatten()
                    .filter(|(on, _)| *on >= local_date && *on <= due)
                    .map(|(_, cents)| cents)
                    .sum();
                let outcome = report.outcomes.entry(agent).or_default();
                if paid >= amount {
                    outcome[0] += 1;
                    outcome[3] += amount;
                } else if due.as_str() < today {
                    outcome[1] += 1;
                } else {
                    outcome[2] += 1;
                }
            }
            Ok(report.report(&names))
        }
    }
}
