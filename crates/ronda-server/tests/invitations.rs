//! Invitations on both stores: who may invite, the one-time page without a session,
//! password rules, single use, expiry and organization scoping.

use crate::notify_support;
use crate::support;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use jiff::{SignedDuration, Timestamp};
use notify_support::NotifyApp;
use notify_support::smtp::{Mode, SmtpServer};
use ronda_domain::{Email, PersonName, Role, UserId};
use ronda_store::NewUser;
use ronda_store::organization::invitation::NewInvitation;
use serde_json::json;
use support::{Auth, TestApp};
use tower::ServiceExt;

/// Sends an HTML form to `path` without a session and returns the status and page.
async fn post_form(app: &TestApp, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let body: Vec<String> = fields
        .iter()
        .map(|(name, value)| format!("{name}={}", value.replace(' ', "+")))
        .collect();
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body.join("&")))
        .expect("valid request");
    request
        .extensions_mut()
        .insert(ConnectInfo(std::net::SocketAddr::from((
            [127, 0, 0, 1],
            40000,
        ))));
    let response = app.router.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

async fn login_status(app: &TestApp, email: &str, password: &str) -> StatusCode {
    let body = json!({"email": email, "password": password});
    app.post("/api/auth/login", Auth::None, body).await.status
}

async fn invite_and_accept(app: TestApp) {
    app.tenant("Despacho Norte").await;
    app.tenant("Despacho Sur").await;
    let admin = app.login("admin@despacho-norte.mx").await;
    let supervisor = app.login("supervisor@despacho-norte.mx").await;
    let south_admin = app.login("admin@despacho-sur.mx").await;
    let request = json!({"email": "carla@norte.mx", "name": "Carla Ortiz", "role": "agent"});

    let refused = app
        .post(
            "/api/invitations",
            Auth::Session(&supervisor),
            request.clone(),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let mut admin_role = request.clone();
    admin_role["role"] = json!("admin");
    let bad_role = app
        .post("/api/invitations", Auth::Session(&admin), admin_role)
        .await;
    assert_eq!(bad_role.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_role.body["field"], "role");

    let created = app
        .post("/api/invitations", Auth::Session(&admin), request.clone())
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["user"]["role"], "agent");
    let path = created.body["invitation_path"]
        .as_str()
        .expect("invitation path")
        .to_owned();
    let user_id = created.body["user"]["id"]
        .as_str()
        .expect("user id")
        .to_owned();
    let again = app
        .post("/api/invitations", Auth::Session(&admin), request)
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "email taken");

    // No password works before the invitation is accepted.
    assert_eq!(
        login_status(&app, "carla@norte.mx", support::PASSWORD).await,
        StatusCode::UNAUTHORIZED
    );
    let foreign = app
        .get(
            &format!("/api/users/{user_id}"),
            Auth::Session(&south_admin),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);

    let form = app.get(&path, Auth::None).await;
    assert_eq!(form.status, StatusCode::OK);
    let html = form.body.as_str().expect("html page");
    assert!(html.contains("Carla Ortiz"), "{html}");
    assert!(html.contains("<form method=\"post\">"), "{html}");

    let (status, html) = post_form(
        &app,
        &path,
        &[
            ("password", "una-clave-larga"),
            ("password_confirmation", "otra-clave-larga"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("no coinciden"), "{html}");
    let (status, html) = post_form(
        &app,
        &path,
        &[("password", "corta"), ("password_confirmation", "corta")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("de 10 a"), "{html}");

    let (status, html) = post_form(
        &app,
        &path,
        &[
            ("password", "una-clave-larga"),
            ("password_confirmation", "una-clave-larga"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Contraseña guardada"), "{html}");
    assert_eq!(
        login_status(&app, "carla@norte.mx", "una-clave-larga").await,
        StatusCode::OK
    );

    // The link works once.
    let (status, _) = post_form(
        &app,
        &path,
        &[
            ("password", "otra-clave-larga"),
            ("password_confirmation", "otra-clave-larga"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&path, Auth::None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        login_status(&app, "carla@norte.mx", "otra-clave-larga").await,
        StatusCode::UNAUTHORIZED
    );

    let audit = app.get("/api/audit", Auth::Session(&admin)).await;
    let actions: Vec<&str> = audit.body["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|entry| entry["action"].as_str())
        .collect();
    assert!(actions.contains(&"user.invited"), "{actions:?}");
    assert!(actions.contains(&"user.invitation_accepted"), "{actions:?}");
}
on_both_stores!(invitation_invite_and_accept, invite_and_accept);

async fn expired_link(app: TestApp) {
    let north = app.tenant("Despacho Norte").await;
    let created_at = Timestamp::now() - SignedDuration::from_hours(73);
    let user = NewUser {
        id: UserId::new(),
        organization_id: north.org.id,
        email: Email::parse("email", "tardio@norte.mx").expect("email"),
        name: PersonName::parse("name", "Tomás Tardío").expect("name"),
        role: Role::Agent,
        password_hash: north.agent.id.to_string(),
        created_at,
    };
    let token = "token-de-prueba-vencido";
    let invitation = NewInvitation {
        token_hash: ronda_server::auth::secret::sha256(token),
        created_by: Some(north.admin.id),
        created_at,
        expires_at: created_at + SignedDuration::from_hours(72),
    };
    app.test_store
        .store
        .create_invitation(
            &user,
            &invitation,
            &crate::field_common::seed_audit(north.org.id),
        )
        .await
        .expect("store invitation");

    let path = format!("/invitation/{token}");
    let page = app.get(&path, Auth::None).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let (status, html) = post_form(
        &app,
        &path,
        &[
            ("password", "una-clave-larga"),
            ("password_confirmation", "una-clave-larga"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("venció"), "{html}");
}
on_both_stores!(invitation_expired_link, expired_link);

/// With SMTP settings and a public URL, the link also goes out by email.
async fn emailed_link(backend: support::Backend) {
    let Some(notify) = NotifyApp::new(backend, notify_support::fast_settings()).await else {
        return;
    };
    let app = &notify.app;
    let north = app.tenant("Despacho Norte").await;
    let admin = app.login("admin@despacho-norte.mx").await;
    let request = json!({"email": "carla@norte.mx", "name": "Carla Ortiz", "role": "agent"});

    let without = app
        .post("/api/invitations", Auth::Session(&admin), request)
        .await;
    assert_eq!(without.status, StatusCode::CREATED, "{:?}", without.body);
    assert_eq!(without.body["email"], "not_configured");

    let smtp = SmtpServer::start(Mode::Accept).await;
    notify.use_smtp(&north, smtp.address).await;
    let request = json!({"email": "diego@norte.mx", "name": "Diego Luna", "role": "supervisor"});
    let created = app
        .post("/api/invitations", Auth::Session(&admin), request)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["email"], "sent");
    let path = created.body["invitation_path"].as_str().expect("path");

    let messages = smtp.wait_for(1).await;
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].rcpt_to, ["TO:<diego@norte.mx>"]);
    let link = format!("https://ronda.example.mx{path}");
    let text = notify_support::mime::part(&messages[0].data, "text/plain");
    assert!(text.contains(&link), "{text}");
}
notify_on_both_stores!(invitation_emailed_link, emailed_link);
