//! Tracking devices and the OsmAnd and OwnTracks ingest endpoints, on both stores. The
//! messages are Traccar's own decoder test messages, sent through the real routes.

use crate::support;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use jiff::Timestamp;
use ronda_domain::{OrganizationId, UserId};
use ronda_server::ServerSettings;
use ronda_server::tracking::rate_limit::IngestLimits;
use ronda_store::tracking::{Position, PositionStatus};
use serde_json::{Value, json};
use support::tracking::{osmand_get, register, secret_of, send, track_outside_shifts};
use support::{Auth, Backend, TestApp};

const QUERY_REQUESTS: &str =
    include_str!("../../ronda-domain/tests/fixtures/tracking/traccar_osmand_query_requests.txt");
const JSON_BODIES: &str =
    include_str!("../../ronda-domain/tests/fixtures/tracking/traccar_osmand_json_bodies.jsonl");
const OWNTRACKS_BODIES: &str =
    include_str!("../../ronda-domain/tests/fixtures/tracking/traccar_owntracks_http_bodies.jsonl");

fn fixture_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .collect()
}

async fn osmand_json(app: &TestApp, secret: &str, body: &str) -> (StatusCode, String) {
    let request = Request::post("/tracking/osmand")
        .header("x-ronda-device-secret", secret)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .expect("request");
    send(app, request).await
}

async fn owntracks_post(
    app: &TestApp,
    user: &str,
    device: &str,
    secret: &str,
    body: &str,
) -> (StatusCode, String) {
    let credentials = STANDARD.encode(format!("{user}:{secret}"));
    let request = Request::post("/tracking/owntracks")
        .header(header::AUTHORIZATION, format!("Basic {credentials}"))
        .header("x-limit-u", user)
        .header("x-limit-d", device)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .expect("request");
    send(app, request).await
}

async fn positions(app: &TestApp, org: OrganizationId, agent: UserId) -> Vec<Position> {
    app.test_store
        .store
        .agent_positions(org, agent, Timestamp::MIN, Timestamp::MAX)
        .await
        .expect("positions")
}

/// Returns the most recently stored position of the agent.
async fn last_position(app: &TestApp, org: OrganizationId, agent: UserId) -> Position {
    positions(app, org, agent)
        .await
        .into_iter()
        .max_by_key(|position| position.id)
        .expect("a stored position")
}

fn assert_close(actual: Option<f64>, expected: Option<f64>, label: &str) {
    match (actual, expected) {
        (Some(actual), Some(expected)) => {
            assert!(
                (actual - expected).abs() < 1e-6,
                "{label}: {actual} != {expected}"
            )
        }
        _ => assert_eq!(actual, expected, "{label}"),
    }
}

/// Expected outcome of one fixture message: HTTP status, then the stored latitude,
/// longitude, speed in m/s and battery percent.
type Expected = (
    StatusCode,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
);

