//! Emails over TLS from the first byte and over STARTTLS, to a server whose certificate
//! comes from an authority that only `smtp.ca_file` makes trusted.

use crate::notify_support;
use crate::support;

use notify_support::smtp::{Mode, Security, SmtpServer, tls_dir};
use notify_support::{NotifyApp, fast_settings, visit_payload};
use ronda_server::notify::{ExtraRoots, NotifySettings};
use ronda_store::outbox::{EventKind, Language, NotificationRule, SmtpSecurity};
use support::{Backend, Tenant};
use uuid::Uuid;

fn trusting_test_authority() -> NotifySettings {
    let pem = std::fs::read_to_string(tls_dir().join("ca.pem")).expect("ca.pem");
    NotifySettings {
        smtp_extra_roots: ExtraRoots::from_pem(&pem).expect("test authority"),
        ..fast_settings()
    }
}

async fn add_rule(app: &NotifyApp, tenant: &Tenant) {
    let now = jiff::Timestamp::now();
    let rule = NotificationRule {
        id: Uuid::now_v7(),
        organization_id: tenant.org.id,
        name: "todas las visitas".into(),
        event_kinds: vec![EventKind::VisitCompleted],
        lender_id: None,
        portfolio_id: None,
        agent_id: None,
        result_codes: Vec::new(),
        recipients: vec!["supervision@norte.mx".into()],
        language: Language::Es,
        active: true,
        created_at: now,
        updated_at: now,
    };
    app.app
        .test_store
        .store
        .create_notification_rule(&rule, &notify_support::system_audit(tenant.org.id))
        .await
        .expect("create rule");
}

/// Sends one visit email through a server with `security` and returns the server and
/// the dispatcher's count of sent emails.
async fn send_one(
    backend: Backend,
    settings: NotifySettings,
    security: Security,
) -> Option<(SmtpServer, NotifyApp, Tenant, usize)> {
    let app = NotifyApp::new(backend, settings).await?;
    let tenant = app.app.tenant("Despacho Norte").await;
    let smtp = SmtpServer::start_secure(Mode::Accept, security).await;
    let stored = match security {
        Security::Tls => SmtpSecurity::Tls,
        Security::Starttls => SmtpSecurity::Starttls,
        Security::Plain => SmtpSecurity::None,
    };
    app.use_smtp_with(&tenant, smtp.address, stored).await;
    add_rule(&app, &tenant).await;
    let payload = visit_payload(Uuid::now_v7(), "Beto Ruiz", "PTP");
    app.record_event(tenant.org.id, EventKind::VisitCompleted, payload)
        .await;
    let report = app.dispatcher().run_once().await.expect("pass");
    Some((smtp, app, tenant, report.emails_sent))
}

async fn tls_and_starttls_deliver_encrypted(backend: Backend) {
    for security in [Security::Tls, Security::Starttls] {
        let sent = send_one(backend, trusting_test_authority(), security).await;
        let Some((smtp, ..)) = sent else {
            return;
        };
        let messages = smtp.wait_for(1).await;
        assert_eq!(messages.len(), 1, "{security:?}");
        assert_eq!(
            smtp.encrypted_count(),
            1,
            "{security:?} message came encrypted"
        );
        assert!(
            messages[0].rcpt_to[0].contains("supervision@norte.mx"),
            "{security:?}: {:?}",
            messages[0].rcpt_to
        );
    }
}

notify_on_both_stores!(tls_and_starttls, tls_and_starttls_deliver_encrypted);

async fn untrusted_certificate_is_not_sent(backend: Backend) {
    for security in [Security::Tls, Security::Starttls] {
        let sent = send_one(backend, fast_settings(), security).await;
        let Some((smtp, app, tenant, emails_sent)) = sent else {
            return;
        };
        assert_eq!(emails_sent, 0, "{security:?}");
        assert!(smtp.messages().is_empty(), "{security:?}");
        let deliveries = app
            .app
            .test_store
            .store
            .email_deliveries(tenant.org.id, None, None, 10)
            .await
            .expect("deliveries");
        assert_eq!(deliveries.len(), 1);
        let error = deliveries[0].last_error.clone().unwrap_or_default();
        assert!(
            error.to_lowercase().contains("certificate"),
            "{security:?}: the error names the certificate: {error}"
        );
    }
}

notify_on_both_stores!(untrusted_certificate, untrusted_certificate_is_not_sent);
