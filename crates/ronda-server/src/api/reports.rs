//! Reports read from the rollups: the best contact hours heatmap, and the routes of
//! custom, saved and shared reports.

use axum::extract::{Query, State};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use ronda_domain::portfolio::fold_place_name;
use ronda_domain::{Role, UserId};
use ronda_store::report::{HourCell, ReportFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::api::notifications::require_role;
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody, InputProblem};
use crate::state::AppState;

use super::reports_saved as saved;
use super::reports_shares as shares;

/// Days a report covers when `from` is absent.
const DEFAULT_DAYS: i32 = 28;
/// Maximum number of days a report may cover.
const MAX_DAYS: i32 = 366;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/reports/contact-hours", get(contact_hours))
        .route("/api/reports/zones", get(zones))
        .route(
            "/api/reports/contact-hours/export",
            get(super::reports_export::export_contact_hours),
        )
        .route(
            "/api/reports/query",
            post(super::reports_query::query_report),
        )
        .route(
            "/api/reports/query/export",
            post(super::reports_custom_export::export_query),
        )
        .route(
            "/api/reports/saved",
            get(saved::list_saved).post(saved::create_saved),
        )
        .route(
            "/api/reports/saved/{id}",
            get(saved::get_saved)
                .put(saved::update_saved)
                .delete(saved::delete_saved),
        )
        .route("/api/reports/saved/{id}/result", get(saved::run_saved))
        .route(
            "/api/reports/saved/{id}/export",
            get(super::reports_custom_export::export_saved),
        )
        .route(
            "/api/reports/saved/{id}/shares",
            get(shares::list_shares).post(shares::create_share),
        )
        .route(
            "/api/reports/saved/{id}/shares/{share_id}",
            delete(shares::revoke_share),
        )
        .route("/api/shared-reports/{token}", get(shares::shared_report))
        .route(
            "/shared/{token}",
            get(super::reports_shared_page::shared_report_page),
        )
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ReportQuery {
    /// First local day, `YYYY-MM-DD`; 28 days before `to` when absent.
    pub(crate) from: Option<String>,
    /// Last local day, `YYYY-MM-DD`, included; today when absent.
    pub(crate) to: Option<String>,
    pub(crate) lender_id: Option<String>,
    pub(crate) portfolio_id: Option<String>,
    pub(crate) agent_id: Option<String>,
    /// `visit`, `phone`, `email`, `sms` or `whatsapp`; every channel when absent.
    pub(crate) channel: Option<String>,
    /// Addresses' `state|municipality`, as the custom reports' zone, matched regardless of
    /// case and accents. Every zone when absent.
    pub(crate) zone: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HourCellView {
    /// ISO weekday: 1 is Monday, 7 is Sunday.
    pub weekday: i8,
    /// Hour of the day, 0 to 23, in the visited address's time zone.
    pub hour: i8,
    pub attempts: i64,
    /// Attempts that reached the right party.
    pub right_party: i64,
    /// Promises, agreements and payments.
    pub successes: i64,
    /// `right_party / attempts`.
    pub contact_rate: f64,
    /// `successes / attempts`.
    pub success_rate: f64,
    pub promises: i64,
    pub promised_cents: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ContactHoursReport {
    pub from: String,
    pub to: String,
    /// Only the weekday and hour pairs with attempts.
    pub cells: Vec<HourCellView>,
    pub attempts: i64,
    pub right_party: i64,
    pub successes: i64,
}

pub(crate) fn rate(part: i64, whole: i64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

impl From<HourCell> for HourCellView {
    fn from(cell: HourCell) -> Self {
        Self {
            weekday: cell.weekday,
            hour: cell.hour,
            attempts: cell.attempts,
            right_party: cell.right_party,
            successes: cell.successes,
            contact_rate: rate(cell.right_party, cell.attempts),
            success_rate: rate(cell.successes, cell.attempts),
            promises: cell.promises,
            promised_cents: cell.promised_cents,
        }
    }
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

/// Reads the period and filters, with today in the tracking time zone as the default end.
fn parse_filter(query: &ReportQuery, today: Date) -> Result<ReportFilter, ApiError> {
    let to = match query.to.as_deref() {
        Some(value) if !value.trim().is_empty() => parse_date("to", value)?,
        _ => today,
    };
    let from = match query.from.as_deref() {
        Some(value) if !value.trim().is_empty() => parse_date("from", value)?,
        _ => to.saturating_sub((DEFAULT_DAYS - 1).days()),
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
    Ok(ReportFilter {
        from: from.to_string(),
        to: to.to_string(),
        lender_id: parse_uuid("lender_id", query.lender_id.as_deref())?,
        portfolio_id: parse_uuid("portfolio_id", query.portfolio_id.as_deref())?,
        agent_id: parse_uuid("agent_id", query.agent_id.as_deref())?.map(UserId),
        channel: parse_channel(query.channel.as_deref())?,
        zone: parse_zone(query.zone.as_deref())?,
    })
}

/// Reads a zone as `state|municipality`, both named.
fn parse_zone(value: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(zone) = value.map(str::trim).filter(|zone| !zone.is_empty()) else {
        return Ok(None);
    };
    match zone.split_once('|') {
        Some((state, municipality))
            if !state.trim().is_empty()
                && !municipality.trim().is_empty()
                && !municipality.contains('|') =>
        {
            Ok(Some(format!("{}|{}", state.trim(), municipality.trim())))
        }
        _ => Err(ApiError::invalid(
            "zone",
            InputProblem::Explained {
                es: "«zone» debe ser «Estado|Municipio», por ejemplo \
                     «Ciudad de México|Iztapalapa»."
                    .into(),
                en: "\"zone\" must be \"State|Municipality\", such as \
                     \"Ciudad de México|Iztapalapa\"."
                    .into(),
            },
        )),
    }
}

/// Returns the organization's zone that `zone` names, written as the addresses write it,
/// so "ciudad de mexico|coyoacan" finds "Ciudad de México|Coyoacán". A zone that none of
/// the addresses is in gets an error that names it, instead of an empty report.
async fn known_zone(
    state: &AppState,
    principal: &Principal,
    zone: &str,
) -> Result<String, ApiError> {
    let zones = state
        .store()
        .report_zones(principal.organization_id)
        .await?;
    let (wanted_state, wanted_municipality) = zone.split_once('|').unwrap_or((zone, ""));
    let folded = (
        fold_place_name(wanted_state),
        fold_place_name(wanted_municipality),
    );
    let found = zones.iter().find(|(state, municipality)| {
        (fold_place_name(state), fold_place_name(municipality)) == folded
    });
    if let Some((state, municipality)) = found {
        return Ok(format!("{state}|{municipality}"));
    }
    let (es, en) = match zones.first() {
        Some((state, municipality)) => (
            format!(
                "Ninguna dirección de tu despacho está en la zona «{zone}». Usa una de las \
                 zonas de /api/reports/zones, como «{state}|{municipality}»."
            ),
            format!(
                "None of your organization's addresses is in the zone \"{zone}\". Use one of \
                 the zones of /api/reports/zones, such as \"{state}|{municipality}\"."
            ),
        ),
        None => (
            format!(
                "Ninguna dirección de tu despacho está en la zona «{zone}»: aún no hay \
                 direcciones con estado y municipio. Quita el filtro de zona."
            ),
            format!(
                "None of your organization's addresses is in the zone \"{zone}\": no \
                 address has a state and municipality yet. Remove the zone filter."
            ),
        ),
    };
    Err(ApiError::invalid(
        "zone",
        InputProblem::Explained { es, en },
    ))
}

fn parse_channel(value: Option<&str>) -> Result<Option<String>, ApiError> {
    const CHANNELS: [&str; 5] = ["visit", "phone", "email", "sms", "whatsapp"];
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(channel) if CHANNELS.contains(&channel) => Ok(Some(channel.to_owned())),
        Some(_) => Err(ApiError::invalid(
            "channel",
            InputProblem::NotOneOf("visit, phone, email, sms, whatsapp"),
        )),
    }
}

/// Checks the caller's role, brings the rollups up to date and reads the report's cells.
pub(crate) async fn load_contact_hours(
    state: &AppState,
    principal: &Principal,
    query: &ReportQuery,
) -> Result<(ReportFilter, Vec<HourCell>), ApiError> {
    require_role(principal, &[Role::Admin, Role::Supervisor, Role::Viewer])?;
    let zone = &state.settings().tracking_time_zone;
    let today = Timestamp::now().to_zoned_datetime(zone.clone()).date();
    let mut filter = parse_filter(query, today)?;
    if let Some(zone) = filter.zone.take() {
        filter.zone = Some(known_zone(state, principal, &zone).await?);
    }
    crate::reports::roll_up_pending(state.store(), zone).await?;
    let cells = state
        .store()
        .contact_hours(principal.organization_id, &filter)
        .await?;
    Ok((filter, cells))
}

/// Returns attempts, contact rate and success rate per weekday and local hour.
#[utoipa::path(get, path = "/api/reports/contact-hours", tag = "reports", params(ReportQuery),
    responses((status = 200, body = ContactHoursReport), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn contact_hours(
    State(state): State<AppState>,
    principal: Principal,
    Query(query): Query<ReportQuery>,
) -> Result<Json<ContactHoursReport>, ApiError> {
    let (filter, cells) = load_contact_hours(&state, &principal, &query).await?;
    let total = |pick: fn(&HourCell) -> i64| cells.iter().map(pick).sum::<i64>();
    Ok(Json(ContactHoursReport {
        attempts: total(|cell| cell.attempts),
        right_party: total(|cell| cell.right_party),
        successes: total(|cell| cell.successes),
        from: filter.from,
        to: filter.to,
        cells: cells.into_iter().map(HourCellView::from).collect(),
    }))
}

/// A zone reports can be filtered by: the state and municipality of addresses.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportZone {
    pub state: String,
    pub municipality: String,
    /// `state|municipality`, the value of the `zone` filter.
    pub zone: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReportZones {
    pub zones: Vec<ReportZone>,
}

/// Lists the zones of the organization's addresses, for the reports' zone filter.
#[utoipa::path(get, path = "/api/reports/zones", tag = "reports",
    responses((status = 200, body = ReportZones), (status = 403, body = ErrorBody)))]
pub async fn zones(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<ReportZones>, ApiError> {
    require_role(&principal, &[Role::Admin, Role::Supervisor, Role::Viewer])?;
    let pairs = state
        .store()
        .report_zones(principal.organization_id)
        .await?;
    let zones = pairs
        .into_iter()
        .map(|(state, municipality)| ReportZone {
            zone: format!("{state}|{municipality}"),
            state,
            municipality,
        })
        .collect();
    Ok(Json(ReportZones { zones }))
}
