//! Agents' days: the summary of a day's positions (distance, stops, counts), and the
//! retention job that keeps summaries while it deletes raw positions past their time.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use ronda_domain::tracking::{Coordinates, TrackPoint, TripConfig, summarize_day};
use ronda_domain::{OrganizationId, UserId};
use ronda_store::tracking::history::{DaySummaryRecord, SummaryStop};
use ronda_store::tracking::{Position, PositionStatus};
use ronda_store::{Store, StoreResult};

/// The instants where `day` starts and ends in `zone`.
pub fn day_bounds(day: Date, zone: &TimeZone) -> Result<(Timestamp, Timestamp), jiff::Error> {
    let start = day.to_zoned_datetime(zone.clone())?.timestamp();
    let end = day.tomorrow()?.to_zoned_datetime(zone.clone())?.timestamp();
    Ok((start, end))
}

/// Summarizes the positions of one agent's day. Only accepted positions count towards
/// distance and stops; flagged ones are counted apart.
pub fn summarize(
    org: OrganizationId,
    agent: UserId,
    day: Date,
    zone: &TimeZone,
    positions: &[Position],
    now: Timestamp,
) -> DaySummaryRecord {
    let accepted: Vec<TrackPoint> = positions
        .iter()
        .filter(|position| position.status == PositionStatus::Accepted)
        .filter_map(track_point)
        .collect();
    let summary = summarize_day(&accepted, &TripConfig::default());
    let stops = summary
        .stops
        .iter()
        .map(|stop| SummaryStop {
            start: stop.start.as_millisecond(),
            end: stop.end.as_millisecond(),
            latitude: stop.centre.latitude,
            longitude: stop.centre.longitude,
            point_count: stop.point_count as u64,
        })
        .collect();
    DaySummaryRecord {
        organization_id: org,
        agent_id: agent,
        day: day.to_string(),
        time_zone: zone.iana_name().unwrap_or("UTC").to_owned(),
        distance_m: summary.distance_m,
        stops,
        accepted_count: accepted.len() as u64,
        flagged_count: (positions.len() - accepted.len()) as u64,
        first_fix_time: accepted.iter().map(|point| point.time).min(),
        last_fix_time: accepted.iter().map(|point| point.time).max(),
        summarized_at: now,
    }
}

fn track_point(position: &Position) -> Option<TrackPoint> {
    Some(TrackPoint {
        time: position.fix_time,
        coordinates: Coordinates {
            latitude: position.fix.latitude?,
            longitude: position.fix.longitude?,
        },
        accuracy_m: position.fix.accuracy_m,
    })
}

/// Adds a later summary of the same day to an earlier one, for positions that arrived
/// after their day was already summarized and deleted.
fn merge(earlier: DaySummaryRecord, later: DaySummaryRecord) -> DaySummaryRecord {
    let mut stops = earlier.stops;
    stops.extend(later.stops);
    stops.sort_by_key(|stop| stop.start);
    DaySummaryRecord {
        distance_m: earlier.distance_m + later.distance_m,
        stops,
        accepted_count: earlier.accepted_count + later.accepted_count,
        flagged_count: earlier.flagged_count + later.flagged_count,
        first_fix_time: earlier
            .first_fix_time
            .into_iter()
            .chain(later.first_fix_time)
            .min(),
        last_fix_time: earlier
            .last_fix_time
            .into_iter()
            .chain(later.last_fix_time)
            .max(),
        ..later
    }
}

/// What one retention run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct RetentionRun {
    pub days_summarized: u64,
    pub positions_deleted: u64,
}

/// Deletes positions from before the start of the day `retention_days` ago in `zone`,
/// one agent-day at a time, each after its summary is stored. A failure leaves the
/// positions of the failed day in place, so the next run summarizes them again.
pub async fn apply_retention(
    store: &dyn Store,
    retention_days: u32,
    zone: &TimeZone,
    now: Timestamp,
) -> StoreResult<RetentionRun> {
    let mut run = RetentionRun::default();
    if retention_days == 0 {
        return Ok(run);
    }
    let today = now.to_zoned_datetime(zone.clone()).date();
    let Some(cutoff) = today
        .checked_sub(i64::from(retention_days).days())
        .ok()
        .and_then(|day| day_bounds(day, zone).ok())
        .map(|(start, _)| start)
    else {
        return Ok(run);
    };
    loop {
        let backlog = store.agents_with_positions_before(cutoff).await?;
        if backlog.is_empty() {
            return Ok(run);
        }
        for agent in backlog {
            let day = agent.oldest_fix_time.to_zoned_datetime(zone.clone()).date();
            let Ok((start, end)) = day_bounds(day, zone) else {
                continue;
            };
            let end = end.min(cutoff);
            let (org, agent_id) = (agent.organization_id, agent.agent_id);
            let positions = store
                .agent_positions(org, agent_id, Timestamp::MIN, end)
                .await?;
            let summary = summarize(org, agent_id, day, zone, &positions, now);
            let summary = match store.day_summary(org, agent_id, &summary.day).await? {
                Some(earlier) => merge(earlier, summary),
                None => summary,
            };
            store.upsert_day_summary(&summary).await?;
            run.days_summarized += 1;
            run.positions_deleted += store
                .delete_agent_positions_before(org, agent_id, end)
                .await?;
            tracing::debug!(org.id = %org.0, agent.id = %agent_id.0, day = %day, start = %start,
                "summarized and deleted a day of positions");
        }
    }
}
