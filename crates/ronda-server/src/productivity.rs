//! Productivity rollups and promise outcomes. A background worker adds each finished visit
//! to its agent's day (and stores its promise to pay), computes each worked day's
//! distance from the tracked positions, and marks promises broken once their due date
//! passes, whether a visit or a hand-recorded contact made them. Reports run the same catch-up before they read, so they never scan the visits.

use std::time::Duration;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use ronda_domain::{OrganizationId, UserId};
use ronda_store::payment::{NewPromise, PromiseSource};
use ronda_store::report::productivity::{DistanceDay, ProductivityIncrement, ProductivityVisit};
use ronda_store::visit::catalogue::DEFAULT_RESULT_CODES;
use ronda_store::{Store, StoreResult};
use uuid::Uuid;

use crate::state::AppState;
use crate::tracking::history::{day_bounds, summarize};

/// Days after the promised date that a payment still keeps the promise. Lenders' payment
/// files often date a payment by when it settled, which can be a few days after the
/// debtor paid, so a promise is judged only after this grace.
pub const PROMISE_GRACE_DAYS: i32 = 3;

/// Visits read per batch.
const BATCH: u32 = 500;
/// Batches one catch-up handles, so a large backlog does not hold a report request.
const MAX_BATCHES_PER_CALL: usize = 20;
/// Agent days whose distance one catch-up computes.
const DISTANCE_DAYS_PER_CALL: u32 = 50;
/// How long after the end of a local day positions may still arrive from phones that
/// were offline. The day's distance is computed again until then.
const LATE_POSITIONS: Duration = Duration::from_secs(2 * 3600);
/// Minimum time between two computations of the same open day's distance.
const DISTANCE_REFRESH: Duration = Duration::from_secs(10 * 60);
/// How often the worker runs.
const WORKER_EVERY: Duration = Duration::from_secs(5);

/// Returns whether a visit reached the right party: its result code's class is `success`,
/// from the organization's catalogue or the shipped default.
fn reached_right_party(visit: &ProductivityVisit) -> bool {
    let code = visit.result_code.as_deref().unwrap_or_default();
    let class = visit.result_class.as_deref().or_else(|| {
        DEFAULT_RESULT_CODES
            .iter()
            .find(|entry| entry.0 == code)
            .map(|entry| entry.1)
    });
    class == Some("success")
}

/// Returns what `visit` adds to its agent's day. The day is that of the visited
/// address's zone, or of `fallback` when the address has none. The distance of that day
/// is measured in `fallback`, the zone of the tracking day endpoint.
// NOTE: an address in another zone than `fallback` can put a visit on a different day
// than the distance it is reported with.
pub fn increment(visit: &ProductivityVisit, fallback: &TimeZone) -> ProductivityIncrement {
    let local_date = local_date(visit.finished_at, visit.time_zone.as_deref(), fallback);
    let day_end = day_bounds(local_date, fallback)
        .map(|(_, end)| end)
        .unwrap_or(visit.finished_at);
    let final_after = day_end
        .checked_add(LATE_POSITIONS)
        .unwrap_or(day_end)
        .as_millisecond();
    ProductivityIncrement {
        visit_id: visit.visit_id,
        organization_id: visit.organization_id,
        agent_id: visit.agent_id,
        local_date: local_date.to_string(),
        lender_id: visit.lender_id,
        portfolio_id: visit.portfolio_id,
        finished_at: visit.finished_at.as_millisecond(),
        verified: visit.verdict == "verified",
        right_party: reached_right_party(visit),
        promise_cents: visit.promise_amount_cents,
        distance_final_after: final_after,
        promise: visit_promise(visit, local_date),
    }
}

