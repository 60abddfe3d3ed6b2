//! The day package: everything the field app needs to work a day without a network.

use axum::Json;
use axum::extract::{Query, State};
use jiff::Timestamp;
use ronda_domain::checkin::CheckinRules;
use ronda_domain::portfolio::{ContactRule, WeekdayWindow};
use ronda_domain::route::nearest_neighbour_order;
use ronda_domain::tracking::report::Coordinates;
use ronda_domain::{Permission, Role, UserId};
use ronda_store::organization::StartLocation;
use ronda_store::visit::{DayStop, ResultCode, StopAddress};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::api::organization::organization_rules;
use crate::api::parse_id;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody, InputProblem};
use crate::state::AppState;

/// Zone whose midnight starts "today" for the `visited` mark.
// NOTE: one zone for the whole organization; agents working in another zone see the
// mark reset at Mexico City's midnight.
const DAY_ZONE: &str = "America/Mexico_City";

#[derive(Debug, Deserialize)]
pub struct DayQuery {
    /// The agent whose day to read; required for supervisors, ignored for agents.
    pub agent_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DayPackage {
    /// Unix milliseconds; the app shows it as "package fetched at".
    pub fetched_at: i64,
    /// The server clock, from which the app measures its offset.
    pub server_time: i64,
    pub agent: DayAgent,
    pub shift: Option<DayShift>,
    pub stops: Vec<DayStopView>,
    /// Published form versions in the model of `spec/forms/model.md`.
    #[schema(value_type = Vec<Object>)]
    pub forms: Vec<serde_json::Value>,
    pub form_for: FormFor,
    pub contact_rules: ContactRulesView,
    /// Thresholds of the on-device check-in, as `decideOnDevice` takes them.
    #[schema(value_type = Object)]
    pub checkin_rules: CheckinRules,
    pub result_codes: Vec<ResultCodeView>,
    pub lenders: Vec<DayLender>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DayAgent {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DayShift {
    pub id: Uuid,
    pub clocked_in_at: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FormFor {
    /// Form version id of the collection visit form, when one is published.
    pub collection: Option<Uuid>,
    pub verification: Option<Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactRulesView {
    /// "HH:MM", inclusive, local time of the address.
    pub window_start: String,
    /// "HH:MM", exclusive.
    pub window_end: String,
    /// Per-weekday windows as `{days, start, end}`; when not empty they replace the
    /// window above, and a day no entry lists allows no contact.
    #[schema(value_type = Vec<Object>)]
    pub weekdays: Vec<WeekdayWindow>,
    /// Local dates "YYYY-MM-DD" without contact.
    #[schema(value_type = Vec<String>)]
    pub holidays: Vec<jiff::civil::Date>,
    /// The organization's zone for addresses without one; `null` uses America/Mexico_City.
    pub default_time_zone: Option<String>,
}

impl ContactRulesView {
    fn new(rule: &ContactRule, default_time_zone: Option<String>) -> Self {
        ContactRulesView {
            window_start: String::from(rule.window.start),
            window_end: String::from(rule.window.end),
            weekdays: rule.weekdays.clone(),
            holidays: rule.holidays.clone(),
            default_time_zone,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = FieldResultCodeView)]
pub struct ResultCodeView {
    pub code: String,
    /// `success`, `reach`, `fail`, `data` or `verification`.
    pub class: String,
    pub label_es: String,
    pub label_en: String,
    pub requires_es: String,
}

impl From<ResultCode> for ResultCodeView {
    fn from(code: ResultCode) -> Self {
        ResultCodeView {
            code: code.code,
            class: code.class,
            label_es: code.label_es,
            label_en: code.label_en,
            requires_es: code.requires_es,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DayLender {
    pub id: Uuid,
    pub name: String,
    pub payment_references: Vec<String>,
    pub collection_phones: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DayStopView {
    pub assignment_id: Uuid,
    /// Position in the day's route, from 1.
    pub route_order: u32,
    pub account: DayAccount,
    pub address: DayAddress,
    pub visited: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DayAccount {
    pub id: Uuid,
    pub lender_id: Uuid,
    pub lender_name: String,
    pub lender_account_id: String,
    pub product: Option<String>,
    pub overdue_cents: Option<i64>,
    pub days_past_due: Option<i32>,
    pub debtor_name: Option<String>,
    pub persons: Vec<DayPerson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DayPerson {
    /// `debtor`, `guarantor` or `reference`.
    pub role: String,
    pub name: String,
    pub phones: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DayPoint {
    pub latitude: f64,
    pub longitude: f64,
    /// `file` or the geocoder's name; `agent` for a verified point.
    pub source: String,
    /// From 0 to 1; a verified point counts as 1.
    pub confidence: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DayAddress {
    pub id: Uuid,
    pub street: Option<String>,
    pub exterior_number: Option<String>,
    pub interior_number: Option<String>,
    pub colonia: Option<String>,
    pub postal_code: Option<String>,
    pub locality: Option<String>,
    pub municipality: Option<String>,
    pub state: Option<String>,
    pub between_streets: Option<String>,
    pub landmarks: Option<String>,
    pub original_text: String,
    pub time_zone: Option<String>,
    /// The geocoded point.
    pub point: Option<DayPoint>,
    /// The point an agent verified on site.
    pub verified_point: Option<DayPoint>,
}

impl From<StopAddress> for DayAddress {
    fn from(address: StopAddress) -> Self {
        DayAddress {
            id: address.id,
            street: address.street,
            exterior_number: address.exterior_number,
            interior_number: address.interior_number,
            colonia: address.colonia,
            postal_code: address.postal_code,
            locality: address.locality,
            municipality: address.municipality,
            state: address.state,
            between_streets: address.between_streets,
            landmarks: address.landmarks,
            original_text: address.original_text,
            time_zone: address.time_zone,
            point: address
                .geocoded
                .map(|(latitude, longitude, source, confidence)| DayPoint {
                    latitude,
                    longitude,
                    source,
                    confidence,
                }),
            verified_point: address.verified.map(|(latitude, longitude)| DayPoint {
                latitude,
                longitude,
                source: "agent".to_owned(),
                confidence: 1.0,
            }),
        }
    }
}

fn stop_view(route_order: u32, stop: DayStop) -> DayStopView {
    let debtor_name = stop
        .persons
        .iter()
        .find(|person| person.role == "debtor")
        .map(|person| person.name.clone());
    DayStopView {
        assignment_id: stop.assignment_id,
        route_order,
        account: DayAccount {
            id: stop.account_id,
            lender_id: stop.lender_id,
            lender_name: stop.lender_name,
            lender_account_id: stop.lender_account_id,
            product: stop.product,
            overdue_cents: stop.overdue_cents,
            days_past_due: stop.days_past_due,
            debtor_name,
            persons: stop
                .persons
                .into_iter()
                .map(|person| DayPerson {
                    role: person.role,
                    name: person.name,
                    phones: person.phones,
                })
                .collect(),
        },
        address: stop.address.into(),
        visited: stop.visited,
    }
}

/// Returns the agent's day package: current assignments in route order, forms, rules,
/// result codes and the lenders' payment references. Agents get their own; supervisors,
/// admins and viewers name the agent with `agent_id`.
#[utoipa::path(get, path = "/api/field/day", tag = "field",
    params(("agent_id" = Option<Uuid>, Query, description = "The agent, for supervisors")),
    responses((status = 200, body = DayPackage), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn day_package(
    State(state): State<AppState>,
    principal: Principal,
    Query(query): Query<DayQuery>,
) -> Result<Json<DayPackage>, ApiError> {
    let agent_id = match (principal.role, principal.user_id) {
        (Role::Agent, Some(agent)) => agent,
        _ => {
            principal.require(Permission::ReadOrganization)?;
            let value = query
                .agent_id
                .as_deref()
                .ok_or_else(|| ApiError::invalid("agent_id", InputProblem::Missing))?;
            UserId(parse_id("agent_id", value)?)
        }
    };
    let org = principal.organization_id;
    let store = state.store();
    let agent = store
        .user(org, agent_id)
        .await?
        .filter(|user| user.role == Role::Agent)
        .ok_or_else(ApiError::not_found)?;

    let now = Timestamp::now();
    let start = store
        .agent_profile(org, agent_id)
        .await?
        .and_then(|profile| profile.start_location);
    let stops = in_route_order(
        store.day_stops(org, agent_id, start_of_day(now)).await?,
        start,
    );
    let lender_ids: std::collections::HashSet<Uuid> =
        stops.iter().map(|stop| stop.lender_id).collect();
    let lenders = store
        .lenders(org)
        .await?
        .into_iter()
        .filter(|lender| lender_ids.contains(&lender.id))
        .map(|lender| DayLender {
            id: lender.id,
            name: lender.name,
            payment_references: lender.payment_references,
            collection_phones: lender.collection_phones,
        })
        .collect();
    let shift = store
        .open_shift(org, agent_id)
        .await?
        .map(|shift| DayShift {
            id: shift.id,
            clocked_in_at: shift.clocked_in_at.as_millisecond(),
        });
    let result_codes = store
        .result_codes(org)
        .await?
        .into_iter()
        .filter(|code| code.active)
        .map(ResultCodeView::from)
        .collect();
    let rules = organization_rules(&state, org).await?;
    let (forms, form_for) = published_forms(&state, org).await?;

    Ok(Json(DayPackage {
        fetched_at: now.as_millisecond(),
        server_time: now.as_millisecond(),
        agent: DayAgent {
            id: agent.id.0,
            name: agent.name,
        },
        shift,
        stops: stops
            .into_iter()
            .zip(1..)
            .map(|(stop, order)| stop_view(order, stop))
            .collect(),
        forms,
        form_for,
        contact_rules: ContactRulesView::new(&rules.checkin.contact, rules.default_time_zone),
        checkin_rules: rules.checkin,
        result_codes,
        lenders,
    }))
}

/// Orders the day's stops as a nearest-neighbour tour from the agent's start location,
/// or from the first stop when the agent has none, by each address's supervisor-verified
/// point, else its geocoded one. Stops without a point come last, in postal-code order.
/// NOTE: the tour uses straight-line distance and ignores streets, traffic and appointments.
fn in_route_order(stops: Vec<DayStop>, start: Option<StartLocation>) -> Vec<DayStop> {
    let points: Vec<Option<Coordinates>> = stops
        .iter()
        .map(|stop| {
            let address = &stop.address;
            let point = address.verified.or_else(|| {
                address
                    .geocoded
                    .as_ref()
                    .map(|geocoded| (geocoded.0, geocoded.1))
            });
            point.map(|(latitude, longitude)| Coordinates {
                latitude,
                longitude,
            })
        })
        .collect();
    let start = start.map(|start| Coordinates {
        latitude: start.latitude,
        longitude: start.longitude,
    });
    let mut slots: Vec<Option<DayStop>> = stops.into_iter().map(Some).collect();
    nearest_neighbour_order(start, &points)
        .into_iter()
        .filter_map(|index| slots[index].take())
        .collect()
}

fn start_of_day(now: Timestamp) -> Timestamp {
    let zone = ronda_domain::portfolio::bundled_zone(DAY_ZONE).unwrap_or(jiff::tz::TimeZone::UTC);
    now.to_zoned_datetime(zone)
        .start_of_day()
        .map(|start| start.timestamp())
        .unwrap_or(now)
}

/// Form id of the shipped collection form.
const COLLECTION_FORM: &str = "visita_cobranza";
/// Form id of the shipped verification form.
const VERIFICATION_FORM: &str = "verificacion_domiciliaria";

/// Returns the newest version of each of the organization's forms, in the form model's
/// JSON, and which of them the app uses for collection and verification visits.
async fn published_forms(
    state: &AppState,
    org: ronda_domain::OrganizationId,
) -> Result<(Vec<serde_json::Value>, FormFor), ApiError> {
    let store = state.store();
    let mut forms = Vec::new();
    let mut form_for = FormFor {
        collection: None,
        verification: None,
    };
    for summary in store.forms(org).await? {
        let Some(version_id) = summary.latest_version_id else {
            continue;
        };
        let Some(version) = store.form_version(org, version_id).await? else {
            continue;
        };
        let definition: serde_json::Value =
            serde_json::from_str(&version.definition).map_err(ApiError::internal)?;
        match version.form_id.as_str() {
            COLLECTION_FORM => form_for.collection = Some(version.id),
            VERIFICATION_FORM => form_for.verification = Some(version.id),
            _ => {}
        }
        forms.push(serde_json::json!({
            "id": version.id,
            "form_id": version.form_id,
            "version": version.version,
            "content_hash": version.content_hash,
            "title": {"es": version.title_es, "en": version.title_en},
            "definition": definition,
            "published_at": version.published_at.as_millisecond(),
        }));
    }
    Ok((forms, form_for))
}
