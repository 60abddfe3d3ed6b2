//! Shared set-up for the field API tests: a tenant with accounts at known points, assigned
//! to its agent, and request bodies the field app would send.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use jiff::Timestamp;
use ronda_domain::{Email, OrganizationId, PersonName, Role, UserId};
use ronda_server::auth::password::hash_password;
use ronda_store::portfolio::{AccountImport, AccountQuery, AddressImport, GeoPoint, Geocode};
use ronda_store::{Actor, AuditEvent, NewUser, User};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use uuid::Uuid;

use crate::support::{Auth, PASSWORD, Session, Tenant, TestApp};

/// The address point of account FV-1: Roma Norte, Mexico City.
pub const HOME: (f64, f64) = (19.4194, -99.1617);

/// Noon in Mexico City on 2026-07-15, a Wednesday: inside the contact window.
pub const NOON_MS: i64 = 1_784_138_400_000;

pub const DAY_MS: i64 = 86_400_000;
pub const MINUTE_MS: i64 = 60_000;

/// Returns the point `metres` north of `from`.
pub fn north(from: (f64, f64), metres: f64) -> (f64, f64) {
    (from.0 + metres / 111_194.93, from.1)
}

pub fn seed_audit(org: OrganizationId) -> AuditEvent {
    AuditEvent {
        organization_id: org,
        actor: Actor::System,
        action: "test.seeded",
        target_kind: "portfolio",
        target_id: None,
        details: json!({}),
        at: Timestamp::now(),
    }
}

pub fn account(id: &str, point: (f64, f64)) -> AccountImport {
    AccountImport {
        lender_account_id: id.into(),
        product: Some("Crédito personal".into()),
        principal_cents: None,
        overdue_cents: Some(1_250_000),
        days_past_due: Some(95),
        currency: "MXN".into(),
        custom_fields: json!({}),
        debtor_name: format!("Titular {id}"),
        phones: vec!["5512345678".into()],
        emails: vec![],
        address: AddressImport {
            street: Some("Durango".into()),
            exterior_number: Some("100".into()),
            colonia: Some("Roma Norte".into()),
            postal_code: Some("06700".into()),
            municipality: Some("Cuauhtémoc".into()),
            state: Some("Ciudad de México".into()),
            original_text: format!("Durango 100, Roma Norte ({id})"),
            geocode: Some(Geocode {
                point: GeoPoint {
                    latitude: point.0,
                    longitude: point.1,
                },
                source: "file".into(),
                confidence: 1.0,
            }),
            time_zone: Some("America/Mexico_City".into()),
            ..AddressImport::default()
        },
    }
}

/// One account of the field tests with its address.
#[derive(Clone, Debug)]
pub struct FieldAccount {
    pub id: String,
    pub address_id: String,
    pub lender_account_id: String,
}

/// A tenant with three accounts (FV-1 and FV-2 assigned to its agent, FV-3 to a second
/// agent) and logged-in sessions.
pub struct Field {
    pub tenant: Tenant,
    pub admin: Session,
    pub supervisor: Session,
    pub agent: Session,
    pub other_agent: User,
    pub other_agent_session: Session,
    pub accounts: Vec<FieldAccount>,
    /// The organization's version of the shipped collection form.
    pub form_version_id: String,
}

impl Field {
    pub fn account(&self, lender_account_id: &str) -> &FieldAccount {
        self.accounts
            .iter()
            .find(|account| account.lender_account_id == lender_account_id)
            .expect("seeded account")
    }
}