async fn fixtures_through_endpoints(app: TestApp) {
    let tenant = app.tenant("Despacho Centro").await;
    let org = tenant.org.id;
    let agent = tenant.agent.id;
    let admin = app.login(&tenant.admin.email).await;
    track_outside_shifts(&app, &admin).await;

    let mut secrets = std::collections::HashMap::new();
    for identifier in [
        "123456",
        "902064",
        "353861053849681",
        "861001000719969",
        "123456789012345",
        "48241179",
        "658765",
        "8737767034",
    ] {
        let created = register(&app, &admin, agent, "osmand", identifier).await;
        secrets.insert(identifier, secret_of(&created));
    }

    let knots = 1852.0 / 3600.0;
    let query_expected: [(&str, Expected); 11] = [
        ("123456", (StatusCode::OK, None, None, None, None)),
        ("", (StatusCode::BAD_REQUEST, None, None, None, None)),
        (
            "902064",
            (
                StatusCode::OK,
                Some(42.06288),
                Some(-88.23412),
                Some(0.0),
                None,
            ),
        ),
        (
            "902064",
            (
                StatusCode::OK,
                Some(42.06288),
                Some(-88.23412),
                Some(0.0),
                None,
            ),
        ),
        (
            "353861053849681",
            (
                StatusCode::OK,
                Some(49.60688),
                Some(6.15788),
                Some(0.0),
                None,
            ),
        ),
        (
            "123456",
            (StatusCode::OK, Some(60.0), Some(30.0), Some(0.0), None),
        ),
        (
            "123456",
            (StatusCode::OK, Some(60.0), Some(30.0), None, None),
        ),
        (
            "123456",
            (StatusCode::OK, Some(60.0), Some(30.0), Some(0.0), None),
        ),
        (
            "861001000719969",
            (
                StatusCode::OK,
                Some(41.666667),
                Some(-0.883333),
                Some(0.0),
                Some(87.0),
            ),
        ),
        (
            "123456",
            (StatusCode::OK, Some(60.0), Some(30.0), None, None),
        ),
        (
            "123456789012345",
            (
                StatusCode::OK,
                Some(40.7232948571),
                Some(-74.0061408571),
                Some(40.0 * knots),
                None,
            ),
        ),
    ];
    let queries = fixture_lines(QUERY_REQUESTS);
    assert_eq!(
        queries.len(),
        query_expected.len(),
        "query requests in the fixture"
    );
    for (number, (line, (identifier, expected))) in queries.iter().zip(query_expected).enumerate() {
        let label = format!("query {}", number + 1);
        let query = line.split_once('?').expect("query").1;
        // The line without an id is sent with a valid secret, so only the missing id fails.
        let secret = secrets
            .get(identifier)
            .cloned()
            .unwrap_or_else(|| secrets["123456"].clone());
        let before = positions(&app, org, agent).await.len();
        let (status, body) = osmand_get(&app, &secret, query).await;
        assert_eq!(status, expected.0, "{label}: {body}");
        if status != StatusCode::OK {
            assert!(body.contains("\"field\":\"id\""), "{label}: {body}");
            assert_eq!(
                positions(&app, org, agent).await.len(),
                before,
                "{label} stored nothing"
            );
            continue;
        }
        assert_eq!(body, "", "{label} answers an empty body");
        let stored = last_position(&app, org, agent).await;
        assert_close(
            stored.fix.latitude,
            expected.1,
            &format!("{label} latitude"),
        );
        assert_close(
            stored.fix.longitude,
            expected.2,
            &format!("{label} longitude"),
        );
        assert_close(stored.fix.speed_mps, expected.3, &format!("{label} speed"));
        assert_close(
            stored.fix.battery_pct,
            expected.4,
            &format!("{label} battery"),
        );
    }

    let all = positions(&app, org, agent).await;
    let by_query: Vec<&Position> = {
        let mut sorted: Vec<&Position> = all.iter().collect();
        sorted.sort_by_key(|position| position.id);
        sorted
    };
    assert_eq!(
        by_query.len(),
        10,
        "every query but the one without id is stored"
    );
    assert_eq!(
        by_query[0].status,
        PositionStatus::Flagged,
        "network-only query"
    );
    assert_eq!(by_query[0].flag_reason.as_deref(), Some("missing_location"));
    assert_eq!(
        by_query[0].raw["query"]
            .as_str()
            .map(|q| q.starts_with("id=123456")),
        Some(true)
    );
    assert_eq!(by_query[2].status, PositionStatus::Accepted, "query 4");
    assert!(
        by_query[2].older_than_latest,
        "query 4 is older than query 3"
    );
    assert_eq!(
        by_query[5].flag_reason.as_deref(),
        Some("duplicate"),
        "query 7 repeats query 6"
    );

    let json_expected: [(&str, Expected); 4] = [
        (
            "48241179",
            (
                StatusCode::OK,
                Some(37.4219983),
                Some(-122.084),
                Some(0.0),
                Some(100.0),
            ),
        ),
        (
            "48241179",
            (
                StatusCode::OK,
                Some(37.4219983),
                Some(-122.084),
                Some(0.0),
                Some(100.0),
            ),
        ),
        (
            "658765",
            (
                StatusCode::OK,
                Some(37.785834),
                Some(-122.406417),
                None,
                None,
            ),
        ),
        (
            "8737767034",
            (
                StatusCode::OK,
                Some(-6.1148096),
                Some(106.6837015),
                Some(18.67),
                Some(79.0),
            ),
        ),
    ];
    let bodies = fixture_lines(JSON_BODIES);
    assert_eq!(
        bodies.len(),
        json_expected.len(),
        "JSON bodies in the fixture"
    );
    for (number, (body, (identifier, expected))) in bodies.iter().zip(json_expected).enumerate() {
        let label = format!("JSON body {}", number + 1);
        let (status, text) = osmand_json(&app, &secrets[identifier], body).await;
        assert_eq!(status, expected.0, "{label}: {text}");
        let stored = last_position(&app, org, agent).await;
        assert_close(
            stored.fix.latitude,
            expected.1,
            &format!("{label} latitude"),
        );
        assert_close(
            stored.fix.longitude,
            expected.2,
            &format!("{label} longitude"),
        );
        assert_close(stored.fix.speed_mps, expected.3, &format!("{label} speed"));
        assert_close(
            stored.fix.battery_pct,
            expected.4,
            &format!("{label} battery"),
        );
        assert_eq!(
            stored.raw["device_id"],
            json!(identifier),
            "{label} raw body kept"
        );
        if number == 1 {
            assert_eq!(stored.flag_reason.as_deref(), Some("duplicate"), "{label}");
        }
        if number == 2 {
            assert_eq!(stored.fix.mock, Some(true), "{label}");
            assert_eq!(
                stored.flag_reason.as_deref(),
                Some("mock_location"),
                "{label}"
            );
        }
    }

    let created = register(&app, &admin, agent, "owntracks", "ana/phone").await;
    let secret = secret_of(&created);
    let owntracks_expected: [Expected; 6] = [
        (
            StatusCode::OK,
            Some(46.0681247),
            Some(11.1512805),
            Some(0.0),
            Some(46.0),
        ),
        (StatusCode::OK, Some(48.85833), Some(2.29513), None, None),
        (
            StatusCode::OK,
            Some(48.85833),
            Some(2.29513),
            Some(61.0 / 3.6),
            Some(67.0),
        ),
        (StatusCode::OK, Some(48.85), Some(2.295), None, None),
        (StatusCode::OK, Some(37.0), Some(-122.0), None, None),
        (
            StatusCode::OK,
            Some(47.420051),
            Some(13.654704),
            Some(0.0),
            None,
        ),
    ];
    let bodies = fixture_lines(OWNTRACKS_BODIES);
    assert_eq!(
        bodies.len(),
        owntracks_expected.len(),
        "OwnTracks bodies in the fixture"
    );
    for (number, (body, expected)) in bodies.iter().zip(owntracks_expected).enumerate() {
        let label = format!("OwnTracks body {}", number + 1);
        let (status, text) = owntracks_post(&app, "ana", "phone", &secret, body).await;
        assert_eq!(status, expected.0, "{label}: {text}");
        assert_eq!(text, "[]", "{label} answers an empty list");
        let stored = last_position(&app, org, agent).await;
        assert_close(
            stored.fix.latitude,
            expected.1,
            &format!("{label} latitude"),
        );
        assert_close(
            stored.fix.longitude,
            expected.2,
            &format!("{label} longitude"),
        );
        assert_close(stored.fix.speed_mps, expected.3, &format!("{label} speed"));
        assert_close(
            stored.fix.battery_pct,
            expected.4,
            &format!("{label} battery"),
        );
    }

    let before = positions(&app, org, agent).await.len();
    let (status, text) = owntracks_post(
        &app,
        "ana",
        "phone",
        &secret,
        r#"{"_type":"transition","tst":1736161169}"#,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(text, "[]");
    assert_eq!(
        positions(&app, org, agent).await.len(),
        before,
        "a transition stores nothing"
    );

    let form = Request::post(format!("/tracking/osmand/{}", secrets["123456"]))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("id=123456&lat=60.0001&lon=30.0001&batt=55"))
        .expect("request");
    let (status, text) = send(&app, form).await;
    assert_eq!(status, StatusCode::OK, "form body: {text}");
    let stored = last_position(&app, org, agent).await;
    assert_close(stored.fix.latitude, Some(60.0001), "form latitude");
    assert_close(stored.fix.battery_pct, Some(55.0), "form battery");
}
on_both_stores!(fixtures, fixtures_through_endpoints);

