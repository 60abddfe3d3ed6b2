//! Helpers for tests that send positions as tracking clients do.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use ronda_domain::UserId;
use serde_json::{Value, json};
use tower::ServiceExt;

use super::{Auth, Session, TestApp};

/// Sends a raw request to the app's router and returns the status and body text.
pub async fn send(app: &TestApp, request: Request<Body>) -> (StatusCode, String) {
    send_to(app.router.clone(), request).await
}

/// Sends a raw request to `router`, such as the tracking port's, and returns the status
/// and body text.
pub async fn send_to(router: Router, request: Request<Body>) -> (StatusCode, String) {
    let response = router.oneshot(request).await.expect("router never fails");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

pub async fn osmand_get(app: &TestApp, secret: &str, query: &str) -> (StatusCode, String) {
    let request = Request::get(format!("/tracking/osmand/{secret}?{query}"))
        .body(Body::empty())
        .expect("request");
    send(app, request).await
}

/// Registers a device through the API and returns the whole response body.
pub async fn register(
    app: &TestApp,
    session: &Session,
    agent: UserId,
    kind: &str,
    identifier: &str,
) -> Value {
    let body = json!({"agent_id": agent.0, "name": format!("Teléfono {identifier}"),
        "kind": kind, "device_identifier": identifier});
    let response = app.post("/api/devices", Auth::Session(session), body).await;
    assert_eq!(
        response.status,
        StatusCode::CREATED,
        "{identifier}: {:?}",
        response.body
    );
    response.body
}

pub fn secret_of(created: &Value) -> String {
    created["secret"].as_str().expect("secret").to_owned()
}

/// Lets the organization track agents outside their shifts, so replayed messages with
/// old timestamps are judged by the position filter alone.
pub async fn track_outside_shifts(app: &TestApp, admin: &Session) {
    set_outside_shifts(app, admin, true).await;
}

/// Sets whether the organization tracks agents outside their shifts.
pub async fn set_outside_shifts(app: &TestApp, admin: &Session, allowed: bool) {
    let body = json!({"track_outside_shifts": allowed});
    let response = app
        .request(
            Method::PUT,
            "/api/field/settings",
            Auth::Session(admin),
            Some(body),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{:?}", response.body);
}
