//! Reading and checking a `PUT /api/organization` body. Every error names the field,
//! such as `contact_rule.weekdays[1].start`, and gives the fix.

use jiff::civil::Date;
use ronda_domain::portfolio::{ClockTime, ContactRule, Weekday, WeekdayWindow, Window};
use ronda_store::organization::OrganizationSettings;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::api::organization::MEXICO_TIME_ZONES;
use crate::error::{ApiError, InputProblem};

/// Maximum display name length, in characters.
const MAX_DISPLAY_NAME: usize = 120;
/// Maximum number of holidays in one rule, enough for a few years of national and local
/// holidays.
const MAX_HOLIDAYS: usize = 400;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganizationRequest {
    /// `null` or empty shows the registered name.
    pub display_name: Option<String>,
    /// One of `time_zones` from `GET /api/organization`, or `null`.
    pub default_time_zone: Option<String>,
    pub contact_rule: ContactRuleRequest,
    /// Absent keeps the current value.
    pub track_outside_shifts: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactRuleRequest {
    /// Only "MX" is accepted, and absent means "MX".
    pub jurisdiction: Option<String>,
    /// Window for every day while `weekdays` is empty.
    pub window: WindowRequest,
    /// Per-weekday windows. When present, a day that no entry lists allows no contact.
    #[serde(default)]
    pub weekdays: Vec<WeekdayWindowRequest>,
    /// Local dates "YYYY-MM-DD" without contact.
    #[serde(default)]
    pub holidays: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WindowRequest {
    /// "HH:MM", inclusive.
    pub start: String,
    /// "HH:MM", exclusive, later than `start`. "24:00" ends at midnight.
    pub end: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WeekdayWindowRequest {
    /// Lowercase English day names: monday … sunday.
    #[schema(value_type = Vec<String>)]
    pub days: Vec<Weekday>,
    pub start: String,
    pub end: String,
}

fn explained(field: impl Into<String>, es: String, en: String) -> ApiError {
    ApiError::invalid(field, InputProblem::Explained { es, en })
}

/// Parses "HH:MM" at `field`.
pub fn clock_time(field: &str, value: &str) -> Result<ClockTime, ApiError> {
    ClockTime::try_from(value.to_owned()).map_err(|_| {
        explained(
            field,
            format!("«{field}» debe ser una hora HH:MM entre 00:00 y 24:00; se recibió «{value}»."),
            format!("\"{field}\" must be a time HH:MM from 00:00 to 24:00; got \"{value}\"."),
        )
    })
}

/// Parses a window at `field` and checks that it starts before it ends.
pub fn window(field: &str, start: &str, end: &str) -> Result<Window, ApiError> {
    let start_time = clock_time(&format!("{field}.start"), start)?;
    let end_time = clock_time(&format!("{field}.end"), end)?;
    if start_time >= end_time {
        return Err(explained(
            format!("{field}.start"),
            format!("La hora de inicio ({start}) debe ser anterior a la de fin ({end})."),
            format!("The start time ({start}) must be earlier than the end time ({end})."),
        ));
    }
    Ok(Window {
        start: start_time,
        end: end_time,
    })
}

fn display_name(value: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(name) = value.map(str::trim).filter(|name| !name.is_empty()) else {
        return Ok(None);
    };
    if name.chars().count() > MAX_DISPLAY_NAME {
        return Err(explained(
            "display_name",
            format!("«display_name» admite hasta {MAX_DISPLAY_NAME} caracteres."),
            format!("\"display_name\" takes at most {MAX_DISPLAY_NAME} characters."),
        ));
    }
    Ok(Some(name.to_owned()))
}

fn time_zone(value: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(zone) = value.filter(|zone| !zone.is_empty()) else {
        return Ok(None);
    };
    if !MEXICO_TIME_ZONES.contains(&zone) {
        let choices = MEXICO_TIME_ZONES.join(", ");
        return Err(explained(
            "default_time_zone",
            format!("«{zone}» no es una zona horaria de México. Elige una de: {choices}."),
            format!("\"{zone}\" is not a Mexican time zone. Choose one of: {choices}."),
        ));
    }
    Ok(Some(zone.to_owned()))
}

fn weekdays(entries: &[WeekdayWindowRequest]) -> Result<Vec<WeekdayWindow>, ApiError> {
    let mut seen: Vec<Weekday> = Vec::new();
    let mut parsed = Vec::with_capacity(entries.len());
    for (index, entry) in entries.iter().enumerate() {
        let field = format!("contact_rule.weekdays[{index}]");
        if entry.days.is_empty() {
            return Err(explained(
                format!("{field}.days"),
                format!("«{field}.days» debe incluir al menos un día."),
                format!("\"{field}.days\" must list at least one day."),
            ));
        }
        if let Some(day) = entry.days.iter().find(|day| seen.contains(day)) {
            let day = serde_json::to_value(day).unwrap_or_default();
            return Err(explained(
                format!("{field}.days"),
                format!("El día {day} ya tiene horario en otra entrada; quítalo de una de ellas."),
                format!("Day {day} already has hours in another entry; remove it from one."),
            ));
        }
        seen.extend(entry.days.iter().copied());
        parsed.push(WeekdayWindow {
            days: entry.days.clone(),
            window: window(&field, &entry.start, &entry.end)?,
        });
    }
    Ok(parsed)
}

fn holidays(values: &[String]) -> Result<Vec<Date>, ApiError> {
    if values.len() > MAX_HOLIDAYS {
        return Err(explained(
            "contact_rule.holidays",
            format!("«contact_rule.holidays» admite hasta {MAX_HOLIDAYS} fechas."),
            format!("\"contact_rule.holidays\" takes at most {MAX_HOLIDAYS} dates."),
        ));
    }
    let mut dates = Vec::with_capacity(values.len());
    for (index, value) in values.iter().enumerate() {
        let field = format!("contact_rule.holidays[{index}]");
        let is_iso_date = value.len() == 10 && value.as_bytes().get(4) == Some(&b'-');
        let date = value
            .parse::<Date>()
            .ok()
            .filter(|_| is_iso_date)
            .ok_or_else(|| {
                explained(
                    field.clone(),
                    format!("«{field}» debe ser una fecha AAAA-MM-DD; se recibió «{value}»."),
                    format!("\"{field}\" must be a date YYYY-MM-DD; got \"{value}\"."),
                )
            })?;
        dates.push(date);
    }
    dates.sort();
    dates.dedup();
    Ok(dates)
}

/// Rejects a window that reaches outside Mexico's legal contact hours (07:00 to 22:00 in
/// the debtor's time zone): an organization may narrow them, never widen them.
fn within_mexican_hours(field: &str, window: Window) -> Result<Window, ApiError> {
    let legal = ContactRule::mexico().window;
    if window.start >= legal.start && window.end <= legal.end {
        return Ok(window);
    }
    Err(explained(
        field,
        format!(
            "En México solo se puede contactar de {} a {}; «{field}» debe quedar dentro de ese horario.",
            String::from(legal.start),
            String::from(legal.end)
        ),
        format!(
            "Mexico allows contact only from {} to {}; \"{field}\" must stay within those hours.",
            String::from(legal.start),
            String::from(legal.end)
        ),
    ))
}

fn contact_rule(request: &ContactRuleRequest) -> Result<ContactRule, ApiError> {
    if let Some(jurisdiction) = request.jurisdiction.as_deref()
        && jurisdiction != "MX"
    {
        return Err(explained(
            "contact_rule.jurisdiction",
            format!("Solo se admite la jurisdicción «MX»; se recibió «{jurisdiction}»."),
            format!("Only jurisdiction \"MX\" is supported; got \"{jurisdiction}\"."),
        ));
    }
    let window = window(
        "contact_rule.window",
        &request.window.start,
        &request.window.end,
    )?;
    let window = within_mexican_hours("contact_rule.window", window)?;
    let weekdays = weekdays(&request.weekdays)?;
    for (index, entry) in weekdays.iter().enumerate() {
        within_mexican_hours(&format!("contact_rule.weekdays[{index}]"), entry.window)?;
    }
    Ok(ContactRule {
        jurisdiction: "MX".to_owned(),
        window,
        weekdays,
        holidays: holidays(&request.holidays)?,
    })
}

/// Checks a request and returns the settings to store.
pub fn parse_settings(request: &OrganizationRequest) -> Result<OrganizationSettings, ApiError> {
    Ok(OrganizationSettings {
        display_name: display_name(request.display_name.as_deref())?,
        default_time_zone: time_zone(request.default_time_zone.as_deref())?,
        contact_rule: Some(contact_rule(&request.contact_rule)?),
        updated_at: None,
    })
}