async fn wrong_secret_stores_nothing(app: TestApp) {
    let tenant = app.tenant("Despacho Sur").await;
    let org = tenant.org.id;
    let admin = app.login(&tenant.admin.email).await;
    let created = register(&app, &admin, tenant.agent.id, "osmand", "555001").await;
    let secret = secret_of(&created);
    let query = "id=555001&lat=19.4326&lon=-99.1332";

    let (status, body) = osmand_get(&app, "not-the-secret", query).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(body.contains("invalid_device_credentials"), "{body}");
    let (status, _) = osmand_get(&app, &secret, "id=555999&lat=19.4326&lon=-99.1332").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "unknown identifier");
    let no_header = Request::get(format!("/tracking/osmand?{query}"))
        .body(Body::empty())
        .expect("request");
    let (status, _) = send(&app, no_header).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "no secret at all");
    let (status, _) = owntracks_post(
        &app,
        "555001",
        "phone",
        &secret,
        r#"{"_type":"location","lat":19.4,"lon":-99.1,"tst":1736161169}"#,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "OwnTracks with an OsmAnd device"
    );
    // The error names the missing part: the device name or the credentials.
    let location = r#"{"_type":"location","lat":19.4,"lon":-99.1,"tst":1736161169}"#;
    let credentials = STANDARD.encode(format!("555001:{secret}"));
    let without_device = Request::post("/tracking/owntracks")
        .header(header::AUTHORIZATION, format!("Basic {credentials}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(location))
        .expect("request");
    let without_credentials = Request::post("/tracking/owntracks")
        .header("x-limit-d", "phone")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(location))
        .expect("request");
    for (request, field, words) in [
        (without_device, "X-Limit-D", "ID de dispositivo"),
        (
            without_credentials,
            "Authorization",
            "usuario y la contraseña",
        ),
    ] {
        let (status, body) = send(&app, request).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
        let error: Value = serde_json::from_str(&body).expect("JSON error body");
        assert_eq!(error["code"], "invalid_device_credentials");
        assert_eq!(error["field"], field);
        let message = error["message"].as_str().unwrap_or_default();
        assert!(message.contains(words), "{message}");
    }
    assert!(
        positions(&app, org, tenant.agent.id).await.is_empty(),
        "nothing stored"
    );

    let (status, _) = osmand_get(&app, &secret, query).await;
    assert_eq!(status, StatusCode::OK, "the right secret works");

    let id = created["device"]["id"].as_str().expect("id");
    let revoked = app
        .request(
            Method::DELETE,
            &format!("/api/devices/{id}"),
            Auth::Session(&admin),
            None,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{:?}", revoked.body);
    assert!(revoked.body["revoked_at"].is_string());
    let (status, _) = osmand_get(&app, &secret, query).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "revoked device");
    assert_eq!(positions(&app, org, tenant.agent.id).await.len(), 1);
}
on_both_stores!(wrong_secret, wrong_secret_stores_nothing);

