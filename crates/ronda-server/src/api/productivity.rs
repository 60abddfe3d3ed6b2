//! The agent productivity report, read from per-agent daily rollups and stored promise
//! outcomes, and the period filter it shares with the funnel report.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use ronda_domain::{Role, UserId};
use ronda_store::report::ReportFilter;
use ronda_store::report::productivity::AgentProductivity;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::notifications::require_role;
use crate::api::reports::rate;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody, InputProblem};
use crate::state::AppState;

/// Days a report covers when `from` is absent.
const DEFAULT_DAYS: i32 = 28;
/// Maximum number of days a report may cover.
const MAX_DAYS: i32 = 366;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/reports/productivity", get(productivity))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct PeriodQuery {
    /// First local day, `YYYY-MM-DD`; 28 days before `to` when absent.
    pub from: Option<String>,
    /// Last local day, `YYYY-MM-DD`, included; today when absent.
    pub to: Option<String>,
    pub lender_id: Option<String>,
    pub portfolio_id: Option<String>,
    /// Ignored by the funnel, which counts accounts.
    pub agent_id: Option<String>,
}

fn parse_date(field: &'static str, value: &str) -> Result<Date, ApiError> {
    value.trim().parse::<Date>().map_err(|_| {
        ApiError::invalid(
            field,
            InputProblem::Explained {
                es: format!("«{field}» debe ser una fecha AAAA-MM-DD, por ejemplo 2026-12-01."),
                en: format!("\"{field}\" must be a date YYYY-MM-DD, such as 2026-12-01."),
            },
        )
    })
}

fn parse_uuid(field: &'static str, value: Option<&str>) -> Result<Option<Uuid>, ApiError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => Uuid::parse_str(text)
            .map(Some)
            .map_err(|_| ApiError::invalid(field, InputProblem::NotAnId)),
    }
}

fn present(value: Option<&str>) -> Option<&str> {
    value.filter(|text| !text.trim().is_empty())
}

/// Reads the period and filters, with `today` as the default end. Returns the first and
/// last day too, for callers that need the period as instants.
pub(crate) fn parse_period(
    query: &PeriodQuery,
    today: Date,
) -> Result<(Date, Date, ReportFilter), ApiError> {
    let to = match present(query.to.as_deref()) {
        Some(value) => parse_date("to", value)?,
        None => today,
    };
    let from = match present(query.from.as_deref()) {
        Some(value) => parse_date("from", value)?,
        None => to.saturating_sub((DEFAULT_DAYS - 1).days()),
    };
    let span = (to - from).get_days();
    if span < 0 {
        return Err(ApiError::invalid(
            "from",
            InputProblem::Explained {
                es: "«from» no puede ser posterior a «to». Cambia el periodo.".into(),
                en: "\"from\" cannot be after \"to\". Change the period.".into(),
            },
        ));
    }
    if span >= MAX_DAYS {
        return Err(ApiError::invalid(
            "from",
            InputProblem::Explained {
                es: format!("El periodo puede abarcar a lo más {MAX_DAYS} días. Acórtalo."),
                en: format!("The period can cover at most {MAX_DAYS} days. Shorten it."),
            },
        ));
    }
    let filter = ReportFilter {
        from: from.to_string(),
        to: to.to_string(),
        lender_id: parse_uuid("lender_id", query.lender_id.as_deref())?,
        portfolio_id: parse_uuid("portfolio_id", query.portfolio_id.as_deref())?,
        agent_id: parse_uuid("agent_id", query.agent_id.as_deref())?.map(UserId),
        ..ReportFilter::default()
    };
    Ok((from, to, filter))
}

/// Checks the caller's role, reads the period, and brings the rollups, distances and
/// promise outcomes up to date.
pub(crate) async fn prepare(
    state: &AppState,
    principal: &Principal,
    query: &PeriodQuery,
) -> Result<(Date, Date, ReportFilter), ApiError> {
    require_role(principal, &[Role::Admin, Role::Supervisor, Role::Viewer])?;
    let zone = &state.settings().tracking_time_zone;
    let today = Timestamp::now().to_zoned_datetime(zone.clone()).date();
    let period = parse_period(query, today)?;
    crate::productivity::catch_up(state.store(), zone).await?;
    Ok(period)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgentProductivityView {
    pub agent_id: Uuid,
    pub agent_name: String,
    /// Days with at least one visit.
    pub days: i64,
    pub visits: i64,
    pub visits_per_day: f64,
    /// Distance travelled on the days with visits, in kilometres.
    pub distance_km: f64,
    /// Mean time between consecutive visits of a day, in minutes; `null` with fewer
    /// than two visits on every day.
    pub minutes_between_visits: Option<f64>,
    pub verified: i64,
    /// `verified / visits`.
    pub verified_share: f64,
    /// Visits that reached the debtor or a guarantor.
    pub right_party: i64,
    /// `right_party / visits`.
    pub contact_rate: f64,
    pub promises: i64,
    pub promised_cents: i64,
    pub promises_kept: i64,
    pub promises_broken: i64,
    pub promises_pending: i64,
    pub kept_cents: i64,
    /// `promises_kept / (promises_kept + promises_broken)`: pending promises are left out.
    pub kept_rate: f64,
}

impl From<AgentProductivity> for AgentProductivityView {
    fn from(row: AgentProductivity) -> Self {
        let minutes = (row.visit_gaps > 0)
            .then(|| row.visit_span_ms as f64 / row.visit_gaps as f64 / 60_000.0);
        Self {
            agent_id: row.agent_id.0,
            agent_name: row.agent_name,
            days: row.days,
            visits: row.visits,
            visits_per_day: rate(row.visits, row.days),
            distance_km: row.distance_m / 1000.0,
            minutes_between_visits: minutes,
            verified: row.verified,
            verified_share: rate(row.verified, row.visits),
            right_party: row.right_party,
            contact_rate: rate(row.right_party, row.visits),
            promises: row.promises,
            promised_cents: row.promised_cents,
            promises_kept: row.promises_kept,
            promises_broken: row.promises_broken,
            promises_pending: row.promises_pending,
            kept_cents: row.kept_cents,
            kept_rate: rate(row.promises_kept, row.promises_kept + row.promises_broken),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductivityReport {
    pub from: String,
    pub to: String,
    /// Agents with visits in the period, by name.
    pub agents: Vec<AgentProductivityView>,
}

/// Returns each agent's visits, distance, time between visits, verified share, contact
/// rate and promises over a period.
#[utoipa::path(get, path = "/api/reports/productivity", tag = "reports", params(PeriodQuery),
    responses((status = 200, body = ProductivityReport), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn productivity(
    State(state): State<AppState>,
    principal: Principal,
    Query(query): Query<PeriodQuery>,
) -> Result<Json<ProductivityReport>, ApiError> {
    let (_, _, filter) = prepare(&state, &principal, &query).await?;
    let rows = state
        .store()
        .productivity(principal.organization_id, &filter)
        .await?;
    Ok(Json(ProductivityReport {
        from: filter.from,
        to: filter.to,
        agents: rows.into_iter().map(AgentProductivityView::from).collect(),
    }))
}
