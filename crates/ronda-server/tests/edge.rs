//! The HTTP edge: error shape and language, bad input, opaque server errors, operator
//! endpoints and the API description.

use crate::support;

use axum::http::{Method, StatusCode, header};
use serde_json::json;
use support::{Auth, Backend, PASSWORD, TestApp};

async fn app() -> TestApp {
    TestApp::new(Backend::Sqlite).await.expect("sqlite store")
}

#[tokio::test]
async fn errors_follow_accept_language() {
    let app = app().await;
    let spanish = app.get("/api/users", Auth::None).await;
    assert_eq!(spanish.body["code"], "unauthenticated");
    assert!(
        spanish.body["message"]
            .as_str()
            .expect("message")
            .contains("Inicia sesión"),
        "{:?}",
        spanish.body
    );
    assert!(spanish.body["field"].is_null());

    let english = app
        .request_from(
            [127, 0, 0, 1],
            Method::GET,
            "/api/users",
            Auth::None,
            None,
            &[("accept-language", "en-US,en;q=0.9")],
        )
        .await;
    assert_eq!(english.body["code"], "unauthenticated");
    assert!(
        english.body["message"]
            .as_str()
            .expect("message")
            .contains("Log in again"),
        "{:?}",
        english.body
    );
}

#[tokio::test]
async fn bad_input_names_the_field() {
    let app = app().await;
    let tenant = app.tenant("Despacho Norte").await;
    let admin = app.login(&tenant.admin.email).await;
    let cases = [
        (
            json!({"email": "correo-sin-arroba", "name": "Ana", "role": "agent", "password": PASSWORD}),
            "email",
        ),
        (
            json!({"email": "ana@norte.mx", "name": "  ", "role": "agent", "password": PASSWORD}),
            "name",
        ),
        (
            json!({"email": "ana@norte.mx", "name": "Ana", "role": "jefe", "password": PASSWORD}),
            "role",
        ),
        (
            json!({"email": "ana@norte.mx", "name": "Ana", "role": "agent", "password": "corta"}),
            "password",
        ),
        (
            json!({"email": "ana@norte.mx", "name": "Ana", "role": "agent"}),
            "password",
        ),
        (
            json!({"email": 42, "name": "Ana", "role": "agent", "password": PASSWORD}),
            "email",
        ),
    ];
    for (body, field) in cases {
        let response = app
            .post("/api/users", Auth::Session(&admin), body.clone())
            .await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(response.body["code"], "invalid_input", "{body}");
        assert_eq!(response.body["field"], field, "{body}");
        let message = response.body["message"].as_str().expect("message");
        assert!(
            message.contains(field),
            "message names the field: {message}"
        );
    }
    let users = app.get("/api/users", Auth::Session(&admin)).await;
    assert_eq!(
        users.body["users"].as_array().expect("users").len(),
        4,
        "nothing was written"
    );

    let duplicate = json!({"email": tenant.viewer.email, "name": "Copia", "role": "agent", "password": PASSWORD});
    let response = app
        .post("/api/users", Auth::Session(&admin), duplicate)
        .await;
    assert_eq!(response.status, StatusCode::CONFLICT);
    assert_eq!(response.body["code"], "email_taken");
    assert_eq!(response.body["field"], "email");
}

#[tokio::test]
async fn malformed_requests_get_json_errors() {
    let app = app().await;
    let tenant = app.tenant("Despacho Norte").await;
    let admin = app.login(&tenant.admin.email).await;
    let cookie = [
        (header::COOKIE.as_str(), admin.cookie.as_str()),
        ("x-csrf-token", admin.csrf_token.as_str()),
    ];

    let not_json = app
        .request_from(
            [127, 0, 0, 1],
            Method::POST,
            "/api/users",
            Auth::None,
            None,
            &[cookie[0], cookie[1], ("content-type", "text/plain")],
        )
        .await;
    assert_eq!(not_json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(not_json.body["code"], "unsupported_media_type");

    let broken = app
        .request_from(
            [127, 0, 0, 1],
            Method::POST,
            "/api/auth/login",
            Auth::None,
            None,
            &[("content-type", "application/json")],
        )
        .await;
    assert_eq!(broken.status, StatusCode::BAD_REQUEST);
    assert_eq!(broken.body["code"], "invalid_json");

    let bad_id = app
        .get("/api/users/no-es-un-uuid", Auth::Session(&admin))
        .await;
    assert_eq!(bad_id.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_id.body["field"], "id");

    for query in ["limit=0", "limit=501", "limit=abc", "before=-1"] {
        let response = app
            .get(&format!("/api/audit?{query}"), Auth::Session(&admin))
            .await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        let field = query.split('=').next().expect("name");
        assert_eq!(response.body["field"], field, "{query}");
    }

    let unknown = app.get("/api/nothing-here", Auth::Session(&admin)).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.body["code"], "not_found");
    let wrong_method = app
        .request(Method::PUT, "/api/users", Auth::Session(&admin), None)
        .await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.body["code"], "method_not_allowed");

    let huge = json!({"email": "a@b.mx", "password": "x".repeat(2 * 1024 * 1024)});
    let too_large = app.post("/api/auth/login", Auth::None, huge).await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(too_large.body["code"], "payload_too_large");

    // Tracking messages over 64 KiB get the same JSON error body.
    let message = json!({"_type": "location", "note": "x".repeat(100 * 1024)});
    let too_large = app.post("/tracking/owntracks", Auth::None, message).await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(too_large.body["code"], "payload_too_large");
}

