//! The console's visits: a filtered list, each visit's evidence (see `visits_detail`),
//! its files, and the decision on a proposed pin correction (see `visits_pin`).
//! Admins, supervisors and viewers read; agents get 403.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use jiff::Timestamp;
use jiff::civil::Date;
use ronda_domain::{Permission, UserId};
use ronda_store::visit::review::{PinState, VisitQuery, VisitSummary};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{visits_detail, visits_pin};
use crate::api::query_params::{self, non_empty, parse_day, parse_uuid};
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use crate::tracking::history::day_bounds;

const DEFAULT_PAGE: u32 = 50;
const MAX_PAGE: u32 = 200;
const VERDICTS: [&str; 3] = ["verified", "doubtful", "rejected"];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/visits", get(list_visits))
        .route("/api/visits/{id}", get(visits_detail::get_visit))
        .route(
            "/api/visits/{id}/attachments/{sha256}",
            get(visits_detail::get_attachment),
        )
        .route(
            "/api/visits/{id}/pin-correction",
            post(visits_pin::decide_pin_correction),
        )
}

/// Status of a bad query parameter of the visits list.
const STATUS: StatusCode = StatusCode::BAD_REQUEST;

/// Builds a 400 response that names the query parameter and explains the fix.
pub(crate) fn bad_parameter(name: &str, es: String, en: String) -> ApiError {
    query_params::bad_parameter(STATUS, name, es, en)
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct VisitListQuery {
    /// First day, `YYYY-MM-DD` in the server's `tracking.time_zone`.
    from: Option<String>,
    /// Last day, inclusive, `YYYY-MM-DD` in the same zone.
    to: Option<String>,
    agent_id: Option<String>,
    lender_id: Option<String>,
    portfolio_id: Option<String>,
    /// A code of the organization's result-code catalogue, such as `PTP`.
    result_code: Option<String>,
    /// `verified`, `doubtful` or `rejected`.
    verdict: Option<String>,
    /// Page size, 1 to 200; 50 when absent.
    limit: Option<String>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VisitSummaryView {
    pub id: Uuid,
    #[schema(value_type = Uuid)]
    pub agent_id: UserId,
    pub agent_name: String,
    pub account_id: Uuid,
    pub lender_account_id: String,
    pub lender_id: Uuid,
    pub lender_name: String,
    pub portfolio_id: Uuid,
    pub portfolio_name: String,
    pub debtor_name: Option<String>,
    pub address_text: String,
    /// Unix milliseconds, device clock.
    pub started_at: i64,
    /// Unix milliseconds, device clock.
    pub finished_at: i64,
    /// Unix milliseconds, server clock.
    pub received_at: i64,
    /// `complete` or `waiting_for_attachments`.
    pub status: String,
    pub result_code: Option<String>,
    pub result_label_es: Option<String>,
    pub result_label_en: Option<String>,
    /// `verified`, `doubtful` or `rejected`.
    pub verdict: String,
    /// `pin_correction` or `address_not_found`.
    pub exception: Option<String>,
    /// `pending`, `approved` or `rejected`; absent when no corrected point was proposed.
    pub pin_state: Option<String>,
    pub assigned_to_agent: bool,
}

impl From<VisitSummary> for VisitSummaryView {
    fn from(visit: VisitSummary) -> Self {
        VisitSummaryView {
            id: visit.id,
            agent_id: visit.agent_id,
            agent_name: visit.agent_name,
            account_id: visit.account_id,
            lender_account_id: visit.lender_account_id,
            lender_id: visit.lender_id,
            lender_name: visit.lender_name,
            portfolio_id: visit.portfolio_id,
            portfolio_name: visit.portfolio_name,
            debtor_name: visit.debtor_name,
            address_text: visit.address_text,
            started_at: visit.started_at.as_millisecond(),
            finished_at: visit.finished_at.as_millisecond(),
            received_at: visit.received_at.as_millisecond(),
            status: visit.status,
            result_code: visit.result_code,
            result_label_es: visit.result_label_es,
            result_label_en: visit.result_label_en,
            verdict: visit.verdict,
            exception: visit.exception,
            pin_state: visit
                .pin_state
                .map(|state| PinState::as_str(state).to_owned()),
            assigned_to_agent: visit.assigned_to_agent,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VisitPage {
    pub visits: Vec<VisitSummaryView>,
    /// Pass as `cursor` to read the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Lists the organization's visits, newest first, filtered by day, agent, lender,
/// portfolio, result code and verdict.
#[utoipa::path(get, path = "/api/visits", tag = "visits", params(VisitListQuery),
    responses((status = 200, body = VisitPage),
        (status = 400, body = ErrorBody, description = "A parameter is invalid; `field` names it"),
        (status = 403, body = ErrorBody)))]
pub async fn list_visits(
    State(state): State<AppState>,
    principal: Principal,
    Query(query): Query<VisitListQuery>,
) -> Result<Json<VisitPage>, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    let org = principal.organization_id;
    let mut filters = parse_filters(&state, &query)?;
    if let Some(code) = &filters.result_code {
        let catalogue = state.store().result_codes(org).await?;
        if !catalogue.iter().any(|entry| &entry.code == code) {
            let codes: Vec<&str> = catalogue.iter().map(|entry| entry.code.as_str()).collect();
            let codes = codes.join(", ");
            return Err(bad_parameter(
                "result_code",
                format!("«{code}» no es una tipificación de la organización. Usa una de: {codes}."),
                format!(
                    "\"{code}\" is not one of the organization's result codes. Use one of: {codes}."
                ),
            ));
        }
    }
    // Reading one row past the page shows whether a next page exists.
    let limit = filters.limit;
    filters.limit += 1;
    let mut visits = state.store().visits(org, &filters).await?;
    let next_cursor = if visits.len() > limit as usize {
        visits.truncate(limit as usize);
        visits.last().map(encode_cursor)
    } else {
        None
    };
    Ok(Json(VisitPage {
        visits: visits.into_iter().map(VisitSummaryView::from).collect(),
        next_cursor,
    }))
}

fn parse_filters(state: &AppState, query: &VisitListQuery) -> Result<VisitQuery, ApiError> {
    // NOTE: organizations have no time zone of their own yet, so days are read in the
    // server's `tracking.time_zone`, as agents' days are.
    let zone = &state.settings().tracking_time_zone;

    let from = parse_day(STATUS, "from", query.from.as_deref())?;
    let to = parse_day(STATUS, "to", query.to.as_deref())?;
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        return Err(bad_parameter(
            "to",
            format!("«to» ({to}) es anterior a «from» ({from}). Usa un «to» igual o posterior."),
            format!("\"to\" ({to}) is before \"from\" ({from}). Use a \"to\" on or after it."),
        ));
    }
    let bounds_of = |day: Date| day_bounds(day, zone).map_err(ApiError::internal);

    let verdict = non_empty(query.verdict.as_deref());
    if let Some(verdict) = verdict
        && !VERDICTS.contains(&verdict)
    {
        return Err(bad_parameter(
            "verdict",
            format!("«{verdict}» no es un veredicto. Usa verified, doubtful o rejected."),
            format!("\"{verdict}\" is not a verdict. Use verified, doubtful or rejected."),
        ));
    }

    Ok(VisitQuery {
        finished_from: from
            .map(|day| bounds_of(day).map(|(start, _)| start))
            .transpose()?,
        finished_before: to
            .map(|day| bounds_of(day).map(|(_, end)| end))
            .transpose()?,
        agent_id: parse_uuid(STATUS, "agent_id", query.agent_id.as_deref())?.map(UserId),
        lender_id: parse_uuid(STATUS, "lender_id", query.lender_id.as_deref())?,
        portfolio_id: parse_uuid(STATUS, "portfolio_id", query.portfolio_id.as_deref())?,
        result_code: non_empty(query.result_code.as_deref()).map(str::to_owned),
        verdict: verdict.map(str::to_owned),
        after: parse_cursor(query.cursor.as_deref())?,
        limit: parse_limit(query.limit.as_deref())?,
    })
}

fn parse_limit(value: Option<&str>) -> Result<u32, ApiError> {
    let Some(value) = non_empty(value) else {
        return Ok(DEFAULT_PAGE);
    };
    match value.parse::<u32>() {
        Ok(limit) if (1..=MAX_PAGE).contains(&limit) => Ok(limit),
        _ => Err(bad_parameter(
            "limit",
            format!("«limit» debe ser un número entero de 1 a {MAX_PAGE}; se recibió «{value}»."),
            format!("\"limit\" must be a whole number from 1 to {MAX_PAGE}; got \"{value}\"."),
        )),
    }
}

/// Encodes the keyset of the last visit of a page as `FINISHED_AT_MS_ID`.
fn encode_cursor(visit: &VisitSummary) -> String {
    format!("{}_{}", visit.finished_at.as_millisecond(), visit.id)
}

fn parse_cursor(value: Option<&str>) -> Result<Option<(Timestamp, Uuid)>, ApiError> {
    let Some(value) = non_empty(value) else {
        return Ok(None);
    };
    let parsed = value.split_once('_').and_then(|(ms, id)| {
        let at = Timestamp::from_millisecond(ms.parse().ok()?).ok()?;
        Some((at, Uuid::parse_str(id).ok()?))
    });
    parsed.map(Some).ok_or_else(|| {
        bad_parameter(
            "cursor",
            "«cursor» no es válido. Copia el «next_cursor» de la página anterior o quítalo para empezar desde la primera.".to_owned(),
            "\"cursor\" is invalid. Copy the previous page's \"next_cursor\", or leave it out to start from the first page.".to_owned(),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trip() {
        let id = Uuid::now_v7();
        let text = format!("1784138400000_{id}");
        let parsed = parse_cursor(Some(&text)).expect("valid").expect("present");
        assert_eq!(parsed.0.as_millisecond(), 1_784_138_400_000);
        assert_eq!(parsed.1, id);
    }

    #[test]
    fn cursor_rejects_garbage() {
        for bad in [
            "abc",
            "12_not-a-uuid",
            "_",
            "x_0190b6a0-0000-7000-8000-000000000000",
        ] {
            assert!(parse_cursor(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn limit_bounds() {
        assert_eq!(parse_limit(None).expect("default"), DEFAULT_PAGE);
        assert_eq!(parse_limit(Some("200")).expect("max"), 200);
        assert!(parse_limit(Some("0")).is_err());
        assert!(parse_limit(Some("201")).is_err());
        assert!(parse_limit(Some("-1")).is_err());
    }
}
