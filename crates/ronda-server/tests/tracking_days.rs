//! The console's view of tracking: live positions with each agent's state, one agent's
//! day with distance and stops, and the retention job that keeps the day's summary after
//! deleting its raw positions.

use crate::support;

use axum::http::{Method, StatusCode};
use jiff::Timestamp;
use ronda_server::tracking::history::apply_retention;
use serde_json::{Value, json};
use support::tracking::{osmand_get, register, secret_of};
use support::{Auth, Session, TestApp};

/// 10:00 in Mexico City on a day well before "now" in every run of this test.
const DAY: &str = "2026-11-20";
const DAY_START_UTC: i64 = 1_795_190_400; // 2026-11-20T16:00:00Z = 10:00 CST
/// One thousandth of a degree of latitude, in metres.
const STEP_M: f64 = 111.195;

/// Returns a walk of five steps north, then ten minutes parked with 2 m of jitter.
fn day_points() -> Vec<(i64, f64, f64)> {
    let mut points = Vec::new();
    for step in 0..=5 {
        points.push((
            DAY_START_UTC + step * 120,
            19.4326 + step as f64 * 0.001,
            -99.1332,
        ));
    }
    for (minute, jitter) in [(12, 0.00002), (15, -0.00002), (18, 0.00001), (21, 0.0)] {
        points.push((DAY_START_UTC + minute * 60, 19.4376 + jitter, -99.1332));
    }
    points
}

async fn send_point(app: &TestApp, secret: &str, time: i64, lat: f64, lon: f64, extra: &str) {
    let query = format!("id=300200&lat={lat}&lon={lon}&timestamp={time}&accuracy=5{extra}");
    let (status, body) = osmand_get(app, secret, &query).await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
}

/// Clocks the agent in from `from` (Unix seconds) until `to`, or with no clock-out yet.
async fn clock_in(app: &TestApp, agent: &Session, from: i64, to: Option<i64>) {
    let path = format!("/api/field/shifts/{}", uuid::Uuid::now_v7());
    let body = json!({"clocked_in_at": from * 1000, "clocked_out_at": to.map(|t| t * 1000)});
    let response = app
        .request(Method::PUT, &path, Auth::Session(agent), Some(body))
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{:?}", response.body);
}

fn assert_near(actual: &Value, expected: f64, tolerance: f64, label: &str) {
    let actual = actual.as_f64().unwrap_or(f64::NAN);
    assert!(
        (actual - expected).abs() <= tolerance,
        "{label}: {actual} not within {tolerance} of {expected}"
    );
}

