//! Agent profiles on both stores: roles, organization scoping, bad input and round trip.

use crate::support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Auth, Session, TestApp};

fn profile() -> Value {
    json!({
        "working_hours": [
            {"day": "monday", "start": "09:00", "end": "18:00"},
            {"day": "saturday", "start": "09:00", "end": "14:00"}
        ],
        "start_location": {"latitude": 19.4326, "longitude": -99.1332, "label": "Sucursal Centro"},
        "zones": [{
            "name": "Roma Norte",
            "vertices": [[19.42, -99.17], [19.42, -99.15], [19.41, -99.15], [19.41, -99.17]]
        }]
    })
}

async fn put_profile(app: &TestApp, session: &Session, path: &str, body: Value) -> StatusCode {
    app.request(Method::PUT, path, Auth::Session(session), Some(body))
        .await
        .status
}

async fn rejected_field(app: &TestApp, session: &Session, path: &str, body: Value) -> String {
    let response = app
        .request(Method::PUT, path, Auth::Session(session), Some(body))
        .await;
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

async fn roles_and_round_trip(app: TestApp) {
    let north = app.tenant("Despacho Norte").await;
    app.tenant("Despacho Sur").await;
    let admin = app.login("admin@despacho-norte.mx").await;
    let supervisor = app.login("supervisor@despacho-norte.mx").await;
    let viewer = app.login("viewer@despacho-norte.mx").await;
    let agent = app.login("agent@despacho-norte.mx").await;
    let south_admin = app.login("admin@despacho-sur.mx").await;
    let path = format!("/api/agents/{}/profile", north.agent.id.0);

    let empty = app.get(&path, Auth::Session(&viewer)).await;
    assert_eq!(empty.status, StatusCode::OK, "{:?}", empty.body);
    assert_eq!(empty.body["working_hours"], json!([]));
    assert_eq!(empty.body["start_location"], Value::Null);
    assert_eq!(empty.body["updated_at"], Value::Null);

    let own = app.get(&path, Auth::Session(&agent)).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    assert_eq!(
        put_profile(&app, &agent, &path, profile()).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        put_profile(&app, &viewer, &path, profile()).await,
        StatusCode::FORBIDDEN
    );

    assert_eq!(
        put_profile(&app, &supervisor, &path, profile()).await,
        StatusCode::OK
    );
    let saved = app.get(&path, Auth::Session(&viewer)).await;
    assert_eq!(saved.body["working_hours"], profile()["working_hours"]);
    assert_eq!(saved.body["start_location"]["label"], "Sucursal Centro");
    assert_eq!(saved.body["zones"][0]["name"], "Roma Norte");
    assert_eq!(
        saved.body["zones"][0]["vertices"].as_array().map(Vec::len),
        Some(4)
    );
    assert!(saved.body["updated_at"].is_i64());

    let mut changed = profile();
    changed["start_location"] = Value::Null;
    changed["zones"] = json!([]);
    assert_eq!(
        put_profile(&app, &admin, &path, changed).await,
        StatusCode::OK
    );
    let cleared = app.get(&path, Auth::Session(&admin)).await;
    assert_eq!(cleared.body["start_location"], Value::Null);
    assert_eq!(cleared.body["zones"], json!([]));

    // Another organization's admin gets 404 for this agent, reading or writing.
    let foreign = app.get(&path, Auth::Session(&south_admin)).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert_eq!(
        put_profile(&app, &south_admin, &path, profile()).await,
        StatusCode::NOT_FOUND
    );
    let still = app.get(&path, Auth::Session(&admin)).await;
    assert_eq!(still.body["zones"], json!([]));

    // A user who is not an agent has no profile.
    let not_agent = format!("/api/agents/{}/profile", north.supervisor.id.0);
    let response = app.get(&not_agent, Auth::Session(&admin)).await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);

    let audit = app.get("/api/audit", Auth::Session(&admin)).await;
    let changes = audit.body["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter(|entry| entry["action"] == "agent.profile_changed")
        .count();
    assert_eq!(changes, 2);
}
on_both_stores!(agent_profile_roles_and_round_trip, roles_and_round_trip);

async fn bad_input(app: TestApp) {
    let north = app.tenant("Despacho Norte").await;
    let admin = app.login("admin@despacho-norte.mx").await;
    let path = format!("/api/agents/{}/profile", north.agent.id.0);

    let mut twice = profile();
    twice["working_hours"][1]["day"] = json!("monday");
    assert_eq!(
        rejected_field(&app, &admin, &path, twice).await,
        "working_hours[1].day"
    );

    let mut backwards = profile();
    backwards["working_hours"][0]["end"] = json!("08:00");
    assert_eq!(
        rejected_field(&app, &admin, &path, backwards).await,
        "working_hours[0].start"
    );

    let mut far = profile();
    far["start_location"]["latitude"] = json!(100.0);
    assert_eq!(
        rejected_field(&app, &admin, &path, far).await,
        "start_location"
    );

    let mut line = profile();
    line["zones"][0]["vertices"] = json!([[19.42, -99.17], [19.41, -99.15]]);
    assert_eq!(
        rejected_field(&app, &admin, &path, line).await,
        "zones[0].vertices"
    );

    let mut unnamed = profile();
    unnamed["zones"][0]["name"] = json!("  ");
    assert_eq!(
        rejected_field(&app, &admin, &path, unnamed).await,
        "zones[0].name"
    );

    let bad_id = app
        .get("/api/agents/not-an-id/profile", Auth::Session(&admin))
        .await;
    assert_eq!(bad_id.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_id.body["field"], "id");

    let untouched = app.get(&path, Auth::Session(&admin)).await;
    assert_eq!(untouched.body["updated_at"], Value::Null);
}
on_both_stores!(agent_profile_bad_input, bad_input);
