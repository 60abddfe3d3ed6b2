//! Assignments of accounts to agents, and each agent's daily capacity.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use jiff::Timestamp;
use ronda_domain::portfolio::PostalCode;
use ronda_domain::zone::{MAX_VERTICES, MIN_VERTICES, Zone};
use ronda_domain::{Permission, UserId};
use ronda_store::assignment::{AgentProblem, AssignOutcome, Assignment, AssignmentBatch};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::{ApiJson, parse_id};
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody, ErrorCode, InputProblem};
use crate::state::AppState;

/// Maximum number of accounts one request may assign, by id or by selection.
const MAX_ACCOUNTS: usize = 5000;
/// Maximum number of postal codes in one request.
const MAX_POSTAL_CODES: usize = 200;
const MAX_DAILY_CAPACITY: i64 = 200;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/assignments", post(assign))
        .route("/api/assignments/{account_id}", delete(unassign))
        .route("/api/accounts/{id}/assignments", get(history))
        .route("/api/agents/{id}/capacity", put(set_capacity))
        .route("/api/agents/loads", get(agent_loads))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgentLoadView {
    pub agent_id: Uuid,
    pub name: String,
    pub active: bool,
    /// Visits per day the agent can make.
    pub daily_capacity: i32,
    /// Accounts assigned to the agent now.
    pub current_assignments: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgentLoadList {
    pub agents: Vec<AgentLoadView>,
}

/// Lists the organization's agents, by name, with their daily capacity and current load.
#[utoipa::path(get, path = "/api/agents/loads", tag = "assignments",
    responses((status = 200, body = AgentLoadList), (status = 403, body = ErrorBody)))]
pub async fn agent_loads(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<AgentLoadList>, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    let loads = state.store().agent_loads(principal.organization_id).await?;
    Ok(Json(AgentLoadList {
        agents: loads
            .into_iter()
            .map(|load| AgentLoadView {
                agent_id: load.agent_id.0,
                name: load.name,
                active: load.active,
                daily_capacity: load.daily_capacity,
                current_assignments: load.current_assignments,
            })
            .collect(),
    }))
}

/// Names one agent and exactly one way to choose the accounts.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    pub agent_id: String,
    pub account_ids: Option<Vec<String>>,
    pub postal_codes: Option<Vec<String>>,
    /// Compared without regard to case or accents.
    pub municipality: Option<String>,
    /// Polygon vertices as `[latitude, longitude]`. Selects the accounts whose verified
    /// point, or else geocoded point, lies inside or on the border.
    pub zone: Option<Vec<[f64; 2]>>,
    /// Limits a postal-code, municipality or zone selection to one portfolio.
    pub portfolio_id: Option<String>,
    /// Assigns even when the agent ends up over capacity.
    #[serde(default)]
    pub allow_over_capacity: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssignResponse {
    /// Accounts that had no agent.
    pub assigned: u64,
    /// Accounts taken from another agent.
    pub reassigned: u64,
    /// Accounts that already belonged to this agent.
    pub unchanged: u64,
    /// The agent's current assignments afterwards.
    pub agent_load: i64,
    /// The agent's visits per day.
    pub capacity: i32,
    /// The load exceeds the capacity over the configured number of days.
    pub over_capacity: bool,
}

/// One assignment of an account's history. The schema has its own name because the
/// account page's `AssignmentView` has another shape, and OpenAPI components are keyed by
/// name, so the two would overwrite each other.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = AssignmentHistoryEntry)]
pub struct AssignmentView {
    pub id: Uuid,
    pub account_id: Uuid,
    pub agent_id: Uuid,
    pub agent_name: String,
    /// The user who assigned it, absent when an API token did.
    pub assigned_by: Option<Uuid>,
    #[schema(value_type = String, format = DateTime)]
    pub assigned_at: Timestamp,
    /// Absent while the assignment is current.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub unassigned_at: Option<Timestamp>,
}