/// Returns the local date of `at` in the IANA zone `time_zone` of an address, or in
/// `fallback` when the address has no known zone. Promises take their `created_on` from it.
pub fn local_date(at: Timestamp, time_zone: Option<&str>, fallback: &TimeZone) -> Date {
    let zone = time_zone
        .and_then(ronda_domain::portfolio::bundled_zone)
        .unwrap_or_else(|| fallback.clone());
    at.to_zoned_datetime(zone).date()
}

/// The owner of a promise to pay: the visit or contact attempt that made it, and its
/// account's organization, lender and portfolio.
#[derive(Clone, Copy, Debug)]
pub struct PromiseOrigin {
    pub source: PromiseSource,
    pub organization_id: OrganizationId,
    pub account_id: Uuid,
    /// The visiting agent, or the user who recorded the contact attempt.
    pub agent_id: UserId,
    pub lender_id: Uuid,
    pub portfolio_id: Uuid,
}

/// Builds a promise made on the local date `created_on` when it has an amount and a valid
/// promised date. It is due [`PROMISE_GRACE_DAYS`] after the promised date. Visits and
/// hand-recorded contacts both build their promises here.
pub fn promise(
    origin: PromiseOrigin,
    created_on: Date,
    amount_cents: Option<i64>,
    promise_date: Option<&str>,
) -> Option<NewPromise> {
    let amount_cents = amount_cents?;
    let promised_on: Date = promise_date?.parse().ok()?;
    let due_on = promised_on.checked_add(PROMISE_GRACE_DAYS.days()).ok()?;
    Some(NewPromise {
        source: origin.source,
        organization_id: origin.organization_id,
        account_id: origin.account_id,
        agent_id: origin.agent_id,
        lender_id: origin.lender_id,
        portfolio_id: origin.portfolio_id,
        created_on: created_on.to_string(),
        promised_on: promised_on.to_string(),
        due_on: due_on.to_string(),
        amount_cents,
    })
}

fn visit_promise(visit: &ProductivityVisit, created_on: Date) -> Option<NewPromise> {
    let origin = PromiseOrigin {
        source: PromiseSource::Visit(visit.visit_id),
        organization_id: visit.organization_id,
        account_id: visit.account_id,
        agent_id: visit.agent_id,
        lender_id: visit.lender_id,
        portfolio_id: visit.portfolio_id,
    };
    promise(
        origin,
        created_on,
        visit.promise_amount_cents,
        visit.promise_date.as_deref(),
    )
}

/// Adds pending visits to the productivity rollups, at most a bounded number of batches.
/// Returns how many visits were added.
pub async fn roll_up_pending(store: &dyn Store, fallback: &TimeZone) -> StoreResult<usize> {
    let mut added = 0;
    for _ in 0..MAX_BATCHES_PER_CALL {
        let pending = store.pending_productivity(BATCH).await?;
        if pending.is_empty() {
            break;
        }
        let increments: Vec<ProductivityIncrement> = pending
            .iter()
            .map(|visit| increment(visit, fallback))
            .collect();
        let applied = store
            .apply_productivity(&increments, Timestamp::now())
            .await?;
        added += applied;
        if pending.len() < BATCH as usize || applied == 0 {
            break;
        }
    }
    Ok(added)
}

/// Computes the distance of agent days that are new or can still change, from their
/// positions or, once retention deleted those, from the stored day summary.
pub async fn refresh_distances(
    store: &dyn Store,
    zone: &TimeZone,
    now: Timestamp,
) -> StoreResult<usize> {
    let refreshed_before = now.checked_sub(DISTANCE_REFRESH).unwrap_or(now);
    let days = store
        .stale_distance_days(now, refreshed_before, DISTANCE_DAYS_PER_CALL)
        .await?;
    for day in &days {
        let distance_m = day_distance(store, zone, day, now).await?;
        store.set_day_distance(day, distance_m, now).await?;
    }
    Ok(days.len())
}