pub async fn field(app: &TestApp, name: &str) -> Field {
    let tenant = app.tenant(name).await;
    let slug = name.to_lowercase().replace(' ', "-");
    let admin = app.login(&format!("admin@{slug}.mx")).await;
    let supervisor = app.login(&format!("supervisor@{slug}.mx")).await;
    let agent = app.login(&format!("agent@{slug}.mx")).await;
    let other_agent = second_agent(app, &tenant, &slug).await;
    let other_agent_session = app.login(&other_agent.email).await;

    let lender = app
        .post(
            "/api/lenders",
            Auth::Session(&admin),
            json!({"name": "Financiera del Valle", "payment_references": ["CLABE 012180001234567891"]}),
        )
        .await;
    assert_eq!(lender.status, StatusCode::CREATED, "{:?}", lender.body);
    let portfolio = app
        .post(
            "/api/portfolios",
            Auth::Session(&admin),
            json!({"lender_id": lender.body["id"], "name": "Julio 2026"}),
        )
        .await;
    assert_eq!(
        portfolio.status,
        StatusCode::CREATED,
        "{:?}",
        portfolio.body
    );
    let store = app.test_store.store.as_ref();
    let org = tenant.org.id;
    let stored = store
        .portfolio(
            org,
            portfolio.body["id"]
                .as_str()
                .expect("id")
                .parse()
                .expect("uuid"),
        )
        .await
        .expect("read")
        .expect("portfolio");
    let imports = vec![
        account("FV-1", HOME),
        account("FV-2", north(HOME, 800.0)),
        account("FV-3", north(HOME, 1600.0)),
    ];
    store
        .import_accounts(&stored, &imports, true, &seed_audit(org))
        .await
        .expect("import");
    let query = AccountQuery {
        limit: 10,
        ..AccountQuery::default()
    };
    let (page, _) = store.accounts(org, &query).await.expect("accounts");

    let mut accounts = Vec::new();
    for summary in page {
        accounts.push(FieldAccount {
            id: summary.id.to_string(),
            address_id: String::new(),
            lender_account_id: summary.lender_account_id,
        });
    }
    let id_of = |lender_account_id: &str| {
        accounts
            .iter()
            .find(|account: &&FieldAccount| account.lender_account_id == lender_account_id)
            .map(|account| account.id.clone())
            .expect("seeded account")
    };
    let (first, second, third) = (id_of("FV-1"), id_of("FV-2"), id_of("FV-3"));
    assign(app, &admin, tenant.agent.id, &[&first, &second]).await;
    assign(app, &admin, other_agent.id, &[&third]).await;
    for account in &mut accounts {
        let context = address_of(app, org, &account.id).await;
        account.address_id = context;
    }
    let form = app
        .post(
            "/api/forms/templates/visita_cobranza",
            Auth::Session(&admin),
            json!({}),
        )
        .await;
    assert_eq!(form.status, StatusCode::CREATED, "{:?}", form.body);
    let form_version_id = form.body["id"].as_str().expect("version id").to_owned();
    Field {
        tenant,
        admin,
        supervisor,
        agent,
        other_agent,
        other_agent_session,
        accounts,
        form_version_id,
    }
}

/// Finds the address id of an account through the day stops of whichever agent has it.
async fn address_of(app: &TestApp, org: OrganizationId, account_id: &str) -> String {
    let store = app.test_store.store.as_ref();
    for user in store.users(org).await.expect("users") {
        let stops = store
            .day_stops(org, user.id, Timestamp::UNIX_EPOCH)
            .await
            .expect("stops");
        if let Some(stop) = stops
            .iter()
            .find(|stop| stop.account_id.to_string() == account_id)
        {
            return stop.address.id.to_string();
        }
    }
    panic!("account {account_id} has no assigned address");
}

