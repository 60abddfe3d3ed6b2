//! The day package lists an agent's stops as a route from the agent's start location.

use crate::field_common;
use crate::support;

use axum::http::{Method, StatusCode};
use field_common::{HOME, field, north};
use serde_json::json;
use support::{Auth, TestApp};

/// Saves the agent's start location through the console's API and returns the day's
/// stops, by lender account id, in route order.
async fn route_from(app: &TestApp, field: &field_common::Field, start: (f64, f64)) -> Vec<String> {
    let path = format!("/api/agents/{}/profile", field.tenant.agent.id.0);
    let profile = json!({
        "working_hours": [],
        "start_location": {"latitude": start.0, "longitude": start.1, "label": "Oficina"},
        "zones": []
    });
    let saved = app
        .request(
            Method::PUT,
            &path,
            Auth::Session(&field.supervisor),
            Some(profile),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);

    let day = app.get("/api/field/day", Auth::Session(&field.agent)).await;
    assert_eq!(day.status, StatusCode::OK, "{:?}", day.body);
    let stops = day.body["stops"].as_array().expect("stops");
    for (index, stop) in stops.iter().enumerate() {
        assert_eq!(stop["route_order"], index + 1, "{stop}");
    }
    stops
        .iter()
        .map(|stop| {
            stop["account"]["lender_account_id"]
                .as_str()
                .expect("id")
                .to_owned()
        })
        .collect()
}

async fn stops_follow_start_location(app: TestApp) {
    let field = field(&app, "Despacho Norte").await;
    // FV-1 is at HOME and FV-2 800 m north of it.
    let from_north = route_from(&app, &field, north(HOME, 2_000.0)).await;
    assert_eq!(from_north, ["FV-2", "FV-1"]);
    let from_south = route_from(&app, &field, north(HOME, -2_000.0)).await;
    assert_eq!(from_south, ["FV-1", "FV-2"]);
}

on_both_stores!(route_from_start, stops_follow_start_location);
