//! The notifications API: rules, SMTP settings, webhooks with signed requests, and the
//! live feed. Each test runs on SQLite and PostgreSQL.

use crate::notify_support;
use crate::support;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use hmac::{Hmac, Mac};
use http_body_util::BodyExt;
use notify_support::smtp::{Mode, SmtpServer};
use notify_support::{NotifyApp, WebhookReceiver, fast_settings, mime, visit_payload};
use ronda_server::live::LiveEvent;
use ronda_store::outbox::EventKind;
use serde_json::{Value, json};
use sha2::Sha256;
use support::{Auth, Backend};
use tower::ServiceExt;
use uuid::Uuid;

async fn rules_crud_roles_and_validation(backend: Backend) {
    let Some(app) = NotifyApp::new(backend, fast_settings()).await else {
        return;
    };
    let north = app.app.tenant("Despacho Norte").await;
    let south = app.app.tenant("Despacho Sur").await;
    let supervisor = app.app.login(&north.supervisor.email).await;
    let viewer = app.app.login(&north.viewer.email).await;
    let agent = app.app.login(&north.agent.email).await;
    let south_admin = app.app.login(&south.admin.email).await;
    let south_lender = app
        .app
        .post(
            "/api/lenders",
            Auth::Session(&south_admin),
            json!({"name": "Banco Sur"}),
        )
        .await;
    let south_lender_id = south_lender.body["id"].as_str().expect("id").to_owned();

    let rule = json!({
        "name": "Promesas al otorgante",
        "event_kinds": ["promise.created"],
        "result_codes": ["ptp"],
        "recipients": ["Cobranza@Banco.mx", "otra@banco.mx"],
        "language": "en",
    });
    let forbidden = app
        .app
        .post(
            "/api/notifications/rules",
            Auth::Session(&viewer),
            rule.clone(),
        )
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let created = app
        .app
        .post(
            "/api/notifications/rules",
            Auth::Session(&supervisor),
            rule.clone(),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(
        created.body["recipients"],
        json!(["cobranza@banco.mx", "otra@banco.mx"])
    );
    assert_eq!(created.body["result_codes"], json!(["PTP"]));
    assert_eq!(created.body["language"], "en");
    let id = created.body["id"].as_str().expect("id").to_owned();

    let list = app
        .app
        .get("/api/notifications/rules", Auth::Session(&viewer))
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body["rules"].as_array().map(Vec::len), Some(1));
    let by_agent = app
        .app
        .get("/api/notifications/rules", Auth::Session(&agent))
        .await;
    assert_eq!(by_agent.status, StatusCode::FORBIDDEN);

    let cases = [
        (
            json!({"recipients": ["bien@banco.mx", "no es correo"]}),
            "recipients[1]",
        ),
        (json!({"event_kinds": ["visit.finished"]}), "event_kinds[0]"),
        (json!({"event_kinds": []}), "event_kinds"),
        (json!({"lender_id": south_lender_id}), "lender_id"),
        (json!({"lender_id": "12"}), "lender_id"),
        (json!({"language": "fr"}), "language"),
        (json!({"result_codes": ["no válido"]}), "result_codes[0]"),
    ];
    for (change, field) in cases {
        let mut body = rule.clone();
        for (key, value) in change.as_object().expect("object") {
            body[key] = value.clone();
        }
        let response = app
            .app
            .post("/api/notifications/rules", Auth::Session(&supervisor), body)
            .await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(response.body["field"], field, "{:?}", response.body);
        assert!(
            response.body["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
    }

    let path = format!("/api/notifications/rules/{id}");
    let mut changed = rule.clone();
    changed["active"] = json!(false);
    let updated = app
        .app
        .request(
            axum::http::Method::PUT,
            &path,
            Auth::Session(&supervisor),
            Some(changed),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{:?}", updated.body);
    assert_eq!(updated.body["active"], false);

    let south_read = app.app.get(&path, Auth::Session(&south_admin)).await;
    assert_eq!(
        south_read.status,
        StatusCode::NOT_FOUND,
        "another organization's rule"
    );
    let south_delete = app
        .app
        .request(
            axum::http::Method::DELETE,
            &path,
            Auth::Session(&south_admin),
            None,
        )
        .await;
    assert_eq!(south_delete.status, StatusCode::NOT_FOUND);

    let deleted = app
        .app
        .request(
            axum::http::Method::DELETE,
            &path,
            Auth::Session(&supervisor),
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = app.app.get(&path, Auth::Session(&viewer)).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
}
notify_on_both_stores!(rules_crud, rules_crud_roles_and_validation);

async fn smtp_settings_hide_password_and_test_email(backend: Backend) {
    let Some(app) = NotifyApp::new(backend, fast_settings()).await else {
        return;
    };
    let north = app.app.tenant("Despacho Norte").await;
    let admin = app.app.login(&north.admin.email).await;
    let supervisor = app.app.login(&north.supervisor.email).await;
    let viewer = app.app.login(&north.viewer.email).await;

    let none = app
        .app
        .get("/api/notifications/smtp", Auth::Session(&viewer))
        .await;
    assert_eq!(none.body["source"], "none");
    let untested = app
        .app
        .post(
            "/api/notifications/smtp/test",
            Auth::Session(&admin),
            json!({"to": "yo@norte.mx"}),
        )
        .await;
    assert_eq!(untested.status, StatusCode::CONFLICT);
    assert_eq!(untested.body["code"], "smtp_not_configured");

    let smtp = SmtpServer::start(Mode::Accept).await;
    let settings = json!({
        "host": smtp.address.ip().to_string(),
        "port": smtp.address.port(),
        "security": "none",
        "username": "avisos",
        "password": "contraseña-smtp-secreta",
        "from_address": "Despacho Norte <avisos@norte.mx>",
    });
    let by_supervisor = app
        .app
        .request(
            axum::http::Method::PUT,
            "/api/notifications/smtp",
            Auth::Session(&supervisor),
            Some(settings.clone()),
        )
        .await;
    assert_eq!(by_supervisor.status, StatusCode::FORBIDDEN);
    let saved = app
        .app
        .request(
            axum::http::Method::PUT,
            "/api/notifications/smtp",
            Auth::Session(&admin),
            Some(settings.clone()),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{:?}", saved.body);
    assert_eq!(saved.body["has_password"], true);
    assert!(!saved.body.to_string().contains("contraseña-smtp-secreta"));
    let read = app
        .app
        .get("/api/notifications/smtp", Auth::Session(&viewer))
        .await;
    assert_eq!(read.body["source"], "organization");
    assert_eq!(read.body["username"], "avisos");
    assert!(!read.body.to_string().contains("contraseña-smtp-secreta"));

    let mut keep = settings.clone();
    keep.as_object_mut().expect("object").remove("password");
    keep["username"] = Value::Null;
    let kept = app
        .app
        .request(
            axum::http::Method::PUT,
            "/api/notifications/smtp",
            Auth::Session(&admin),
            Some(keep.clone()),
        )
        .await;
    assert_eq!(
        kept.body["has_password"], true,
        "absent password keeps the stored one"
    );
    keep["clear_password"] = json!(true);
    let cleared = app
        .app
        .request(
            axum::http::Method::PUT,
            "/api/notifications/smtp",
            Auth::Session(&admin),
            Some(keep),
        )
        .await;
    assert_eq!(cleared.body["has_password"], false);

    let mut bad = settings.clone();
    bad["security"] = json!("ssl");
    let rejected = app
        .app
        .request(
            axum::http::Method::PUT,
            "/api/notifications/smtp",
            Auth::Session(&admin),
            Some(bad),
        )
        .await;
    assert_eq!(rejected.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(rejected.body["field"], "security");

    let tested = app
        .app
        .post(
            "/api/notifications/smtp/test",
            Auth::Session(&admin),
            json!({"to": "yo@norte.mx"}),
        )
        .await;
    assert_eq!(tested.status, StatusCode::OK, "{:?}", tested.body);
    let messages = smtp.wait_for(1).await;
    assert_eq!(
        mime::header(&messages[0].data, "Subject").as_deref(),
        Some("Ronda: correo de prueba")
    );
    assert!(messages[0].rcpt_to[0].contains("yo@norte.mx"));

    let address = smtp.stop().await;
    let mut down = settings.clone();
    down["port"] = json!(address.port());
    let failed = app
        .app
        .post(
            "/api/notifications/smtp/test",
            Auth::Session(&admin),
            json!({"to": "yo@norte.mx"}),
        )
        .await;
    assert_eq!(failed.status, StatusCode::BAD_GATEWAY, "{:?}", failed.body);
    assert_eq!(failed.body["code"], "smtp_failed");

    let south = app.app.tenant("Despacho Sur").await;
    let south_admin = app.app.login(&south.admin.email).await;
    let south_view = app
        .app
        .get("/api/notifications/smtp", Auth::Session(&south_admin))
        .await;
    assert_eq!(
        south_view.body["source"], "none",
        "settings stay in their organization"
    );
}
notify_on_both_stores!(smtp_settings, smtp_settings_hide_password_and_test_email);

/// Checks a webhook request's signature the way a receiver would.
fn verify_signature(secret: &str, request: &notify_support::ReceivedRequest) {
    let timestamp = request.headers["x-ronda-timestamp"]
        .to_str()
        .expect("ascii");
    let signature = request.headers["x-ronda-signature"]
        .to_str()
        .expect("ascii");
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("key");
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(&request.body);
    let expected = hex::decode(signature.strip_prefix("v1=").expect("v1 prefix")).expect("hex");
    mac.verify_slice(&expected).expect("valid signature");
    let sent_at: i64 = timestamp.parse().expect("seconds");
    assert!((jiff::Timestamp::now().as_second() - sent_at).abs() < 60);
}

async fn webhooks_are_signed_retried_and_logged(backend: Backend) {
    let Some(app) = NotifyApp::new(backend, fast_settings()).await else {
        return;
    };
    let north = app.app.tenant("Despacho Norte").await;
    let admin = app.app.login(&north.admin.email).await;
    let viewer = app.app.login(&north.viewer.email).await;
    let receiver = WebhookReceiver::start(StatusCode::INTERNAL_SERVER_ERROR).await;
    let other = WebhookReceiver::start(StatusCode::OK).await;

    let body = json!({"name": "ERP", "url": receiver.url, "kinds": ["visit.completed", "promise.created"]});
    let by_viewer = app
        .app
        .post("/api/webhooks", Auth::Session(&viewer), body.clone())
        .await;
    assert_eq!(by_viewer.status, StatusCode::FORBIDDEN);
    let bad_url = app
        .app
        .post(
            "/api/webhooks",
            Auth::Session(&admin),
            json!({"name": "x", "url": "ftp://x", "kinds": ["visit.completed"]}),
        )
        .await;
    assert_eq!(bad_url.body["field"], "url");
    let created = app
        .app
        .post("/api/webhooks", Auth::Session(&admin), body)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let secret = created.body["secret"].as_str().expect("secret").to_owned();
    let webhook_id = created.body["webhook"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let read = app
        .app
        .get(
            &format!("/api/webhooks/{webhook_id}"),
            Auth::Session(&viewer),
        )
        .await;
    assert_eq!(read.status, StatusCode::OK);
    assert!(
        !read.body.to_string().contains(&secret),
        "secret shown only once"
    );
    let only_rejected = app
        .app
        .post(
            "/api/webhooks",
            Auth::Session(&admin),
            json!({"name": "Rechazos", "url": other.url, "kinds": ["checkin.rejected"]}),
        )
        .await;
    assert_eq!(only_rejected.status, StatusCode::CREATED);

    let event_id = app
        .record_event(
            north.org.id,
            EventKind::VisitCompleted,
            visit_payload(Uuid::now_v7(), "Beto", "PTP"),
        )
        .await;
    for _ in 0..4 {
        app.dispatcher().run_once().await.expect("pass");
        tokio::time::sleep(Duration::from_millis(220)).await;
    }
    let requests = receiver.requests();
    assert_eq!(requests.len(), 3, "three attempts, then failed");
    assert!(other.requests().is_empty(), "kinds filter the webhooks");
    for request in &requests {
        verify_signature(&secret, request);
    }
    let delivery_ids: Vec<&str> = requests
        .iter()
        .map(|r| r.headers["x-ronda-delivery"].to_str().expect("ascii"))
        .collect();
    assert!(
        delivery_ids.iter().all(|id| *id == delivery_ids[0]),
        "same id on every retry"
    );
    let sent: Value = serde_json::from_slice(&requests[0].body).expect("JSON body");
    assert_eq!(sent["id"], event_id.to_string());
    assert_eq!(sent["kind"], "visit.completed");
    assert_eq!(sent["data"]["agent"]["name"], "Beto");
    assert_eq!(requests[0].headers["x-ronda-event"], "visit.completed");

    let list = app
        .app
        .get(
            &format!("/api/webhooks/{webhook_id}/deliveries"),
            Auth::Session(&viewer),
        )
        .await;
    let delivery = &list.body["deliveries"][0];
    assert_eq!(delivery["state"], "failed");
    assert_eq!(delivery["last_status_code"], 500);
    let delivery_id = delivery["id"].as_str().expect("id").to_owned();
    assert_eq!(delivery_id, delivery_ids[0]);
    let log = app
        .app
        .get(
            &format!("/api/webhooks/deliveries/{delivery_id}/attempts"),
            Auth::Session(&viewer),
        )
        .await;
    let attempts = log.body["attempts"].as_array().expect("attempts");
    assert_eq!(attempts.len(), 3);
    assert_eq!(attempts[0]["status_code"], 500);
    assert_eq!(attempts[0]["response_excerpt"], "recibido");

    receiver.set_status(StatusCode::NO_CONTENT);
    let retry_path = format!("/api/webhooks/deliveries/{delivery_id}/retry");
    let retried = app
        .app
        .post(&retry_path, Auth::Session(&admin), json!({}))
        .await;
    assert_eq!(retried.status, StatusCode::OK, "{:?}", retried.body);
    app.dispatcher().run_once().await.expect("pass");
    assert_eq!(receiver.requests().len(), 4);
    verify_signature(&secret, &receiver.requests()[3]);
    let list = app
        .app
        .get(
            &format!("/api/webhooks/{webhook_id}/deliveries"),
            Auth::Session(&viewer),
        )
        .await;
    assert_eq!(list.body["deliveries"][0]["state"], "sent");
    app.dispatcher().run_once().await.expect("pass");
    assert_eq!(
        receiver.requests().len(),
        4,
        "a delivered webhook is not sent again"
    );

    let south = app.app.tenant("Despacho Sur").await;
    let south_admin = app.app.login(&south.admin.email).await;
    let hidden = app
        .app
        .get(
            &format!("/api/webhooks/{webhook_id}/deliveries"),
            Auth::Session(&south_admin),
        )
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let hidden_log = app
        .app
        .get(
            &format!("/api/webhooks/deliveries/{delivery_id}/attempts"),
            Auth::Session(&south_admin),
        )
        .await;
    assert_eq!(hidden_log.status, StatusCode::NOT_FOUND);
    let south_list = app
        .app
        .get("/api/webhooks", Auth::Session(&south_admin))
        .await;
    assert_eq!(
        south_list.body["webhooks"].as_array().map(Vec::len),
        Some(0)
    );
}
notify_on_both_stores!(webhooks, webhooks_are_signed_retried_and_logged);

/// Reads the live feed until `count` events arrived or a second passed.
async fn read_events(body: &mut Body, count: usize) -> Vec<String> {
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(1);
    while text.matches("\n\n").count() < count {
        let remaining = deadline.saturating_duration_since(tokio::time::Instant::now());
        match tokio::time::timeout(remaining, body.frame()).await {
            Ok(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    text.push_str(&String::from_utf8_lossy(data));
                }
            }
            _ => break,
        }
    }
    text.split("\n\n")
        .filter(|e| !e.is_empty())
        .map(str::to_owned)
        .collect()
}

async fn live_feed_is_per_organization(backend: Backend) {
    let Some(app) = NotifyApp::new(backend, fast_settings()).await else {
        return;
    };
    let north = app.app.tenant("Despacho Norte").await;
    let south = app.app.tenant("Despacho Sur").await;
    let viewer = app.app.login(&north.viewer.email).await;
    let agent = app.app.login(&north.agent.email).await;

    let by_agent = app.app.get("/api/live", Auth::Session(&agent)).await;
    assert_eq!(by_agent.status, StatusCode::FORBIDDEN);
    let anonymous = app.app.get("/api/live", Auth::None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    let request = Request::get("/api/live")
        .header(header::COOKIE, &viewer.cookie)
        .body(Body::empty())
        .expect("request");
    let response = app
        .app
        .router
        .clone()
        .oneshot(request)
        .await
        .expect("response");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/event-stream"
    );
    let mut body = response.into_body();

    app.state.live().publish(LiveEvent {
        organization_id: south.org.id,
        kind: "visit.completed",
        data: json!({"agent": {"name": "Agente del Sur"}}),
    });
    app.state.live().publish(LiveEvent {
        organization_id: north.org.id,
        kind: "checkin.rejected",
        data: json!({"agent": {"name": "Agente del Norte"}}),
    });
    let events = read_events(&mut body, 1).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(events[0].contains("event: checkin.rejected"), "{events:?}");
    assert!(events[0].contains("Agente del Norte"));
    assert!(!events.iter().any(|e| e.contains("Agente del Sur")));

    app.state.live().close();
    let ended = tokio::time::timeout(Duration::from_secs(2), async {
        while let Some(Ok(_)) = body.frame().await {}
    })
    .await;
    assert!(ended.is_ok(), "the feed ends when the server shuts down");
}
notify_on_both_stores!(live_feed, live_feed_is_per_organization);
