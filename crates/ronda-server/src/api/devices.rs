//! Agents' tracking devices. Admins and supervisors register and revoke them, and the
//! secret is shown once together with the settings to copy into the phone's client.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::{delete, get};
use axum::{Json, Router};
use jiff::Timestamp;
use rand::RngCore;
use ronda_domain::{Permission, PersonName, Role, UserId};
use ronda_store::tracking::{Device, DeviceKind, NewDevice};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::{ApiJson, parse_id};
use crate::auth::{Principal, secret};
use crate::error::{ApiError, ErrorBody, InputProblem};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/devices", get(list_devices).post(create_device))
        .route("/api/devices/{id}", delete(revoke_device))
}

/// Maximum length of a device identifier, and of each half of an OwnTracks one.
const MAX_IDENTIFIER_CHARS: usize = 64;

#[derive(Debug, Serialize, ToSchema)]
pub struct DeviceView {
    pub id: Uuid,
    #[schema(value_type = Uuid)]
    pub agent_id: UserId,
    pub name: String,
    /// `osmand` (Traccar Client) or `owntracks`.
    pub kind: String,
    /// Identifier the client sends: the OsmAnd `id`, or `user/device` for OwnTracks.
    pub device_identifier: String,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub revoked_at: Option<Timestamp>,
}

impl From<Device> for DeviceView {
    fn from(device: Device) -> Self {
        Self {
            id: device.id,
            agent_id: device.agent_id,
            name: device.name,
            kind: device.kind.as_str().to_owned(),
            device_identifier: device.device_identifier,
            created_at: device.created_at,
            revoked_at: device.revoked_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeviceList {
    pub devices: Vec<DeviceView>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateDeviceRequest {
    /// The agent whose phone runs the client.
    pub agent_id: String,
    pub name: String,
    /// `osmand` (Traccar Client) or `owntracks`.
    pub kind: String,
    /// The identifier the client will send. Generated when absent. OwnTracks identifiers
    /// are `user/device`.
    pub device_identifier: Option<String>,
}

/// Settings for Traccar Client.
#[derive(Debug, Serialize, ToSchema)]
pub struct TraccarClientSettings {
    /// Server URL with the secret in the path.
    pub server_url: String,
    pub device_identifier: String,
}

/// Settings for OwnTracks in HTTP mode.
#[derive(Debug, Serialize, ToSchema)]
pub struct OwnTracksSettings {
    pub url: String,
    pub user: String,
    pub device_id: String,
    /// The device secret.
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedDevice {
    pub device: DeviceView,
    /// Shown only in this response.
    pub secret: String,
    /// Present for `osmand` devices.
    pub traccar_client: Option<TraccarClientSettings>,
    /// Present for `owntracks` devices.
    pub owntracks: Option<OwnTracksSettings>,
}

/// Lists the organization's devices, revoked ones included.
#[utoipa::path(get, path = "/api/devices", tag = "tracking",
    responses((status = 200, body = DeviceList), (status = 403, body = ErrorBody)))]
pub async fn list_devices(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<DeviceList>, ApiError> {
    principal.require(Permission::ManageDevices)?;
    let devices = state.store().devices(principal.organization_id).await?;
    Ok(Json(DeviceList {
        devices: devices.into_iter().map(DeviceView::from).collect(),
    }))
}

/// Registers a device for an agent and returns its secret and client settings once.
///
/// The URLs in the settings start with `http://` and the request's `Host` header. With
/// `server.trust_forwarded_for` on, `X-Forwarded-Proto` sets the scheme instead.
#[utoipa::path(post, path = "/api/devices", tag = "tracking", request_body = CreateDeviceRequest,
    responses((status = 201, body = CreatedDevice), (status = 409, body = ErrorBody, description = "device_identifier_taken"),
        (status = 422, body = ErrorBody)))]
pub async fn create_device(
    State(state): State<AppState>,
    principal: Principal,
    headers: HeaderMap,
    ApiJson(request): ApiJson<CreateDeviceRequest>,
) -> Result<(StatusCode, Json<CreatedDevice>), ApiError> {
    principal.require(Permission::ManageDevices)?;
    let agent_id = UserId(parse_id("agent_id", &request.agent_id)?);
    let name = PersonName::parse("name", &request.name)?;
    let kind = DeviceKind::ALL
        .into_iter()
        .find(|kind| kind.as_str() == request.kind.trim())
        .ok_or_else(|| ApiError::invalid("kind", InputProblem::NotOneOf("osmand, owntracks")))?;
    let device_identifier = match request.device_identifier.as_deref().map(str::trim) {
        Some(identifier) if !identifier.is_empty() => check_identifier(kind, identifier)?,
        _ => generated_identifier(kind),
    };
    let agent = state
        .store()
        .user(principal.organization_id, agent_id)
        .await?
        .ok_or_else(|| ApiError::invalid("agent_id", InputProblem::UnknownId))?;
    if agent.role != Role::Agent || !agent.active {
        return Err(ApiError::invalid(
            "agent_id",
            InputProblem::Explained {
                es: "«agent_id» debe ser un usuario activo con rol de agente.".to_owned(),
                en: "\"agent_id\" must be an active user with the agent role.".to_owned(),
            },
        ));
    }

    let secret = secret::random_secret();
    let new = NewDevice {
        device: Device {
            id: Uuid::now_v7(),
            organization_id: principal.organization_id,
            agent_id,
            name: name.as_str().to_owned(),
            kind,
            device_identifier,
            created_at: Timestamp::now(),
            revoked_at: None,
        },
        secret_hash: secret::sha256(&secret),
    };
    let details = serde_json::json!({
        "name": new.device.name,
        "kind": kind,
        "agent_id": agent_id,
        "device_identifier": new.device.device_identifier,
    });
    let audit = principal.audit(
        "device.created",
        "device",
        Some(new.device.id.to_string()),
        details,
    );
    let device = state.store().create_device(&new, &audit).await?;

    let base = public_url(&headers, state.settings().trust_forwarded_for);
    let (traccar_client, owntracks) = client_settings(&base, &device, &secret);
    Ok((
        StatusCode::CREATED,
        Json(CreatedDevice {
            device: device.into(),
            secret,
            traccar_client,
            owntracks,
        }),
    ))
}

/// Revokes a device; its messages are rejected from then on.
#[utoipa::path(delete, path = "/api/devices/{id}", tag = "tracking", params(("id" = Uuid, Path)),
    responses((status = 200, body = DeviceView), (status = 404, body = ErrorBody)))]
