//! The visits simulated agents submit: answers valid for the shipped collection form, a
//! check-in at the address point, and a repeating mix of results and check-in cases.

use jiff::civil::Date;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::gpx::{Offset, Point, offset_from, place};
use super::png::gradient_png;

/// Zone for "today" when an address has none, the one most demo accounts are in.
const DEFAULT_ZONE: &str = "America/Mexico_City";

/// A stop of the agent's day package.
#[derive(Clone, Debug)]
pub struct Stop {
    pub account_id: String,
    pub address_id: String,
    pub assignment_id: String,
    /// The verified point when the address has one, or else the geocoded point.
    pub point: Point,
    pub overdue_cents: Option<i64>,
    pub time_zone: Option<String>,
}

/// Kind of check-in a simulated agent makes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CheckInCase {
    /// A good fix a few metres from the address point.
    AtAddress,
    /// A fix about 110 m away with a proposed pin correction: a doubtful distance.
    PinCorrection,
    /// A fix about 320 m away that the device refused.
    RefusedTooFar,
    /// The agent declares the address cannot be found.
    AddressNotFound,
}

/// One visit's check-in case and answers.
#[derive(Clone, Copy, Debug)]
pub struct Scenario {
    pub check_in: CheckInCase,
    pub person_met: &'static str,
    pub result_code: &'static str,
}

impl Scenario {
    /// The collection form asks for a facade photo when nobody answered or the address is
    /// missing or uninhabited.
    pub fn needs_photo(&self) -> bool {
        self.person_met == "nobody"
            || matches!(self.result_code, "UNINHABITED" | "ADDRESS_NOT_FOUND")
    }
}

const SCENARIOS: [Scenario; 10] = [
    scenario(CheckInCase::AtAddress, "debtor", "PTP"),
    scenario(CheckInCase::AtAddress, "third_party", "MESSAGE_LEFT"),
    scenario(CheckInCase::AtAddress, "nobody", "NOBODY_HOME"),
    scenario(CheckInCase::AtAddress, "debtor", "REFUSED"),
    scenario(CheckInCase::PinCorrection, "debtor", "PTP"),
    scenario(CheckInCase::AtAddress, "guarantor", "PTP"),
    scenario(CheckInCase::RefusedTooFar, "nobody", "UNSAFE"),
    scenario(CheckInCase::AtAddress, "third_party", "WRONG_PARTY"),
    scenario(CheckInCase::AddressNotFound, "nobody", "ADDRESS_NOT_FOUND"),
    scenario(CheckInCase::AtAddress, "debtor", "DISPUTED"),
];

const fn scenario(
    check_in: CheckInCase,
    person_met: &'static str,
    result_code: &'static str,
) -> Scenario {
    Scenario {
        check_in,
        person_met,
        result_code,
    }
}

/// Returns the scenario of an agent's visit number `number`; the table repeats every ten.
pub fn scenario_for(number: usize) -> Scenario {
    SCENARIOS[number % SCENARIOS.len()]
}

/// A facade photo with its SHA-256, different for every `seed`.
pub struct Photo {
    pub sha256: String,
    pub bytes: Vec<u8>,
}

