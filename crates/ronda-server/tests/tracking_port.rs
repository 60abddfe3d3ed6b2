//! The tracking port (5055 by default) as Traccar Client reaches it: a server URL of only
//! address and port sends messages to `/`, and the error for a message without a secret
//! names where the secret goes.

use crate::support;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use serde_json::Value;
use support::tracking::{register, secret_of, send, send_to};
use support::{Backend, TestApp};

/// Sends `request` to the tracking port's router and returns the status and body text.
async fn send_to_port(app: &TestApp, request: Request<Body>) -> (StatusCode, String) {
    send_to(ronda_server::tracking::router(app.state.clone()), request).await
}

fn get(uri: &str, secret: Option<&str>) -> Request<Body> {
    let mut request = Request::get(uri);
    if let Some(secret) = secret {
        request = request.header("x-ronda-device-secret", secret);
    }
    request.body(Body::empty()).expect("request")
}

fn assert_names_missing_secret(status: StatusCode, body: &str) {
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    let error: Value = serde_json::from_str(body).expect("JSON error body");
    assert_eq!(error["code"], "invalid_device_credentials");
    assert_eq!(error["field"], "secret");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(message.contains("/tracking/osmand/"), "{message}");
    assert!(message.contains("X-Ronda-Device-Secret"), "{message}");
}

#[tokio::test]
async fn root_of_tracking_port() {
    let app = TestApp::new(Backend::Sqlite).await.expect("SQLite store");
    let tenant = app.tenant("Despacho Puerto").await;
    let admin = app.login(&tenant.admin.email).await;
    let secret = secret_of(&register(&app, &admin, tenant.agent.id, "osmand", "505500").await);
    let query = "id=505500&lat=19.4326&lon=-99.1332&timestamp=1700000000";

    let (status, body) = send_to_port(&app, get(&format!("/?{query}"), None)).await;
    assert_names_missing_secret(status, &body);

    let (status, body) = send_to_port(&app, get(&format!("/?{query}"), Some(&secret))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, "");

    // On the main port `/` is the web console, so the missing secret is named at
    // /tracking/osmand instead.
    let (status, body) = send(&app, get(&format!("/tracking/osmand?{query}"), None)).await;
    assert_names_missing_secret(status, &body);

    // The tracking port is all API: a wrong method or path gets a JSON error as well.
    for (method, uri) in [("PUT", "/"), ("GET", "/favicon.ico")] {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .body(Body::empty())
            .expect("request");
        let (status, body) = send_to_port(&app, request).await;
        assert!(status.is_client_error(), "{method} {uri}: {status}");
        let error: Value = serde_json::from_str(&body).expect("JSON error body");
        assert!(error["code"].is_string(), "{method} {uri}: {body}");
    }

    let positions = app
        .test_store
        .store
        .agent_positions(
            tenant.org.id,
            tenant.agent.id,
            jiff::Timestamp::MIN,
            jiff::Timestamp::MAX,
        )
        .await
        .expect("positions");
    assert_eq!(positions.len(), 1, "only the message with its secret");
}
