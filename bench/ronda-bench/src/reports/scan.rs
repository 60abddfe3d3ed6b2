//! Full-scan baselines: the heatmap and the productivity report computed from the raw
//! visits and contact attempts, joined with their addresses (and accounts), in one query
//! each. PostgreSQL converts to the address's local time in SQL with `AT TIME ZONE`;
//! SQLite has no IANA zones, so its scan reads the raw rows of the period in one query
//! and buckets them in Rust with jiff.

use std::collections::{BTreeSet, HashMap};

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use ronda_domain::UserId;
use ronda_server::productivity::PROMISE_GRACE_DAYS;
use ronda_server::reports::SUCCESS_CODES;
use ronda_store::report::productivity::AgentProductivity;
use ronda_store::report::{HourCell, ReportFilter};
use ronda_store::visit::catalogue::DEFAULT_RESULT_CODES;
use sqlx::Row;
use tokio_stream::StreamExt;
use uuid::Uuid;

use super::db::Db;
use crate::http::BenchResult;

/// Zone of addresses without one, as the server's default tracking zone.
pub(crate) const FALLBACK_ZONE: &str = "America/Mexico_City";

/// The scan's period: local dates, and the instants that surely contain them (Mexican
/// zones are 5 to 8 hours behind UTC), so the query can skip rows outside it.
pub(crate) struct Period {
    pub(crate) from: Date,
    pub(crate) to: Date,
    pub(crate) from_ms: i64,
    pub(crate) to_ms: i64,
}

pub(crate) fn period(filter: &ReportFilter) -> BenchResult<Period> {
    let from: Date = filter.from.parse()?;
    let to: Date = filter.to.parse()?;
    let start = from.to_zoned_datetime(TimeZone::UTC)?.timestamp();
    let end = to
        .checked_add(1.day())?
        .to_zoned_datetime(TimeZone::UTC)?
        .timestamp();
    Ok(Period {
        from,
        to,
        from_ms: start.as_millisecond(),
        to_ms: end.as_millisecond() + 12 * 3_600_000,
    })
}

/// SQL that is true when the row reached the right party: the `class` of its `code` is
/// `success` in the catalogue, or in the shipped default for a code the catalogue lacks.
pub(crate) fn right_party_sql(class: &str, code: &str) -> String {
    let defaults: Vec<String> = DEFAULT_RESULT_CODES
        .iter()
        .filter(|entry| entry.1 == "success")
        .map(|entry| format!("'{}'", entry.0))
        .collect();
    format!(
        "({class} = 'success' OR ({class} IS NULL AND {code} IN ({})))",
        defaults.join(", ")
    )
}

fn success_sql(code: &str) -> String {
    let codes: Vec<String> = SUCCESS_CODES
        .iter()
        .map(|code| format!("'{code}'"))
        .collect();
    format!("{code} IN ({})", codes.join(", "))
}

/// SQL for the local date and time of Unix milliseconds `millis` in the IANA zone `zone`.
pub(crate) fn local_sql(millis: &str, zone: &str) -> String {
    format!(
        "((TIMESTAMPTZ 'epoch' + {millis} * INTERVAL '1 millisecond') \
         AT TIME ZONE COALESCE({zone}, '{FALLBACK_ZONE}'))"
    )
}

/// Builds the query for the heatmap's raw rows: the visits' and attempts' instants, zones
/// and results. When `filter` has an agent (the recorder, for attempts) or a zone (state
/// and municipality), they take the placeholders after `$1` to `$3`. Returns the SQL and
/// the next free placeholder number.
fn heatmap_rows_sql(filter: &ReportFilter) -> (String, usize) {
    let mut next = 4;
    let (mut visit_where, mut attempt_where) = (String::new(), String::new());
    if filter.agent_id.is_some() {
        visit_where.push_str(&format!(" AND v.agent_id = ${next}"));
        attempt_where.push_str(&format!(" AND c.recorded_by = ${next}"));
        next += 1;
    }
    if filter.zone.is_some() {
        let zone = format!(
            " AND ad.state = ${next} AND ad.municipality = ${}",
            next + 1
        );
        visit_where.push_str(&zone);
        attempt_where.push_str(&zone);
        next += 2;
    }
    let sql = format!(
        "SELECT v.finished_at AS at, ad.time_zone, v.result_code AS code, rc.class, \
         v.promise_amount_cents AS promise FROM visits v \
         JOIN addresses ad ON ad.id = v.address_id AND ad.organization_id = v.organization_id \
         LEFT JOIN result_codes rc ON rc.organization_id = v.organization_id \
             AND rc.code = v.result_code \
         WHERE v.organization_id = $1 AND v.status = 'complete' \
         AND v.finished_at >= $2 AND v.finished_at < $3{visit_where} \
         UNION ALL \
         SELECT c.occurred_at, ad.time_zone, c.result_code, rc.class, c.promise_amount_cents \
         FROM contact_attempts c \
         JOIN addresses ad ON ad.account_id = c.account_id \
             AND ad.organization_id = c.organization_id \
         LEFT JOIN result_codes rc ON rc.organization_id = c.organization_id \
             AND rc.code = c.result_code \
         WHERE c.organization_id = $1 AND c.occurred_at >= $2 AND c.occurred_at < $3{attempt_where}"
    );
    (sql, next)
}

