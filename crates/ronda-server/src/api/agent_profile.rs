//! An agent's profile: working hours per weekday, where the day starts, and the named zones
//! the agent covers. Admins and supervisors change it; viewers read it; agents get 403.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use jiff::Timestamp;
use ronda_domain::portfolio::{Point, Weekday};
use ronda_domain::zone::Zone;
use ronda_domain::{OrganizationId, Permission, Role, UserId};
use ronda_store::organization::{AgentProfile, NamedZone, StartLocation, WorkingDay};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::organization_input::window;
use crate::api::{ApiJson, parse_id};
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody, InputProblem};
use crate::state::AppState;

/// Maximum length of a start-location label or zone name, in characters.
const MAX_LABEL: usize = 120;
/// Maximum number of zones per agent.
const MAX_ZONES: usize = 20;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/api/agents/{id}/profile",
        get(get_profile).put(put_profile),
    )
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkingDayBody {
    /// Lowercase English day name: monday … sunday.
    #[schema(value_type = String)]
    pub day: Weekday,
    /// "HH:MM", local time.
    pub start: String,
    /// "HH:MM", later than `start`.
    pub end: String,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartLocationBody {
    pub latitude: f64,
    pub longitude: f64,
    /// Such as "Casa" or "Sucursal Centro".
    pub label: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ZoneBody {
    pub name: String,
    /// `[latitude, longitude]` pairs, from 3 to 1000, closed implicitly.
    pub vertices: Vec<[f64; 2]>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileRequest {
    /// At most one entry per weekday; a day without an entry is a day off.
    pub working_hours: Vec<WorkingDayBody>,
    pub start_location: Option<StartLocationBody>,
    pub zones: Vec<ZoneBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileView {
    pub agent_id: Uuid,
    pub working_hours: Vec<WorkingDayBody>,
    pub start_location: Option<StartLocationBody>,
    pub zones: Vec<ZoneBody>,
    /// Unix milliseconds of the last change, `null` while never saved.
    pub updated_at: Option<i64>,
}

impl ProfileView {
    fn empty(agent: UserId) -> Self {
        ProfileView {
            agent_id: agent.0,
            working_hours: Vec::new(),
            start_location: None,
            zones: Vec::new(),
            updated_at: None,
        }
    }
}

impl From<AgentProfile> for ProfileView {
    fn from(profile: AgentProfile) -> Self {
        ProfileView {
            agent_id: profile.agent_id.0,
            working_hours: profile
                .working_hours
                .into_iter()
                .map(|day| WorkingDayBody {
                    day: day.day,
                    start: day.start.into(),
                    end: day.end.into(),
                })
                .collect(),
            start_location: profile.start_location.map(|start| StartLocationBody {
                latitude: start.latitude,
                longitude: start.longitude,
                label: start.label,
            }),
            zones: profile
                .zones
                .into_iter()
                .map(|zone| ZoneBody {
                    name: zone.name,
                    vertices: zone.vertices,
                })
                .collect(),
            updated_at: Some(profile.updated_at.as_millisecond()),
        }
    }
}

/// Returns the agent's profile, empty while none was saved.
#[utoipa::path(get, path = "/api/agents/{id}/profile", tag = "assignments",
    params(("id" = Uuid, Path, description = "The agent")),
    responses((status = 200, body = ProfileView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn get_profile(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<ProfileView>, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    let org = principal.organization_id;
    let agent = agent_in(&state, org, &id).await?;
    let profile = state.store().agent_profile(org, agent).await?;
    Ok(Json(profile.map_or_else(
        || ProfileView::empty(agent),
        ProfileView::from,
    )))
}

/// Replaces the agent's profile. Admins and supervisors.
#[utoipa::path(put, path = "/api/agents/{id}/profile", tag = "assignments",
    request_body = ProfileRequest, params(("id" = Uuid, Path, description = "The agent")),
    responses((status = 200, body = ProfileView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "invalid_input naming the field")))]
pub async fn put_profile(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<ProfileRequest>,
) -> Result<Json<ProfileView>, ApiError> {
    principal.require(Permission::AssignAccounts)?;
    let org = principal.organization_id;
    let agent = agent_in(&state, org, &id).await?;
    let profile = AgentProfile {
        organization_id: org,
        agent_id: agent,
        working_hours: working_hours(&request.working_hours)?,
        start_location: request
            .start_location
            .as_ref()
            .map(start_location)
            .transpose()?,
        zones: zones(&request.zones)?,
        updated_at: Timestamp::now(),
    };
    let audit = principal.audit(
        "agent.profile_changed",
        "user",
        Some(agent.0.to_string()),
        serde_json::json!({
            "working_days": profile.working_hours.len(),
            "has_start_location": profile.start_location.is_some(),
            "zones": profile.zones.iter().map(|zone| zone.name.as_str()).collect::<Vec<_>>(),
        }),
    );
    state.store().put_agent_profile(&profile, &audit).await?;
    Ok(Json(profile.into()))
}

/// Resolves the path id to an agent of `org`; anyone else, or another organization's
/// agent, is 404.
async fn agent_in(state: &AppState, org: OrganizationId, id: &str) -> Result<UserId, ApiError> {
    let id = UserId(parse_id("id", id)?);
    state
        .store()
        .user(org, id)
        .await?
        .filter(|user| user.role == Role::Agent)
        .map(|user| user.id)
        .ok_or_else(ApiError::not_found)
}

fn explained(field: impl Into<String>, es: String, en: String) -> ApiError {
    ApiError::invalid(field, InputProblem::Explained { es, en })
}

fn working_hours(days: &[WorkingDayBody]) -> Result<Vec<WorkingDay>, ApiError> {
    let mut parsed: Vec<WorkingDay> = Vec::with_capacity(days.len());
    for (index, entry) in days.iter().enumerate() {
        let field = format!("working_hours[{index}]");
        if parsed.iter().any(|day| day.day == entry.day) {
            return Err(explained(
                format!("{field}.day"),
                format!("«{field}.day» repite un día; deja una sola entrada por día."),
                format!("\"{field}.day\" repeats a day; keep one entry per day."),
            ));
        }
        let hours = window(&field, &entry.start, &entry.end)?;
        parsed.push(WorkingDay {
            day: entry.day,
            start: hours.start,
            end: hours.end,
        });
    }
    Ok(parsed)
}

fn label(field: &str, value: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(text) = value.map(str::trim).filter(|text| !text.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > MAX_LABEL {
        return Err(explained(
            field,
            format!("«{field}» admite hasta {MAX_LABEL} caracteres."),
            format!("\"{field}\" takes at most {MAX_LABEL} characters."),
        ));
    }
    Ok(Some(text.to_owned()))
}

fn start_location(body: &StartLocationBody) -> Result<StartLocation, ApiError> {
    if Point::new(body.latitude, body.longitude).is_err() {
        return Err(explained(
            "start_location",
            "La ubicación de inicio necesita latitud entre -90 y 90 y longitud entre -180 y 180."
                .to_owned(),
            "The start location needs a latitude from -90 to 90 and a longitude from -180 to 180."
                .to_owned(),
        ));
    }
    Ok(StartLocation {
        latitude: body.latitude,
        longitude: body.longitude,
        label: label("start_location.label", body.label.as_deref())?,
    })
}

fn zones(bodies: &[ZoneBody]) -> Result<Vec<NamedZone>, ApiError> {
    if bodies.len() > MAX_ZONES {
        return Err(explained(
            "zones",
            format!("Un gestor admite hasta {MAX_ZONES} zonas."),
            format!("An agent takes at most {MAX_ZONES} zones."),
        ));
    }
    let mut parsed: Vec<NamedZone> = Vec::with_capacity(bodies.len());
    for (index, body) in bodies.iter().enumerate() {
        let field = format!("zones[{index}]");
        let name = label(&format!("{field}.name"), Some(&body.name))?.ok_or_else(|| {
            explained(
                format!("{field}.name"),
                "Cada zona necesita un nombre.".to_owned(),
                "Each zone needs a name.".to_owned(),
            )
        })?;
        if parsed.iter().any(|zone| zone.name == name) {
            return Err(explained(
                format!("{field}.name"),
                format!("Ya hay otra zona llamada «{name}»."),
                format!("Another zone is already named \"{name}\"."),
            ));
        }
        let zone = Zone::new(&body.vertices).map_err(|error| {
            explained(
                format!("{field}.vertices"),
                format!(
                    "La zona «{name}» no es un polígono válido: necesita de 3 a 1000 vértices \
                     [latitud, longitud], con latitud entre -90 y 90 y longitud entre -180 y 180."
                ),
                format!("Zone \"{name}\" is not a valid polygon: {error}."),
            )
        })?;
        parsed.push(NamedZone {
            name,
            vertices: zone
                .vertices()
                .iter()
                .map(|point| [point.latitude, point.longitude])
                .collect(),
        });
    }
    Ok(parsed)
}
