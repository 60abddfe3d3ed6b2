//! Fills the report rollups as the server's rollup workers would: each attempt's increment
//! comes from the server's own functions (`ronda_server::reports::increment` and
//! `attempt_increment`, `ronda_server::productivity::increment`), the increments are
//! added up in memory, and the sums are inserted in bulk. The promise outcomes are then
//! judged by the store's own `evaluate_pending_promises`.

use std::collections::HashMap;

use jiff::tz::TimeZone;
use ronda_store::contact::PendingAttempt;
use ronda_store::report::productivity::{ProductivityIncrement, ProductivityVisit};
use ronda_store::report::{PendingVisit, RollupIncrement};
use uuid::Uuid;

use super::db::{Loader, text};
use crate::http::BenchResult;

/// Key of `contact_hour_rollups`, with the weekday that goes with the date.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct HourKey {
    local_date: String,
    weekday: i8,
    hour: i8,
    lender_id: Uuid,
    portfolio_id: Uuid,
    agent_id: Uuid,
    channel: &'static str,
}

/// Key of `contact_hour_totals`: the hour key without the agent.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct TotalKey {
    local_date: String,
    weekday: i8,
    hour: i8,
    lender_id: Uuid,
    portfolio_id: Uuid,
    channel: &'static str,
}

/// Key of `report_rollups`: the hour key and the custom reports' extra dimensions.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct ReportKey {
    hour: HourKey,
    zone_state: String,
    zone_municipality: String,
    result_code: String,
    verdict: String,
    reason_class: String,
}

#[derive(Clone, Copy, Debug, Default)]
struct Counts {
    attempts: i64,
    right_party: i64,
    successes: i64,
    promises: i64,
    promised_cents: i64,
}

#[derive(Clone, Copy, Debug)]
struct Day {
    visits: i64,
    verified: i64,
    right_party: i64,
    promises: i64,
    promised_cents: i64,
    first: i64,
    last: i64,
}

/// The rollup tables of one organization, added up in memory.
pub(crate) struct Rollups {
    fallback: TimeZone,
    /// Class of each result code in the organization's catalogue.
    classes: HashMap<String, String>,
    hours: HashMap<HourKey, Counts>,
    totals: HashMap<TotalKey, Counts>,
    /// `contact_hour_zone_totals`: the totals key with the zone, `state|municipality`.
    zone_totals: HashMap<(String, TotalKey), Counts>,
    reports: HashMap<ReportKey, Counts>,
    days: HashMap<(Uuid, String, Uuid, Uuid), Day>,
    /// Latest `final_after` of each agent day.
    distances: HashMap<(Uuid, String), i64>,
    /// Visit id and promise values of each visit that made a promise.
    promises: Vec<(Uuid, ronda_store::payment::NewPromise)>,
}

impl Rollups {
    pub(crate) fn new(fallback: TimeZone, classes: HashMap<String, String>) -> Rollups {
        Rollups {
            fallback,
            classes,
            hours: HashMap::new(),
            totals: HashMap::new(),
            zone_totals: HashMap::new(),
            reports: HashMap::new(),
            days: HashMap::new(),
            distances: HashMap::new(),
            promises: Vec::new(),
        }
    }

    /// Returns the class that the pending-rollup queries read from the catalogue.
    pub(crate) fn class(&self, code: &str) -> Option<String> {
        self.classes.get(code).cloned()
    }

    pub(crate) fn add_visit(&mut self, visit: &PendingVisit, productivity: &ProductivityVisit) {
        self.add(ronda_server::reports::increment(visit, &self.fallback));
        self.add_productivity(ronda_server::productivity::increment(
            productivity,
            &self.fallback,
        ));
    }

    pub(crate) fn add_attempt(&mut self, attempt: &PendingAttempt) {
        self.add(ronda_server::reports::attempt_increment(
            attempt,
            &self.fallback,
        ));
    }