pub async fn revoke_device(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
) -> Result<Json<DeviceView>, ApiError> {
    principal.require(Permission::ManageDevices)?;
    let id = parse_id("id", &id)?;
    let audit = principal.audit(
        "device.revoked",
        "device",
        Some(id.to_string()),
        serde_json::json!({}),
    );
    let device = state
        .store()
        .revoke_device(principal.organization_id, id, &audit)
        .await?
        .ok_or_else(ApiError::not_found)?;
    state.ingest_cache().devices_changed();
    Ok(Json(device.into()))
}

fn client_settings(
    base: &str,
    device: &Device,
    secret: &str,
) -> (Option<TraccarClientSettings>, Option<OwnTracksSettings>) {
    match device.kind {
        DeviceKind::Osmand => {
            let settings = TraccarClientSettings {
                server_url: format!("{base}/tracking/osmand/{secret}"),
                device_identifier: device.device_identifier.clone(),
            };
            (Some(settings), None)
        }
        DeviceKind::Owntracks => {
            let (user, device_id) = device
                .device_identifier
                .split_once('/')
                .unwrap_or((device.device_identifier.as_str(), ""));
            let settings = OwnTracksSettings {
                url: format!("{base}/tracking/owntracks"),
                user: user.to_owned(),
                device_id: device_id.to_owned(),
                password: secret.to_owned(),
            };
            (None, Some(settings))
        }
        // The field app's device is created by the server and needs no settings.
        DeviceKind::Pwa => (None, None),
    }
}

/// Builds `scheme://host` from the request's `Host` header, falling back to `localhost`
/// when the header is missing or contains characters that do not belong in a host name.
fn public_url(headers: &HeaderMap, trust_forwarded: bool) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .filter(|host| {
            !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("localhost");
    let forwarded_proto = headers
        .get("x-forwarded-proto")
        .and_then(|value| value.to_str().ok())
        .map(|proto| proto.trim().to_ascii_lowercase())
        .filter(|proto| proto == "http" || proto == "https");
    let scheme = match forwarded_proto {
        Some(proto) if trust_forwarded => proto,
        _ => "http".to_owned(),
    };
    format!("{scheme}://{host}")
}

/// Checks an identifier chosen by the admin: letters, digits, `.`, `_` and `-`, with one
/// `/` between user and device for OwnTracks.
fn check_identifier(kind: DeviceKind, identifier: &str) -> Result<String, ApiError> {
    let part_valid = |part: &str| {
        !part.is_empty()
            && part.chars().count() <= MAX_IDENTIFIER_CHARS
            && part
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    };
    let valid = match kind {
        DeviceKind::Osmand => part_valid(identifier),
        DeviceKind::Owntracks => identifier
            .split_once('/')
            .is_some_and(|(user, device)| part_valid(user) && part_valid(device)),
        DeviceKind::Pwa => false,
    };
    if valid {
        return Ok(identifier.to_owned());
    }
    let (es, en) = match kind {
        DeviceKind::Osmand | DeviceKind::Pwa => (
            "«device_identifier» admite letras, dígitos, «.», «_» y «-», hasta 64 caracteres, como 4827193056.",
            "\"device_identifier\" allows letters, digits, \".\", \"_\" and \"-\", up to 64 characters, such as 4827193056.",
        ),
        DeviceKind::Owntracks => (
            "«device_identifier» debe ser usuario/dispositivo con letras, dígitos, «.», «_» y «-», como ana/telefono.",
            "\"device_identifier\" must be user/device made of letters, digits, \".\", \"_\" and \"-\", such as ana/phone.",
        ),
    };
    Err(ApiError::invalid(
        "device_identifier",
        InputProblem::Explained {
            es: es.to_owned(),
            en: en.to_owned(),
        },
    ))
}

/// Returns ten random digits, easy to type into a phone, and for OwnTracks uses them as
/// the user with the device name `phone`.
fn generated_identifier(kind: DeviceKind) -> String {
    let digits = format!("{:010}", rand::rngs::OsRng.next_u64() % 10_000_000_000);
    match kind {
        DeviceKind::Osmand | DeviceKind::Pwa => digits,
        DeviceKind::Owntracks => format!("{digits}/phone"),
    }
}
