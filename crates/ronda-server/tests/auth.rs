//! Login, sessions, CSRF protection, rate limits and API tokens.

use crate::support;

use std::time::Duration;

use axum::http::{Method, StatusCode, header};
use ronda_server::ServerSettings;
use ronda_server::auth::rate_limit::LoginLimits;
use serde_json::json;
use support::{Auth, Backend, PASSWORD, TestApp, session_from};

async fn failed_logins_look_the_same(app: TestApp) {
    let tenant = app.tenant("Despacho Norte").await;
    let wrong_password = app
        .post(
            "/api/auth/login",
            Auth::None,
            json!({"email": tenant.admin.email, "password": "no-es-la-contraseña"}),
        )
        .await;
    let unknown_user = app
        .post(
            "/api/auth/login",
            Auth::None,
            json!({"email": "nadie@despacho-norte.mx", "password": PASSWORD}),
        )
        .await;
    let malformed_email = app
        .post(
            "/api/auth/login",
            Auth::None,
            json!({"email": "nadie", "password": PASSWORD}),
        )
        .await;
    for response in [&wrong_password, &unknown_user, &malformed_email] {
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
        assert_eq!(response.body["code"], "invalid_credentials");
        assert!(response.headers.get(header::SET_COOKIE).is_none());
    }
    assert_eq!(wrong_password.body, unknown_user.body);
    assert_eq!(wrong_password.body, malformed_email.body);
}
on_both_stores!(failed_logins_look_the_same_on, failed_logins_look_the_same);

async fn session_cookie_and_logout(app: TestApp) {
    let tenant = app.tenant("Despacho Norte").await;
    let response = app
        .post(
            "/api/auth/login",
            Auth::None,
            json!({"email": tenant.supervisor.email.to_uppercase(), "password": PASSWORD}),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "email is case-insensitive");
    let set_cookie = response
        .headers
        .get(header::SET_COOKIE)
        .expect("cookie")
        .to_str()
        .expect("ascii");
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    assert_eq!(response.body["organization"]["name"], "Despacho Norte");
    assert_eq!(response.body["user"]["role"], "supervisor");
    let session = session_from(&response);

    let current = app.get("/api/session", Auth::Session(&session)).await;
    assert_eq!(current.status, StatusCode::OK);
    assert_eq!(current.body["csrf_token"], session.csrf_token.as_str());

    let without_csrf = app
        .request(
            Method::POST,
            "/api/auth/logout",
            Auth::SessionWithoutCsrf(&session),
            None,
        )
        .await;
    assert_eq!(without_csrf.status, StatusCode::FORBIDDEN);
    assert_eq!(without_csrf.body["code"], "csrf_failed");
    let forged = support::Session {
        csrf_token: "forged".into(),
        ..session.clone()
    };
    let wrong_csrf = app
        .request(
            Method::POST,
            "/api/auth/logout",
            Auth::Session(&forged),
            None,
        )
        .await;
    assert_eq!(wrong_csrf.body["code"], "csrf_failed");

    let logout = app
        .request(
            Method::POST,
            "/api/auth/logout",
            Auth::Session(&session),
            None,
        )
        .await;
    assert_eq!(logout.status, StatusCode::NO_CONTENT);
    let cleared = logout
        .headers
        .get(header::SET_COOKIE)
        .expect("cleared cookie")
        .to_str()
        .expect("ascii");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    let after = app.get("/api/session", Auth::Session(&session)).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(after.body["code"], "unauthenticated");
}
on_both_stores!(session_cookie_and_logout_on, session_cookie_and_logout);

