//! Notification emails end to end: events in the store, the dispatcher, lettre, and a
//! real SMTP server on loopback. Each test runs on SQLite and PostgreSQL.

use crate::notify_support;
use crate::support;

use std::time::Duration;

use axum::http::StatusCode;
use notify_support::smtp::{Mode, SmtpServer};
use notify_support::{NotifyApp, fast_settings, mime, visit_payload};
use ronda_server::notify::dispatcher::INTERRUPTED_ERROR;
use ronda_store::outbox::{DeliveryState, EmailDelivery, EventKind, Language, NotificationRule};
use support::{Auth, Backend, Tenant};
use uuid::Uuid;

/// Creates an active rule straight in the store.
async fn add_rule(
    app: &NotifyApp,
    tenant: &Tenant,
    recipients: &[&str],
    lender_id: Option<Uuid>,
    language: Language,
) -> NotificationRule {
    let now = jiff::Timestamp::now();
    let rule = NotificationRule {
        id: Uuid::now_v7(),
        organization_id: tenant.org.id,
        name: format!("regla {}", recipients.join(",")),
        event_kinds: vec![EventKind::VisitCompleted, EventKind::PromiseCreated],
        lender_id,
        portfolio_id: None,
        agent_id: None,
        result_codes: Vec::new(),
        recipients: recipients.iter().map(|r| (*r).to_owned()).collect(),
        language,
        active: true,
        created_at: now,
        updated_at: now,
    };
    app.app
        .test_store
        .store
        .create_notification_rule(&rule, &notify_support::system_audit(tenant.org.id))
        .await
        .expect("create rule")
}

async fn deliveries(app: &NotifyApp, tenant: &Tenant) -> Vec<EmailDelivery> {
    app.app
        .test_store
        .store
        .email_deliveries(tenant.org.id, None, None, 100)
        .await
        .expect("list deliveries")
}

