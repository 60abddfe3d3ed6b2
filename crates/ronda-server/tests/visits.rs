//! The console's visits API on both stores: the filtered list, a visit's evidence, its
//! files, pin-correction decisions, roles and organizations kept apart.

use crate::field_common;
use crate::support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use field_common::{
    DAY_MS, Field, HOME, MINUTE_MS, NOON_MS, check_in, clock_in, field, north, post_track,
    put_attachment, put_visit, sha256_hex, visit_body,
};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use support::{Auth, Session, TestApp};
use tower::ServiceExt;
use uuid::Uuid;

/// Stores a visit of `session`'s agent and returns its id.
async fn visit(app: &TestApp, session: &Session, body: Value) -> Uuid {
    let id = Uuid::now_v7();
    let response = put_visit(app, session, id, body).await;
    assert_eq!(response.status, StatusCode::CREATED, "{:?}", response.body);
    id
}

/// Builds a visit body whose agent proposes the check-in point as the address's corrected pin.
fn pin_visit_body(field: &Field, lender_account_id: &str, point: (f64, f64), at: i64) -> Value {
    let mut check_in = check_in(point, at);
    check_in["exception"] = json!("pin_correction");
    check_in["proposed_point"] = json!({"latitude": point.0, "longitude": point.1});
    visit_body(field, field.account(lender_account_id), check_in)
}

/// Reads a response's status, content type and raw bytes.
async fn get_bytes(app: &TestApp, session: &Session, path: &str) -> (StatusCode, String, Vec<u8>) {
    let request = Request::builder()
        .method(Method::GET)
        .uri(path)
        .header(header::COOKIE, &session.cookie)
        .body(Body::empty())
        .expect("request");
    let response = app.router.clone().oneshot(request).await.expect("router");
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, content_type, bytes.to_vec())
}

/// Asserts that a JSON number is `expected` up to float parsing, which may change the
/// last digit of a coordinate on its way through a request body.
fn assert_coordinate(value: &Value, expected: f64) {
    let actual = value
        .as_f64()
        .unwrap_or_else(|| panic!("{value} is not a number"));
    assert!((actual - expected).abs() < 1e-9, "{actual} != {expected}");
}

fn ids(body: &Value) -> Vec<String> {
    body["visits"]
        .as_array()
        .expect("visits")
        .iter()
        .map(|visit| visit["id"].as_str().expect("id").to_owned())
        .collect()
}

async fn list(app: &TestApp, session: &Session, query: &str) -> support::Response {
    app.get(&format!("/api/visits?{query}"), Auth::Session(session))
        .await
}

