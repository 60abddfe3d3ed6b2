//! Report rollups: finished visits are added to counts per local hour of the visited
//! address, by a background worker and before each report is read, so reports never scan
//! the visits.

use std::time::Duration;

use jiff::Timestamp;
use jiff::civil::Weekday;
use jiff::tz::TimeZone;
use ronda_store::contact::PendingAttempt;
use ronda_store::report::{PendingVisit, RollupIncrement, RollupSource};
use ronda_store::visit::catalogue::DEFAULT_RESULT_CODES;
use ronda_store::{Store, StoreResult};

use crate::state::AppState;

/// Result codes that count as a success: a promise, an agreement or a payment.
pub const SUCCESS_CODES: [&str; 3] = ["PTP", "AGREEMENT", "PAID"];

/// Visits read per batch.
const BATCH: u32 = 500;
/// Batches one catch-up handles before a report answers, so a large backlog left by an
/// import does not hold a request for long; the worker handles the rest.
const MAX_BATCHES_PER_CALL: usize = 20;
/// How often the worker looks for new visits.
const WORKER_EVERY: Duration = Duration::from_secs(5);

/// Returns what `visit` adds to its rollup row. The hour and day are those of the visited
/// address's zone, or of `fallback` when the address has none.
pub fn increment(visit: &PendingVisit, fallback: &TimeZone) -> RollupIncrement {
    let zone = visit
        .time_zone
        .as_deref()
        .and_then(ronda_domain::portfolio::bundled_zone)
        .unwrap_or_else(|| fallback.clone());
    let local = visit.finished_at.to_zoned_datetime(zone);
    let code = visit.result_code.as_deref().unwrap_or_default();
    let class = visit.result_class.as_deref().or_else(|| {
        DEFAULT_RESULT_CODES
            .iter()
            .find(|entry| entry.0 == code)
            .map(|entry| entry.1)
    });
    RollupIncrement {
        source: RollupSource::Visit(visit.visit_id),
        organization_id: visit.organization_id,
        local_date: local.date().to_string(),
        weekday: iso_weekday(local.weekday()),
        hour: local.hour(),
        lender_id: visit.lender_id,
        portfolio_id: visit.portfolio_id,
        agent_id: visit.agent_id,
        channel: "visit",
        right_party: class == Some("success"),
        success: SUCCESS_CODES.contains(&code),
        promise_cents: visit.promise_amount_cents,
        zone_state: visit.zone_state.clone().unwrap_or_default(),
        zone_municipality: visit.zone_municipality.clone().unwrap_or_default(),
        result_code: code.to_owned(),
        verdict: visit.verdict.clone(),
        reason_class: if visit.verdict == "verified" {
            String::new()
        } else {
            reason_class(&visit.verdict_reasons).to_owned()
        },
    }
}

/// Returns the class of the first finding that explains a doubtful or rejected check-in:
/// `location`, `schedule`, `device`, `track` or `declared`, or `''` when no finding
/// has a class. Unreadable JSON counts as no finding.
pub fn reason_class(verdict_reasons: &str) -> &'static str {
    let Ok(reasons) = serde_json::from_str::<Vec<serde_json::Value>>(verdict_reasons) else {
        return "";
    };
    reasons
        .iter()
        .filter_map(|reason| reason.get("code").and_then(serde_json::Value::as_str))
        .map(class_of_reason)
        .find(|class| !class.is_empty())
        .unwrap_or_default()
}

fn class_of_reason(code: &str) -> &'static str {
    match code {
        "invalid_fix" | "no_address_point" | "poor_accuracy" | "too_far" => "location",
        "outside_contact_window" | "unknown_time_zone" => "schedule",
        "mock_location" | "stale_fix" | "clock_offset" => "device",
        "impossible_speed" | "teleport" | "track_not_near" | "no_track" | "mock_in_track" => {
            "track"
        }
        "exception_declared" => "declared",
        // `track_near` confirms a check-in rather than doubting it.
        _ => "",
    }
}

fn iso_weekday(day: Weekday) -> i8 {
    day.to_monday_one_offset()
}