/// Creates a lender row so rules can filter by it.
async fn lender(app: &NotifyApp, tenant: &Tenant, name: &str) -> Uuid {
    let admin = app.app.login(&tenant.admin.email).await;
    let response = app
        .app
        .post(
            "/api/lenders",
            Auth::Session(&admin),
            serde_json::json!({"name": name}),
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{:?}", response.body);
    Uuid::parse_str(response.body["id"].as_str().expect("lender id")).expect("uuid")
}

async fn email_arrives_with_content(backend: Backend) {
    let Some(app) = NotifyApp::new(backend, fast_settings()).await else {
        return;
    };
    let tenant = app.app.tenant("Despacho Norte").await;
    let smtp = SmtpServer::start(Mode::Accept).await;
    app.use_smtp(&tenant, smtp.address).await;
    let lender_id = lender(&app, &tenant, "Banco del Norte").await;
    let other_lender = lender(&app, &tenant, "Financiera Sur").await;
    add_rule(
        &app,
        &tenant,
        &["cobranza@banco.mx"],
        Some(lender_id),
        Language::Es,
    )
    .await;
    add_rule(&app, &tenant, &["lender@bank.com"], None, Language::En).await;
    add_rule(
        &app,
        &tenant,
        &["sur@financiera.mx"],
        Some(other_lender),
        Language::Es,
    )
    .await;

    let payload = visit_payload(lender_id, "Beto Ruiz", "PTP");
    let event_id = app
        .record_event(tenant.org.id, EventKind::VisitCompleted, payload)
        .await;
    let report = app.dispatcher().run_once().await.expect("pass");
    assert_eq!(report.events_dispatched, 1);
    assert_eq!(report.emails_sent, 2, "{report:?}");

    let messages = smtp.wait_for(2).await;
    assert_eq!(messages.len(), 2, "only the two matching rules send");
    let spanish = messages
        .iter()
        .find(|m| m.rcpt_to.iter().any(|r| r.contains("cobranza@banco.mx")))
        .expect("Spanish email");
    let subject = mime::header(&spanish.data, "Subject").expect("subject");
    assert_eq!(
        subject,
        "Visita terminada: Ana María López · Promesa de pago"
    );
    let text = mime::part(&spanish.data, "text/plain");
    for expected in [
        "Gestor: Beto Ruiz",
        "Banco del Norte · Vencida 2026 · CR-0042",
        "Domicilio: Av. Juárez 10, Centro, Cuauhtémoc",
        "Hora: 04/12/2025 17:05 (America/Mexico_City)",
        "Resultado: Promesa de pago",
        "$2,500.00 MXN, a pagar el 2025-12-15 (OXXO)",
        "Registro (check-in): verificado",
        "https://ronda.example.mx/#/visits/",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let html = mime::part(&spanish.data, "text/html");
    assert!(html.contains("<th align=\"left\" valign=\"top\">Gestor</th><td>Beto Ruiz</td>"));
    assert!(html.contains("href=\"https://ronda.example.mx/#/visits/"));

    let english = messages
        .iter()
        .find(|m| m.rcpt_to.iter().any(|r| r.contains("lender@bank.com")))
        .expect("English email");
    let subject = mime::header(&english.data, "Subject").expect("subject");
    assert_eq!(subject, "Visit completed: Ana María López · Promise to pay");
    assert!(mime::part(&english.data, "text/plain").contains("Agent: Beto Ruiz"));

    let stored = deliveries(&app, &tenant).await;
    assert_eq!(stored.len(), 2);
    for delivery in &stored {
        assert_eq!(delivery.state, DeliveryState::Sent);
        assert_eq!(delivery.event_id, event_id);
        assert_eq!(delivery.attempts, 1);
    }
    let message_ids: Vec<String> = messages
        .iter()
        .filter_map(|m| mime::header(&m.data, "Message-ID"))
        .collect();
    for delivery in &stored {
        assert!(
            message_ids.contains(&delivery.message_id),
            "{message_ids:?}"
        );
    }

    let again = app.dispatcher().run_once().await.expect("second pass");
    assert_eq!(again.emails_sent, 0);
    assert_eq!(smtp.messages().len(), 2, "nothing is sent twice");
}
notify_on_both_stores!(email_arrives, email_arrives_with_content);

async fn smtp_down_waits_then_delivers_once(backend: Backend) {
    let Some(app) = NotifyApp::new(backend, fast_settings()).await else {
        return;
    };
    let tenant = app.app.tenant("Despacho Norte").await;
    let smtp = SmtpServer::start(Mode::Accept).await;
    let address = smtp.stop().await;
    app.use_smtp(&tenant, address).await;
    add_rule(&app, &tenant, &["cobranza@banco.mx"], None, Language::Es).await;
    app.record_event(
        tenant.org.id,
        EventKind::VisitCompleted,
        visit_payload(Uuid::now_v7(), "Beto", "PTP"),
    )
    .await;

    let first = app.dispatcher().run_once().await.expect("pass");
    assert_eq!(first.emails_failed_attempts, 1);
    let [delivery] = deliveries(&app, &tenant)
        .await
        .try_into()
        .expect("one delivery");
    assert_eq!(
        delivery.state,
        DeliveryState::Pending,
        "waits for the server"
    );
    assert_eq!(delivery.attempts, 1);
    assert!(delivery.last_error.is_some());

    let smtp = SmtpServer::start_on(address, Mode::Accept).await;
    tokio::time::sleep(Duration::from_millis(250)).await;
    let second = app.dispatcher().run_once().await.expect("pass");
    assert_eq!(second.emails_sent, 1, "{second:?}");
    tokio::time::sleep(Duration::from_millis(250)).await;
    app.dispatcher().run_once().await.expect("pass");

    assert_eq!(smtp.wait_for(1).await.len(), 1);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(smtp.messages().len(), 1, "delivered exactly once");
    let [delivery] = deliveries(&app, &tenant)
        .await
        .try_into()
        .expect("one delivery");
    assert_eq!(delivery.state, DeliveryState::Sent);
    assert_eq!(delivery.attempts, 2);
}
notify_on_both_stores!(smtp_down, smtp_down_waits_then_delivers_once);

async fn without_smtp_emails_wait(backend: Backend) {
    let Some(app) = NotifyApp::new(backend, fast_settings()).await else {
        return;
    };
    let tenant = app.app.tenant("Despacho Norte").await;
    add_rule(&app, &tenant, &["cobranza@banco.mx"], None, Language::Es).await;
    app.record_event(
        tenant.org.id,
        EventKind::PromiseCreated,
        visit_payload(Uuid::now_v7(), "Beto", "PTP"),
    )
    .await;
    let report = app.dispatcher().run_once().await.expect("pass");
    assert_eq!(report.events_dispatched, 1);
    let [delivery] = deliveries(&app, &tenant)
        .await
        .try_into()
        .expect("one delivery");
    assert_eq!(delivery.state, DeliveryState::Pending);
    assert_eq!(delivery.attempts, 0, "no attempt without SMTP settings");
    assert_eq!(delivery.last_error, None);

    let smtp = SmtpServer::start(Mode::Accept).await;
    app.use_smtp(&tenant, smtp.address).await;
    let report = app.dispatcher().run_once().await.expect("pass");
    assert_eq!(report.emails_sent, 1);
    let messages = smtp.wait_for(1).await;
    let subject = mime::header(&messages[0].data, "Subject").expect("subject");
    assert!(subject.starts_with("Nueva promesa de pago: "), "{subject}");
}
notify_on_both_stores!(without_smtp, without_smtp_emails_wait);

async fn restart_during_sending_does_not_duplicate(backend: Backend) {
    let Some(app) = NotifyApp::new(backend, fast_settings()).await else {
        return;
    };
    let tenant = app.app.tenant("Despacho Norte").await;
    let smtp = SmtpServer::start(Mode::HangAfterData).await;
    app.use_smtp(&tenant, smtp.address).await;
    add_rule(&app, &tenant, &["cobranza@banco.mx"], None, Language::Es).await;
    app.record_event(
        tenant.org.id,
        EventKind::VisitCompleted,
        visit_payload(Uuid::now_v7(), "Beto", "PTP"),
    )
    .await;

    // The server receives the whole message and stalls before its reply; the process
    // then dies, as a crash between "accepted" and "marked sent" would.
    let dispatcher = app.dispatcher();
    let pass = tokio::spawn(async move { dispatcher.run_once().await });
    assert_eq!(smtp.wait_for(1).await.len(), 1);
    pass.abort();
    let _ = pass.await;
    let [delivery] = deliveries(&app, &tenant)
        .await
        .try_into()
        .expect("one delivery");
    assert_eq!(delivery.state, DeliveryState::Sending);

    smtp.set_mode(Mode::Accept);
    let settings = ronda_server::notify::NotifySettings {
        abandoned_after: Duration::from_millis(100),
        ..fast_settings()
    };
    let restarted =
        ronda_server::notify::Dispatcher::new(app.restarted_state(settings)).expect("dispatcher");
    tokio::time::sleep(Duration::from_millis(150)).await;
    let report = restarted.run_once().await.expect("pass");
    assert_eq!(report.abandoned_emails, 1);
    assert_eq!(report.emails_sent, 0);
    restarted.run_once().await.expect("pass");

    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        smtp.messages().len(),
        1,
        "the restart did not send it again"
    );
    let [delivery] = deliveries(&app, &tenant)
        .await
        .try_into()
        .expect("one delivery");
    assert_eq!(delivery.state, DeliveryState::Failed);
    assert_eq!(delivery.last_error.as_deref(), Some(INTERRUPTED_ERROR));
}
notify_on_both_stores!(
    restart_during_sending,
    restart_during_sending_does_not_duplicate
);

async fn graceful_stop_finishes_the_pass(backend: Backend) {
    let Some(app) = NotifyApp::new(backend, fast_settings()).await else {
        return;
    };
    let tenant = app.app.tenant("Despacho Norte").await;
    let smtp = SmtpServer::start(Mode::Accept).await;
    app.use_smtp(&tenant, smtp.address).await;
    add_rule(
        &app,
        &tenant,
        &["uno@banco.mx", "dos@banco.mx"],
        None,
        Language::Es,
    )
    .await;
    let handle = ronda_server::notify::spawn(app.state.clone()).expect("spawn");
    app.record_event(
        tenant.org.id,
        EventKind::VisitCompleted,
        visit_payload(Uuid::now_v7(), "Beto", "PTP"),
    )
    .await;
    assert_eq!(smtp.wait_for(2).await.len(), 2);
    handle.shutdown().await;

    // A second server over the same store sends nothing again.
    let restarted =
        ronda_server::notify::spawn(app.restarted_state(fast_settings())).expect("spawn");
    tokio::time::sleep(Duration::from_millis(300)).await;
    restarted.shutdown().await;
    assert_eq!(smtp.messages().len(), 2);
    for delivery in deliveries(&app, &tenant).await {
        assert_eq!(delivery.state, DeliveryState::Sent);
    }
}
notify_on_both_stores!(graceful_stop, graceful_stop_finishes_the_pass);

async fn failed_after_max_attempts_then_retried(backend: Backend) {
    let Some(app) = NotifyApp::new(backend, fast_settings()).await else {
        return;
    };
    let tenant = app.app.tenant("Despacho Norte").await;
    let smtp = SmtpServer::start(Mode::TemporaryFailure).await;
    app.use_smtp(&tenant, smtp.address).await;
    add_rule(&app, &tenant, &["cobranza@banco.mx"], None, Language::Es).await;
    app.record_event(
        tenant.org.id,
        EventKind::VisitCompleted,
        visit_payload(Uuid::now_v7(), "Beto", "PTP"),
    )
    .await;
    for _ in 0..5 {
        app.dispatcher().run_once().await.expect("pass");
        tokio::time::sleep(Duration::from_millis(220)).await;
    }
    let [delivery] = deliveries(&app, &tenant)
        .await
        .try_into()
        .expect("one delivery");
    assert_eq!(delivery.state, DeliveryState::Failed);
    assert_eq!(
        delivery.attempts, 3,
        "max_attempts is 3 in the test settings"
    );
    assert!(
        delivery
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("451")),
        "{:?}",
        delivery.last_error
    );
    assert_eq!(smtp.messages().len(), 3);

    let path = format!("/api/notifications/deliveries/{}/retry", delivery.id);
    let viewer = app.app.login(&tenant.viewer.email).await;
    let response = app
        .app
        .post(&path, Auth::Session(&viewer), serde_json::json!({}))
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    let supervisor = app.app.login(&tenant.supervisor.email).await;
    let response = app
        .app
        .post(&path, Auth::Session(&supervisor), serde_json::json!({}))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{:?}", response.body);
    assert_eq!(response.body["state"], "pending");
    assert_eq!(response.body["attempts"], 0);

    smtp.set_mode(Mode::Accept);
    let report = app.dispatcher().run_once().await.expect("pass");
    assert_eq!(report.emails_sent, 1);
    assert_eq!(smtp.messages().len(), 4);
    let response = app
        .app
        .post(&path, Auth::Session(&supervisor), serde_json::json!({}))
        .await;
    assert_eq!(response.status, StatusCode::CONFLICT);
    assert_eq!(response.body["code"], "delivery_not_failed");

    let failed = app
        .app
        .get(
            "/api/notifications/deliveries?state=failed",
            Auth::Session(&viewer),
        )
        .await;
    assert_eq!(failed.status, StatusCode::OK);
    assert_eq!(failed.body["deliveries"].as_array().map(Vec::len), Some(0));
    let sent = app
        .app
        .get(
            "/api/notifications/deliveries?state=sent",
            Auth::Session(&viewer),
        )
        .await;
    assert_eq!(sent.body["deliveries"].as_array().map(Vec::len), Some(1));
}
notify_on_both_stores!(failed_then_retried, failed_after_max_attempts_then_retried);

