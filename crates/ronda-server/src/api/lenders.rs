//! Lenders (otorgantes) and their portfolios (carteras).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use jiff::Timestamp;
use ronda_domain::{Permission, PersonName};
use ronda_store::portfolio::{Lender, Portfolio};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::{ApiJson, parse_id};
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody, InputProblem};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/lenders", get(list_lenders).post(create_lender))
        .route(
            "/api/portfolios",
            get(list_portfolios).post(create_portfolio),
        )
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LenderView {
    pub id: Uuid,
    pub name: String,
    /// The organization's REDECO registration for this lender.
    pub redeco_registration: Option<String>,
    pub complaint_unit_contact: Option<String>,
    pub collection_phones: Vec<String>,
    /// Payment references shown to debtors; agents never receive payments.
    pub payment_references: Vec<String>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

impl From<Lender> for LenderView {
    fn from(lender: Lender) -> Self {
        Self {
            id: lender.id,
            name: lender.name,
            redeco_registration: lender.redeco_registration,
            complaint_unit_contact: lender.complaint_unit_contact,
            collection_phones: lender.collection_phones,
            payment_references: lender.payment_references,
            created_at: lender.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LenderList {
    pub lenders: Vec<LenderView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateLenderRequest {
    pub name: String,
    pub redeco_registration: Option<String>,
    pub complaint_unit_contact: Option<String>,
    #[serde(default)]
    pub collection_phones: Vec<String>,
    #[serde(default)]
    pub payment_references: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortfolioView {
    pub id: Uuid,
    pub lender_id: Uuid,
    pub lender_name: String,
    pub name: String,
    pub account_count: i64,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

impl From<Portfolio> for PortfolioView {
    fn from(portfolio: Portfolio) -> Self {
        Self {
            id: portfolio.id,
            lender_id: portfolio.lender_id,
            lender_name: portfolio.lender_name,
            name: portfolio.name,
            account_count: portfolio.account_count,
            created_at: portfolio.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortfolioList {
    pub portfolios: Vec<PortfolioView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePortfolioRequest {
    pub lender_id: String,
    pub name: String,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PortfolioQuery {
    /// Only this lender's portfolios.
    lender_id: Option<String>,
}

/// Trims every entry and drops the blank ones.
pub(crate) fn clean_list(values: Vec<String>) -> Vec<String> {
    values
        .into_iter()
        .map(|v| without_control(&v))
        .filter(|v| !v.is_empty())
        .collect()
}

pub(crate) fn optional_text(value: Option<String>) -> Option<String> {
    value.map(|v| without_control(&v)).filter(|v| !v.is_empty())
}

/// Trims text and drops control characters, which PostgreSQL cannot store (NUL) and which
/// have no place in a phone number or a payment reference.
fn without_control(value: &str) -> String {
    value
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Lists the organization's lenders.
#[utoipa::path(get, path = "/api/lenders", tag = "portfolios",
    responses((status = 200, body = LenderList), (status = 403, body = ErrorBody)))]
pub async fn list_lenders(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<LenderList>, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    let lenders = state.store().lenders(principal.organization_id).await?;
    Ok(Json(LenderList {
        lenders: lenders.into_iter().map(LenderView::from).collect(),
    }))
}

/// Creates a lender.
#[utoipa::path(post, path = "/api/lenders", tag = "portfolios", request_body = CreateLenderRequest,
    responses((status = 201, body = LenderView), (status = 409, body = ErrorBody, description = "lender_name_taken")))]
pub async fn create_lender(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(request): ApiJson<CreateLenderRequest>,
) -> Result<(StatusCode, Json<LenderView>), ApiError> {
    principal.require(Permission::ManagePortfolios)?;
    let name = PersonName::parse("name", &request.name)?;
    let lender = Lender {
        id: Uuid::now_v7(),
        organization_id: principal.organization_id,
        name: name.as_str().to_owned(),
        redeco_registration: optional_text(request.redeco_registration),
        complaint_unit_contact: optional_text(request.complaint_unit_contact),
        collection_phones: clean_list(request.collection_phones),
        payment_references: clean_list(request.payment_references),
        created_at: Timestamp::now(),
    };
    let audit = principal.audit(
        "lender.created",
        "lender",
        Some(lender.id.to_string()),
        serde_json::json!({ "name": lender.name }),
    );
    state.store().create_lender(&lender, &audit).await?;
    Ok((StatusCode::CREATED, Json(lender.into())))
}

/// Lists portfolios with their account counts.
#[utoipa::path(get, path = "/api/portfolios", tag = "portfolios", params(PortfolioQuery),
    responses((status = 200, body = PortfolioList), (status = 422, body = ErrorBody)))]
pub async fn list_portfolios(
    State(state): State<AppState>,
    principal: Principal,
    Query(query): Query<PortfolioQuery>,
) -> Result<Json<PortfolioList>, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    let lender = query
        .lender_id
        .as_deref()
        .map(|id| parse_id("lender_id", id))
        .transpose()?;
    let portfolios = state
        .store()
        .portfolios(principal.organization_id, lender)
        .await?;
    Ok(Json(PortfolioList {
        portfolios: portfolios.into_iter().map(PortfolioView::from).collect(),
    }))
}

/// Creates a portfolio of a lender.
#[utoipa::path(post, path = "/api/portfolios", tag = "portfolios", request_body = CreatePortfolioRequest,
    responses((status = 201, body = PortfolioView), (status = 409, body = ErrorBody, description = "portfolio_name_taken"),
        (status = 422, body = ErrorBody)))]
pub async fn create_portfolio(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(request): ApiJson<CreatePortfolioRequest>,
) -> Result<(StatusCode, Json<PortfolioView>), ApiError> {
    principal.require(Permission::ManagePortfolios)?;
    let lender_id = parse_id("lender_id", &request.lender_id)?;
    let name = PersonName::parse("name", &request.name)?;
    let lender = state
        .store()
        .lender(principal.organization_id, lender_id)
        .await?
        .ok_or_else(|| ApiError::invalid("lender_id", InputProblem::UnknownId))?;
    let portfolio = Portfolio {
        id: Uuid::now_v7(),
        organization_id: principal.organization_id,
        lender_id: lender.id,
        lender_name: lender.name,
        name: name.as_str().to_owned(),
        account_count: 0,
        created_at: Timestamp::now(),
    };
    let details = serde_json::json!({ "name": portfolio.name, "lender_id": lender.id });
    let audit = principal.audit(
        "portfolio.created",
        "portfolio",
        Some(portfolio.id.to_string()),
        details,
    );
    state.store().create_portfolio(&portfolio, &audit).await?;
    Ok((StatusCode::CREATED, Json(portfolio.into())))
}