async fn day_distance(
    store: &dyn Store,
    zone: &TimeZone,
    day: &DistanceDay,
    now: Timestamp,
) -> StoreResult<f64> {
    let Ok(date) = day.local_date.parse::<Date>() else {
        return Ok(0.0);
    };
    let Ok((start, end)) = day_bounds(date, zone) else {
        return Ok(0.0);
    };
    let (org, agent) = (day.organization_id, day.agent_id);
    let positions = store.agent_positions(org, agent, start, end).await?;
    if positions.is_empty() {
        let stored = store.day_summary(org, agent, &day.local_date).await?;
        return Ok(stored.map_or(0.0, |summary| summary.distance_m));
    }
    Ok(summarize(org, agent, date, zone, &positions, now).distance_m)
}

/// Runs every step once: rollups, distances, and promises whose due date passed.
pub async fn catch_up(store: &dyn Store, zone: &TimeZone) -> StoreResult<()> {
    let now = Timestamp::now();
    roll_up_pending(store, zone).await?;
    refresh_distances(store, zone, now).await?;
    let today = now.to_zoned_datetime(zone.clone()).date().to_string();
    store.evaluate_pending_promises(&today, now).await?;
    Ok(())
}

/// Runs the productivity worker until the live hub closes.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    let mut closed = state.live().closed();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(WORKER_EVERY);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = closed.changed() => return,
            }
            let zone = &state.settings().tracking_time_zone;
            if let Err(error) = catch_up(state.store(), zone).await {
                tracing::warn!(%error, "productivity rollup failed; it runs again in 5 s");
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visit(finished_at: &str, promise_date: Option<&str>) -> ProductivityVisit {
        ProductivityVisit {
            visit_id: Uuid::new_v4(),
            organization_id: OrganizationId::new(),
            agent_id: UserId::new(),
            account_id: Uuid::new_v4(),
            lender_id: Uuid::new_v4(),
            portfolio_id: Uuid::new_v4(),
            finished_at: finished_at.parse().expect("timestamp"),
            time_zone: Some("America/Mexico_City".into()),
            result_code: Some("PTP".into()),
            result_class: None,
            verdict: "verified".into(),
            promise_amount_cents: Some(150_050),
            promise_date: promise_date.map(str::to_owned),
        }
    }

    #[test]
    fn promise_due_after_grace() {
        let utc = TimeZone::UTC;
        let late = increment(&visit("2026-12-05T02:00:00Z", Some("2026-12-30")), &utc);
        assert_eq!(late.local_date, "2026-12-04", "20:00 in Mexico City");
        let promise = late.promise.expect("promise");
        assert_eq!(promise.created_on, "2026-12-04");
        assert_eq!(promise.due_on, "2027-01-02");
        assert!(late.verified);
        assert!(late.right_party);
    }

    #[test]
    fn promise_needs_a_date() {
        let utc = TimeZone::UTC;
        let without = increment(&visit("2026-12-04T18:00:00Z", None), &utc);
        assert_eq!(without.promise, None);
        let invalid = increment(&visit("2026-12-04T18:00:00Z", Some("pronto")), &utc);
        assert_eq!(invalid.promise, None);
        assert_eq!(invalid.promise_cents, Some(150_050));
    }

    #[test]
    fn distance_final_two_hours_after_day() {
        let cdmx = ronda_domain::portfolio::bundled_zone("America/Mexico_City").expect("zone");
        let day = increment(&visit("2026-12-04T18:00:00Z", None), &cdmx);
        let expected: Timestamp = "2026-12-05T08:00:00Z".parse().expect("timestamp");
        assert_eq!(day.distance_final_after, expected.as_millisecond());
    }

    #[test]
    fn wrong_party_not_counted() {
        let mut third = visit("2026-12-04T18:00:00Z", None);
        third.result_code = Some("MESSAGE_LEFT".into());
        third.verdict = "doubtful".into();
        let increment = increment(&third, &TimeZone::UTC);
        assert!(!increment.right_party);
        assert!(!increment.verified);
    }
}