async fn organizations_never_share_notifications(backend: Backend) {
    let Some(app) = NotifyApp::new(backend, fast_settings()).await else {
        return;
    };
    let north = app.app.tenant("Despacho Norte").await;
    let south = app.app.tenant("Despacho Sur").await;
    let north_smtp = SmtpServer::start(Mode::Accept).await;
    let south_smtp = SmtpServer::start(Mode::Accept).await;
    app.use_smtp(&north, north_smtp.address).await;
    app.use_smtp(&south, south_smtp.address).await;
    add_rule(&app, &north, &["norte@banco.mx"], None, Language::Es).await;
    add_rule(&app, &south, &["sur@banco.mx"], None, Language::Es).await;
    let south_hook = notify_support::WebhookReceiver::start(StatusCode::OK).await;
    let south_admin = app.app.login(&south.admin.email).await;
    let response = app
        .app
        .post(
            "/api/webhooks",
            Auth::Session(&south_admin),
            serde_json::json!({"name": "Sur", "url": south_hook.url, "kinds": ["visit.completed"]}),
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{:?}", response.body);

    app.record_event(
        north.org.id,
        EventKind::VisitCompleted,
        visit_payload(Uuid::now_v7(), "Beto", "PTP"),
    )
    .await;
    app.dispatcher().run_once().await.expect("pass");

    assert_eq!(north_smtp.wait_for(1).await.len(), 1);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        south_smtp.messages().is_empty(),
        "south's server got north's email"
    );
    assert!(
        south_hook.requests().is_empty(),
        "south's webhook got north's event"
    );
    assert!(deliveries(&app, &south).await.is_empty());

    let [north_delivery] = deliveries(&app, &north).await.try_into().expect("one");
    let list = app
        .app
        .get("/api/notifications/deliveries", Auth::Session(&south_admin))
        .await;
    assert_eq!(list.body["deliveries"].as_array().map(Vec::len), Some(0));
    let retry = app
        .app
        .post(
            &format!("/api/notifications/deliveries/{}/retry", north_delivery.id),
            Auth::Session(&south_admin),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(retry.status, StatusCode::NOT_FOUND);
}
notify_on_both_stores!(cross_organization, organizations_never_share_notifications);