/// Binds the agent and zone placeholders of [`heatmap_rows_sql`].
fn bind_filters<'q, O>(
    mut query: sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments>,
    filter: &'q ReportFilter,
) -> BenchResult<sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments>> {
    if let Some(agent) = filter.agent_id {
        query = query.bind(agent.0);
    }
    if let Some(zone) = &filter.zone {
        let (state, municipality) = zone.split_once('|').ok_or("zone without '|'")?;
        query = query.bind(state).bind(municipality);
    }
    Ok(query)
}

/// Computes the contact-hours heatmap from the raw rows.
pub(crate) async fn heatmap(
    db: &Db,
    org: Uuid,
    filter: &ReportFilter,
) -> BenchResult<Vec<HourCell>> {
    let period = period(filter)?;
    let (rows_sql, next) = heatmap_rows_sql(filter);
    match db {
        Db::Postgres(pool) => {
            let (from, to) = (next, next + 1);
            let sql = format!(
                "SELECT CAST(EXTRACT(ISODOW FROM x.local) AS INTEGER), \
                 CAST(EXTRACT(HOUR FROM x.local) AS INTEGER), CAST(COUNT(*) AS BIGINT), \
                 CAST(SUM(CASE WHEN {} THEN 1 ELSE 0 END) AS BIGINT), \
                 CAST(SUM(CASE WHEN {} THEN 1 ELSE 0 END) AS BIGINT), \
                 CAST(COUNT(x.promise) AS BIGINT), CAST(COALESCE(SUM(x.promise), 0) AS BIGINT) \
                 FROM (SELECT {} AS local, r.* FROM ({rows_sql}) r) x \
                 WHERE x.local >= CAST(${from} AS DATE) AND x.local < CAST(${to} AS DATE) + 1 \
                 GROUP BY 1, 2 ORDER BY 1, 2",
                right_party_sql("x.class", "x.code"),
                success_sql("x.code"),
                local_sql("r.at", "r.time_zone"),
            );
            let query =
                sqlx::query_as::<_, (i32, i32, i64, i64, i64, i64, i64)>(sqlx::AssertSqlSafe(sql))
                    .bind(org)
                    .bind(period.from_ms)
                    .bind(period.to_ms);
            let rows = bind_filters(query, filter)?
                .bind(&filter.from)
                .bind(&filter.to)
                .fetch_all(pool)
                .await?;
            Ok(rows
                .into_iter()
                .map(|row| HourCell {
                    weekday: row.0 as i8,
                    hour: row.1 as i8,
                    attempts: row.2,
                    right_party: row.3,
                    successes: row.4,
                    promises: row.5,
                    promised_cents: row.6,
                })
                .collect())
        }
        Db::Sqlite(pool) => {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(rows_sql))
                .bind(org)
                .bind(period.from_ms)
                .bind(period.to_ms);
            if let Some(agent) = filter.agent_id {
                query = query.bind(agent.0);
            }
            if let Some(zone) = &filter.zone {
                let (state, municipality) = zone.split_once('|').ok_or("zone without '|'")?;
                query = query.bind(state).bind(municipality);
            }
            let mut zones = Zones::default();
            let mut cells: HashMap<(i8, i8), HourCell> = HashMap::new();
            let mut rows = query.fetch(pool);
            while let Some(row) = rows.next().await {
                let row = row?;
                let at = Timestamp::from_millisecond(row.try_get(0)?)?;
                let local = at.to_zoned_datetime(zones.get(row.try_get(1)?));
                let date = local.date();
                if date < period.from || date > period.to {
                    continue;
                }
                let code: Option<&str> = row.try_get(2)?;
                let class: Option<&str> = row.try_get(3)?;
                let promise: Option<i64> = row.try_get(4)?;
                let (weekday, hour) = (local.weekday().to_monday_one_offset(), local.hour());
                let cell = cells.entry((weekday, hour)).or_insert(HourCell {
                    weekday,
                    hour,
                    attempts: 0,
                    right_party: 0,
                    successes: 0,
                    promises: 0,
                    promised_cents: 0,
                });
                cell.attempts += 1;
                cell.right_party += i64::from(right_party(code, class));
                cell.successes += i64::from(SUCCESS_CODES.contains(&code.unwrap_or_default()));
                cell.promises += i64::from(promise.is_some());
                cell.promised_cents += promise.unwrap_or(0);
            }
            let mut cells: Vec<HourCell> = cells.into_values().collect();
            cells.sort_by_key(|cell| (cell.weekday, cell.hour));
            Ok(cells)
        }
    }
}

