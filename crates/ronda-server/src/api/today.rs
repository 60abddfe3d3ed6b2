//! The console's "Hoy" numbers: today's planned and finished visits by verdict, the
//! promises to pay, and where each visit checked in.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use jiff::Timestamp;
use ronda_domain::Permission;
use ronda_store::today::DaySummary;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// Visit points sent at most; a day with more shows the newest.
const MAX_POINTS: u32 = 1000;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/today", get(today))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DaySummaryView {
    /// Accounts assigned to an agent now.
    pub planned: i64,
    pub done: i64,
    pub verified: i64,
    pub doubtful: i64,
    pub rejected: i64,
    pub promises: i64,
    pub promised_cents: i64,
}

impl From<DaySummary> for DaySummaryView {
    fn from(summary: DaySummary) -> Self {
        Self {
            planned: summary.planned,
            done: summary.done,
            verified: summary.verified,
            doubtful: summary.doubtful,
            rejected: summary.rejected,
            promises: summary.promises,
            promised_cents: summary.promised_cents,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DayVisitView {
    pub visit_id: Uuid,
    pub agent_id: Uuid,
    pub agent_name: String,
    pub lender_account_id: String,
    pub latitude: f64,
    pub longitude: f64,
    /// `verified`, `doubtful` or `rejected`.
    pub verdict: String,
    /// Unix milliseconds.
    pub finished_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TodayView {
    /// Local date of the day, `YYYY-MM-DD`, in the server's tracking time zone.
    pub day: String,
    /// Start of that day, in Unix milliseconds.
    pub since: i64,
    pub summary: DaySummaryView,
    /// The day's visits at their check-in points, newest first.
    pub visits: Vec<DayVisitView>,
    /// More visits finished today than `visits` holds.
    pub visits_truncated: bool,
}

/// Returns today's counts and visit points for the caller's organization.
#[utoipa::path(get, path = "/api/today", tag = "visits",
    responses((status = 200, body = TodayView), (status = 403, body = ErrorBody)))]
pub async fn today(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<TodayView>, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    let org = principal.organization_id;
    let zone = state.settings().tracking_time_zone.clone();
    let start = Timestamp::now()
        .to_zoned_datetime(zone)
        .start_of_day()
        .map_err(ApiError::internal)?;
    let since = start.timestamp();
    let summary = state.store().today_summary(org, since).await?;
    let points = state
        .store()
        .today_visit_points(org, since, MAX_POINTS)
        .await?;
    Ok(Json(TodayView {
        day: start.date().to_string(),
        since: since.as_millisecond(),
        visits_truncated: summary.done > points.len() as i64,
        summary: summary.into(),
        visits: points
            .into_iter()
            .map(|point| DayVisitView {
                visit_id: point.visit_id,
                agent_id: point.agent_id.0,
                agent_name: point.agent_name,
                lender_account_id: point.lender_account_id,
                latitude: point.latitude,
                longitude: point.longitude,
                verdict: point.verdict,
                finished_at: point.finished_at.as_millisecond(),
            })
            .collect(),
    }))
}
