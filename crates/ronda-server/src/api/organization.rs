//! The organization's settings: display name, default time zone and contact rule. Every
//! console role reads them, and only admins change them. Field check-ins and the day package
//! read the contact rule from here through [`organization_rules`].

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use ronda_domain::checkin::CheckinRules;
use ronda_domain::portfolio::{ContactRule, timezone};
use ronda_domain::{OrganizationId, Permission, Role};
use ronda_store::organization::OrganizationSettings;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::ApiJson;
use crate::api::organization_input::{OrganizationRequest, parse_settings};
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/api/organization",
        get(get_organization).put(put_organization),
    )
}

/// Mexico's time zones in the bundled tz database, the only values `default_time_zone`
/// accepts.
pub const MEXICO_TIME_ZONES: [&str; 12] = [
    timezone::MEXICO_CITY,
    timezone::CANCUN,
    timezone::MERIDA,
    timezone::MONTERREY,
    timezone::MATAMOROS,
    timezone::CHIHUAHUA,
    timezone::CIUDAD_JUAREZ,
    timezone::OJINAGA,
    timezone::MAZATLAN,
    timezone::BAHIA_BANDERAS,
    timezone::HERMOSILLO,
    timezone::TIJUANA,
];

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationSettingsView {
    pub id: uuid::Uuid,
    /// The registered name, fixed at creation.
    pub name: String,
    /// The name the console shows, or `null` to show `name`.
    pub display_name: Option<String>,
    /// Zone for contact hours at addresses whose state is unknown. `null` uses
    /// America/Mexico_City and marks verdicts with `unknown_time_zone`.
    pub default_time_zone: Option<String>,
    /// Every value `default_time_zone` accepts.
    pub time_zones: Vec<String>,
    /// The contact rule in force, Mexico's preset until an admin saves another.
    #[schema(value_type = ContactRuleSchema)]
    pub contact_rule: ContactRule,
    /// Whether positions are stored as accepted while the agent is not clocked in.
    pub track_outside_shifts: bool,
    /// Unix milliseconds of the last change, `null` while never saved.
    pub updated_at: Option<i64>,
}

/// The JSON of a [`ContactRule`], described for the OpenAPI document. The domain type has
/// no schema of its own because ronda-domain does not depend on utoipa.
#[derive(ToSchema)]
#[schema(as = ContactRule)]
#[allow(dead_code)]
pub struct ContactRuleSchema {
    /// Jurisdiction the rule implements, "MX".
    jurisdiction: String,
    /// Window for every day of the week while `weekdays` is absent.
    window: ContactWindowSchema,
    /// Per-weekday windows, absent when there are none. A day that no entry lists allows
    /// no contact, and the first entry that lists a day wins.
    #[schema(required = false)]
    weekdays: Vec<WeekdayWindowSchema>,
    /// Local dates "YYYY-MM-DD" without contact, absent when there are none.
    #[schema(required = false, value_type = Vec<String>, format = Date)]
    holidays: Vec<String>,
}

/// Hours of a day when contact is allowed, in the debtor's local time.
#[derive(ToSchema)]
#[schema(as = ContactWindow)]
#[allow(dead_code)]
pub struct ContactWindowSchema {
    /// "HH:MM", inclusive.
    start: String,
    /// "HH:MM", exclusive. "24:00" ends at midnight.
    end: String,
}

/// A window that applies on some days of the week.
#[derive(ToSchema)]
#[schema(as = WeekdayWindow)]
#[allow(dead_code)]
pub struct WeekdayWindowSchema {
    /// Lowercase English day names: monday … sunday.
    days: Vec<String>,
    /// "HH:MM", inclusive.
    start: String,
    /// "HH:MM", exclusive. "24:00" ends at midnight.
    end: String,
}

/// Returns the organization's settings.
#[utoipa::path(get, path = "/api/organization", tag = "organization",
    responses((status = 200, body = OrganizationSettingsView), (status = 403, body = ErrorBody)))]
pub async fn get_organization(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<OrganizationSettingsView>, ApiError> {
    principal.require(Permission::ReadOrganization)?;
    Ok(Json(view(&state, principal.organization_id).await?))
}

/// Replaces the organization's settings. Admins only.
#[utoipa::path(put, path = "/api/organization", tag = "organization",
    request_body = OrganizationRequest,
    responses((status = 200, body = OrganizationSettingsView), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "invalid_input naming the field")))]
pub async fn put_organization(
    State(state): State<AppState>,
    principal: Principal,
    ApiJson(request): ApiJson<OrganizationRequest>,
) -> Result<Json<OrganizationSettingsView>, ApiError> {
    if principal.role != Role::Admin {
        return Err(ApiError::forbidden());
    }
    let org = principal.organization_id;
    let settings = parse_settings(&request)?;
    let store = state.store();

    let details = serde_json::json!({
        "display_name": settings.display_name,
        "default_time_zone": settings.default_time_zone,
        "contact_rule": settings.contact_rule,
    });
    let audit = principal.audit(
        "organization.settings_changed",
        "organization",
        Some(org.to_string()),
        details,
    );
    store
        .put_organization_settings(org, &settings, &audit)
        .await?;

    if let Some(track) = request.track_outside_shifts
        && track != store.track_outside_shifts(org).await?
    {
        let audit = principal.audit(
            "field.settings_changed",
            "organization",
            Some(org.to_string()),
            serde_json::json!({ "track_outside_shifts": track }),
        );
        store.set_track_outside_shifts(org, track, &audit).await?;
        state.ingest_cache().settings_changed(org);
    }
    tracing::info!(organization.id = %org, "organization settings changed");
    Ok(Json(view(&state, org).await?))
}

async fn view(state: &AppState, org: OrganizationId) -> Result<OrganizationSettingsView, ApiError> {
    let store = state.store();
    let organization = store
        .organization(org)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let settings = store.organization_settings(org).await?;
    Ok(OrganizationSettingsView {
        id: organization.id.0,
        name: organization.name,
        display_name: settings.display_name,
        default_time_zone: settings.default_time_zone,
        time_zones: MEXICO_TIME_ZONES
            .iter()
            .map(|zone| zone.to_string())
            .collect(),
        contact_rule: settings.contact_rule.unwrap_or_else(ContactRule::mexico),
        track_outside_shifts: store.track_outside_shifts(org).await?,
        updated_at: settings.updated_at.map(|at| at.as_millisecond()),
    })
}

/// The check-in rules of one organization: the shipped thresholds with its contact rule.
pub struct OrganizationRules {
    pub checkin: CheckinRules,
    /// Zone for addresses without one. `None` leaves the verdict's fallback in force.
    pub default_time_zone: Option<String>,
}

/// Reads the organization's contact rule and default zone over the shipped check-in rules.
pub async fn organization_rules(
    state: &AppState,
    org: OrganizationId,
) -> Result<OrganizationRules, ApiError> {
    let OrganizationSettings {
        default_time_zone,
        contact_rule,
        ..
    } = state.store().organization_settings(org).await?;
    let mut checkin = CheckinRules::default();
    if let Some(rule) = contact_rule {
        checkin.contact = rule;
    }
    Ok(OrganizationRules {
        checkin,
        default_time_zone,
    })
}
