//! Contacts made outside field visits (calls, emails, SMS and WhatsApp messages) and the
//! supervisor's pin for an address without a point. Admins and supervisors only.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiff::Timestamp;
use jiff::civil::Date;
use ronda_domain::Role;
use ronda_domain::portfolio::{CollectionAction, PersonMet, PersonMetRefusal, check_person_met};
use ronda_store::contact::{AccountDetail, ContactChannel, NewContactAttempt};
use ronda_store::payment::PromiseSource;
use ronda_store::portfolio::GeoPoint;
use ronda_store::visit::ResultCode;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::accounts_detail::{AddressView, HistoryEntryView, address_view, attempt_entry};
use crate::api::{ApiJson, parse_id};
use crate::auth::Principal;
use crate::error::{ApiError, ErrorBody, InputProblem};
use crate::productivity::{PromiseOrigin, local_date, promise};
use crate::state::AppState;

const MAX_NOTE_CHARS: usize = 1000;
/// Earliest accepted contact time, 2020-01-01T00:00:00Z, so that a mistyped year is rejected.
const EARLIEST_MS: i64 = 1_577_836_800_000;
/// Clock difference allowed between the browser and the server.
const FUTURE_SLACK_MS: i64 = 60_000;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactAttemptRequest {
    /// `phone`, `email`, `sms` or `whatsapp`.
    pub channel: String,
    /// When the contact happened, in Unix milliseconds, from 2020 to now.
    pub occurred_at: i64,
    /// A code of the organization's result-code catalogue, such as `PTP`.
    pub result_code: String,
    /// The account's person who was contacted.
    pub person_id: Option<Uuid>,
    /// `debtor`, `guarantor`, `third_party`, `reference`, `minor` or `older_adult`. When
    /// absent, the role of `person_id` is used.
    pub person_met: Option<String>,
    /// Promised amount in cents. Only the debtor or a guarantor can promise, and at most
    /// the overdue balance.
    pub promise_amount_cents: Option<i64>,
    /// Promised payment date, `YYYY-MM-DD`, required with an amount.
    pub promise_date: Option<String>,
    /// At most 1000 characters.
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressPointRequest {
    pub latitude: f64,
    pub longitude: f64,
}

fn require_supervisor(principal: &Principal) -> Result<(), ApiError> {
    if matches!(principal.role, Role::Admin | Role::Supervisor) {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}

fn explained(field: &'static str, es: String, en: String) -> ApiError {
    ApiError::invalid(field, InputProblem::Explained { es, en })
}

/// Records a contact made outside a field visit. It shows in the account's history and is
/// added to the contact-hours report under its channel. A promise to pay it carries is
/// judged by imported payments like a visit's. Admins and supervisors only.
#[utoipa::path(post, path = "/api/accounts/{id}/contact-attempts", tag = "portfolios",
    request_body = ContactAttemptRequest,
    params(("id" = Uuid, Path, description = "Account id")),
    responses((status = 201, body = HistoryEntryView),
        (status = 403, body = ErrorBody, description = "Not an admin or supervisor, or an API token"),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "invalid_input naming the field")))]