async fn other_organization_secret_rejected(app: TestApp) {
    let a = app.tenant("Despacho A").await;
    let b = app.tenant("Despacho B").await;
    let admin_a = app.login(&a.admin.email).await;
    let admin_b = app.login(&b.admin.email).await;
    register(&app, &admin_a, a.agent.id, "osmand", "700100").await;
    let secret_b = secret_of(&register(&app, &admin_b, b.agent.id, "osmand", "700200").await);

    let (status, body) = osmand_get(&app, &secret_b, "id=700100&lat=19.4326&lon=-99.1332").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert!(
        positions(&app, a.org.id, a.agent.id).await.is_empty(),
        "nothing in A"
    );
    assert!(
        positions(&app, b.org.id, b.agent.id).await.is_empty(),
        "nothing in B"
    );

    let listed = app.get("/api/devices", Auth::Session(&admin_b)).await;
    assert_eq!(listed.status, StatusCode::OK);
    let identifiers: Vec<&str> = listed.body["devices"]
        .as_array()
        .expect("devices")
        .iter()
        .filter_map(|device| device["device_identifier"].as_str())
        .collect();
    assert_eq!(identifiers, ["700200"], "B lists only its own device");

    let taken = app
        .post(
            "/api/devices",
            Auth::Session(&admin_b),
            json!({"agent_id": b.agent.id.0, "name": "Otro", "kind": "osmand", "device_identifier": "700100"}),
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT, "{:?}", taken.body);
    assert_eq!(taken.body["code"], "device_identifier_taken");
}
on_both_stores!(other_organization, other_organization_secret_rejected);

