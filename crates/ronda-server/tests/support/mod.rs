//! An in-process Ronda server over a real store, and a small HTTP client for it.

#![allow(dead_code)]

pub mod tracking;

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use jiff::Timestamp;
use ronda_domain::{Email, OrganizationId, PersonName, Role, UserId};
use ronda_server::auth::password::hash_password;
use ronda_server::{AppState, ServerSettings};
use ronda_store::testing::{self, TestStore};
use ronda_store::{Actor, AuditEvent, NewUser, Organization, User};
use serde_json::Value;
use tower::ServiceExt;

pub const PASSWORD: &str = "contraseña-de-prueba";

/// Runs an async test body once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_stores {
    ($name:ident, $body:ident) => {
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let app = $crate::support::TestApp::new($crate::support::Backend::Sqlite).await;
                if let Some(app) = app {
                    super::$body(app).await;
                }
            }

            #[tokio::test]
            async fn postgres() {
                let app = $crate::support::TestApp::new($crate::support::Backend::Postgres).await;
                if let Some(app) = app {
                    super::$body(app).await;
                }
            }
        }
    };
}

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub router: Router,
    pub test_store: TestStore,
    /// The state behind `router`, for reaching the live hub.
    pub state: AppState,
}

pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

/// A logged-in browser: its session cookie and CSRF token.
#[derive(Clone, Debug)]
pub struct Session {
    pub cookie: String,
    pub csrf_token: String,
}

/// How a request authenticates.
#[derive(Clone, Copy, Debug)]
pub enum Auth<'a> {
    None,
    Session(&'a Session),
    /// A session cookie sent without its CSRF token.
    SessionWithoutCsrf(&'a Session),
    Bearer(&'a str),
}

/// One organization with a user of each role, all with [`PASSWORD`].
pub struct Tenant {
    pub org: Organization,
    pub admin: User,
    pub supervisor: User,
    pub agent: User,
    pub viewer: User,
}

impl TestApp {
    pub async fn new(backend: Backend) -> Option<Self> {
        Self::with_settings(backend, ServerSettings::default()).await
    }

    pub async fn with_settings(backend: Backend, settings: ServerSettings) -> Option<Self> {
        let test_store = match backend {
            Backend::Sqlite => testing::sqlite().await,
            Backend::Postgres => testing::postgres().await?,
        };
        let state = AppState::new(test_store.store.clone(), settings);
        let router = ronda_server::router(state.clone());
        Some(Self {
            router,
            test_store,
            state,
        })
    }

    pub async fn tenant(&self, name: &str) -> Tenant {
        let store = self.test_store.store.as_ref();
        let org = Organization {
            id: OrganizationId::new(),
            name: name.into(),
            created_at: Timestamp::now(),
        };
        store
            .create_organization(&org, &system_audit(org.id))
            .await
            .expect("create organization");
        let slug = name.to_lowercase().replace(' ', "-");
        let password_hash = hash_password(PASSWORD.into()).await.expect("hash");
        let mut users = Vec::new();
        for role in [Role::Admin, Role::Supervisor, Role::Agent, Role::Viewer] {
            let user = NewUser {
                id: UserId::new(),
                organization_id: org.id,
                email: Email::parse("email", &format!("{role}@{slug}.mx")).expect("valid email"),
                name: PersonName::parse("name", &format!("{role} de {name}")).expect("valid name"),
                role,
                password_hash: password_hash.clone(),
                created_at: Timestamp::now(),
            };
            let created = store
                .create_user(&user, &system_audit(org.id))
                .await
                .expect("create user");
            users.push(created);
        }
        let [admin, supervisor, agent, viewer]: [User; 4] = users.try_into().expect("four users");
        Tenant {
            org,
            admin,
            supervisor,
            agent,
            viewer,
        }
    }

    /// Sends one request from the given client IP with extra headers.
    pub async fn request_from(
        &self,
        ip: [u8; 4],
        method: Method,
        path: &str,
        auth: Auth<'_>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Response {
        let mut builder = Request::builder().method(method).uri(path);
        match auth {
            Auth::None => {}
            Auth::Session(session) => {
                builder = builder
                    .header(header::COOKIE, &session.cookie)
                    .header("x-csrf-token", &session.csrf_token);
            }
            Auth::SessionWithoutCsrf(session) => {
                builder = builder.header(header::COOKIE, &session.cookie);
            }
            Auth::Bearer(token) => {
                builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
            }
        }
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let body = match body {
            Some(json) => {
                builder = builder.header(header::CONTENT_TYPE, "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        let mut request = builder.body(body).expect("valid request");
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((ip, 40000))));
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router never fails");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Response {
            status,
            headers,
            body,
        }
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        auth: Auth<'_>,
        body: Option<Value>,
    ) -> Response {
        self.request_from([127, 0, 0, 1], method, path, auth, body, &[])
            .await
    }

    pub async fn get(&self, path: &str, auth: Auth<'_>) -> Response {
        self.request(Method::GET, path, auth, None).await
    }

    pub async fn post(&self, path: &str, auth: Auth<'_>, body: Value) -> Response {
        self.request(Method::POST, path, auth, Some(body)).await
    }

    pub async fn login(&self, email: &str) -> Session {
        let body = serde_json::json!({"email": email, "password": PASSWORD});
        let response = self.post("/api/auth/login", Auth::None, body).await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "login of {email}: {:?}",
            response.body
        );
        session_from(&response)
    }

    /// Sends a multipart/form-data POST with text parts and one file part named `file`.
    pub async fn post_multipart(
        &self,
        path: &str,
        auth: Auth<'_>,
        fields: &[(&str, &str)],
        file: Option<(&str, &[u8])>,
    ) -> Response {
        let boundary = "ronda-test-boundary-7MA4YWxkTrZu0gW";
        let mut body: Vec<u8> = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
        }
        if let Some((file_name, bytes)) = file {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());

        let mut builder = Request::builder().method(Method::POST).uri(path);
        if let Auth::Session(session) = auth {
            builder = builder
                .header(header::COOKIE, &session.cookie)
                .header("x-csrf-token", &session.csrf_token);
        }
        let content_type = format!("multipart/form-data; boundary={boundary}");
        let request = builder
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .expect("valid request");
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("router never fails");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Response {
            status,
            headers,
            body,
        }
    }

    /// Creates an API token with `role` as the tenant's admin and returns its secret.
    pub async fn api_token(&self, admin: &Session, role: &str) -> String {
        let body = serde_json::json!({"name": "Integración", "role": role});
        let response = self.post("/api/tokens", Auth::Session(admin), body).await;
        assert_eq!(response.status, StatusCode::CREATED, "{:?}", response.body);
        response.body["secret"].as_str().expect("secret").to_owned()
    }
}

/// Reads the session cookie and CSRF token from a login response.
pub fn session_from(response: &Response) -> Session {
    let set_cookie = response
        .headers
        .get(header::SET_COOKIE)
        .expect("set-cookie");
    let set_cookie = set_cookie.to_str().expect("ascii cookie");
    let cookie = set_cookie
        .split(';')
        .next()
        .expect("cookie pair")
        .to_owned();
    let csrf_token = response.body["csrf_token"]
        .as_str()
        .expect("csrf token")
        .to_owned();
    Session { cookie, csrf_token }
}

fn system_audit(org: OrganizationId) -> AuditEvent {
    AuditEvent {
        organization_id: org,
        actor: Actor::System,
        action: "test.seeded",
        target_kind: "organization",
        target_id: None,
        details: serde_json::json!({}),
        at: Timestamp::now(),
    }
}
