//! The promises to pay of the whole organization, across accounts, for supervisors:
//! filtered by status, lender, portfolio, agent, origin and due date, one page at a time.
//! Admins, supervisors and viewers read; agents get 403.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use ronda_domain::{Permission, UserId};
use ronda_store::payment::{PromiseListEntry, PromiseQuery, PromiseStatus};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::PromiseOutcomeView;
use crate::api::query_params::{self, non_empty, parse_day, parse_uuid};
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

const DEFAULT_PAGE: u32 = 100;
const MAX_PAGE: u32 = 500;
const STATUSES: [(&str, PromiseStatus); 3] = [
    ("pending", PromiseStatus::Pending),
    ("kept", PromiseStatus::Kept),
    ("broken", PromiseStatus::Broken),
];
const SOURCES: [&str; 5] = ["visit", "phone", "email", "sms", "whatsapp"];

#[derive(Debug, Deserialize, IntoParams)]
pub struct PromiseListQuery {
    /// `pending`, `kept` or `broken`.
    status: Option<String>,
    lender_id: Option<String>,
    portfolio_id: Option<String>,
    /// The visiting agent or the user who recorded the contact.
    agent_id: Option<String>,
    /// `visit`, `phone`, `email`, `sms` or `whatsapp`.
    source: Option<String>,
    /// First due date, `YYYY-MM-DD`, inclusive.
    from: Option<String>,
    /// Last due date, `YYYY-MM-DD`, inclusive.
    to: Option<String>,
    /// Page size, 1 to 500; 100 when absent.
    limit: Option<String>,
    /// Rows to skip: the `next_offset` of the previous page; 0 when absent.
    offset: Option<String>,
}

/// One promise to pay in the organization's list.
#[derive(Debug, Serialize, ToSchema)]
pub struct PromiseListItem {
    #[serde(flatten)]
    pub outcome: PromiseOutcomeView,
    /// Set when a field visit made the promise.
    pub visit_id: Option<Uuid>,
    /// Set when a hand-recorded contact attempt made the promise.
    pub contact_attempt_id: Option<Uuid>,
    pub account_id: Uuid,
    /// The lender's account number (número de crédito).
    pub lender_account_id: String,
    pub debtor_name: Option<String>,
    pub lender_id: Uuid,
    pub lender_name: String,
    pub portfolio_id: Uuid,
    /// The visiting agent, or the user who recorded the contact attempt.
    #[schema(value_type = Uuid)]
    pub agent_id: UserId,
    pub agent_name: Option<String>,
    /// The promised date, `YYYY-MM-DD`, before the grace days.
    pub promised_on: String,
}

impl From<PromiseListEntry> for PromiseListItem {
    fn from(entry: PromiseListEntry) -> Self {
        let outcome = entry.outcome;
        Self {
            visit_id: outcome.visit_id,
            contact_attempt_id: outcome.contact_attempt_id,
            account_id: outcome.account_id,
            lender_account_id: outcome.lender_account_id.clone(),
            debtor_name: entry.debtor_name,
            lender_id: entry.lender_id,
            lender_name: entry.lender_name,
            portfolio_id: entry.portfolio_id,
            agent_id: outcome.agent_id,
            agent_name: entry.agent_name,
            promised_on: outcome.promised_on.clone(),
            outcome: PromiseOutcomeView::from(outcome),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PromisePage {
    pub promises: Vec<PromiseListItem>,
    /// Pass as `offset` to read the next page; absent on the last page.
    pub next_offset: Option<u32>,
}

/// Lists the organization's promises to pay, latest due date first.
#[utoipa::path(get, path = "/api/promises", tag = "payments", params(PromiseListQuery),
    responses((status = 200, body = PromisePage),
        (status = 422, body = ErrorBody, description = "A parameter is invalid; `field` names it"),
        (status = 403, body = ErrorBody)))]
pub async fn list_promises(
    State(state): State<AppState>,
    principal: Principal,
    Query(query): Query<PromiseListQuery>,
) -> Result<Json<PromisePage>, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    let mut filters = parse_query(&query)?;
    // Reading one row past the page shows whether a next page exists.
    let limit = filters.limit as usize;
    filters.limit += 1;
    let mut rows = state
        .store()
        .promises(principal.organization_id, &filters)
        .await?;
    let next_offset = (rows.len() > limit).then(|| filters.offset + limit as u32);
    rows.truncate(limit);
    Ok(Json(PromisePage {
        promises: rows.into_iter().map(PromiseListItem::from).collect(),
        next_offset,
    }))
}

/// Status of a bad query parameter of the promises list.
const STATUS: StatusCode = StatusCode::UNPROCESSABLE_ENTITY;

/// Builds a 422 response that names the query parameter and explains the fix.
fn bad_parameter(name: &str, es: String, en: String) -> ApiError {
    query_params::bad_parameter(STATUS, name, es, en)
}

fn parse_query(query: &PromiseListQuery) -> Result<PromiseQuery, ApiError> {
    let status = match non_empty(query.status.as_deref()) {
        None => None,
        Some(value) => Some(
            STATUSES
                .iter()
                .find(|(name, _)| *name == value)
                .map(|(_, status)| *status)
                .ok_or_else(|| one_of("status", value, &["pending", "kept", "broken"]))?,
        ),
    };
    let source = non_empty(query.source.as_deref());
    if let Some(value) = source
        && !SOURCES.contains(&value)
    {
        return Err(one_of("source", value, &SOURCES));
    }
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
    Ok(PromiseQuery {
        status,
        lender_id: parse_uuid(STATUS, "lender_id", query.lender_id.as_deref())?,
        portfolio_id: parse_uuid(STATUS, "portfolio_id", query.portfolio_id.as_deref())?,
        agent_id: parse_uuid(STATUS, "agent_id", query.agent_id.as_deref())?.map(UserId),
        source: source.map(str::to_owned),
        due_from: from.map(|day| day.to_string()),
        due_to: to.map(|day| day.to_string()),
        offset: parse_number("offset", query.offset.as_deref(), 0, 0..=u32::MAX / 2)?,
        limit: parse_number("limit", query.limit.as_deref(), DEFAULT_PAGE, 1..=MAX_PAGE)?,
    })
}

fn one_of(name: &str, value: &str, allowed: &[&str]) -> ApiError {
    let allowed = allowed.join(", ");
    bad_parameter(
        name,
        format!("«{name}» no acepta «{value}». Usa uno de: {allowed}."),
        format!("\"{name}\" does not accept \"{value}\". Use one of: {allowed}."),
    )
}

fn parse_number(
    name: &str,
    value: Option<&str>,
    default: u32,
    range: std::ops::RangeInclusive<u32>,
) -> Result<u32, ApiError> {
    let Some(value) = non_empty(value) else {
        return Ok(default);
    };
    match value.parse::<u32>() {
        Ok(number) if range.contains(&number) => Ok(number),
        _ => {
            let (low, high) = (range.start(), range.end());
            Err(bad_parameter(
                name,
                format!(
                    "«{name}» debe ser un número entero de {low} a {high}; se recibió «{value}»."
                ),
                format!("\"{name}\" must be a whole number from {low} to {high}; got \"{value}\"."),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_bounds() {
        let limit = |value| parse_number("limit", value, DEFAULT_PAGE, 1..=MAX_PAGE);
        assert_eq!(limit(None).expect("default"), 100);
        assert_eq!(limit(Some("500")).expect("max"), 500);
        for bad in ["0", "501", "-1", "diez"] {
            assert!(limit(Some(bad)).is_err(), "{bad}");
        }
    }
}