pub async fn record_contact_attempt(
    State(state): State<AppState>,
    principal: Principal,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ContactAttemptRequest>,
) -> Result<(StatusCode, Json<HistoryEntryView>), ApiError> {
    require_supervisor(&principal)?;
    // NOTE: the rollup counts an attempt under the user who recorded it, so API tokens,
    // which have no user, cannot record attempts.
    let recorded_by = principal.user_id.ok_or_else(ApiError::forbidden)?;
    let id = parse_id("id", &id)?;
    let org = principal.organization_id;
    let store = state.store();

    let account = store
        .account_detail(org, id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let channel = parse_channel(&body.channel)?;
    let occurred_at = parse_occurred_at(body.occurred_at, Timestamp::now())?;
    let codes = store.result_codes(org).await?;
    let result_code = check_result_code(&codes, &body.result_code)?;
    let occurred_on = occurred_on(&state, &account, occurred_at);
    let promise_date = parse_promise(&account, &body, &result_code, occurred_on)?;

    let attempt_id = Uuid::now_v7();
    let origin = PromiseOrigin {
        source: PromiseSource::ContactAttempt(attempt_id),
        organization_id: org,
        account_id: id,
        // NOTE: recorded_by is an admin or supervisor, not a field agent. The productivity
        // report counts only promises made in visits, so it leaves these out.
        agent_id: recorded_by,
        lender_id: account.lender_id,
        portfolio_id: account.portfolio_id,
    };
    let promise = promise(
        origin,
        occurred_on,
        body.promise_amount_cents,
        promise_date.as_deref(),
    );
    let attempt = NewContactAttempt {
        id: attempt_id,
        organization_id: org,
        account_id: id,
        person_id: body.person_id,
        channel,
        occurred_at,
        result_code,
        person_met: parse_person_met(&account, &body)?.map(|met| person_met_name(met).into()),
        promise_amount_cents: body.promise_amount_cents,
        promise_date,
        note: parse_note(body.note.as_deref())?,
        recorded_by,
        created_at: Timestamp::now(),
        promise,
    };

    let audit = principal.audit(
        "account.contact_attempt_recorded",
        "account",
        Some(id.to_string()),
        json!({
            "contact_attempt_id": attempt.id,
            "channel": attempt.channel.as_str(),
            "occurred_at": attempt.occurred_at.as_millisecond(),
            "result_code": attempt.result_code,
            "person_id": attempt.person_id,
            "person_met": attempt.person_met,
            "promise_amount_cents": attempt.promise_amount_cents,
            "promise_date": attempt.promise_date,
        }),
    );

    store.record_contact_attempt(&attempt, &audit).await?;
    tracing::info!(account.id = %id, attempt.id = %attempt.id, channel = attempt.channel.as_str(),
        "contact attempt recorded");

    let stored = store
        .contact_attempts(org, id)
        .await?
        .into_iter()
        .find(|stored| stored.id == attempt.id)
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("stored attempt not read back")))?;
    let mut entry = attempt_entry(stored);
    if attempt.promise.is_some() {
        entry.promise_outcome = store
            .account_promises(org, id)
            .await?
            .into_iter()
            .find(|promise| promise.contact_attempt_id == Some(attempt.id))
            .map(Into::into);
    }
    Ok((StatusCode::CREATED, Json(entry)))
}

/// Returns the code when it is active in the organization's catalogue.
fn check_result_code(codes: &[ResultCode], code: &str) -> Result<String, ApiError> {
    let code = code.trim();
    if codes.iter().any(|entry| entry.active && entry.code == code) {
        return Ok(code.to_owned());
    }
    let active: Vec<&str> = codes
        .iter()
        .filter(|entry| entry.active)
        .map(|entry| entry.code.as_str())
        .collect();
    Err(explained(
        "result_code",
        format!(
            "«{code}» no es un código de resultado activo. Usa uno de: {}.",
            active.join(", ")
        ),
        format!(
            "\"{code}\" is not an active result code. Use one of: {}.",
            active.join(", ")
        ),
    ))
}

fn parse_channel(value: &str) -> Result<ContactChannel, ApiError> {
    ContactChannel::parse(value.trim()).ok_or_else(|| {
        ApiError::invalid(
            "channel",
            InputProblem::NotOneOf("phone, email, sms, whatsapp"),
        )
    })
}

fn parse_occurred_at(ms: i64, now: Timestamp) -> Result<Timestamp, ApiError> {
    if ms < EARLIEST_MS {
        return Err(explained(
            "occurred_at",
            "La fecha del contacto es anterior a 2020. Revisa la fecha y la hora.".into(),
            "The contact date is before 2020. Check the date and time.".into(),
        ));
    }
    if ms > now.as_millisecond() + FUTURE_SLACK_MS {
        return Err(explained(
            "occurred_at",
            "La fecha del contacto está en el futuro. Registra solo contactos que ya ocurrieron."
                .into(),
            "The contact date is in the future. Record only contacts that already happened.".into(),
        ));
    }
    Timestamp::from_millisecond(ms).map_err(|_| {
        explained(
            "occurred_at",
            "La fecha del contacto no es válida.".into(),
            "The contact date is invalid.".into(),
        )
    })
}

/// Reads `person_met`, or takes it from the role of `person_id`, which must be a person of
/// the account.
fn parse_person_met(
    account: &AccountDetail,
    body: &ContactAttemptRequest,
) -> Result<Option<PersonMet>, ApiError> {
    let person = match body.person_id {
        Some(person_id) => Some(
            account
                .persons
                .iter()
                .find(|person| person.id == person_id)
                .ok_or_else(|| ApiError::invalid("person_id", InputProblem::UnknownId))?,
        ),
        None => None,
    };
    if let Some(name) = body
        .person_met
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty())
    {
        return serde_json::from_value(json!(name)).map(Some).map_err(|_| {
            ApiError::invalid(
                "person_met",
                InputProblem::NotOneOf(
                    "debtor, guarantor, third_party, reference, minor, older_adult",
                ),
            )
        });
    }
    Ok(person.and_then(|person| match person.role.as_str() {
        "debtor" => Some(PersonMet::Debtor),
        "guarantor" => Some(PersonMet::Guarantor),
        "reference" => Some(PersonMet::Reference),
        _ => None,
    }))
}

