//! Agent locations: the live position of every agent for the console's map, and one
//! agent's day (track, stops, distance). Supervisors, admins and viewers read every agent;
//! an agent reads only their own day.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use jiff::Timestamp;
use jiff::civil::Date;
use ronda_domain::{Permission, Role, UserId};
use ronda_store::tracking::{DayVisit, LivePosition, PositionStatus};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::parse_id;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody, InputProblem};
use crate::state::AppState;
use crate::tracking::history::{day_bounds, summarize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/tracking/live", get(live_positions))
        .route("/api/tracking/agents/{id}/days/{day}", get(agent_day))
}

/// A live position older than this many minutes makes the agent stale.
pub const STALE_AFTER_MINUTES: i64 = 5;
/// A live position older than this many minutes makes the agent offline.
pub const OFFLINE_AFTER_MINUTES: i64 = 30;
/// Battery percentage below which a phone that is not charging counts as low.
pub const LOW_BATTERY_PCT: f64 = 20.0;

/// State of an agent on the live map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgentState {
    Active,
    Stale,
    Offline,
    LowBattery,
}

/// Offline takes precedence, because an old battery reading does not describe the phone now.
pub fn agent_state(position: &LivePosition, now: Timestamp) -> AgentState {
    let minutes = now.duration_since(position.fix_time).as_mins();
    if minutes >= OFFLINE_AFTER_MINUTES {
        return AgentState::Offline;
    }
    let low = position
        .battery_pct
        .is_some_and(|pct| pct < LOW_BATTERY_PCT)
        && position.charging != Some(true);
    if low {
        AgentState::LowBattery
    } else if minutes >= STALE_AFTER_MINUTES {
        AgentState::Stale
    } else {
        AgentState::Active
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LiveAgent {
    #[schema(value_type = Uuid)]
    pub agent_id: UserId,
    pub agent_name: String,
    pub state: AgentState,
    /// Unix milliseconds of the fix.
    pub fix_time: i64,
    /// Unix milliseconds when the server received it.
    pub received_at: i64,
    pub latitude: f64,
    pub longitude: f64,
    pub accuracy_m: Option<f64>,
    pub speed_mps: Option<f64>,
    pub battery_pct: Option<f64>,
    pub charging: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LiveAgents {
    /// Unix milliseconds of the server's clock when the list was made.
    pub server_time: i64,
    pub agents: Vec<LiveAgent>,
}

/// Lists every agent's newest accepted position with the agent's state.
#[utoipa::path(get, path = "/api/tracking/live", tag = "tracking",
    responses((status = 200, body = LiveAgents), (status = 403, body = ErrorBody)))]
pub async fn live_positions(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<LiveAgents>, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    let org = principal.organization_id;
    let store = state.store();
    let users = store.users(org).await?;
    let now = Timestamp::now();
    let agents = store
        .live_positions(org)
        .await?
        .into_iter()
        .map(|position| LiveAgent {
            agent_id: position.agent_id,
            agent_name: users
                .iter()
                .find(|user| user.id == position.agent_id)
                .map(|user| user.name.to_string())
                .unwrap_or_default(),
            state: agent_state(&position, now),
            fix_time: position.fix_time.as_millisecond(),
            received_at: position.received_at.as_millisecond(),
            latitude: position.latitude,
            longitude: position.longitude,
            accuracy_m: position.accuracy_m,
            speed_mps: position.speed_mps,
            battery_pct: position.battery_pct,
            charging: position.charging,
        })
        .collect();
    Ok(Json(LiveAgents {
        server_time: now.as_millisecond(),
        agents,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TrackPointView {
    /// Unix milliseconds of the fix.
    pub fix_time: i64,
    pub latitude: f64,
    pub longitude: f64,
    pub accuracy_m: Option<f64>,
    /// Flag reason, such as `impossible_speed`, or absent when accepted.
    pub flag_reason: Option<String>,
}

/// A flagged point of the day that carries no usable coordinates, so the map cannot
/// draw it.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnlocatedPointView {
    /// Unix milliseconds of the fix.
    pub fix_time: i64,
    /// Flag reason, such as `missing_location`.
    pub flag_reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StopView {
    pub start: i64,
    pub end: i64,
    pub latitude: f64,
    pub longitude: f64,
    pub point_count: u64,
}

/// A visit the agent finished that day.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = AgentDayVisitView)]
pub struct DayVisitView {
    pub visit_id: uuid::Uuid,
    /// Unix milliseconds when the agent opened the visit.
    pub started_at: i64,
    /// Unix milliseconds when the agent finished it.
    pub finished_at: i64,
    pub account_id: uuid::Uuid,
    /// The account number the lender uses.
    pub lender_account_id: String,
    pub lender_name: String,
    pub debtor_name: Option<String>,
    /// Result code from the organization's catalogue, or absent when none was recorded.
    pub result_code: Option<String>,
    /// `verified`, `doubtful` or `rejected`.
    pub verdict: String,
    /// `complete` or `waiting_for_attachments`.
    pub status: String,
    /// Phone position at check-in.
    pub checkin_latitude: f64,
    pub checkin_longitude: f64,
    pub checkin_accuracy_m: f64,
}

impl From<DayVisit> for DayVisitView {
    fn from(visit: DayVisit) -> Self {
        Self {
            visit_id: visit.id,
            started_at: visit.started_at.as_millisecond(),
            finished_at: visit.finished_at.as_millisecond(),
            account_id: visit.account_id,
            lender_account_id: visit.lender_account_id,
            lender_name: visit.lender_name,
            debtor_name: visit.debtor_name,
            result_code: visit.result_code,
            verdict: visit.verdict,
            status: visit.status,
            checkin_latitude: visit.checkin_latitude,
            checkin_longitude: visit.checkin_longitude,
            checkin_accuracy_m: visit.checkin_accuracy_m,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgentDay {
    #[schema(value_type = Uuid)]
    pub agent_id: UserId,
    /// `YYYY-MM-DD` in `time_zone`.
    pub day: String,
    pub time_zone: String,
    pub distance_m: f64,
    pub stops: Vec<StopView>,
    pub accepted_count: u64,
    pub flagged_count: u64,
    /// Every stored point of the day with coordinates, oldest first. Empty once retention
    /// has deleted the day's raw positions, while the summary figures stay.
    pub track: Vec<TrackPointView>,
    /// The day's stored points without usable coordinates, oldest first. All are flagged.
    pub unlocated: Vec<UnlocatedPointView>,
    /// True when the raw positions are gone and the figures come from the stored summary.
    pub from_summary: bool,
    /// The visits the agent finished that day, oldest first. Visits are kept after
    /// retention deletes the positions.
    pub visits: Vec<DayVisitView>,
}

/// One agent's day: distance without parking creep, stops, and the track with flagged
/// points marked.
#[utoipa::path(get, path = "/api/tracking/agents/{id}/days/{day}", tag = "tracking",
    params(("id" = Uuid, Path), ("day" = String, Path, description = "YYYY-MM-DD")),
    responses((status = 200, body = AgentDay), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn agent_day(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, day)): Path<(String, String)>,
) -> Result<Json<AgentDay>, ApiError> {
    let agent = UserId(parse_id("id", &id)?);
    let own_day = principal.role == Role::Agent && principal.user_id == Some(agent);
    if !own_day {
        principal.require(Permission::ReadOrganization)?;
    }
    let day: Date = day.parse().map_err(|_| {
        ApiError::invalid(
            "day",
            InputProblem::Explained {
                es: "Escriba la fecha como AAAA-MM-DD, por ejemplo 2026-12-04.".into(),
                en: "Write the date as YYYY-MM-DD, for example 2026-12-04.".into(),
            },
        )
    })?;
    let org = principal.organization_id;
    let store = state.store();
    if store.user(org, agent).await?.is_none() {
        return Err(ApiError::not_found());
    }
    let zone = &state.settings().tracking_time_zone;
    let (start, end) = day_bounds(day, zone).map_err(ApiError::internal)?;
    let positions = store.agent_positions(org, agent, start, end).await?;
    let visits = store.agent_day_visits(org, agent, start, end).await?;
    let stored = store.day_summary(org, agent, &day.to_string()).await?;
    let from_summary = positions.is_empty() && stored.is_some();
    let summary = match stored {
        Some(summary) if from_summary => summary,
        _ => summarize(org, agent, day, zone, &positions, Timestamp::now()),
    };
    let mut track = Vec::new();
    let mut unlocated = Vec::new();
    for position in &positions {
        let flag_reason = (position.status == PositionStatus::Flagged)
            .then(|| position.flag_reason.clone())
            .flatten();
        let fix_time = position.fix_time.as_millisecond();
        let fix = position.fix.finite();
        match (fix.latitude, fix.longitude) {
            (Some(latitude), Some(longitude)) => track.push(TrackPointView {
                fix_time,
                latitude,
                longitude,
                accuracy_m: fix.accuracy_m,
                flag_reason,
            }),
            _ => unlocated.push(UnlocatedPointView {
                fix_time,
                flag_reason,
            }),
        }
    }
    Ok(Json(AgentDay {
        agent_id: agent,
        day: summary.day,
        time_zone: summary.time_zone,
        distance_m: summary.distance_m,
        stops: summary
            .stops
            .into_iter()
            .map(|stop| StopView {
                start: stop.start,
                end: stop.end,
                latitude: stop.latitude,
                longitude: stop.longitude,
                point_count: stop.point_count,
            })
            .collect(),
        accepted_count: summary.accepted_count,
        flagged_count: summary.flagged_count,
        track,
        unlocated,
        from_summary,
        visits: visits.into_iter().map(DayVisitView::from).collect(),
    }))
}