impl From<Assignment> for AssignmentView {
    fn from(a: Assignment) -> Self {
        Self {
            id: a.id,
            account_id: a.account_id,
            agent_id: a.agent_id.0,
            agent_name: a.agent_name,
            assigned_by: a.assigned_by.map(|user| user.0),
            assigned_at: a.assigned_at,
            unassigned_at: a.unassigned_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssignmentHistory {
    /// Newest first.
    pub assignments: Vec<AssignmentView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CapacityRequest {
    /// Visits per day, from 1 to 200.
    pub daily_capacity: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CapacityView {
    pub agent_id: Uuid,
    pub daily_capacity: i32,
}

/// The accounts a request names, by one of four selectors.
enum Selection {
    Ids(Vec<Uuid>),
    PostalCodes(Vec<String>),
    Municipality(String),
    Zone(Zone),
}

fn explained(field: &str, es: String, en: String) -> ApiError {
    ApiError::invalid(field, InputProblem::Explained { es, en })
}

fn agent_error(problem: AgentProblem) -> ApiError {
    match problem {
        AgentProblem::NotFound => ApiError::invalid("agent_id", InputProblem::UnknownId),
        AgentProblem::NotAnAgent | AgentProblem::Inactive => ApiError::Client {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: ErrorCode::NotAnAgent,
            field: Some("agent_id".into()),
            problem: None,
        },
    }
}

/// Reads the one selector of the request and checks its values.
fn selection(request: &AssignRequest) -> Result<(&'static str, Selection), ApiError> {
    let selectors = [
        request.account_ids.is_some(),
        request.postal_codes.is_some(),
        request.municipality.is_some(),
        request.zone.is_some(),
    ];
    match selectors.iter().filter(|g| **g).count() {
        0 => return Err(ApiError::invalid("account_ids", InputProblem::Missing)),
        1 => {}
        _ => {
            return Err(explained(
                "account_ids",
                "Elige las cuentas de una sola forma: account_ids, postal_codes, municipality o zone.".into(),
                "Choose the accounts in one way only: account_ids, postal_codes, municipality or zone.".into(),
            ));
        }
    }
    if let Some(ids) = &request.account_ids {
        if ids.is_empty() || ids.len() > MAX_ACCOUNTS {
            return Err(explained(
                "account_ids",
                format!("Elige entre 1 y {MAX_ACCOUNTS} cuentas."),
                format!("Choose between 1 and {MAX_ACCOUNTS} accounts."),
            ));
        }
        let parsed = ids
            .iter()
            .map(|id| parse_id("account_ids", id))
            .collect::<Result<_, _>>()?;
        return Ok(("account_ids", Selection::Ids(parsed)));
    }
    if let Some(codes) = &request.postal_codes {
        if codes.is_empty() || codes.len() > MAX_POSTAL_CODES {
            return Err(explained(
                "postal_codes",
                format!("Escribe entre 1 y {MAX_POSTAL_CODES} códigos postales."),
                format!("Give between 1 and {MAX_POSTAL_CODES} postal codes."),
            ));
        }
        let mut parsed = Vec::with_capacity(codes.len());
        for code in codes {
            let code = PostalCode::parse(code).map_err(|_| {
                explained(
                    "postal_codes",
                    format!(
                        "«{code}» no es un código postal válido. Usa cinco dígitos, como 06000."
                    ),
                    format!(
                        "\"{code}\" is not a valid postal code. Use five digits, such as 06000."
                    ),
                )
            })?;
            parsed.push(code.as_str().to_owned());
        }
        return Ok(("postal_codes", Selection::PostalCodes(parsed)));
    }
    if let Some(name) = &request.municipality {
        if name.trim().is_empty() {
            return Err(ApiError::invalid(
                "municipality",
                InputProblem::Rule(ronda_domain::user::InputReason::Empty),
            ));
        }
        return Ok(("municipality", Selection::Municipality(name.trim().into())));
    }
    let vertices = request.zone.as_deref().unwrap_or_default();
    let zone = Zone::new(vertices).map_err(|error| {
        explained(
            "zone",
            format!(
                "La zona debe tener entre {MIN_VERTICES} y {MAX_VERTICES} vértices [latitud, longitud], cada uno con una latitud entre -90 y 90 y una longitud entre -180 y 180."
            ),
            format!(
                "The zone must have between {MIN_VERTICES} and {MAX_VERTICES} valid [latitude, longitude] vertices ({error})."
            ),
        )
    })?;
    Ok(("zone", Selection::Zone(zone)))
}

/// Assigns accounts to an agent, chosen by id, postal code, municipality or zone.
#[utoipa::path(post, path = "/api/assignments", tag = "assignments", request_body = AssignRequest,
    responses((status = 200, body = AssignResponse),
        (status = 409, body = ErrorBody, description = "over_capacity"),
        (status = 422, body = ErrorBody, description = "invalid_input or not_an_agent")))]
pub async fn assign(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(request): ApiJson<AssignRequest>,
) -> Result<Json<AssignResponse>, ApiError> {
    principal.require(Permission::AssignAccounts)?;
    let org = principal.organization_id;
    let agent_id = UserId(parse_id("agent_id", &request.agent_id)?);
    let (field, chosen) = selection(&request)?;
    let portfolio_id = request
        .portfolio_id
        .as_deref()
        .map(|id| parse_id("portfolio_id", id))
        .transpose()?;
    if let Some(id) = portfolio_id
        && state.store().portfolio(org, id).await?.is_none()
    {
        return Err(ApiError::invalid("portfolio_id", InputProblem::UnknownId));
    }

    let store = state.store();
    let account_ids = match chosen {
        Selection::Ids(ids) => ids,
        Selection::PostalCodes(codes) => {
            store
                .account_ids_by_postal_codes(org, &codes, portfolio_id)
                .await?
        }
        Selection::Municipality(name) => {
            store
                .account_ids_by_municipality(org, &name, portfolio_id)
                .await?
        }
        Selection::Zone(zone) => store.account_ids_in_zone(org, &zone, portfolio_id).await?,
    };
    if account_ids.len() > MAX_ACCOUNTS {
        return Err(explained(
            field,
            format!(
                "La selección tiene {} cuentas; asigna como máximo {MAX_ACCOUNTS} por solicitud.",
                account_ids.len()
            ),
            format!(
                "The selection has {} accounts; assign at most {MAX_ACCOUNTS} per request.",
                account_ids.len()
            ),
        ));
    }

    let batch = AssignmentBatch {
        organization_id: org,
        agent_id,
        account_ids,
        assigned_by: principal.user_id,
        capacity_days: state.settings().assignment_capacity_days,
        allow_over_capacity: request.allow_over_capacity,
    };
    let details = serde_json::json!({
        "agent_id": agent_id.0,
        "selected_by": field,
        "accounts": batch.account_ids.len(),
        "portfolio_id": portfolio_id,
        "allow_over_capacity": request.allow_over_capacity,
    });
    let audit = principal.audit(
        "assignment.created",
        "user",
        Some(agent_id.0.to_string()),
        details,
    );
    match store.assign_accounts(&batch, &audit).await? {
        AssignOutcome::Done(counts) => Ok(Json(AssignResponse {
            assigned: counts.assigned,
            reassigned: counts.reassigned,
            unchanged: counts.unchanged,
            agent_load: counts.agent_load,
            capacity: counts.daily_capacity,
            over_capacity: counts.over_capacity,
        })),
        AssignOutcome::Agent(problem) => Err(agent_error(problem)),
        AssignOutcome::UnknownAccounts(_) => {
            Err(ApiError::invalid("account_ids", InputProblem::UnknownId))
        }
        AssignOutcome::OverCapacity { .. } => {
            Err(ApiError::conflict(ErrorCode::OverCapacity, field))
        }
    }
}

/// Ends the current assignment of an account.
#[utoipa::path(delete, path = "/api/assignments/{account_id}", tag = "assignments",
    params(("account_id" = String, Path, description = "Account id")),
    responses((status = 200, body = AssignmentView),
        (status = 404, body = ErrorBody, description = "No such account, or it has no agent")))]
pub async fn unassign(
    State(state): State<AppState>,
    principal: Principal,
    Path(account_id): Path<String>,
) -> Result<Json<AssignmentView>, ApiError> {
    principal.require(Permission::AssignAccounts)?;
    let account_id = parse_id("account_id", &account_id)?;
    let audit = principal.audit(
        "assignment.ended",
        "account",
        Some(account_id.to_string()),
        serde_json::json!({}),
    );
    let closed = state
        .store()
        .unassign_account(principal.organization_id, account_id, &audit)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(closed.into()))
}