fn person_met_name(met: PersonMet) -> &'static str {
    match met {
        PersonMet::Debtor => "debtor",
        PersonMet::Guarantor => "guarantor",
        PersonMet::ThirdParty => "third_party",
        PersonMet::Reference => "reference",
        PersonMet::Minor => "minor",
        PersonMet::OlderAdult => "older_adult",
    }
}

/// Returns the local date of a contact in the zone of the account's first address (the
/// address the contact-hours report uses), or in the server's tracking time zone when it
/// has none. The promise's `created_on` is this date, by the same rule as visits'.
fn occurred_on(state: &AppState, account: &AccountDetail, occurred_at: Timestamp) -> Date {
    let zone = account
        .addresses
        .first()
        .and_then(|address| address.time_zone.as_deref());
    local_date(occurred_at, zone, &state.settings().tracking_time_zone)
}

/// Result codes that record a promise to pay, so they need its amount and date.
const PROMISE_CODES: [&str; 1] = ["PTP"];
/// Result codes that only the debtor or a guarantor can give, as a promise.
const AGREEMENT_CODES: [&str; 1] = ["AGREEMENT"];

/// Checks the promise: amount and date together, only with the debtor or a guarantor, no
/// more than the overdue balance, and not dated before the contact. A promise result code
/// needs one. Returns the promise date.
fn parse_promise(
    account: &AccountDetail,
    body: &ContactAttemptRequest,
    result_code: &str,
    occurred_on: Date,
) -> Result<Option<String>, ApiError> {
    let date = body
        .promise_date
        .as_deref()
        .map(str::trim)
        .filter(|date| !date.is_empty());
    if AGREEMENT_CODES.contains(&result_code) {
        check_gate(account, body, CollectionAction::Agreement)?;
    }
    if PROMISE_CODES.contains(&result_code) && body.promise_amount_cents.is_none() {
        return Err(explained(
            "promise_amount_cents",
            format!(
                "El resultado «{result_code}» es una promesa de pago: indica su monto y su fecha."
            ),
            format!("Result \"{result_code}\" is a promise to pay: enter its amount and date."),
        ));
    }
    let Some(amount) = body.promise_amount_cents else {
        if date.is_some() {
            return Err(explained(
                "promise_amount_cents",
                "Falta el monto de la promesa. Indícalo o quita la fecha.".into(),
                "The promise amount is missing. Enter it or remove the date.".into(),
            ));
        }
        return Ok(None);
    };
    check_gate(account, body, CollectionAction::PromiseToPay)?;
    if amount <= 0 {
        return Err(explained(
            "promise_amount_cents",
            "El monto de la promesa debe ser mayor que cero.".into(),
            "The promise amount must be greater than zero.".into(),
        ));
    }
    if let Some(overdue) = account.overdue_cents
        && amount > overdue
    {
        return Err(explained(
            "promise_amount_cents",
            format!(
                "El monto de la promesa supera el saldo vencido ({}). Corrígelo.",
                pesos(overdue)
            ),
            format!(
                "The promise amount is above the overdue balance ({}). Correct it.",
                pesos(overdue)
            ),
        ));
    }
    let date = date.ok_or_else(|| {
        explained(
            "promise_date",
            "Falta la fecha de la promesa (AAAA-MM-DD).".into(),
            "The promise date is missing (YYYY-MM-DD).".into(),
        )
    })?;
    let parsed: Date = date.parse().map_err(|_| {
        explained(
            "promise_date",
            format!("«{date}» no es una fecha AAAA-MM-DD, por ejemplo 2026-12-15."),
            format!("\"{date}\" is not a date YYYY-MM-DD, such as 2026-12-15."),
        )
    })?;
    if parsed < occurred_on {
        return Err(explained(
            "promise_date",
            format!(
                "La fecha de la promesa ({parsed}) es anterior al contacto ({occurred_on}). Corrígela."
            ),
            format!(
                "The promise date ({parsed}) is before the contact ({occurred_on}). Correct it."
            ),
        ));
    }
    Ok(Some(parsed.to_string()))
}

/// Requires that the person met may take `action`: only the debtor or a guarantor.
fn check_gate(
    account: &AccountDetail,
    body: &ContactAttemptRequest,
    action: CollectionAction,
) -> Result<(), ApiError> {
    let met = parse_person_met(account, body)?.ok_or_else(|| {
        explained(
            "person_met",
            "Indica con quién se habló: una promesa o un convenio solo se registra con el titular o un aval."
                .into(),
            "Say who was contacted: a promise or an agreement is recorded only with the debtor or a guarantor."
                .into(),
        )
    })?;
    if let Err(refusal) = check_person_met(met, action) {
        let (es, en) = refusal_text(refusal);
        return Err(explained("person_met", es.into(), en.into()));
    }
    Ok(())
}