async fn live_map_and_agent_days(app: TestApp) {
    let tenant = app.tenant("Despacho Norte").await;
    let other = app.tenant("Despacho Sur").await;
    let agent = tenant.agent.id;
    let admin = app.login(&tenant.admin.email).await;
    let supervisor = app.login(&tenant.supervisor.email).await;
    let agent_session = app.login(&tenant.agent.email).await;
    let outsider = app.login(&other.supervisor.email).await;
    let secret = secret_of(&register(&app, &admin, agent, "osmand", "300200").await);
    let now = Timestamp::now().as_second();
    clock_in(
        &app,
        &agent_session,
        DAY_START_UTC - 600,
        Some(DAY_START_UTC + 7200),
    )
    .await;
    clock_in(&app, &agent_session, now - 600, None).await;

    for (time, lat, lon) in day_points() {
        send_point(&app, &secret, time, lat, lon, "").await;
    }
    send_point(&app, &secret, now - 60, 19.43, -99.13, "&batt=15").await;
    // Points without usable coordinates: stored, flagged, and listed apart from the track.
    for query in [
        format!("id=300200&timestamp={}", DAY_START_UTC + 1500),
        format!(
            "id=300200&lat=NaN&lon=-99.1332&timestamp={}",
            DAY_START_UTC + 1560
        ),
    ] {
        let (status, body) = osmand_get(&app, &secret, &query).await;
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
    }

    let live = app
        .get("/api/tracking/live", Auth::Session(&supervisor))
        .await;
    assert_eq!(live.status, StatusCode::OK, "{:?}", live.body);
    let agents = live.body["agents"].as_array().expect("agents");
    assert_eq!(agents.len(), 1, "{agents:?}");
    assert_eq!(agents[0]["agent_id"], Value::from(agent.0.to_string()));
    assert_eq!(agents[0]["agent_name"], tenant.agent.name.to_string());
    assert_eq!(agents[0]["state"], "low_battery");
    assert_eq!(agents[0]["fix_time"], (now - 60) * 1000);

    let day_path = format!("/api/tracking/agents/{}/days/{DAY}", agent.0);
    let day = app.get(&day_path, Auth::Session(&supervisor)).await;
    assert_eq!(day.status, StatusCode::OK, "{:?}", day.body);
    assert_near(
        &day.body["distance_m"],
        5.0 * STEP_M,
        1.0,
        "walk without jitter",
    );
    assert_eq!(day.body["time_zone"], "America/Mexico_City");
    assert_eq!(day.body["track"].as_array().map(Vec::len), Some(10));
    assert_eq!(day.body["flagged_count"], 2);
    let unlocated = day.body["unlocated"].as_array().expect("unlocated");
    assert_eq!(unlocated.len(), 2, "{unlocated:?}");
    assert_eq!(unlocated[0]["fix_time"], (DAY_START_UTC + 1500) * 1000);
    assert_eq!(unlocated[0]["flag_reason"], "missing_location");
    assert_eq!(unlocated[1]["fix_time"], (DAY_START_UTC + 1560) * 1000);
    assert!(
        unlocated[1]["flag_reason"].is_string(),
        "{:?}",
        unlocated[1]
    );
    let stops = day.body["stops"].as_array().expect("stops");
    assert_eq!(stops.len(), 1, "{stops:?}");
    assert_eq!(stops[0]["start"], (DAY_START_UTC + 600) * 1000);
    assert_eq!(day.body["from_summary"], false);

    // Agents read their own day only, and never the live map of the team.
    let own = app.get(&day_path, Auth::Session(&agent_session)).await;
    assert_eq!(own.status, StatusCode::OK);
    let live_as_agent = app
        .get("/api/tracking/live", Auth::Session(&agent_session))
        .await;
    assert_eq!(live_as_agent.status, StatusCode::FORBIDDEN);
    let someone_else = format!("/api/tracking/agents/{}/days/{DAY}", tenant.admin.id.0);
    let refused = app.get(&someone_else, Auth::Session(&agent_session)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // Another organization reads neither the live position nor the day.
    let outside_live = app
        .get("/api/tracking/live", Auth::Session(&outsider))
        .await;
    assert_eq!(outside_live.body["agents"], Value::Array(vec![]));
    let outside_day = app.get(&day_path, Auth::Session(&outsider)).await;
    assert_eq!(outside_day.status, StatusCode::NOT_FOUND);

    let bad_day = format!("/api/tracking/agents/{}/days/20-11-2026", agent.0);
    let bad = app.get(&bad_day, Auth::Session(&supervisor)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["field"], "day");
}

on_both_stores!(live_and_days, live_map_and_agent_days);

async fn retention_keeps_summaries(app: TestApp) {
    let tenant = app.tenant("Despacho Centro").await;
    let (org, agent) = (tenant.org.id, tenant.agent.id);
    let admin = app.login(&tenant.admin.email).await;
    let supervisor = app.login(&tenant.supervisor.email).await;
    let agent_session = app.login(&tenant.agent.email).await;
    let secret = secret_of(&register(&app, &admin, agent, "osmand", "300200").await);
    let recent = Timestamp::now().as_second() - 60;
    clock_in(
        &app,
        &agent_session,
        DAY_START_UTC - 600,
        Some(DAY_START_UTC + 7200),
    )
    .await;
    clock_in(&app, &agent_session, recent - 600, None).await;
    for (time, lat, lon) in day_points() {
        send_point(&app, &secret, time, lat, lon, "").await;
    }
    send_point(&app, &secret, recent, 19.43, -99.13, "").await;

    let store = app.test_store.store.as_ref();
    let zone = app.state.settings().tracking_time_zone.clone();
    let run = apply_retention(store, 7, &zone, Timestamp::now())
        .await
        .expect("retention");
    assert_eq!(run.positions_deleted, 10, "{run:?}");
    assert_eq!(run.days_summarized, 1, "{run:?}");
    let left = store
        .agent_positions(org, agent, Timestamp::MIN, Timestamp::MAX)
        .await
        .expect("positions");
    assert_eq!(left.len(), 1, "the recent position stays");

    let day_path = format!("/api/tracking/agents/{}/days/{DAY}", agent.0);
    let day = app.get(&day_path, Auth::Session(&supervisor)).await;
    assert_eq!(day.status, StatusCode::OK, "{:?}", day.body);
    assert_eq!(day.body["from_summary"], true);
    assert_eq!(day.body["track"], Value::Array(vec![]));
    assert_near(
        &day.body["distance_m"],
        5.0 * STEP_M,
        1.0,
        "summary distance",
    );
    assert_eq!(day.body["stops"].as_array().map(Vec::len), Some(1));
    assert_eq!(day.body["accepted_count"], 10);

    // A fix of that day arriving late joins the stored summary instead of replacing it.
    send_point(&app, &secret, DAY_START_UTC + 3600, 19.4376, -99.1332, "").await;
    let again = apply_retention(store, 7, &zone, Timestamp::now())
        .await
        .expect("retention again");
    assert_eq!(again.positions_deleted, 1);
    let merged = store
        .day_summary(org, agent, DAY)
        .await
        .expect("summary")
        .expect("stored");
    assert_eq!(merged.accepted_count, 11);
    assert!(
        (merged.distance_m - 5.0 * STEP_M).abs() <= 1.0,
        "{merged:?}"
    );

    let nothing = apply_retention(store, 0, &zone, Timestamp::now())
        .await
        .expect("retention off");
    assert_eq!(nothing.positions_deleted, 0, "0 keeps positions forever");
}

on_both_stores!(retention, retention_keeps_summaries);