/// Returns what a manual contact attempt adds to its rollup row: the hour and day are those
/// of the zone of the account's first address, or of `fallback`, and the agent is the user
/// who recorded it.
pub fn attempt_increment(attempt: &PendingAttempt, fallback: &TimeZone) -> RollupIncrement {
    let zone = attempt
        .time_zone
        .as_deref()
        .and_then(ronda_domain::portfolio::bundled_zone)
        .unwrap_or_else(|| fallback.clone());
    let local = attempt.occurred_at.to_zoned_datetime(zone);
    let code = attempt.result_code.as_str();
    let class = attempt.result_class.as_deref().or_else(|| {
        DEFAULT_RESULT_CODES
            .iter()
            .find(|entry| entry.0 == code)
            .map(|entry| entry.1)
    });
    RollupIncrement {
        source: RollupSource::ContactAttempt(attempt.attempt_id),
        organization_id: attempt.organization_id,
        local_date: local.date().to_string(),
        weekday: iso_weekday(local.weekday()),
        hour: local.hour(),
        lender_id: attempt.lender_id,
        portfolio_id: attempt.portfolio_id,
        agent_id: attempt.recorded_by,
        channel: attempt.channel.as_str(),
        right_party: class == Some("success"),
        success: SUCCESS_CODES.contains(&code),
        promise_cents: attempt.promise_amount_cents,
        zone_state: attempt.zone_state.clone().unwrap_or_default(),
        zone_municipality: attempt.zone_municipality.clone().unwrap_or_default(),
        result_code: code.to_owned(),
        verdict: "none".into(),
        reason_class: String::new(),
    }
}

/// Adds pending manual contact attempts to the rollups, like [`roll_up_pending`] does for
/// visits. Returns how many attempts were added.
async fn roll_up_pending_attempts(store: &dyn Store, fallback: &TimeZone) -> StoreResult<usize> {
    let mut added = 0;
    for _ in 0..MAX_BATCHES_PER_CALL {
        let pending = store.pending_attempt_rollups(BATCH).await?;
        if pending.is_empty() {
            break;
        }
        let increments: Vec<RollupIncrement> = pending
            .iter()
            .map(|attempt| attempt_increment(attempt, fallback))
            .collect();
        let applied = store.apply_rollups(&increments, Timestamp::now()).await?;
        added += applied;
        if pending.len() < BATCH as usize || applied == 0 {
            break;
        }
    }
    Ok(added)
}

/// Adds pending visits and manual contact attempts to the rollups, at most a bounded number
/// of batches of each. Returns how many were added.
pub async fn roll_up_pending(store: &dyn Store, fallback: &TimeZone) -> StoreResult<usize> {
    let mut added = roll_up_pending_attempts(store, fallback).await?;
    for _ in 0..MAX_BATCHES_PER_CALL {
        let pending = store.pending_rollups(BATCH).await?;
        if pending.is_empty() {
            break;
        }
        let increments: Vec<RollupIncrement> = pending
            .iter()
            .map(|visit| increment(visit, fallback))
            .collect();
        let applied = store.apply_rollups(&increments, Timestamp::now()).await?;
        added += applied;
        if pending.len() < BATCH as usize || applied == 0 {
            break;
        }
    }
    Ok(added)
}

