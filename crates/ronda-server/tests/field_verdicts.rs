//! Check-in verdicts of received visits on both stores: the address, the contact hours,
//! the agent's track from the position batch endpoint, the clock and the mock flag.

use crate::field_common;
use crate::support;

use axum::http::StatusCode;
use field_common::{
    DAY_MS, HOME, MINUTE_MS, NOON_MS, check_in, clock_in, field, north, post_track, put_visit,
    reason_codes, visit_body,
};
use serde_json::{Value, json};
use support::TestApp;
use uuid::Uuid;

/// Stores a visit to FV-1 with `check_in` and returns the response body.
async fn judged(app: &TestApp, field: &field_common::Field, check_in: Value) -> Value {
    let body = visit_body(field, field.account("FV-1"), check_in);
    let response = put_visit(app, &field.agent, Uuid::new_v4(), body).await;
    assert_eq!(response.status, StatusCode::CREATED, "{:?}", response.body);
    response.body
}

async fn verdicts_on_arrival(app: TestApp) {
    let field = field(&app, "Despacho Norte").await;

    // Each scenario happens on its own day, so one day's track never reaches another.
    let at_door = judged(&app, &field, check_in(north(HOME, 10.0), NOON_MS)).await;
    assert_eq!(at_door["verdict"]["outcome"], "verified");
    assert_eq!(reason_codes(&at_door), ["no_track"]);

    let mut live = app.state.live().subscribe();
    let far_at = NOON_MS + DAY_MS;
    let far = judged(&app, &field, check_in(north(HOME, 2000.0), far_at)).await;
    assert_eq!(far["verdict"]["outcome"], "rejected");
    assert_eq!(reason_codes(&far), ["too_far", "no_track"]);
    let too_far = &far["verdict"]["reasons"][0];
    assert_eq!(too_far["severity"], "rejected");
    assert!((too_far["distance_m"].as_f64().expect("distance") - 2000.0).abs() < 1.0);
    assert_eq!(too_far["radius_m"], 62.0);
    let alert = live
        .try_recv()
        .expect("a rejected check-in reaches the live feed");
    assert_eq!(alert.kind, "checkin.rejected");

    // 22:30 in Mexico City is 04:30 UTC the next day.
    let late_at = NOON_MS + 2 * DAY_MS + 630 * MINUTE_MS;
    let late = judged(&app, &field, check_in(HOME, late_at)).await;
    assert_eq!(late["verdict"]["outcome"], "rejected");
    assert_eq!(reason_codes(&late), ["outside_contact_window", "no_track"]);
    assert_eq!(
        late["verdict"]["reasons"][0]["local_time"],
        "2026-07-17T22:30:00-06:00"
    );

    let mut mocked = check_in(HOME, NOON_MS + 3 * DAY_MS);
    mocked["fix"]["mock"] = json!(true);
    let mock = judged(&app, &field, mocked).await;
    assert_eq!(mock["verdict"]["outcome"], "rejected");
    assert_eq!(reason_codes(&mock), ["mock_location", "no_track"]);

    // The phone's clock runs six hours behind; the app measured the offset.
    let real = NOON_MS + 4 * DAY_MS;
    let mut skewed = check_in(HOME, real - 6 * 60 * MINUTE_MS);
    skewed["server_offset_ms"] = json!(6 * 60 * MINUTE_MS);
    let clock = judged(&app, &field, skewed).await;
    assert_eq!(clock["verdict"]["outcome"], "rejected");
    assert_eq!(reason_codes(&clock), ["clock_offset", "no_track"]);
    assert_eq!(
        clock["verdict"]["reasons"][0]["offset_ms"],
        6 * 60 * MINUTE_MS
    );

    let events = app
        .test_store
        .store
        .events(field.tenant.org.id)
        .await
        .expect("events");
    let rejected = events
        .iter()
        .filter(|event| event.kind == "checkin.rejected")
        .count();
    assert_eq!(rejected, 4);
}
on_both_stores!(verdicts_arrival, verdicts_on_arrival);

async fn verdicts_from_track(app: TestApp) {
    let field = field(&app, "Despacho Norte").await;
    clock_in(&app, &field.agent, NOON_MS - 60 * MINUTE_MS).await;

    // Arrives from 3 km away at walking and driving speeds, then stays at the door.
    let arrives = NOON_MS;
    post_track(
        &app,
        &field.agent,
        arrives,
        &[
            (-8, north(HOME, 3000.0)),
            (-2, north(HOME, 20.0)),
            (4, north(HOME, 15.0)),
        ],
    )
    .await;
    let verified = judged(&app, &field, check_in(HOME, arrives)).await;
    assert_eq!(verified["verdict"]["outcome"], "verified");
    assert_eq!(reason_codes(&verified), ["track_near"]);
    assert_eq!(verified["verdict"]["reasons"][0]["dwell_s"], 360.0);

    // Four minutes earlier the agent was 20 km away: 300 km/h.
    let rushed = NOON_MS + 2 * 60 * MINUTE_MS;
    clock_in(&app, &field.agent, rushed - 30 * MINUTE_MS).await;
    post_track(&app, &field.agent, rushed, &[(-4, north(HOME, 20_000.0))]).await;
    let speed = judged(&app, &field, check_in(HOME, rushed)).await;
    assert_eq!(speed["verdict"]["outcome"], "rejected");
    assert_eq!(reason_codes(&speed), ["track_not_near", "impossible_speed"]);

    // The track stays 40 km away before and after: the fix at the door is a jump there
    // and back.
    let jump = NOON_MS + 5 * 60 * MINUTE_MS;
    clock_in(&app, &field.agent, jump - 30 * MINUTE_MS).await;
    post_track(
        &app,
        &field.agent,
        jump,
        &[(-5, north(HOME, 40_000.0)), (5, north(HOME, 40_010.0))],
    )
    .await;
    let teleport = judged(&app, &field, check_in(HOME, jump)).await;
    assert_eq!(teleport["verdict"]["outcome"], "rejected");
    assert_eq!(reason_codes(&teleport), ["track_not_near", "teleport"]);
}
on_both_stores!(verdicts_track, verdicts_from_track);