pub(crate) fn right_party(code: Option<&str>, class: Option<&str>) -> bool {
    let code = code.unwrap_or_default();
    let class = class.or_else(|| {
        DEFAULT_RESULT_CODES
            .iter()
            .find(|entry| entry.0 == code)
            .map(|entry| entry.1)
    });
    class == Some("success")
}

/// Time zones by name, each looked up once.
#[derive(Default)]
pub(crate) struct Zones(HashMap<String, TimeZone>);

impl Zones {
    pub(crate) fn get(&mut self, name: Option<&str>) -> TimeZone {
        let name = name.unwrap_or(FALLBACK_ZONE);
        if let Some(zone) = self.0.get(name) {
            return zone.clone();
        }
        let zone = ronda_domain::portfolio::bundled_zone(name)
            .or_else(|| ronda_domain::portfolio::bundled_zone(FALLBACK_ZONE))
            .unwrap_or(TimeZone::UTC);
        self.0.insert(name.to_owned(), zone.clone());
        zone
    }
}

/// Per-agent figures of the productivity report, from one row per visit.
#[derive(Default)]
pub(crate) struct AgentDays {
    /// (agent, local date, lender, portfolio) to visits, verified, right party, promises,
    /// promised cents, first and last finish.
    pub(crate) days: HashMap<(Uuid, String, Uuid, Uuid), [i64; 7]>,
    /// (agent, kept, broken, pending, kept cents).
    pub(crate) outcomes: HashMap<Uuid, [i64; 4]>,
}

impl AgentDays {
    /// Adds up the days per agent, with names from `names`, ordered as the report is.
    pub(crate) fn report(self, names: &HashMap<Uuid, String>) -> Vec<AgentProductivity> {
        let mut agents: HashMap<Uuid, (AgentProductivity, BTreeSet<String>)> = HashMap::new();
        for ((agent, date, _, _), day) in self.days {
            let entry = agents.entry(agent).or_insert_with(|| {
                let row = AgentProductivity {
                    agent_id: UserId(agent),
                    agent_name: names.get(&agent).cloned().unwrap_or_default(),
                    ..AgentProductivity::default()
                };
                (row, BTreeSet::new())
            });
            let row = &mut entry.0;
            row.visits += day[0];
            row.verified += day[1];
            row.right_party += day[2];
            row.promises += day[3];
            row.promised_cents += day[4];
            row.visit_span_ms += day[6] - day[5];
            row.visit_gaps += day[0] - 1;
            entry.1.insert(date);
        }
        let mut rows: Vec<AgentProductivity> = agents
            .into_values()
            .map(|(mut row, dates)| {
                row.days = dates.len() as i64;
                if let Some(outcome) = self.outcomes.get(&row.agent_id.0) {
                    row.promises_kept = outcome[0];
                    row.promises_broken = outcome[1];
                    row.promises_pending = outcome[2];
                    row.kept_cents = outcome[3];
                }
                row
            })
            .collect();
        rows.sort_by(|a, b| (&a.agent_name, a.agent_id.0).cmp(&(&b.agent_name, b.agent_id.0)));
        rows
    }
}

/// Days of grace after a promised date, as the server judges promises.
pub(crate) fn due_on(promised_on: &str) -> Option<String> {
    let date: Date = promised_on.parse().ok()?;
    Some(
        date.checked_add(PROMISE_GRACE_DAYS.days())
            .ok()?
            .to_string(),
    )
}
