//! Organization settings on both stores: who reads and changes them, how bad input is
//! reported, and how the contact rule reaches the day package and check-in verdicts.

use crate::field_common;
use crate::support;

use axum::http::{Method, StatusCode};
use field_common::{HOME, NOON_MS, check_in, field, put, put_visit, reason_codes, visit_body};
use serde_json::{Value, json};
use support::{Auth, Session, TestApp};
use uuid::Uuid;

fn settings(window_start: &str, window_end: &str) -> Value {
    json!({
        "display_name": "Despacho Norte Cobranza",
        "default_time_zone": "America/Monterrey",
        "contact_rule": {
            "window": {"start": window_start, "end": window_end},
            "weekdays": [],
            "holidays": []
        }
    })
}

async fn put_settings(app: &TestApp, session: &Session, body: Value) -> support::Response {
    app.request(
        Method::PUT,
        "/api/organization",
        Auth::Session(session),
        Some(body),
    )
    .await
}

/// Sends `body` as the admin and returns the field the 422 names.
async fn rejected_field(app: &TestApp, admin: &Session, body: Value) -> String {
    let response = put_settings(app, admin, body).await;
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        response.body
    );
    response.body["field"]
        .as_str()
        .expect("field named")
        .to_owned()
}

async fn roles_and_tenancy(app: TestApp) {
    let north = app.tenant("Despacho Norte").await;
    let _south = app.tenant("Despacho Sur").await;
    let admin = app.login("admin@despacho-norte.mx").await;
    let supervisor = app.login("supervisor@despacho-norte.mx").await;
    let viewer = app.login("viewer@despacho-norte.mx").await;
    let agent = app.login("agent@despacho-norte.mx").await;
    let south_admin = app.login("admin@despacho-sur.mx").await;

    let defaults = app.get("/api/organization", Auth::Session(&viewer)).await;
    assert_eq!(defaults.status, StatusCode::OK, "{:?}", defaults.body);
    assert_eq!(defaults.body["name"], "Despacho Norte");
    assert_eq!(defaults.body["id"], north.org.id.0.to_string());
    assert_eq!(defaults.body["display_name"], Value::Null);
    assert_eq!(defaults.body["contact_rule"]["window"]["start"], "07:00");
    assert_eq!(defaults.body["contact_rule"]["window"]["end"], "22:00");
    assert_eq!(
        defaults.body["time_zones"].as_array().map(Vec::len),
        Some(12)
    );
    assert_eq!(defaults.body["updated_at"], Value::Null);

    let read = app
        .get("/api/organization", Auth::Session(&supervisor))
        .await;
    assert_eq!(read.status, StatusCode::OK);
    let read = app.get("/api/organization", Auth::Session(&agent)).await;
    assert_eq!(read.status, StatusCode::FORBIDDEN);
    let read = app.get("/api/organization", Auth::None).await;
    assert_eq!(read.status, StatusCode::UNAUTHORIZED);

    for session in [&viewer, &supervisor, &agent] {
        let refused = put_settings(&app, session, settings("08:00", "21:00")).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{:?}", refused.body);
    }

    let saved = put_settings(&app, &admin, settings("08:00", "21:00")).await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
    assert_eq!(saved.body["display_name"], "Despacho Norte Cobranza");
    assert_eq!(saved.body["default_time_zone"], "America/Monterrey");
    assert_eq!(saved.body["contact_rule"]["window"]["start"], "08:00");
    assert!(saved.body["updated_at"].is_i64());

    let seen = app.get("/api/organization", Auth::Session(&viewer)).await;
    assert_eq!(seen.body["contact_rule"]["window"]["end"], "21:00");

    // Another organization keeps its own defaults and cannot reach these settings.
    let south = app
        .get("/api/organization", Auth::Session(&south_admin))
        .await;
    assert_eq!(south.body["name"], "Despacho Sur");
    assert_eq!(south.body["contact_rule"]["window"]["start"], "07:00");
    assert_eq!(south.body["display_name"], Value::Null);

    let audit = app.get("/api/audit", Auth::Session(&admin)).await;
    let changes = audit.body["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|entry| entry["action"] == "organization.settings_changed")
        .count();
    assert_eq!(changes, 1);
    let south_audit = app.get("/api/audit", Auth::Session(&south_admin)).await;
    let leaked = south_audit.body["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .any(|entry| entry["action"] == "organization.settings_changed");
    assert!(!leaked, "the other organization's audit shows no change");
}
on_both_stores!(organization_roles_and_tenancy, roles_and_tenancy);

async fn bad_input(app: TestApp) {
    app.tenant("Despacho Norte").await;
    let admin = app.login("admin@despacho-norte.mx").await;

    let backwards = rejected_field(&app, &admin, settings("21:00", "08:00")).await;
    assert_eq!(backwards, "contact_rule.window.start");

    let response = put_settings(&app, &admin, settings("21:00", "08:00")).await;
    let message = response.body["message"].as_str().expect("message");
    assert!(message.contains("anterior"), "Spanish message: {message}");

    let bad_clock = rejected_field(&app, &admin, settings("8am", "21:00")).await;
    assert_eq!(bad_clock, "contact_rule.window.start");

    // Mexico's legal hours can be narrowed, never widened.
    let wider = rejected_field(&app, &admin, settings("06:00", "23:00")).await;
    assert_eq!(wider, "contact_rule.window");
    let late = put_settings(&app, &admin, settings("07:00", "22:30")).await;
    let message = late.body["message"].as_str().expect("message");
    assert!(
        message.contains("de 07:00 a 22:00"),
        "Spanish message: {message}"
    );
    let mut saturday = settings("08:00", "21:00");
    saturday["contact_rule"]["weekdays"] =
        json!([{"days": ["saturday"], "start": "06:30", "end": "14:00"}]);
    assert_eq!(
        rejected_field(&app, &admin, saturday).await,
        "contact_rule.weekdays[0]"
    );

    let mut zone = settings("08:00", "21:00");
    zone["default_time_zone"] = json!("Europe/Madrid");
    assert_eq!(
        rejected_field(&app, &admin, zone).await,
        "default_time_zone"
    );

    let mut holiday = settings("08:00", "21:00");
    holiday["contact_rule"]["holidays"] = json!(["2026-12-25", "25/12/2026"]);
    assert_eq!(
        rejected_field(&app, &admin, holiday).await,
        "contact_rule.holidays[1]"
    );

    let mut twice = settings("08:00", "21:00");
    twice["contact_rule"]["weekdays"] = json!([
        {"days": ["monday", "tuesday"], "start": "08:00", "end": "20:00"},
        {"days": ["tuesday"], "start": "09:00", "end": "14:00"}
    ]);
    assert_eq!(
        rejected_field(&app, &admin, twice).await,
        "contact_rule.weekdays[1].days"
    );

    let mut unknown = settings("08:00", "21:00");
    unknown["colour"] = json!("azul");
    assert_eq!(rejected_field(&app, &admin, unknown).await, "colour");

    let mut jurisdiction = settings("08:00", "21:00");
    jurisdiction["contact_rule"]["jurisdiction"] = json!("CO");
    assert_eq!(
        rejected_field(&app, &admin, jurisdiction).await,
        "contact_rule.jurisdiction"
    );

    let unchanged = app.get("/api/organization", Auth::Session(&admin)).await;
    assert_eq!(unchanged.body["updated_at"], Value::Null);
}
on_both_stores!(organization_bad_input, bad_input);

/// 2026-07-15, the day of `NOON_MS`, becomes a holiday in the northern organization only.
async fn holiday_refuses_check_in(app: TestApp) {
    let north = field(&app, "Despacho Norte").await;
    let south = field(&app, "Despacho Sur").await;

    let mut rule = settings("07:00", "22:00");
    rule["default_time_zone"] = Value::Null;
    rule["contact_rule"]["holidays"] = json!(["2026-07-15"]);
    rule["contact_rule"]["weekdays"] =
        json!([{"days": ["monday", "tuesday", "wednesday"], "start": "09:00", "end": "18:00"}]);
    let saved = put(&app, &north.admin, "/api/organization", rule).await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);

    let day = app.get("/api/field/day", Auth::Session(&north.agent)).await;
    assert_eq!(day.status, StatusCode::OK, "{:?}", day.body);
    assert_eq!(day.body["contact_rules"]["holidays"], json!(["2026-07-15"]));
    assert_eq!(day.body["contact_rules"]["weekdays"][0]["start"], "09:00");
    assert_eq!(
        day.body["checkin_rules"]["contact"]["holidays"],
        json!(["2026-07-15"])
    );
    let south_day = app.get("/api/field/day", Auth::Session(&south.agent)).await;
    assert_eq!(south_day.body["contact_rules"]["holidays"], json!([]));

    let body = visit_body(&north, north.account("FV-1"), check_in(HOME, NOON_MS));
    let refused = put_visit(&app, &north.agent, Uuid::new_v4(), body).await;
    assert_eq!(refused.status, StatusCode::CREATED, "{:?}", refused.body);
    assert_eq!(refused.body["verdict"]["outcome"], "rejected");
    assert_eq!(
        reason_codes(&refused.body),
        ["outside_contact_window", "no_track"]
    );
    assert_eq!(refused.body["verdict"]["reasons"][0]["window"], "holiday");

    let body = visit_body(&south, south.account("FV-1"), check_in(HOME, NOON_MS));
    let accepted = put_visit(&app, &south.agent, Uuid::new_v4(), body).await;
    assert_eq!(accepted.status, StatusCode::CREATED, "{:?}", accepted.body);
    assert_eq!(accepted.body["verdict"]["outcome"], "verified");
    assert_eq!(reason_codes(&accepted.body), ["no_track"]);
}
on_both_stores!(organization_holiday_check_in, holiday_refuses_check_in);