/// Runs the rollup worker until the live hub closes.
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
            match roll_up_pending(state.store(), zone).await {
                Ok(0) => {}
                Ok(added) => tracing::debug!(visits = added, "visits added to report rollups"),
                Err(error) => {
                    tracing::warn!(%error, "report rollup failed; it runs again in 5 s");
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ronda_domain::{OrganizationId, UserId};
    use uuid::Uuid;

    fn visit(finished_at: &str, zone: Option<&str>, code: &str) -> PendingVisit {
        PendingVisit {
            visit_id: Uuid::new_v4(),
            organization_id: OrganizationId::new(),
            agent_id: UserId::new(),
            lender_id: Uuid::new_v4(),
            portfolio_id: Uuid::new_v4(),
            finished_at: finished_at.parse().expect("timestamp"),
            time_zone: zone.map(str::to_owned),
            result_code: Some(code.into()),
            result_class: None,
            promise_amount_cents: None,
            zone_state: Some("Ciudad de México".into()),
            zone_municipality: None,
            verdict: "verified".into(),
            verdict_reasons: "[]".into(),
        }
    }

    #[test]
    fn evening_utc_is_afternoon_in_cdmx() {
        let utc = TimeZone::UTC;
        let late = increment(
            &visit("2026-12-04T23:30:00Z", Some("America/Mexico_City"), "PTP"),
            &utc,
        );
        assert_eq!(late.local_date, "2026-12-04");
        assert_eq!(late.hour, 17);
        assert_eq!(late.weekday, 5, "a Friday");
        assert!(late.right_party);
        assert!(late.success);
    }

    #[test]
    fn each_address_uses_its_own_zone() {
        let utc = TimeZone::UTC;
        // Cancún keeps UTC-5 all year, Tijuana is on UTC-8 in December.
        let cancun = increment(
            &visit("2026-12-05T02:10:00Z", Some("America/Cancun"), "REFUSED"),
            &utc,
        );
        assert_eq!(
            (cancun.local_date.as_str(), cancun.hour),
            ("2026-12-04", 21)
        );
        assert!(cancun.right_party, "the debtor answered");
        assert!(!cancun.success);
        let tijuana = increment(
            &visit(
                "2026-12-05T02:10:00Z",
                Some("America/Tijuana"),
                "MESSAGE_LEFT",
            ),
            &utc,
        );
        assert_eq!(
            (tijuana.local_date.as_str(), tijuana.hour),
            ("2026-12-04", 18)
        );
        assert!(!tijuana.right_party);
    }

    #[test]
    fn missing_zone_falls_back() {
        let cdmx = ronda_domain::portfolio::bundled_zone("America/Mexico_City").expect("zone");
        let unknown = increment(&visit("2026-12-04T23:30:00Z", None, "PTP"), &cdmx);
        assert_eq!(unknown.hour, 17);
        let bad = increment(
            &visit("2026-12-04T23:30:00Z", Some("Mars/Olympus"), "PTP"),
            &cdmx,
        );
        assert_eq!(bad.hour, 17);
    }

    #[test]
    fn increment_carries_report_dimensions() {
        let mut doubtful = visit("2026-12-04T18:00:00Z", None, "PTP");
        doubtful.verdict = "doubtful".into();
        doubtful.verdict_reasons =
            r#"[{"code":"track_near","near_points":2,"dwell_s":30.0},{"code":"stale_fix","fix_age_ms":900000}]"#
                .into();
        let added = increment(&doubtful, &TimeZone::UTC);
        assert_eq!(added.zone_state, "Ciudad de México");
        assert_eq!(added.zone_municipality, "");
        assert_eq!(added.result_code, "PTP");
        assert_eq!(added.verdict, "doubtful");
        assert_eq!(added.reason_class, "device");
    }

    #[test]
    fn verified_visit_has_no_reason_class() {
        let mut verified = visit("2026-12-04T18:00:00Z", None, "PTP");
        verified.verdict_reasons = r#"[{"code":"unknown_time_zone","assumed":"UTC"}]"#.into();
        assert_eq!(increment(&verified, &TimeZone::UTC).reason_class, "");
        assert_eq!(reason_class("not json"), "");
        assert_eq!(reason_class(r#"[{"code":"too_far"}]"#), "location");
    }

    #[test]
    fn catalogue_class_wins_over_default() {
        let mut custom = visit("2026-12-04T18:00:00Z", None, "PTP");
        custom.result_class = Some("reach".into());
        assert!(!increment(&custom, &TimeZone::UTC).right_party);
    }
    #[test]
    fn attempt_uses_channel_and_zone() {
        let attempt = PendingAttempt {
            attempt_id: Uuid::new_v4(),
            organization_id: OrganizationId::new(),
            recorded_by: UserId::new(),
            lender_id: Uuid::new_v4(),
            portfolio_id: Uuid::new_v4(),
            occurred_at: "2026-12-04T23:30:00Z".parse().expect("timestamp"),
            time_zone: Some("America/Cancun".into()),
            zone_state: Some("Quintana Roo".into()),
            zone_municipality: None,
            channel: ronda_store::contact::ContactChannel::Whatsapp,
            result_code: "PTP".into(),
            result_class: None,
            promise_amount_cents: Some(50_000),
        };
        let added = attempt_increment(&attempt, &TimeZone::UTC);
        assert_eq!(
            added.source,
            RollupSource::ContactAttempt(attempt.attempt_id)
        );
        assert_eq!(added.channel, "whatsapp");
        assert_eq!((added.local_date.as_str(), added.hour), ("2026-12-04", 18));
        assert_eq!(added.agent_id, attempt.recorded_by);
        assert_eq!(added.verdict, "none");
        assert_eq!(added.zone_state, "Quintana Roo");
        assert!(added.success);
        assert_eq!(added.promise_cents, Some(50_000));
    }
}