pub async fn assign(app: &TestApp, admin: &Session, agent: UserId, accounts: &[&str]) {
    let response = app
        .post(
            "/api/assignments",
            Auth::Session(admin),
            json!({"agent_id": agent.0, "account_ids": accounts, "allow_over_capacity": true}),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{:?}", response.body);
}

async fn second_agent(app: &TestApp, tenant: &Tenant, slug: &str) -> User {
    let user = NewUser {
        id: UserId::new(),
        organization_id: tenant.org.id,
        email: Email::parse("email", &format!("gestor2@{slug}.mx")).expect("email"),
        name: PersonName::parse("name", "Beto Gestor").expect("name"),
        role: Role::Agent,
        password_hash: hash_password(PASSWORD.into()).await.expect("hash"),
        created_at: Timestamp::now(),
    };
    app.test_store
        .store
        .create_user(&user, &seed_audit(tenant.org.id))
        .await
        .expect("agent")
}

/// Builds a check-in at `point` at `at` (Unix ms, device clock equal to the server's).
pub fn check_in(point: (f64, f64), at: i64) -> Value {
    json!({
        "fix": {"latitude": point.0, "longitude": point.1, "accuracy_m": 12.0, "fix_time": at},
        "device_time": at,
        "server_offset_ms": 0,
        "on_device": {"decision": "accepted", "reasons": []}
    })
}

/// Builds a finished collection visit to one of `field`'s accounts, with a promise to pay
/// that the shipped collection form accepts.
pub fn visit_body(field: &Field, account: &FieldAccount, check_in: Value) -> Value {
    let at = check_in["device_time"].as_i64().expect("device time");
    json!({
        "account_id": account.id,
        "address_id": account.address_id,
        "form_version_id": field.form_version_id,
        "started_at": at,
        "finished_at": at + 6 * MINUTE_MS,
        "check_in": check_in,
        "answers": {
            "person_met": "debtor",
            "disclosure_ack": "OK",
            "result_code": "PTP",
            "promise_amount": 1500.5,
            "promise_date": "2026-07-20",
            "promise_channel": "transfer",
            "notes": "Atendió el titular."
        },
        "attachments": []
    })
}

pub async fn put(
    app: &TestApp,
    session: &Session,
    path: &str,
    body: Value,
) -> crate::support::Response {
    app.request(Method::PUT, path, Auth::Session(session), Some(body))
        .await
}

pub async fn put_visit(
    app: &TestApp,
    session: &Session,
    id: Uuid,
    body: Value,
) -> crate::support::Response {
    put(app, session, &format!("/api/field/visits/{id}"), body).await
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Uploads raw bytes as an attachment and returns the status and JSON body.
pub async fn put_attachment(
    app: &TestApp,
    session: &Session,
    sha256: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(Method::PUT)
        .uri(format!("/api/field/attachments/{sha256}"))
        .header(header::COOKIE, &session.cookie)
        .header("x-csrf-token", &session.csrf_token)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(bytes))
        .expect("request");
    let response = app.router.clone().oneshot(request).await.expect("router");
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, body)
}

/// Clocks the agent in from `from` (Unix ms), with the shift still open.
pub async fn clock_in(app: &TestApp, session: &Session, from: i64) -> Uuid {
    let id = Uuid::new_v4();
    let response = put(
        app,
        session,
        &format!("/api/field/shifts/{id}"),
        json!({"clocked_in_at": from}),
    )
    .await;
    assert_eq!(response.status, StatusCode::CREATED, "{:?}", response.body);
    id
}

/// Posts positions `(minutes from at, point)` for the agent and returns the response body.
pub async fn post_track(
    app: &TestApp,
    session: &Session,
    at: i64,
    points: &[(i64, (f64, f64))],
) -> Value {
    let positions: Vec<Value> = points
        .iter()
        .map(|(minutes, point)| {
            json!({"fix_time": at + minutes * MINUTE_MS, "latitude": point.0,
                "longitude": point.1, "accuracy_m": 10.0})
        })
        .collect();
    let response = app
        .post(
            "/api/field/positions",
            Auth::Session(session),
            json!({"positions": positions}),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{:?}", response.body);
    response.body
}

/// Returns the codes of the verdict's findings.
pub fn reason_codes(body: &Value) -> Vec<String> {
    body["verdict"]["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .map(|reason| reason["code"].as_str().expect("code").to_owned())
        .collect()
}
