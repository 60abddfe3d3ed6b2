//! Request spans carry the matched route, the organization and the user, and a server
//! error's cause is logged inside that span while the client sees a generic message.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use support::{Auth, Backend, TestApp};

/// A log writer that keeps everything in memory for the test to read.
#[derive(Clone, Default)]
struct CapturedLogs(Arc<Mutex<Vec<u8>>>);

impl Write for CapturedLogs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl CapturedLogs {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("log buffer")).into_owned()
    }
}

#[tokio::test]
async fn server_error_cause_is_logged_in_request_span() {
    let logs = CapturedLogs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let app = TestApp::new(Backend::Sqlite).await.expect("sqlite store");
    let tenant = app.tenant("Despacho Norte").await;
    let admin = app.login(&tenant.admin.email).await;
    let body = serde_json::json!({
        "email": "nuevo@norte.mx", "name": "Nuevo", "role": "agent", "password": support::PASSWORD
    });
    assert_eq!(
        app.post("/api/users", Auth::Session(&admin), body)
            .await
            .status,
        StatusCode::CREATED
    );

    // With the pool closed, authentication itself fails inside the request span.
    app.test_store.store.close().await;
    let response = app.get("/api/users", Auth::Session(&admin)).await;
    assert_eq!(response.status, StatusCode::INTERNAL_SERVER_ERROR);

    let text = logs.text();
    let created = text
        .lines()
        .find(|line| line.contains("user created"))
        .expect("creation logged");
    assert!(created.contains("http.route=/api/users"), "{created}");
    assert!(
        created.contains(&format!("org.id={}", tenant.org.id)),
        "{created}"
    );
    assert!(
        created.contains(&format!("user.id={}", tenant.admin.id)),
        "{created}"
    );

    let failed = text
        .lines()
        .find(|line| line.contains("request failed"))
        .expect("error logged");
    assert!(failed.contains("http.route=/api/users"), "{failed}");
    assert!(failed.contains("http.method=GET"), "{failed}");
    assert!(
        failed.to_lowercase().contains("closed"),
        "the cause is logged: {failed}"
    );
}