pub fn photo(seed: u64) -> Photo {
    let channel = |shift: u32| ((seed.wrapping_mul(2_654_435_761) >> shift) & 0xff) as u8;
    let bytes = gradient_png(
        64,
        48,
        [channel(0), channel(8), channel(16)],
        [200, 190, 170],
    );
    let sha256 = Sha256::digest(&bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    Photo { sha256, bytes }
}

/// Check-in position of the agent, with the accuracy radius its phone reports.
#[derive(Clone, Copy, Debug)]
pub struct Fix {
    pub point: Point,
    pub accuracy_m: f64,
}

/// Builds the body of `PUT /api/field/visits/{id}` for a visit that checked in at `fix`
/// at `checked_in_ms` and finished at `finished_ms` (Unix milliseconds, server clock).
pub fn visit_body(
    stop: &Stop,
    form_version_id: &str,
    scenario: Scenario,
    fix: Fix,
    checked_in_ms: i64,
    finished_ms: i64,
    photo: Option<&Photo>,
) -> Value {
    let accuracy_m = fix.accuracy_m;
    let fix = fix.point;
    let distance_m = offset_from(stop.point, fix).length_m();
    let radius_m = 50.0 + accuracy_m;
    let too_far =
        json!([{ "code": "too_far", "distance_m": distance_m.round(), "radius_m": radius_m }]);
    let mut check_in = json!({
        "fix": {
            "latitude": fix.latitude,
            "longitude": fix.longitude,
            "accuracy_m": accuracy_m,
            "fix_time": checked_in_ms,
        },
        "device_time": checked_in_ms,
        "server_offset_ms": 0,
        "on_device": { "decision": "accepted", "reasons": [] },
    });
    match scenario.check_in {
        CheckInCase::AtAddress => {}
        CheckInCase::PinCorrection => {
            check_in["exception"] = json!("pin_correction");
            check_in["proposed_point"] =
                json!({ "latitude": fix.latitude, "longitude": fix.longitude });
            check_in["on_device"]["reasons"] = too_far;
        }
        CheckInCase::RefusedTooFar => {
            check_in["on_device"] = json!({ "decision": "refused", "reasons": too_far });
        }
        CheckInCase::AddressNotFound => {
            check_in["exception"] = json!("address_not_found");
        }
    }

    let today = local_date(stop.time_zone.as_deref(), finished_ms);
    let mut answers = answers(stop, scenario, checked_in_ms, today);
    let mut attachments = Vec::new();
    if let Some(photo) = photo.filter(|_| scenario.needs_photo()) {
        answers.insert("facade_photo".into(), json!(photo.sha256));
        attachments.push(json!({
            "sha256": photo.sha256,
            "kind": "photo",
            "content_type": "image/png",
            "bytes": photo.bytes.len(),
            "question": "facade_photo",
        }));
    }
    json!({
        "assignment_id": stop.assignment_id,
        "account_id": stop.account_id,
        "address_id": stop.address_id,
        "form_version_id": form_version_id,
        "started_at": checked_in_ms,
        "finished_at": finished_ms,
        "check_in": check_in,
        "answers": answers,
        "attachments": attachments,
    })
}

/// Returns the check-in position at `address` for `case`. The simulated
/// phone reports its positions there too, so the track agrees with the check-in.
pub fn fix_for(address: Point, case: CheckInCase, seed: usize) -> Fix {
    // Vary the small offsets with the seed, so fixes do not all sit on the same spot.
    let wobble = (seed % 9) as f64;
    let (offset, accuracy_m) = match case {
        CheckInCase::AtAddress => ((4.0 + wobble, 3.0), 8.0 + wobble),
        CheckInCase::PinCorrection => ((80.0, 75.0 + wobble), 25.0),
        CheckInCase::RefusedTooFar => ((-230.0, 220.0 + wobble), 15.0),
        CheckInCase::AddressNotFound => ((30.0 + wobble, -40.0), 12.0),
    };
    let offset = Offset {
        east_m: offset.0,
        north_m: offset.1,
    };
    Fix {
        point: place(address, offset),
        accuracy_m,
    }
}

/// Returns the date at `at_ms` in the address's zone, as the form's `today()` evaluates it.
fn local_date(zone: Option<&str>, at_ms: i64) -> Date {
    let zone = zone
        .and_then(ronda_domain::portfolio::bundled_zone)
        .or_else(|| ronda_domain::portfolio::bundled_zone(DEFAULT_ZONE))
        .unwrap_or(jiff::tz::TimeZone::UTC);
    let at = jiff::Timestamp::from_millisecond(at_ms).unwrap_or_else(|_| jiff::Timestamp::now());
    at.to_zoned_datetime(zone).date()
}

/// Answers to the shipped collection form (`visita_cobranza`) for `scenario`.
fn answers(stop: &Stop, scenario: Scenario, at_ms: i64, today: Date) -> Map<String, Value> {
    let mut answers = Map::new();
    answers.insert("person_met".into(), json!(scenario.person_met));
    if matches!(scenario.person_met, "debtor" | "guarantor") {
        answers.insert("disclosure_ack".into(), json!("OK"));
    }
    let mut result_code = scenario.result_code;
    let overdue_pesos = stop.overdue_cents.map(|cents| cents as f64 / 100.0);
    if result_code == "PTP" && overdue_pesos.is_none_or(|pesos| pesos < 100.0) {
        // A promise must not exceed the overdue balance, which this account lacks.
        result_code = "REFUSED";
    }
    answers.insert("result_code".into(), json!(result_code));
    let variant = (at_ms / 1_000 % 4) as usize;
    match result_code {
        "PTP" => {
            let pesos = overdue_pesos.unwrap_or_default();
            let share = [0.25, 0.4, 0.5, 1.0][variant];
            // Round down to whole 50 pesos, at least 100 and never above the balance.
            let amount = ((pesos * share / 50.0).floor() * 50.0).clamp(100.0, pesos);
            let days = 1 + (at_ms / 1_000 % 6) as i8;
            let date = today
                .checked_add(jiff::Span::new().days(days))
                .unwrap_or(today);
            let channel = [
                "transfer",
                "convenience_store",
                "bank_branch",
                "lender_office",
            ];
            answers.insert("promise_amount".into(), json!(amount));
            answers.insert("promise_date".into(), json!(date.to_string()));
            answers.insert("promise_channel".into(), json!(channel[variant]));
        }
        "REFUSED" => {
            let reasons = [
                "Dice que no reconoce el adeudo completo.",
                "Sin ingresos este mes; pide regresar la próxima quincena.",
            ];
            answers.insert("refusal_reason".into(), json!(reasons[variant % 2]));
        }
        "MESSAGE_LEFT" => {
            let relations = ["Hermana", "Esposo", "Vecina", "Hijo"];
            answers.insert("relation_to_debtor".into(), json!(relations[variant]));
        }
        "UNSAFE" => {
            answers.insert(
                "notes".into(),
                json!("Calle cerrada por un conflicto vecinal; no se pudo llegar al domicilio."),
            );
        }
        "WRONG_PARTY" => {
            answers.insert(
                "notes".into(),
                json!("Quien atendió no conoce al titular; vive ahí desde hace un año."),
            );
        }
        "DISPUTED" => {
            answers.insert(
                "notes".into(),
                json!("El titular dice que ya pagó y presentará su comprobante al otorgante."),
            );
        }
        _ => {}
    }
    answers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stop(overdue_cents: Option<i64>) -> Stop {
        Stop {
            account_id: "a".into(),
            address_id: "b".into(),
            assignment_id: "c".into(),
            point: Point {
                latitude: 19.4194,
                longitude: -99.1617,
            },
            overdue_cents,
            time_zone: Some("America/Mexico_City".into()),
        }
    }

    /// Noon in Mexico City on 2026-07-15.
    const NOON_MS: i64 = 1_784_138_400_000;

    #[test]
    fn scenarios_pass_the_collection_form() {
        let template = ronda_forms::templates::TEMPLATES
            .iter()
            .find(|template| template.name == "visita_cobranza")
            .expect("shipped collection form");
        let definition = template.definition().expect("definition");
        for number in 0..SCENARIOS.len() {
            let scenario = scenario_for(number);
            let photo = photo(number as u64);
            let at = NOON_MS + number as i64 * 61_000;
            let stop = stop(Some(1_250_000));
            let fix = fix_for(stop.point, scenario.check_in, number);
            let body = visit_body(&stop, "f", scenario, fix, at, at + 60_000, Some(&photo));
            let answers = body["answers"].as_object().expect("answers").clone();
            let clock = ronda_forms::expr::Clock::from_zoned(
                &jiff::Timestamp::from_millisecond(at + 60_000)
                    .expect("time")
                    .to_zoned_datetime(
                        ronda_domain::portfolio::bundled_zone(DEFAULT_ZONE).expect("zone"),
                    ),
            );
            let context = ronda_forms::validate::SubmissionContext::new(clock)
                .with_external("overdue_amount", "12500");
            let checked =
                ronda_forms::validate::validate_submission(&definition, &answers, &context);
            assert!(checked.is_ok(), "scenario {number}: {:?}", checked.err());
        }
    }

    #[test]
    fn check_in_cases_sit_at_their_distance() {
        let stop = stop(Some(1_250_000));
        let distance = |case| {
            let fix = fix_for(stop.point, case, 7);
            offset_from(stop.point, fix.point).length_m()
        };
        assert!(distance(CheckInCase::AtAddress) < 20.0);
        assert!((100.0..130.0).contains(&distance(CheckInCase::PinCorrection)));
        assert!(distance(CheckInCase::RefusedTooFar) > 300.0);
    }

    #[test]
    fn promise_needs_an_overdue_balance() {
        let stop = stop(None);
        let fix = fix_for(stop.point, CheckInCase::AtAddress, 0);
        let body = visit_body(&stop, "f", scenario_for(0), fix, NOON_MS, NOON_MS, None);
        assert_eq!(body["answers"]["result_code"], "REFUSED");
    }
}
