//! The portfolio funnel: of the accounts assigned during a period, how many were visited,
//! contacted (right party), promised and paid.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use ronda_store::report::productivity::FunnelFilter;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::productivity::{PeriodQuery, prepare};
use crate::api::reports::rate;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use crate::tracking::history::day_bounds;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/reports/funnel", get(funnel))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FunnelStage {
    /// `assigned`, `visited`, `contacted`, `promised` or `paid`.
    pub stage: &'static str,
    pub accounts: i64,
    /// Share of the stage before; 1 for `assigned`.
    pub rate_from_previous: f64,
    /// Share of the assigned accounts.
    pub rate_from_assigned: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FunnelReport {
    pub from: String,
    pub to: String,
    /// Each stage counts the accounts of the stage before that also reached it.
    pub stages: Vec<FunnelStage>,
    /// Assigned accounts with a payment in the period, whether visited or not.
    pub paid_any: i64,
}

/// Counts the accounts assigned in a period at each stage: visited, contacted (right
/// party), promised and paid within the same period.
#[utoipa::path(get, path = "/api/reports/funnel", tag = "reports", params(PeriodQuery),
    responses((status = 200, body = FunnelReport), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn funnel(
    State(state): State<AppState>,
    principal: Principal,
    Query(query): Query<PeriodQuery>,
) -> Result<Json<FunnelReport>, ApiError> {
    let (from, to, filter) = prepare(&state, &principal, &query).await?;
    let zone = &state.settings().tracking_time_zone;
    let (start, _) = day_bounds(from, zone).map_err(ApiError::internal)?;
    let (_, end) = day_bounds(to, zone).map_err(ApiError::internal)?;
    let funnel_filter = FunnelFilter {
        from: filter.from,
        to: filter.to,
        from_ms: start.as_millisecond(),
        to_ms: end.as_millisecond(),
        lender_id: filter.lender_id,
        portfolio_id: filter.portfolio_id,
    };
    let counts = state
        .store()
        .funnel(principal.organization_id, &funnel_filter)
        .await?;
    let ordered = [
        ("assigned", counts.assigned),
        ("visited", counts.visited),
        ("contacted", counts.contacted),
        ("promised", counts.promised),
        ("paid", counts.paid),
    ];
    let mut previous = counts.assigned;
    let stages = ordered
        .into_iter()
        .map(|(stage, accounts)| {
            let stage_view = FunnelStage {
                stage,
                accounts,
                rate_from_previous: rate(accounts, previous),
                rate_from_assigned: rate(accounts, counts.assigned),
            };
            previous = accounts;
            stage_view
        })
        .collect();
    Ok(Json(FunnelReport {
        from: funnel_filter.from,
        to: funnel_filter.to,
        stages,
        paid_any: counts.paid_any,
    }))
}
