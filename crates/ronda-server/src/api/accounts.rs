//! The accounts list.

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use ronda_domain::Permission;
use ronda_store::portfolio::{AccountQuery, AccountSummary};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::parse_id;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody, InputProblem};
use crate::state::AppState;

const MAX_PER_PAGE: i64 = 200;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/accounts", get(list_accounts))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AccountsParams {
    portfolio_id: Option<String>,
    /// Searches the lender's account id and the debtor's name.
    q: Option<String>,
    /// From 1; 1 when absent.
    page: Option<String>,
    /// From 1 to 200; 50 when absent.
    per_page: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccountView {
    pub id: Uuid,
    pub lender_account_id: String,
    pub debtor_name: String,
    pub lender_name: String,
    pub portfolio_name: String,
    pub overdue_cents: Option<i64>,
    pub days_past_due: Option<i32>,
    pub currency: String,
    pub address_text: String,
    pub postal_code: Option<String>,
    pub municipality: Option<String>,
    pub state: Option<String>,
    pub time_zone: Option<String>,
    /// The address has no point yet: a supervisor must pin it on the map.
    pub needs_pin: bool,
}

impl From<AccountSummary> for AccountView {
    fn from(a: AccountSummary) -> Self {
        Self {
            id: a.id,
            lender_account_id: a.lender_account_id,
            debtor_name: a.debtor_name,
            lender_name: a.lender_name,
            portfolio_name: a.portfolio_name,
            overdue_cents: a.overdue_cents,
            days_past_due: a.days_past_due,
            currency: a.currency,
            address_text: a.address_text,
            postal_code: a.postal_code,
            municipality: a.municipality,
            state: a.state,
            time_zone: a.time_zone,
            needs_pin: a.needs_pin,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccountPage {
    pub accounts: Vec<AccountView>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

fn parse_bounded(
    field: &'static str,
    value: Option<&str>,
    default: i64,
    max: i64,
) -> Result<i64, ApiError> {
    match value.map(str::trim) {
        None | Some("") => Ok(default),
        Some(text) => match text.parse::<i64>() {
            Ok(number) if (1..=max).contains(&number) => Ok(number),
            _ => Err(ApiError::invalid(
                field,
                InputProblem::OutOfRange { min: 1, max },
            )),
        },
    }
}

/// Lists accounts, filtered by portfolio and search text, a page at a time.
#[utoipa::path(get, path = "/api/accounts", tag = "portfolios", params(AccountsParams),
    responses((status = 200, body = AccountPage), (status = 422, body = ErrorBody)))]
pub async fn list_accounts(
    State(state): State<AppState>,
    principal: Principal,
    Query(params): Query<AccountsParams>,
) -> Result<Json<AccountPage>, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    let portfolio_id = params
        .portfolio_id
        .as_deref()
        .filter(|v| !v.is_empty())
        .map(|v| parse_id("portfolio_id", v))
        .transpose()?;
    let page = parse_bounded("page", params.page.as_deref(), 1, 1_000_000)?;
    let per_page = parse_bounded("per_page", params.per_page.as_deref(), 50, MAX_PER_PAGE)?;
    let query = AccountQuery {
        portfolio_id,
        search: params.q.filter(|q| !q.trim().is_empty()),
        limit: per_page as u32,
        offset: ((page - 1) * per_page) as u64,
    };
    let (accounts, total) = state
        .store()
        .accounts(principal.organization_id, &query)
        .await?;
    Ok(Json(AccountPage {
        accounts: accounts.into_iter().map(AccountView::from).collect(),
        total,
        page,
        per_page,
    }))
}