#[tokio::test]
async fn audit_pages_in_order() {
    let app = app().await;
    let tenant = app.tenant("Despacho Norte").await;
    let admin = app.login(&tenant.admin.email).await;
    let first = app.get("/api/audit?limit=2", Auth::Session(&admin)).await;
    let entries = first.body["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["action"], "session.created");
    let next = first.body["next_before"].as_i64().expect("more pages");
    let second = app
        .get(
            &format!("/api/audit?limit=2&before={next}"),
            Auth::Session(&admin),
        )
        .await;
    let second_ids: Vec<i64> = second.body["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["id"].as_i64())
        .collect();
    assert!(
        second_ids.iter().all(|id| *id < next),
        "{second_ids:?} below {next}"
    );
}

#[tokio::test]
async fn server_errors_are_opaque() {
    let app = app().await;
    let tenant = app.tenant("Despacho Norte").await;
    let admin = app.login(&tenant.admin.email).await;
    app.test_store.store.close().await;

    let response = app.get("/api/users", Auth::Session(&admin)).await;
    assert_eq!(response.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(response.body["code"], "internal");
    let text = response.body.to_string().to_lowercase();
    for leak in ["pool", "sqlx", "sqlite", "closed"] {
        assert!(!text.contains(leak), "leaks {leak}: {text}");
    }
    let ready = app.get("/readyz", Auth::None).await;
    assert_eq!(ready.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(ready.body["code"], "not_ready");
}

#[tokio::test]
async fn operator_endpoints() {
    let app = app().await;
    assert_eq!(app.get("/healthz", Auth::None).await.status, StatusCode::OK);
    assert_eq!(app.get("/readyz", Auth::None).await.status, StatusCode::OK);
    app.get("/api/users", Auth::None).await;
    let metrics = app.get("/metrics", Auth::None).await;
    let text = metrics.body.as_str().expect("text body");
    assert!(
        text.contains(
            r#"ronda_http_requests_total{method="GET",route="/api/users",status="401"} 1"#
        ),
        "{text}"
    );
    assert!(text.contains("ronda_http_request_duration_seconds_bucket"));
}

#[tokio::test]
async fn openapi_document_lists_the_api() {
    let app = app().await;
    let response = app.get("/api/openapi.json", Auth::None).await;
    assert_eq!(response.status, StatusCode::OK);
    assert!(
        response.body["openapi"]
            .as_str()
            .expect("version")
            .starts_with("3.1")
    );
    let paths = response.body["paths"].as_object().expect("paths");
    for path in [
        "/api/auth/login",
        "/api/session",
        "/api/users",
        "/api/users/{id}/deactivate",
        "/api/tokens/{id}",
        "/api/audit/{id}",
    ] {
        assert!(paths.contains_key(path), "missing {path}");
    }
    assert!(response.body["components"]["schemas"]["ErrorBody"].is_object());

    // The tracking clients' routes, with their own credentials and rate limit.
    for method in ["get", "post"] {
        for path in ["/tracking/osmand/{secret}", "/tracking/osmand"] {
            assert!(paths[path][method].is_object(), "missing {method} {path}");
        }
    }
    let owntracks = &paths["/tracking/owntracks"]["post"];
    assert_eq!(owntracks["security"], json!([{"owntracks_basic": []}]));
    let limit = owntracks["responses"]["429"]["description"].as_str();
    assert!(
        limit.is_some_and(|text| text.contains("tracking.max_messages_per_minute")),
        "{limit:?}"
    );
    let osmand_limit = paths["/tracking/osmand/{secret}"]["get"]["responses"]["429"]["description"]
        .as_str()
        .unwrap_or_default();
    assert!(
        osmand_limit.contains("tracking.max_messages_per_minute"),
        "{osmand_limit}"
    );
    for method in ["get", "post"] {
        let body = &paths["/tracking/osmand/{secret}"][method]["requestBody"];
        assert_ne!(body["required"], true, "{method}: the body is optional");
        let limit = paths["/tracking/osmand"][method]["responses"]["429"]["description"].as_str();
        assert!(
            limit.is_some_and(|text| text.contains("120 by default")),
            "{limit:?}"
        );
    }
    let schemes = &response.body["components"]["securitySchemes"];
    assert_eq!(schemes["owntracks_basic"]["scheme"], "basic");
}

#[tokio::test]
async fn pages_take_only_reads() {
    let app = app().await;
    // A tracking client pointed at the console's address must see a failure, not a page.
    for (method, path) in [
        (Method::POST, "/"),
        (Method::PUT, "/app/"),
        (Method::POST, "/xyz"),
    ] {
        let response = app.request(method.clone(), path, Auth::None, None).await;
        assert_eq!(
            response.status,
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        assert_eq!(response.headers["allow"], "GET, HEAD");
    }
}

#[tokio::test]
async fn security_headers_on_every_response() {
    let app = app().await;
    for path in ["/api/session", "/healthz", "/"] {
        let response = app.get(path, Auth::None).await;
        assert_eq!(
            response.headers["x-content-type-options"], "nosniff",
            "{path}"
        );
        assert!(
            response.headers["content-security-policy"]
                .to_str()
                .expect("ascii")
                .contains("frame-ancestors 'none'")
        );
    }
}