/// Lists the assignments of an account, newest first.
#[utoipa::path(get, path = "/api/accounts/{id}/assignments", tag = "assignments",
    params(("id" = String, Path, description = "Account id")),
    responses((status = 200, body = AssignmentHistory), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<AssignmentHistory>, ApiError> {
    principal.require(Permission::AssignAccounts)?;
    let account_id = parse_id("id", &id)?;
    let assignments = state
        .store()
        .assignment_history(principal.organization_id, account_id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(AssignmentHistory {
        assignments: assignments.into_iter().map(AssignmentView::from).collect(),
    }))
}

/// Sets how many visits an agent can make per day.
#[utoipa::path(put, path = "/api/agents/{id}/capacity", tag = "assignments",
    params(("id" = String, Path, description = "Agent's user id")), request_body = CapacityRequest,
    responses((status = 200, body = CapacityView), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "invalid_input or not_an_agent")))]
pub async fn set_capacity(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<CapacityRequest>,
) -> Result<Json<CapacityView>, ApiError> {
    principal.require(Permission::AssignAccounts)?;
    let agent_id = UserId(parse_id("id", &id)?);
    let daily_capacity = i32::try_from(request.daily_capacity)
        .ok()
        .filter(|value| (1..=MAX_DAILY_CAPACITY).contains(&i64::from(*value)))
        .ok_or_else(|| {
            ApiError::invalid(
                "daily_capacity",
                InputProblem::OutOfRange {
                    min: 1,
                    max: MAX_DAILY_CAPACITY,
                },
            )
        })?;
    let audit = principal.audit(
        "agent.capacity_set",
        "user",
        Some(agent_id.0.to_string()),
        serde_json::json!({ "daily_capacity": daily_capacity }),
    );
    match state
        .store()
        .set_daily_capacity(principal.organization_id, agent_id, daily_capacity, &audit)
        .await?
    {
        Ok(()) => Ok(Json(CapacityView {
            agent_id: agent_id.0,
            daily_capacity,
        })),
        Err(AgentProblem::NotFound) => Err(ApiError::not_found()),
        Err(problem) => Err(agent_error(problem)),
    }
}
