//! Test harness for notifications. The test keeps the app's state, so it can run the
//! dispatcher and publish live events. It also has a loopback SMTP server, a loopback
//! webhook receiver, and events written straight to the store.

#![allow(dead_code)]

pub mod mime;
pub mod smtp;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use jiff::Timestamp;
use ronda_domain::OrganizationId;
use ronda_server::notify::{Dispatcher, NotifySettings};
use ronda_server::{AppState, ServerSettings};
use ronda_store::outbox::{EventKind, NewEvent, SmtpSecurity};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::{Backend, Tenant, TestApp};

/// Runs an async test body, which takes a [`Backend`], on SQLite and on PostgreSQL.
#[macro_export]
macro_rules! notify_on_both_stores {
    ($name:ident, $body:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$body($crate::support::Backend::Sqlite).await;
            }

            #[tokio::test]
            async fn postgres() {
                super::$body($crate::support::Backend::Postgres).await;
            }
        }
    };
}

/// Dispatcher settings with waits short enough for tests.
pub fn fast_settings() -> NotifySettings {
    NotifySettings {
        public_url: Some("https://ronda.example.mx".into()),
        max_attempts: 3,
        backoff_base: Duration::from_millis(50),
        backoff_max: Duration::from_millis(200),
        poll_interval: Duration::from_millis(50),
        send_timeout: Duration::from_secs(5),
        ..NotifySettings::default()
    }
}

pub struct NotifyApp {
    pub app: TestApp,
    pub state: AppState,
}

impl NotifyApp {
    /// Returns `None` when PostgreSQL is requested but not configured.
    pub async fn new(backend: Backend, notify: NotifySettings) -> Option<Self> {
        let settings = ServerSettings {
            notify,
            ..ServerSettings::default()
        };
        let app = TestApp::with_settings(backend, settings).await?;
        let state = app.state.clone();
        Some(Self { app, state })
    }

    /// Builds a second server state over the same store, as after a restart.
    pub fn restarted_state(&self, notify: NotifySettings) -> AppState {
        let settings = ServerSettings {
            notify,
            ..ServerSettings::default()
        };
        AppState::new(self.app.test_store.store.clone(), settings)
    }

    pub fn dispatcher(&self) -> Dispatcher {
        Dispatcher::new(self.state.clone()).expect("dispatcher")
    }

    /// Saves SMTP settings for the organization that point at a loopback server.
    pub async fn use_smtp(&self, tenant: &Tenant, address: SocketAddr) {
        self.use_smtp_with(tenant, address, SmtpSecurity::None)
            .await;
    }

    /// Saves SMTP settings with the given connection security.
    pub async fn use_smtp_with(
        &self,
        tenant: &Tenant,
        address: SocketAddr,
        security: SmtpSecurity,
    ) {
        let store = self.app.test_store.store.as_ref();
        let settings = ronda_store::outbox::SmtpSettings {
            organization_id: tenant.org.id,
            host: address.ip().to_string(),
            port: address.port(),
            security,
            username: None,
            password: None,
            from_address: "Ronda Pruebas <avisos@ronda.test>".into(),
            updated_at: Timestamp::now(),
        };
        store
            .put_smtp_settings(
                &settings,
                &ronda_store::outbox::PasswordChange::Keep,
                &system_audit(tenant.org.id),
            )
            .await
            .expect("save SMTP settings");
    }

    /// Writes an event of `kind` for the organization and returns its id.
    pub async fn record_event(&self, org: OrganizationId, kind: EventKind, payload: Value) -> Uuid {
        let event = NewEvent {
            id: Uuid::now_v7(),
            organization_id: org,
            kind,
            subject_id: Uuid::now_v7(),
            payload,
            occurred_at: Timestamp::now(),
            created_at: Timestamp::now(),
        };
        self.app
            .test_store
            .store
            .record_event(&event)
            .await
            .expect("record event");
        event.id
    }
}

/// Builds a payload snapshot like the one a finished visit writes.
pub fn visit_payload(lender_id: Uuid, agent: &str, result_code: &str) -> Value {
    let visit_id = Uuid::now_v7();
    json!({
        "visit_id": visit_id,
        "account": {
            "id": Uuid::now_v7(), "lender_id": lender_id, "lender_name": "Banco del Norte",
            "portfolio_id": Uuid::now_v7(), "portfolio_name": "Vencida 2026",
            "lender_account_id": "CR-0042", "debtor_name": "Ana María López"
        },
        "agent": {"id": Uuid::now_v7(), "name": agent},
        "address": {"text": "Av. Juárez 10, Centro, Cuauhtémoc", "time_zone": "America/Mexico_City"},
        // 2025-12-04 23:05 UTC, 17:05 in Mexico City.
        "finished_at": 1_764_889_500_000_i64,
        "local_time": "2025-12-04T17:05:00-06:00",
        "result_code": result_code,
        "result_label_es": "Promesa de pago",
        "result_label_en": "Promise to pay",
        "person_met": "debtor",
        "promise": {"amount_cents": 250_000, "due_date": "2025-12-15", "channel": "OXXO"},
        "verdict": {"outcome": "verified", "reasons": []},
        "photos": [],
        "console_path": format!("/#/visits/{visit_id}")
    })
}

pub fn system_audit(org: OrganizationId) -> ronda_store::AuditEvent {
    ronda_store::AuditEvent {
        organization_id: org,
        actor: ronda_store::Actor::System,
        action: "test.seeded",
        target_kind: "organization",
        target_id: None,
        details: json!({}),
        at: Timestamp::now(),
    }
}

/// A request a webhook receiver got.
#[derive(Clone, Debug)]
pub struct ReceivedRequest {
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// An HTTP server on loopback that records webhook requests and responds with a status
/// the test sets.
pub struct WebhookReceiver {
    pub url: String,
    requests: Arc<Mutex<Vec<ReceivedRequest>>>,
    status: Arc<Mutex<StatusCode>>,
    task: tokio::task::JoinHandle<()>,
}

#[derive(Clone)]
struct ReceiverState {
    requests: Arc<Mutex<Vec<ReceivedRequest>>>,
    status: Arc<Mutex<StatusCode>>,
}

impl WebhookReceiver {
    pub async fn start(status: StatusCode) -> Self {
        let requests = Arc::new(Mutex::new(Vec::new()));
        let status = Arc::new(Mutex::new(status));
        let state = ReceiverState {
            requests: requests.clone(),
            status: status.clone(),
        };
        let router = Router::new()
            .route("/hook", post(receive))
            .with_state(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind receiver");
        let address = listener.local_addr().expect("address");
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Self {
            url: format!("http://{address}/hook"),
            requests,
            status,
            task,
        }
    }

    pub fn requests(&self) -> Vec<ReceivedRequest> {
        self.requests.lock().expect("lock").clone()
    }

    pub fn set_status(&self, status: StatusCode) {
        *self.status.lock().expect("lock") = status;
    }
}

impl Drop for WebhookReceiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn receive(
    State(state): State<ReceiverState>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    state
        .requests
        .lock()
        .expect("lock")
        .push(ReceivedRequest { headers, body });
    let status = *state.status.lock().expect("lock");
    (status, "recibido")
}