async fn deactivation_ends_sessions_at_once(app: TestApp) {
    let tenant = app.tenant("Despacho Norte").await;
    let admin = app.login(&tenant.admin.email).await;
    let agent = app.login(&tenant.agent.email).await;
    assert_eq!(
        app.get("/api/session", Auth::Session(&agent)).await.status,
        StatusCode::OK
    );

    let path = format!("/api/users/{}/deactivate", tenant.agent.id);
    let response = app
        .request(Method::POST, &path, Auth::Session(&admin), None)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{:?}", response.body);
    assert_eq!(response.body["active"], false);

    assert_eq!(
        app.get("/api/session", Auth::Session(&agent)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let relogin = app
        .post(
            "/api/auth/login",
            Auth::None,
            json!({"email": tenant.agent.email, "password": PASSWORD}),
        )
        .await;
    assert_eq!(relogin.status, StatusCode::UNAUTHORIZED);
    assert_eq!(relogin.body["code"], "invalid_credentials");

    let reactivate = format!("/api/users/{}/reactivate", tenant.agent.id);
    assert_eq!(
        app.request(Method::POST, &reactivate, Auth::Session(&admin), None)
            .await
            .status,
        StatusCode::OK
    );
    app.login(&tenant.agent.email).await;

    let own = format!("/api/users/{}/deactivate", tenant.admin.id);
    let response = app
        .request(Method::POST, &own, Auth::Session(&admin), None)
        .await;
    assert_eq!(response.status, StatusCode::CONFLICT);
    assert_eq!(response.body["code"], "cannot_deactivate_self");
}
on_both_stores!(
    deactivation_ends_sessions_at_once_on,
    deactivation_ends_sessions_at_once
);

async fn api_tokens_work_until_revoked(app: TestApp) {
    let tenant = app.tenant("Despacho Norte").await;
    let admin = app.login(&tenant.admin.email).await;
    let created = app
        .post(
            "/api/tokens",
            Auth::Session(&admin),
            json!({"name": "ERP", "role": "supervisor"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let secret = created.body["secret"].as_str().expect("secret").to_owned();
    assert!(secret.starts_with("ronda_"));
    let token_id = created.body["token"]["id"].as_str().expect("id").to_owned();

    let listed = app.get("/api/tokens", Auth::Session(&admin)).await;
    assert!(
        !listed.body.to_string().contains(&secret),
        "the secret is shown only once"
    );

    // A bearer token needs no CSRF token, and acts with its own role.
    let users = app.get("/api/users", Auth::Bearer(&secret)).await;
    assert_eq!(users.status, StatusCode::OK);
    let create = app
        .post(
            "/api/users",
            Auth::Bearer(&secret),
            json!({"email": "x@y.mx", "name": "X", "role": "agent", "password": PASSWORD}),
        )
        .await;
    assert_eq!(
        create.status,
        StatusCode::FORBIDDEN,
        "a supervisor token cannot manage users"
    );

    let revoke = app
        .request(
            Method::DELETE,
            &format!("/api/tokens/{token_id}"),
            Auth::Session(&admin),
            None,
        )
        .await;
    assert_eq!(revoke.status, StatusCode::OK);
    assert!(revoke.body["revoked_at"].is_string());
    let after = app.get("/api/users", Auth::Bearer(&secret)).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get("/api/users", Auth::Bearer("ronda_invented"))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    let audit = app.get("/api/audit", Auth::Session(&admin)).await;
    let actions: Vec<&str> = audit.body["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(
        actions.starts_with(&["api_token.revoked", "api_token.created"]),
        "{actions:?}"
    );
}
on_both_stores!(
    api_tokens_work_until_revoked_on,
    api_tokens_work_until_revoked
);

fn strict_limits() -> ServerSettings {
    ServerSettings {
        login_limits: LoginLimits {
            max_failures_per_account: 3,
            max_failures_per_ip: 6,
            window: Duration::from_secs(600),
        },
        ..ServerSettings::default()
    }
}

#[tokio::test]
async fn login_rate_limit_per_account() {
    let app = TestApp::with_settings(Backend::Sqlite, strict_limits())
        .await
        .expect("sqlite");
    let tenant = app.tenant("Despacho Norte").await;
    let wrong = json!({"email": tenant.admin.email, "password": "equivocada-123"});
    for attempt in 0..3u8 {
        let ip = [10, 0, 0, attempt + 1];
        let response = app
            .request_from(
                ip,
                Method::POST,
                "/api/auth/login",
                Auth::None,
                Some(wrong.clone()),
                &[],
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    let right = json!({"email": tenant.admin.email, "password": PASSWORD});
    let blocked = app
        .request_from(
            [10, 0, 0, 9],
            Method::POST,
            "/api/auth/login",
            Auth::None,
            Some(right),
            &[],
        )
        .await;
    assert_eq!(
        blocked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert_eq!(blocked.body["code"], "rate_limited");
    let retry_after: u64 = blocked.headers[header::RETRY_AFTER]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=600).contains(&retry_after), "{retry_after}");

    app.login(&tenant.supervisor.email).await;
}

#[tokio::test]
async fn login_rate_limit_per_ip() {
    let app = TestApp::with_settings(Backend::Sqlite, strict_limits())
        .await
        .expect("sqlite");
    let tenant = app.tenant("Despacho Norte").await;
    let ip = [192, 0, 2, 7];
    for n in 0..6 {
        let body = json!({"email": format!("desconocido{n}@despacho-norte.mx"), "password": "equivocada-123"});
        let response = app
            .request_from(
                ip,
                Method::POST,
                "/api/auth/login",
                Auth::None,
                Some(body),
                &[],
            )
            .await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }
    let body = json!({"email": tenant.viewer.email, "password": PASSWORD});
    let blocked = app
        .request_from(
            ip,
            Method::POST,
            "/api/auth/login",
            Auth::None,
            Some(body.clone()),
            &[],
        )
        .await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    let other_ip = app
        .request_from(
            [192, 0, 2, 8],
            Method::POST,
            "/api/auth/login",
            Auth::None,
            Some(body),
            &[],
        )
        .await;
    assert_eq!(other_ip.status, StatusCode::OK);
}

#[tokio::test]
async fn forwarded_for_is_ignored_unless_trusted() {
    let app = TestApp::with_settings(Backend::Sqlite, strict_limits())
        .await
        .expect("sqlite");
    let tenant = app.tenant("Despacho Norte").await;
    let ip = [192, 0, 2, 50];
    for n in 0..6 {
        let body =
            json!({"email": format!("otro{n}@despacho-norte.mx"), "password": "equivocada-123"});
        let spoofed = format!("203.0.113.{n}");
        let headers = [("x-forwarded-for", spoofed.as_str())];
        app.request_from(
            ip,
            Method::POST,
            "/api/auth/login",
            Auth::None,
            Some(body),
            &headers,
        )
        .await;
    }
    let body = json!({"email": tenant.viewer.email, "password": PASSWORD});
    let headers = [("x-forwarded-for", "203.0.113.200")];
    let response = app
        .request_from(
            ip,
            Method::POST,
            "/api/auth/login",
            Auth::None,
            Some(body),
            &headers,
        )
        .await;
    assert_eq!(
        response.status,
        StatusCode::TOO_MANY_REQUESTS,
        "a forged header does not escape the limit"
    );
}
