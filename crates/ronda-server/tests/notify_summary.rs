//! The daily summary: recorded once per organization and local day from the previous
//! day's visits, emailed to the recipients of `daily.summary` rules, and kept inside
//! each organization.

use crate::field_common;
use crate::notify_support;
use crate::support;

use axum::http::StatusCode;
use field_common::{DAY_MS, HOME, MINUTE_MS, NOON_MS, check_in, field, put_visit, visit_body};
use jiff::Timestamp;
use notify_support::smtp::{Mode, SmtpServer};
use notify_support::{NotifyApp, fast_settings, mime};
use ronda_server::notify::{Dispatcher, NotifySettings, summary};
use ronda_store::outbox::EventKind;
use serde_json::json;
use support::{Auth, Backend, Session};
use uuid::Uuid;

const HOUR_MS: i64 = 60 * MINUTE_MS;

async fn add_summary_rule(app: &NotifyApp, admin: &Session, recipient: &str) {
    let body = json!({
        "name": "Resumen para supervisión",
        "event_kinds": ["daily.summary"],
        "recipients": [recipient],
        "language": "es",
    });
    let created = app
        .app
        .post("/api/notifications/rules", Auth::Session(admin), body)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
}

fn at(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).expect("timestamp")
}

async fn summary_sent_once_per_organization(backend: Backend) {
    let settings = NotifySettings {
        daily_summary_hour: None,
        ..fast_settings()
    };
    let Some(app) = NotifyApp::new(backend, settings).await else {
        return;
    };
    let north = field(&app.app, "Despacho Norte").await;
    let south = field(&app.app, "Despacho Sur").await;
    let smtp = SmtpServer::start(Mode::Accept).await;
    app.use_smtp(&north.tenant, smtp.address).await;
    app.use_smtp(&south.tenant, smtp.address).await;
    add_summary_rule(&app, &north.admin, "supervision@norte.mx").await;
    add_summary_rule(&app, &south.admin, "supervision@sur.mx").await;

    // Two north visits at noon in Mexico City on 2026-07-15, each with a promise.
    for (account, offset) in [("FV-1", 0), ("FV-2", HOUR_MS)] {
        let body = visit_body(
            &north,
            north.account(account),
            check_in(HOME, NOON_MS + offset),
        );
        let stored = put_visit(&app.app, &north.agent, Uuid::now_v7(), body).await;
        assert_eq!(stored.status, StatusCode::CREATED, "{:?}", stored.body);
    }

    let store = app.app.test_store.store.as_ref();
    let zone = jiff::tz::TimeZone::get("America/Mexico_City").expect("zone");
    // 06:00 on the next day in Mexico City is before the 07:00 send hour.
    let early = at(NOON_MS + DAY_MS - 6 * HOUR_MS);
    assert_eq!(
        summary::record_due(store, &zone, 7, early)
            .await
            .expect("early"),
        0
    );
    let morning = at(NOON_MS + DAY_MS - 4 * HOUR_MS);
    assert_eq!(
        summary::record_due(store, &zone, 7, morning)
            .await
            .expect("due"),
        2
    );
    assert_eq!(
        summary::record_due(
            store,
            &zone,
            7,
            morning + jiff::SignedDuration::from_hours(3)
        )
        .await
        .expect("again"),
        0,
        "one summary per organization and day"
    );

    let report = app.dispatcher().run_once().await.expect("pass");
    assert_eq!(report.emails_sent, 2, "{report:?}");
    let messages = smtp.wait_for(2).await;
    let to = |address: &str| {
        messages
            .iter()
            .find(|m| m.rcpt_to.iter().any(|r| r.contains(address)))
            .unwrap_or_else(|| panic!("email to {address}"))
    };
    let north_mail = to("supervision@norte.mx");
    assert_eq!(
        mime::header(&north_mail.data, "Subject").as_deref(),
        Some("Resumen del día 2026-07-15")
    );
    let text = mime::part(&north_mail.data, "text/plain");
    for expected in [
        "Visitas: 2",
        "Promesas, convenios y pagos: 2",
        "Monto prometido: $3,001.00 MXN (2)",
        "Zona horaria: America/Mexico_City",
        "agent de Despacho Norte: 2 visitas",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let south_text = mime::part(&to("supervision@sur.mx").data, "text/plain");
    assert!(south_text.contains("Visitas: 0"), "{south_text}");
    assert!(!south_text.contains("Despacho Norte"), "{south_text}");
    assert_eq!(messages.len(), 2, "nobody else gets a summary");

    // The dispatcher records summaries itself once the hour has come: with hour 0, the
    // summary of the real yesterday for each organization.
    let every_hour = NotifySettings {
        daily_summary_hour: Some(0),
        ..fast_settings()
    };
    let restarted = Dispatcher::new(app.restarted_state(every_hour)).expect("dispatcher");
    let report = restarted.run_once().await.expect("pass");
    assert_eq!(report.summaries_recorded, 2, "{report:?}");
    let report = restarted.run_once().await.expect("second pass");
    assert_eq!(report.summaries_recorded, 0, "{report:?}");
}

notify_on_both_stores!(summary_once, summary_sent_once_per_organization);

async fn summary_rules_take_no_filters(backend: Backend) {
    let Some(app) = NotifyApp::new(backend, fast_settings()).await else {
        return;
    };
    let north = field(&app.app, "Despacho Norte").await;
    let body = json!({
        "name": "Resumen de un gestor",
        "event_kinds": ["visit.completed", "daily.summary"],
        "agent_id": north.tenant.agent.id.0,
        "recipients": ["supervision@norte.mx"],
    });
    let refused = app
        .app
        .post(
            "/api/notifications/rules",
            Auth::Session(&north.admin),
            body,
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        refused.body
    );
    assert_eq!(refused.body["field"], "event_kinds", "{:?}", refused.body);
    assert!(
        refused.body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("resumen diario"),
        "{:?}",
        refused.body
    );
    let kinds = EventKind::from_name("daily.summary");
    assert_eq!(kinds, Some(EventKind::DailySummary));
}

notify_on_both_stores!(summary_no_filters, summary_rules_take_no_filters);