async fn late_and_flagged_points(app: TestApp) {
    let tenant = app.tenant("Despacho Oriente").await;
    let org = tenant.org.id;
    let agent = tenant.agent.id;
    let admin = app.login(&tenant.admin.email).await;
    track_outside_shifts(&app, &admin).await;
    let secret = secret_of(&register(&app, &admin, agent, "osmand", "800100").await);
    let now = Timestamp::now().as_second();
    let mut live_feed = app.state.live().subscribe();

    let (status, _) = osmand_get(
        &app,
        &secret,
        &format!("id=800100&lat=19.4326&lon=-99.1332&timestamp={now}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let event = live_feed.try_recv().expect("accepted position published");
    assert_eq!(event.kind, "position");
    assert_eq!(event.organization_id, org);
    assert_eq!(event.data["agent_id"], json!(agent));
    let late = format!("id=800100&lat=19.4330&lon=-99.1335&timestamp={}", now - 60);
    let (status, _) = osmand_get(&app, &secret, &late).await;
    assert_eq!(status, StatusCode::OK, "a late point is accepted");
    assert!(
        live_feed.try_recv().is_err(),
        "a late point does not reach the live map"
    );

    let stored = last_position(&app, org, agent).await;
    assert_eq!(stored.status, PositionStatus::Accepted);
    assert!(stored.older_than_latest, "the late point is marked older");
    let live = app
        .test_store
        .store
        .live_positions(org)
        .await
        .expect("live");
    assert_eq!(live.len(), 1);
    assert_eq!(live[0].agent_id, agent);
    assert_close(Some(live[0].latitude), Some(19.4326), "live latitude stays");
    assert_eq!(live[0].fix_time.as_second(), now, "live fix time stays");

    let (status, _) = osmand_get(
        &app,
        &secret,
        &format!("id=800100&lat=0&lon=0&timestamp={}", now + 5),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a flagged point is still answered 200"
    );
    let flagged = last_position(&app, org, agent).await;
    assert_eq!(flagged.status, PositionStatus::Flagged);
    assert_eq!(flagged.flag_reason.as_deref(), Some("zero_coordinates"));
    assert_eq!(
        flagged.flag_details,
        Some(json!({"kind": "zero_coordinates"}))
    );
    let live = app
        .test_store
        .store
        .live_positions(org)
        .await
        .expect("live");
    assert_close(
        Some(live[0].latitude),
        Some(19.4326),
        "a flagged point does not move the live position",
    );

    let newer = format!(
        "id=800100&lat=19.4340&lon=-99.1340&timestamp={}&batt=50",
        now + 10
    );
    let (status, _) = osmand_get(&app, &secret, &newer).await;
    assert_eq!(status, StatusCode::OK);
    let live = app
        .test_store
        .store
        .live_positions(org)
        .await
        .expect("live");
    assert_close(
        Some(live[0].latitude),
        Some(19.4340),
        "a newer point moves it",
    );
    assert_close(live[0].battery_pct, Some(50.0), "live battery");
    assert_eq!(
        positions(&app, org, agent).await.len(),
        4,
        "every report is stored"
    );
}
on_both_stores!(late_and_flagged, late_and_flagged_points);

async fn device_api_roles_and_settings(app: TestApp) {
    let tenant = app.tenant("Despacho Poniente").await;
    let supervisor = app.login(&tenant.supervisor.email).await;
    let agent = app.login(&tenant.agent.email).await;
    let viewer = app.login(&tenant.viewer.email).await;
    let body = json!({"agent_id": tenant.agent.id.0, "name": "Moto 3", "kind": "osmand"});

    for (session, role) in [(&agent, "agent"), (&viewer, "viewer")] {
        let response = app
            .post("/api/devices", Auth::Session(session), body.clone())
            .await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{role}");
        let response = app.get("/api/devices", Auth::Session(session)).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{role} lists");
    }

    let created = app
        .request_from(
            [127, 0, 0, 1],
            Method::POST,
            "/api/devices",
            Auth::Session(&supervisor),
            Some(body.clone()),
            &[("host", "ronda.example.mx"), ("x-forwarded-proto", "https")],
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let secret = secret_of(&created.body);
    let identifier = created.body["device"]["device_identifier"]
        .as_str()
        .expect("identifier");
    assert_eq!(identifier.len(), 10, "generated identifier: {identifier}");
    assert!(
        identifier.chars().all(|c| c.is_ascii_digit()),
        "{identifier}"
    );
    assert_eq!(
        created.body["traccar_client"]["server_url"],
        json!(format!("http://ronda.example.mx/tracking/osmand/{secret}")),
        "X-Forwarded-Proto is ignored unless trusted"
    );
    assert_eq!(
        created.body["traccar_client"]["device_identifier"],
        json!(identifier)
    );
    assert_eq!(created.body["owntracks"], Value::Null);

    let owntracks = app
        .request_from(
            [127, 0, 0, 1],
            Method::POST,
            "/api/devices",
            Auth::Session(&supervisor),
            Some(json!({"agent_id": tenant.agent.id.0, "name": "Teléfono", "kind": "owntracks"})),
            &[("host", "ronda.example.mx:8080")],
        )
        .await;
    assert_eq!(
        owntracks.status,
        StatusCode::CREATED,
        "{:?}",
        owntracks.body
    );
    let settings = &owntracks.body["owntracks"];
    assert_eq!(
        settings["url"],
        "http://ronda.example.mx:8080/tracking/owntracks"
    );
    assert_eq!(settings["device_id"], "phone");
    assert_eq!(settings["password"], owntracks.body["secret"]);
    let user = settings["user"].as_str().expect("user");
    let (status, text) = owntracks_post(
        &app,
        user,
        "phone",
        owntracks.body["secret"].as_str().expect("secret"),
        r#"{"_type":"location","lat":19.4,"lon":-99.1,"tst":1736161169}"#,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "the settings work as shown: {text}");

    let cases = [
        (
            json!({"agent_id": tenant.agent.id.0, "name": "Moto X", "kind": "gps103"}),
            "kind",
        ),
        (
            json!({"agent_id": tenant.supervisor.id.0, "name": "Moto X", "kind": "osmand"}),
            "agent_id",
        ),
        (
            json!({"agent_id": "not-an-id", "name": "Moto X", "kind": "osmand"}),
            "agent_id",
        ),
        (
            json!({"agent_id": tenant.agent.id.0, "name": "Moto X", "kind": "osmand", "device_identifier": "a b"}),
            "device_identifier",
        ),
        (
            json!({"agent_id": tenant.agent.id.0, "name": "Moto X", "kind": "owntracks", "device_identifier": "ana"}),
            "device_identifier",
        ),
    ];
    for (body, field) in cases {
        let response = app
            .post("/api/devices", Auth::Session(&supervisor), body.clone())
            .await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {:?}",
            response.body
        );
        assert_eq!(response.body["field"], field, "{body}");
    }
}
on_both_stores!(device_api, device_api_roles_and_settings);

#[tokio::test]
async fn ingest_rate_limit_per_device() {
    let settings = ServerSettings {
        ingest_limits: IngestLimits {
            max_messages: 2,
            window: Duration::from_secs(60),
        },
        ..ServerSettings::default()
    };
    let app = TestApp::with_settings(Backend::Sqlite, settings)
        .await
        .expect("SQLite store");
    let tenant = app.tenant("Despacho Limite").await;
    let admin = app.login(&tenant.admin.email).await;
    let secret = secret_of(&register(&app, &admin, tenant.agent.id, "osmand", "900100").await);
    let other = secret_of(&register(&app, &admin, tenant.agent.id, "osmand", "900200").await);

    for second in 0..2 {
        let query = format!(
            "id=900100&lat=19.4326&lon=-99.1332&timestamp={}",
            1_700_000_000 + second
        );
        let (status, _) = osmand_get(&app, &secret, &query).await;
        assert_eq!(status, StatusCode::OK, "message {second}");
    }
    let (status, body) = osmand_get(&app, &secret, "id=900100&lat=19.4326&lon=-99.1332").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    let error: Value = serde_json::from_str(&body).expect("JSON error body");
    assert_eq!(error["code"], "rate_limited");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("2 mensajes de posición en 60 s"),
        "{message}"
    );
    assert!(
        message.contains("tracking.max_messages_per_minute"),
        "{message}"
    );
    let (status, _) = osmand_get(&app, &other, "id=900200&lat=19.4326&lon=-99.1332").await;
    assert_eq!(status, StatusCode::OK, "another device has its own limit");
    assert_eq!(
        positions(&app, tenant.org.id, tenant.agent.id).await.len(),
        3
    );
}