fn refusal_text(refusal: PersonMetRefusal) -> (&'static str, &'static str) {
    match refusal {
        PersonMetRefusal::NotObligated => (
            "No se puede registrar una promesa con un tercero o una referencia: solo con el titular o un aval.",
            "A promise cannot be recorded with a third party or a reference: only with the debtor or a guarantor.",
        ),
        PersonMetRefusal::Minor => (
            "No se puede cobrar ni registrar promesas con menores de edad.",
            "No collection or promises with minors.",
        ),
        PersonMetRefusal::OlderAdultNotDebtor => (
            "No se puede registrar una promesa con un adulto mayor que no es el titular.",
            "A promise cannot be recorded with an older adult who is not the debtor.",
        ),
    }
}

fn pesos(cents: i64) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

fn parse_note(note: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(note) = note.map(str::trim).filter(|note| !note.is_empty()) else {
        return Ok(None);
    };
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(explained(
            "note",
            format!("La nota tiene más de {MAX_NOTE_CHARS} caracteres. Acórtala."),
            format!("The note is longer than {MAX_NOTE_CHARS} characters. Shorten it."),
        ));
    }
    Ok(Some(note.to_owned()))
}

/// Sets the verified point of an address of the account, with source `supervisor`, so it
/// no longer needs a pin. Admins and supervisors only.
#[utoipa::path(put, path = "/api/accounts/{id}/addresses/{address_id}/point", tag = "portfolios",
    request_body = AddressPointRequest,
    params(("id" = Uuid, Path, description = "Account id"),
        ("address_id" = Uuid, Path, description = "Address id of the account")),
    responses((status = 200, body = AddressView),
        (status = 403, body = ErrorBody, description = "Not an admin or supervisor"),
        (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "invalid_input naming latitude or longitude")))]
pub async fn set_address_point(
    State(state): State<AppState>,
    principal: Principal,
    Path((id, address_id)): Path<(String, String)>,
    ApiJson(body): ApiJson<AddressPointRequest>,
) -> Result<Json<AddressView>, ApiError> {
    require_supervisor(&principal)?;
    let id = parse_id("id", &id)?;
    let address_id = parse_id("address_id", &address_id)?;
    let point = parse_point(&body)?;
    let org = principal.organization_id;
    let audit = principal.audit(
        "address.point_verified",
        "address",
        Some(address_id.to_string()),
        json!({
            "account_id": id,
            "latitude": point.latitude,
            "longitude": point.longitude,
            "source": "supervisor",
        }),
    );
    let store = state.store();
    if !store
        .set_verified_point(org, id, address_id, point, &audit)
        .await?
    {
        return Err(ApiError::not_found());
    }
    tracing::info!(account.id = %id, address.id = %address_id, "address point set by supervisor");
    let address = store
        .account_detail(org, id)
        .await?
        .and_then(|detail| {
            detail
                .addresses
                .into_iter()
                .find(|address| address.id == address_id)
        })
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(address_view(address)))
}

/// Reads a supervisor's pin. Mexico lies between latitudes 14 and 33 north and longitudes
/// 86 and 119 west, so a point outside that box is a mistake, such as swapped coordinates.
fn parse_point(body: &AddressPointRequest) -> Result<GeoPoint, ApiError> {
    if !(14.0..=33.0).contains(&body.latitude) {
        return Err(explained(
            "latitude",
            "La latitud debe estar entre 14 y 33 (México). Revisa que no esté intercambiada con la longitud.".into(),
            "The latitude must be between 14 and 33 (Mexico). Check that it is not swapped with the longitude.".into(),
        ));
    }
    if !(-119.0..=-86.0).contains(&body.longitude) {
        return Err(explained(
            "longitude",
            "La longitud debe estar entre -119 y -86 (México).".into(),
            "The longitude must be between -119 and -86 (Mexico).".into(),
        ));
    }
    Ok(GeoPoint {
        latitude: body.latitude,
        longitude: body.longitude,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurred_at_bounds() {
        let now = Timestamp::from_millisecond(1_796_000_000_000).expect("now");
        assert!(parse_occurred_at(EARLIEST_MS - 1, now).is_err());
        assert!(parse_occurred_at(EARLIEST_MS, now).is_ok());
        assert!(parse_occurred_at(now.as_millisecond() + 2 * FUTURE_SLACK_MS, now).is_err());
        assert!(parse_occurred_at(now.as_millisecond(), now).is_ok());
    }

    #[test]
    fn pesos_format() {
        assert_eq!(pesos(1_250_050), "$12500.50");
    }
}