async fn list_filters_visits(app: TestApp) {
    let field = field(&app, "Despacho Norte").await;
    let first = visit(
        &app,
        &field.agent,
        visit_body(&field, field.account("FV-1"), check_in(HOME, NOON_MS)),
    )
    .await;
    let far = visit(
        &app,
        &field.agent,
        visit_body(
            &field,
            field.account("FV-2"),
            check_in(north(HOME, 5000.0), NOON_MS + DAY_MS),
        ),
    )
    .await;
    let other = visit(
        &app,
        &field.other_agent_session,
        visit_body(
            &field,
            field.account("FV-3"),
            check_in(north(HOME, 1600.0), NOON_MS + 2 * DAY_MS),
        ),
    )
    .await;
    let supervisor = &field.supervisor;

    let all = list(&app, supervisor, "").await;
    assert_eq!(all.status, StatusCode::OK, "{:?}", all.body);
    assert_eq!(ids(&all.body), [other, far, first].map(|id| id.to_string()));
    assert_eq!(all.body["next_cursor"], Value::Null);
    let newest = &all.body["visits"][0];
    assert_eq!(newest["agent_name"], "Beto Gestor");
    assert_eq!(newest["lender_account_id"], "FV-3");
    assert_eq!(newest["result_code"], "PTP");
    assert!(newest["result_label_es"].is_string());

    let by_agent = list(
        &app,
        supervisor,
        &format!("agent_id={}", field.tenant.agent.id.0),
    )
    .await;
    assert_eq!(ids(&by_agent.body), [far, first].map(|id| id.to_string()));

    let rejected = list(&app, supervisor, "verdict=rejected").await;
    assert_eq!(ids(&rejected.body), [far.to_string()]);
    assert_eq!(rejected.body["visits"][0]["verdict"], "rejected");

    // The middle visit finished on 2026-07-16 in Mexico City.
    let one_day = list(&app, supervisor, "from=2026-07-16&to=2026-07-16").await;
    assert_eq!(ids(&one_day.body), [far.to_string()]);
    let from_day = list(&app, supervisor, "from=2026-07-16").await;
    assert_eq!(ids(&from_day.body), [other, far].map(|id| id.to_string()));

    let by_code = list(&app, supervisor, "result_code=PTP").await;
    assert_eq!(ids(&by_code.body).len(), 3);
    let lender_id = newest["lender_id"].as_str().expect("lender").to_owned();
    let portfolio_id = newest["portfolio_id"]
        .as_str()
        .expect("portfolio")
        .to_owned();
    let by_lender = list(&app, supervisor, &format!("lender_id={lender_id}")).await;
    assert_eq!(ids(&by_lender.body).len(), 3);
    let by_portfolio = list(&app, supervisor, &format!("portfolio_id={portfolio_id}")).await;
    assert_eq!(ids(&by_portfolio.body).len(), 3);
    let unknown = list(
        &app,
        supervisor,
        &format!("portfolio_id={}", Uuid::now_v7()),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert!(ids(&unknown.body).is_empty());

    let page = list(&app, supervisor, "limit=2").await;
    assert_eq!(ids(&page.body), [other, far].map(|id| id.to_string()));
    let cursor = page.body["next_cursor"]
        .as_str()
        .expect("cursor")
        .to_owned();
    let next = list(&app, supervisor, &format!("limit=2&cursor={cursor}")).await;
    assert_eq!(ids(&next.body), [first.to_string()]);
    assert_eq!(next.body["next_cursor"], Value::Null);
}

on_both_stores!(list_filters, list_filters_visits);

async fn list_rejects_bad_parameters(app: TestApp) {
    let field = field(&app, "Despacho Norte").await;
    let cases = [
        ("from=2026-13-01", "from", "AAAA-MM-DD"),
        ("to=ayer", "to", "AAAA-MM-DD"),
        ("from=2026-07-16&to=2026-07-15", "to", "from"),
        ("agent_id=beto", "agent_id", "UUID"),
        ("lender_id=1", "lender_id", "UUID"),
        ("portfolio_id=x", "portfolio_id", "UUID"),
        ("verdict=good", "verdict", "verified, doubtful o rejected"),
        ("result_code=NOPE", "result_code", "PTP"),
        ("limit=0", "limit", "1 a 200"),
        ("limit=201", "limit", "1 a 200"),
        ("cursor=abc", "cursor", "next_cursor"),
    ];
    for (query, parameter, hint) in cases {
        let response = list(&app, &field.supervisor, query).await;
        assert_eq!(response.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(response.body["code"], "invalid_input", "{query}");
        assert_eq!(response.body["field"], parameter, "{query}");
        let message = response.body["message"].as_str().expect("message");
        assert!(message.contains(hint), "{query}: {message}");
    }
}

on_both_stores!(list_bad_parameters, list_rejects_bad_parameters);

async fn detail_shows_evidence(app: TestApp) {
    let field = field(&app, "Despacho Norte").await;
    let agent = &field.agent;
    clock_in(&app, agent, NOON_MS - 60 * MINUTE_MS).await;
    let door = north(HOME, 30.0);
    // Only the two positions within 30 minutes of the check-in belong to its track.
    post_track(
        &app,
        agent,
        NOON_MS,
        &[
            (-45, north(HOME, 900.0)),
            (-10, north(HOME, 200.0)),
            (5, door),
            (40, HOME),
        ],
    )
    .await;
    let photo = b"\xff\xd8\xff\xe0 fachada verde, porton negro".to_vec();
    let sha256 = sha256_hex(&photo);
    let mut body = pin_visit_body(&field, "FV-1", door, NOON_MS);
    body["answers"]["facade_photo"] = json!(sha256);
    body["attachments"] = json!([{"sha256": sha256, "kind": "photo",
        "content_type": "image/jpeg", "bytes": photo.len(), "question": "facade_photo"}]);
    let id = visit(&app, agent, body).await;
    let (status, _) = put_attachment(&app, agent, &sha256, "image/jpeg", photo.clone()).await;
    assert_eq!(status, StatusCode::CREATED);

    let response = app
        .get(
            &format!("/api/visits/{id}"),
            Auth::Session(&field.supervisor),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{:?}", response.body);
    let visit = &response.body;
    assert_eq!(visit["id"], id.to_string());
    assert_eq!(visit["status"], "complete");
    assert_eq!(visit["account"]["lender_account_id"], "FV-1");
    assert_eq!(visit["account"]["debtor_name"], "Titular FV-1");
    assert_coordinate(&visit["address"]["point"]["latitude"], HOME.0);
    assert_eq!(visit["address"]["verified_point"], Value::Null);
    assert_eq!(visit["form"]["form_id"], "visita_cobranza");
    let questions = visit["form"]["questions"].as_array().expect("questions");
    let person_met = questions
        .iter()
        .find(|question| question["name"] == "person_met")
        .expect("person_met question");
    assert!(person_met["label_es"].is_string());
    assert!(
        !person_met["choices"]
            .as_array()
            .expect("choices")
            .is_empty()
    );
    assert_eq!(visit["answers"]["facade_photo"], sha256);
    assert_eq!(visit["promise_amount_cents"], 150_050);
    assert_eq!(visit["attachments"][0]["sha256"], sha256);
    assert_eq!(visit["attachments"][0]["received"], true);
    assert_eq!(visit["check_in"]["accuracy_m"], 12.0);
    assert_eq!(visit["check_in"]["fix_time"], NOON_MS);
    assert_eq!(visit["check_in"]["server_offset_ms"], 0);
    assert_eq!(visit["verdict"], "doubtful");
    let reasons: Vec<&str> = visit["verdict_reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|reason| reason["code"].as_str().expect("code"))
        .collect();
    assert!(reasons.contains(&"exception_declared"), "{reasons:?}");
    assert_eq!(visit["pin_correction"]["state"], "pending");
    assert_coordinate(&visit["pin_correction"]["latitude"], door.0);
    assert_eq!(visit["pin_state"], "pending");
    let events: Vec<&str> = visit["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|event| event["kind"].as_str().expect("kind"))
        .collect();
    assert!(events.contains(&"visit.completed"), "{events:?}");
    assert_eq!(visit["audit"], json!([]));
    let track: Vec<i64> = visit["track"]
        .as_array()
        .expect("track")
        .iter()
        .map(|fix| fix["fix_time"].as_i64().expect("time"))
        .collect();
    assert_eq!(track, [NOON_MS - 10 * MINUTE_MS, NOON_MS + 5 * MINUTE_MS]);

    let path = format!("/api/visits/{id}/attachments/{sha256}");
    let (status, content_type, bytes) = get_bytes(&app, &field.supervisor, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(content_type, "image/jpeg");
    assert_eq!(bytes, photo);
    let undeclared = format!("/api/visits/{id}/attachments/{}", sha256_hex(b"other"));
    let (status, _, _) = get_bytes(&app, &field.supervisor, &undeclared).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let unknown = app
        .get(
            &format!("/api/visits/{}", Uuid::now_v7()),
            Auth::Session(&field.supervisor),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let malformed = app
        .get("/api/visits/not-an-id", Auth::Session(&field.supervisor))
        .await;
    assert_eq!(malformed.body["field"], "id");
}

on_both_stores!(detail_evidence, detail_shows_evidence);

async fn decide(app: &TestApp, session: &Session, id: Uuid, body: Value) -> support::Response {
    app.post(
        &format!("/api/visits/{id}/pin-correction"),
        Auth::Session(session),
        body,
    )
    .await
}

async fn pin_decisions_are_final(app: TestApp) {
    let field = field(&app, "Despacho Norte").await;
    let door = north(HOME, 40.0);
    let approved = visit(
        &app,
        &field.agent,
        pin_visit_body(&field, "FV-1", door, NOON_MS),
    )
    .await;
    let elsewhere = north(HOME, 820.0);
    let rejected = visit(
        &app,
        &field.agent,
        pin_visit_body(&field, "FV-2", elsewhere, NOON_MS + DAY_MS),
    )
    .await;
    let plain = visit(
        &app,
        &field.agent,
        visit_body(
            &field,
            field.account("FV-1"),
            check_in(HOME, NOON_MS + 2 * DAY_MS),
        ),
    )
    .await;
    let viewer = app.login("viewer@despacho-norte.mx").await;

    let approve = json!({"decision": "approve", "note": "Coincide con la foto de la fachada."});
    let by_viewer = decide(&app, &viewer, approved, approve.clone()).await;
    assert_eq!(by_viewer.status, StatusCode::FORBIDDEN);
    let by_agent = decide(&app, &field.agent, approved, approve.clone()).await;
    assert_eq!(by_agent.status, StatusCode::FORBIDDEN);
    let invalid = decide(
        &app,
        &field.supervisor,
        approved,
        json!({"decision": "maybe"}),
    )
    .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(invalid.body["field"], "decision");

    let done = decide(&app, &field.supervisor, approved, approve.clone()).await;
    assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
    assert_eq!(done.body["pin_correction"]["state"], "approved");
    assert_eq!(done.body["pin_correction"]["decided_by_kind"], "user");
    assert_coordinate(&done.body["verified_point"]["latitude"], door.0);
    assert_coordinate(&done.body["verified_point"]["longitude"], door.1);

    let again = decide(&app, &field.admin, approved, json!({"decision": "reject"})).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.body["code"], "pin_correction_decided");

    let detail = app
        .get(&format!("/api/visits/{approved}"), Auth::Session(&viewer))
        .await;
    assert_eq!(detail.status, StatusCode::OK);
    assert_coordinate(
        &detail.body["address"]["verified_point"]["latitude"],
        door.0,
    );
    assert_eq!(detail.body["pin_correction"]["state"], "approved");
    assert_eq!(
        detail.body["pin_correction"]["note"],
        "Coincide con la foto de la fachada."
    );
    let audit = detail.body["audit"].as_array().expect("audit");
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert_eq!(audit[0]["action"], "visit.pin_correction_approved");
    assert_eq!(audit[0]["target_id"], approved.to_string());

    // Every visit to the address shows its new verified point.
    let day = app
        .get(&format!("/api/visits/{plain}"), Auth::Session(&field.admin))
        .await;
    assert_coordinate(&day.body["address"]["verified_point"]["longitude"], door.1);
    let account = app
        .get(
            &format!("/api/accounts/{}", field.account("FV-1").id),
            Auth::Session(&viewer),
        )
        .await;
    assert_eq!(account.status, StatusCode::OK, "{:?}", account.body);
    assert_eq!(account.body["addresses"][0]["verified_source"], "agent");

    let declined = decide(&app, &field.admin, rejected, json!({"decision": "reject"})).await;
    assert_eq!(declined.status, StatusCode::OK, "{:?}", declined.body);
    assert_eq!(declined.body["pin_correction"]["state"], "rejected");
    assert_eq!(declined.body["verified_point"], Value::Null);
    let audit = app
        .get(
            &format!("/api/visits/{rejected}"),
            Auth::Session(&field.admin),
        )
        .await;
    assert_eq!(
        audit.body["audit"][0]["action"],
        "visit.pin_correction_rejected"
    );
    assert_eq!(audit.body["address"]["verified_point"], Value::Null);

    let nothing = decide(&app, &field.supervisor, plain, approve).await;
    assert_eq!(nothing.status, StatusCode::CONFLICT);
    assert_eq!(nothing.body["code"], "no_pin_correction");

    let listed = list(&app, &field.supervisor, "").await;
    let states: Vec<&Value> = listed.body["visits"]
        .as_array()
        .expect("visits")
        .iter()
        .map(|visit| &visit["pin_state"])
        .collect();
    assert_eq!(
        states,
        [&Value::Null, &json!("rejected"), &json!("approved")]
    );
}

on_both_stores!(pin_decisions, pin_decisions_are_final);

async fn roles_and_organizations(app: TestApp) {
    let north_field = field(&app, "Despacho Norte").await;
    let south = field(&app, "Despacho Sur").await;
    let photo = b"\xff\xd8\xff\xe0 zaguan azul".to_vec();
    let sha256 = sha256_hex(&photo);
    let mut body = pin_visit_body(&north_field, "FV-1", HOME, NOON_MS);
    body["answers"]["facade_photo"] = json!(sha256);
    body["attachments"] = json!([{"sha256": sha256, "kind": "photo",
        "content_type": "image/jpeg", "bytes": photo.len(), "question": "facade_photo"}]);
    let id = visit(&app, &north_field.agent, body).await;
    put_attachment(
        &app,
        &north_field.agent,
        &sha256,
        "image/jpeg",
        photo.clone(),
    )
    .await;
    let detail_path = format!("/api/visits/{id}");
    let file_path = format!("/api/visits/{id}/attachments/{sha256}");

    // Agents use the field app; none of the console's visit routes is theirs.
    let agent = &north_field.agent;
    assert_eq!(list(&app, agent, "").await.status, StatusCode::FORBIDDEN);
    let own = app.get(&detail_path, Auth::Session(agent)).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    let (status, _, _) = get_bytes(&app, agent, &file_path).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let viewer = app.login("viewer@despacho-norte.mx").await;
    assert_eq!(list(&app, &viewer, "").await.status, StatusCode::OK);
    assert_eq!(
        app.get(&detail_path, Auth::Session(&viewer)).await.status,
        StatusCode::OK
    );
    let (status, _, bytes) = get_bytes(&app, &viewer, &file_path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, photo);

    // Another organization reads neither the visit nor its file, even with the same photo.
    put_attachment(&app, &south.agent, &sha256, "image/jpeg", photo.clone()).await;
    let foreign = app.get(&detail_path, Auth::Session(&south.admin)).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    let (status, _, _) = get_bytes(&app, &south.admin, &file_path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let foreign_decision =
        decide(&app, &south.supervisor, id, json!({"decision": "approve"})).await;
    assert_eq!(foreign_decision.status, StatusCode::NOT_FOUND);
    let south_list = list(&app, &south.supervisor, "").await;
    assert!(ids(&south_list.body).is_empty());

    let still_pending = app
        .get(&detail_path, Auth::Session(&north_field.admin))
        .await;
    assert_eq!(still_pending.body["pin_correction"]["state"], "pending");
    assert_eq!(still_pending.body["audit"], json!([]));

    let token = app.api_token(&north_field.admin, "viewer").await;
    let by_token = app.get("/api/visits", Auth::Bearer(&token)).await;
    assert_eq!(by_token.status, StatusCode::OK);
    assert_eq!(ids(&by_token.body), [id.to_string()]);
}

on_both_stores!(roles_tenancy, roles_and_organizations);