    fn add(&mut self, increment: RollupIncrement) {
        let key = HourKey {
            local_date: increment.local_date,
            weekday: increment.weekday,
            hour: increment.hour,
            lender_id: increment.lender_id,
            portfolio_id: increment.portfolio_id,
            agent_id: increment.agent_id.0,
            channel: increment.channel,
        };
        let counts = |counts: &mut Counts| {
            counts.attempts += 1;
            counts.right_party += i64::from(increment.right_party);
            counts.successes += i64::from(increment.success);
            counts.promises += i64::from(increment.promise_cents.is_some());
            counts.promised_cents += increment.promise_cents.unwrap_or(0);
        };
        let total = TotalKey {
            local_date: key.local_date.clone(),
            weekday: key.weekday,
            hour: key.hour,
            lender_id: key.lender_id,
            portfolio_id: key.portfolio_id,
            channel: key.channel,
        };
        let zone = format!("{}|{}", increment.zone_state, increment.zone_municipality);
        counts(self.zone_totals.entry((zone, total.clone())).or_default());
        counts(self.totals.entry(total).or_default());
        counts(self.hours.entry(key.clone()).or_default());
        let key = ReportKey {
            hour: key,
            zone_state: increment.zone_state,
            zone_municipality: increment.zone_municipality,
            result_code: increment.result_code,
            verdict: increment.verdict,
            reason_class: increment.reason_class,
        };
        counts(self.reports.entry(key).or_default());
    }

    fn add_productivity(&mut self, increment: ProductivityIncrement) {
        let agent = increment.agent_id.0;
        let key = (
            agent,
            increment.local_date.clone(),
            increment.lender_id,
            increment.portfolio_id,
        );
        let at = increment.finished_at;
        let day = self.days.entry(key).or_insert(Day {
            visits: 0,
            verified: 0,
            right_party: 0,
            promises: 0,
            promised_cents: 0,
            first: at,
            last: at,
        });
        day.visits += 1;
        day.verified += i64::from(increment.verified);
        day.right_party += i64::from(increment.right_party);
        day.promises += i64::from(increment.promise_cents.is_some());
        day.promised_cents += increment.promise_cents.unwrap_or(0);
        day.first = day.first.min(at);
        day.last = day.last.max(at);
        let final_after = self
            .distances
            .entry((agent, increment.local_date))
            .or_insert(increment.distance_final_after);
        *final_after = (*final_after).max(increment.distance_final_after);
        if let Some(promise) = increment.promise {
            self.promises.push((increment.visit_id, promise));
        }
    }

    /// Inserts every rollup row. Distances are 0 and computed, as the distance worker
    /// leaves them for days without tracked positions; promises start `pending` as the
    /// rollup worker stores them.
    pub(crate) async fn load(
        &self,
        org: Uuid,
        loader: &mut Loader,
        now_ms: i64,
    ) -> BenchResult<()> {
        let db = loader.db().clone();
        let org = db.uuid(org);
        let hour_key = |key: &HourKey| {
            format!(
                "{org}, '{}', {}, {}, {}, {}, {}, '{}'",
                key.local_date,
                key.weekday,
                key.hour,
                db.uuid(key.lender_id),
                db.uuid(key.portfolio_id),
                db.uuid(key.agent_id),
                key.channel
            )
        };
        let sums = |c: &Counts| {
            format!(
                "{}, {}, {}, {}, {}",
                c.attempts, c.right_party, c.successes, c.promises, c.promised_cents
            )
        };
        for (key, counts) in &self.hours {
            let values = format!("{}, {}", hour_key(key), sums(counts));
            loader.push(HOURS_HEAD, &values).await?;
        }
        for (key, counts) in &self.totals {
            let values = format!(
                "{org}, '{}', {}, {}, {}, {}, '{}', {}",
                key.local_date,
                key.weekday,
                key.hour,
                db.uuid(key.lender_id),
                db.uuid(key.portfolio_id),
                key.channel,
                sums(counts)
            );
            loader.push(TOTALS_HEAD, &values).await?;
        }
        for ((zone, key), counts) in &self.zone_totals {
            let values = format!(
                "{org}, {}, '{}', {}, {}, {}, {}, '{}', {}",
                text(zone),
                key.local_date,
                key.weekday,
                key.hour,
                db.uuid(key.lender_id),
                db.uuid(key.portfolio_id),
                key.channel,
                sums(counts)
            );
            loader.push(ZONE_TOTALS_HEAD, &values).await?;
        }
        for (key, counts) in &self.reports {
            let values = format!(
                "{}, {}, {}, {}, {}, {}, {}",
                hour_key(&key.hour),
                text(&key.zone_state),
                text(&key.zone_municipality),
                text(&key.result_code),
                text(&key.verdict),
                text(&key.reason_class),
                sums(counts)
            );
            loader.push(REPORTS_HEAD, &values).await?;
        }
        for ((agent, date, lender, portfolio), day) in &self.days {
            let values = format!(
                "{org}, {}, '{date}', {}, {}, {}, {}, {}, {}, {}, {}, {}",
                db.uuid(*agent),
                db.uuid(*lender),
                db.uuid(*portfolio),
                day.visits,
                day.verified,
                day.right_party,
                day.promises,
                day.promised_cents,
                day.first,
                day.last
            );
            loader.push(DAYS_HEAD, &values).await?;
        }
        for ((agent, date), final_after) in &self.distances {
            let values = format!(
                "{org}, {}, '{date}', 0, {now_ms}, {final_after}",
                db.uuid(*agent)
            );
            loader.push(DISTANCES_HEAD, &values).await?;
        }
        for (visit_id, promise) in &self.promises {
            let values = format!(
                "{}, {org}, {}, {}, {}, {}, '{}', '{}', '{}', {}, 0, 'pending', {now_ms}",
                db.uuid(*visit_id),
                db.uuid(promise.account_id),
                db.uuid(promise.agent_id.0),
                db.uuid(promise.lender_id),
                db.uuid(promise.portfolio_id),
                promise.created_on,
                promise.promised_on,
                promise.due_on,
                promise.amount_cents
            );
            loader.push(PROMISES_HEAD, &values).await?;
        }
        Ok(())
    }

    /// Row counts of the rollup tables, for the run's description.
    pub(crate) fn sizes(&self) -> [(&'static str, usize); 7] {
        [
            ("contact_hour_rollups", self.hours.len()),
            ("contact_hour_totals", self.totals.len()),
            ("contact_hour_zone_totals", self.zone_totals.len()),
            ("report_rollups", self.reports.len()),
            ("agent_day_rollups", self.days.len()),
            ("agent_day_distances", self.distances.len()),
            ("promise_outcomes", self.promises.len()),
        ]
    }
}

const HOURS_HEAD: &str = "INSERT INTO contact_hour_rollups (organization_id, local_date, \
    weekday, hour, lender_id, portfolio_id, agent_id, channel, attempts, right_party, \
    successes, promises, promised_cents) VALUES ";
const TOTALS_HEAD: &str = "INSERT INTO contact_hour_totals (organization_id, local_date, \
    weekday, hour, lender_id, portfolio_id, channel, attempts, right_party, successes, \
    promises, promised_cents) VALUES ";
const ZONE_TOTALS_HEAD: &str = "INSERT INTO contact_hour_zone_totals (organization_id, zone, \
    local_date, weekday, hour, lender_id, portfolio_id, channel, attempts, right_party, \
    successes, promises, promised_cents) VALUES ";
const REPORTS_HEAD: &str = "INSERT INTO report_rollups (organization_id, local_date, weekday, \
    hour, lender_id, portfolio_id, agent_id, channel, zone_state, zone_municipality, \
    result_code, verdict, reason_class, attempts, right_party, successes, promises, \
    promised_cents) VALUES ";
const DAYS_HEAD: &str = "INSERT INTO agent_day_rollups (organization_id, agent_id, local_date, \
    lender_id, portfolio_id, visits, verified, right_party, promises, promised_cents, \
    first_finished_at, last_finished_at) VALUES ";
const DISTANCES_HEAD: &str = "INSERT INTO agent_day_distances (organization_id, agent_id, \
    local_date, distance_m, refreshed_at, final_after) VALUES ";
const PROMISES_HEAD: &str = "INSERT INTO promise_outcomes (visit_id, organization_id, \
    account_id, agent_id, lender_id, portfolio_id, created_on, promised_on, due_on, \
    amount_cents, paid_cents, status, evaluated_at) VALUES ";
