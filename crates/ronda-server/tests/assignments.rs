//! Assigning accounts to agents through the API, on both stores.

use crate::support;

use axum::http::{Method, StatusCode};
use jiff::Timestamp;
use ronda_domain::{Email, OrganizationId, PersonName, Role, UserId};
use ronda_store::portfolio::{AccountImport, AccountQuery, AddressImport, GeoPoint, Geocode};
use ronda_store::{Actor, AuditEvent, NewUser, User};
use serde_json::{Value, json};
use support::{Auth, Session, Tenant, TestApp};
use uuid::Uuid;

fn seed_audit(org: OrganizationId) -> AuditEvent {
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

fn account(id: &str, postal_code: &str, municipality: &str, point: (f64, f64)) -> AccountImport {
    AccountImport {
        lender_account_id: id.into(),
        product: None,
        principal_cents: None,
        overdue_cents: Some(50_000),
        days_past_due: Some(60),
        currency: "MXN".into(),
        custom_fields: json!({}),
        debtor_name: format!("Titular {id}"),
        phones: vec![],
        emails: vec![],
        address: AddressImport {
            postal_code: Some(postal_code.into()),
            municipality: Some(municipality.into()),
            original_text: format!("Calle 1, C.P. {postal_code}"),
            geocode: Some(Geocode {
                point: GeoPoint {
                    latitude: point.0,
                    longitude: point.1,
                },
                source: "file".into(),
                confidence: 1.0,
            }),
            ..AddressImport::default()
        },
    }
}

/// Accounts CR-1 .. CR-5. In the "U" zone of [`u_zone`], CR-1 lies in the east arm,
/// CR-2 in the notch (outside), and the others far away.
fn accounts() -> Vec<AccountImport> {
    vec![
        account("CR-1", "06000", "Cuauhtémoc", (19.4326, -99.1332)),
        account("CR-2", "06000", "CUAUHTEMOC", (19.4300, -99.1400)),
        account("CR-3", "64000", "Monterrey", (25.6866, -100.3161)),
        account("CR-4", "01000", "Álvaro Obregón", (19.3600, -99.1900)),
        account("CR-5", "01000", "Alvaro Obregon", (19.3550, -99.1950)),
    ]
}

fn u_zone() -> Value {
    json!([
        [19.42, -99.15],
        [19.42, -99.12],
        [19.44, -99.12],
        [19.44, -99.135],
        [19.425, -99.135],
        [19.425, -99.145],
        [19.44, -99.145],
        [19.44, -99.15]
    ])
}

/// Creates a lender and a portfolio through the API, imports the accounts through the
/// store, and returns the portfolio id and the account ids in lender-id order.
async fn portfolio_with_accounts(
    app: &TestApp,
    tenant: &Tenant,
    admin: &Session,
) -> (String, Vec<String>) {
    let lender = app
        .post(
            "/api/lenders",
            Auth::Session(admin),
            json!({"name": "Financiera del Bajío"}),
        )
        .await;
    assert_eq!(lender.status, StatusCode::CREATED, "{:?}", lender.body);
    let portfolio = app
        .post(
            "/api/portfolios",
            Auth::Session(admin),
            json!({"lender_id": lender.body["id"], "name": "Diciembre 2026"}),
        )
        .await;
    assert_eq!(
        portfolio.status,
        StatusCode::CREATED,
        "{:?}",
        portfolio.body
    );
    let portfolio_id = portfolio.body["id"].as_str().expect("id").to_owned();

    let store = app.test_store.store.as_ref();
    let org = tenant.org.id;
    let stored = store
        .portfolio(org, portfolio_id.parse().expect("uuid"))
        .await
        .expect("read")
        .expect("portfolio");
    store
        .import_accounts(&stored, &accounts(), true, &seed_audit(org))
        .await
        .expect("import");
    let query = AccountQuery {
        limit: 100,
        ..AccountQuery::default()
    };
    let (page, _) = store.accounts(org, &query).await.expect("list");
    let ids = page.into_iter().map(|a| a.id.to_string()).collect();
    (portfolio_id, ids)
}

async fn second_agent(app: &TestApp, tenant: &Tenant) -> User {
    let user = NewUser {
        id: UserId::new(),
        organization_id: tenant.org.id,
        email: Email::parse(
            "email",
            &format!("gestor2-{}@norte.mx", Uuid::new_v4().simple()),
        )
        .expect("email"),
        name: PersonName::parse("name", "Beto Gestor").expect("name"),
        role: Role::Agent,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        created_at: Timestamp::now(),
    };
    app.test_store
        .store
        .create_user(&user, &seed_audit(tenant.org.id))
        .await
        .expect("agent")
}

async fn history(app: &TestApp, session: &Session, account_id: &str) -> Vec<Value> {
    let response = app
        .get(
            &format!("/api/accounts/{account_id}/assignments"),
            Auth::Session(session),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{:?}", response.body);
    response.body["assignments"]
        .as_array()
        .expect("assignments")
        .clone()
}

fn counts(body: &Value) -> (u64, u64, u64) {
    (
        body["assigned"].as_u64().expect("assigned"),
        body["reassigned"].as_u64().expect("reassigned"),
        body["agent_load"].as_u64().expect("agent_load"),
    )
}

async fn assign_by_ids_and_reassign(app: TestApp) {
    let tenant = app.tenant("Despacho Norte").await;
    let supervisor = app.login(&tenant.supervisor.email).await;
    let admin = app.login(&tenant.admin.email).await;
    let (_, ids) = portfolio_with_accounts(&app, &tenant, &admin).await;
    let beto = second_agent(&app, &tenant).await;

    let first = app
        .post(
            "/api/assignments",
            Auth::Session(&supervisor),
            json!({"agent_id": tenant.agent.id.0, "account_ids": [ids[0], ids[1], ids[2]]}),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    assert_eq!(counts(&first.body), (3, 0, 3));
    assert_eq!(first.body["capacity"], 25);
    assert_eq!(first.body["over_capacity"], false);

    let second = app
        .post(
            "/api/assignments",
            Auth::Session(&supervisor),
            json!({"agent_id": beto.id.0, "account_ids": [ids[1], ids[2], ids[3]]}),
        )
        .await;
    assert_eq!(second.status, StatusCode::OK, "{:?}", second.body);
    assert_eq!(counts(&second.body), (1, 2, 3));

    let entries = history(&app, &supervisor, &ids[1]).await;
    assert_eq!(entries.len(), 2, "reassignment keeps history");
    assert_eq!(entries[0]["agent_id"], json!(beto.id.0));
    assert_eq!(entries[0]["unassigned_at"], Value::Null);
    assert_eq!(entries[1]["agent_id"], json!(tenant.agent.id.0));
    assert!(
        entries[1]["unassigned_at"].is_string(),
        "closed: {entries:?}"
    );
    assert_eq!(entries[1]["assigned_by"], json!(tenant.supervisor.id.0));

    let ended = app
        .request(
            Method::DELETE,
            &format!("/api/assignments/{}", ids[1]),
            Auth::Session(&supervisor),
            None,
        )
        .await;
    assert_eq!(ended.status, StatusCode::OK, "{:?}", ended.body);
    assert!(ended.body["unassigned_at"].is_string());
    let again = app
        .request(
            Method::DELETE,
            &format!("/api/assignments/{}", ids[1]),
            Auth::Session(&supervisor),
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "no current assignment");
    assert!(
        history(&app, &supervisor, &ids[1])
            .await
            .iter()
            .all(|entry| entry["unassigned_at"].is_string())
    );

    let audit = app.get("/api/audit", Auth::Session(&admin)).await;
    let actions: Vec<&str> = audit.body["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|entry| entry["action"].as_str())
        .collect();
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "assignment.created")
            .count(),
        2,
        "{actions:?}"
    );
    assert!(actions.contains(&"assignment.ended"), "{actions:?}");
}
on_both_stores!(assign_by_ids_and_reassign_flow, assign_by_ids_and_reassign);

async fn assign_by_selection(app: TestApp) {
    let tenant = app.tenant("Despacho Norte").await;
    let admin = app.login(&tenant.admin.email).await;
    let (portfolio_id, ids) = portfolio_with_accounts(&app, &tenant, &admin).await;
    let agent = tenant.agent.id.0;
    let assign = |body: Value| {
        let app = &app;
        let admin = &admin;
        async move {
            app.post("/api/assignments", Auth::Session(admin), body)
                .await
        }
    };

    let zone = assign(json!({"agent_id": agent, "zone": u_zone()})).await;
    assert_eq!(zone.status, StatusCode::OK, "{:?}", zone.body);
    assert_eq!(
        counts(&zone.body),
        (1, 0, 1),
        "only CR-1; CR-2 is in the notch"
    );
    assert_eq!(history(&app, &admin, &ids[0]).await.len(), 1);
    assert!(history(&app, &admin, &ids[1]).await.is_empty());

    let by_code = assign(json!({"agent_id": agent, "postal_codes": ["06000"]})).await;
    assert_eq!(by_code.status, StatusCode::OK, "{:?}", by_code.body);
    assert_eq!(counts(&by_code.body), (1, 0, 2), "CR-2 is new, CR-1 kept");
    assert_eq!(by_code.body["unchanged"], 1);

    let by_name = assign(json!({
        "agent_id": agent,
        "municipality": "  ÁLVARO obregón ",
        "portfolio_id": portfolio_id
    }))
    .await;
    assert_eq!(by_name.status, StatusCode::OK, "{:?}", by_name.body);
    assert_eq!(counts(&by_name.body), (2, 0, 4), "CR-4 and CR-5");

    let other_portfolio = assign(json!({
        "agent_id": agent,
        "postal_codes": ["64000"],
        "portfolio_id": Uuid::now_v7()
    }))
    .await;
    assert_eq!(other_portfolio.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(other_portfolio.body["field"], "portfolio_id");

    for (body, field) in [
        (json!({"agent_id": agent}), "account_ids"),
        (
            json!({"agent_id": agent, "postal_codes": ["06000"], "municipality": "Monterrey"}),
            "account_ids",
        ),
        (
            json!({"agent_id": agent, "postal_codes": ["123"]}),
            "postal_codes",
        ),
        (
            json!({"agent_id": agent, "zone": [[19.4, -99.1], [19.5, -99.1]]}),
            "zone",
        ),
        (
            json!({"agent_id": agent, "zone": [[19.4, -99.1], [95.0, -99.1], [19.5, -99.2]]}),
            "zone",
        ),
        (
            json!({"agent_id": agent, "municipality": " "}),
            "municipality",
        ),
        (json!({"agent_id": agent, "account_ids": []}), "account_ids"),
        (
            json!({"agent_id": agent, "postal_codes": []}),
            "postal_codes",
        ),
        (
            json!({"agent_id": agent, "account_ids": ["CR-1"]}),
            "account_ids",
        ),
        (
            json!({"agent_id": "gestor", "account_ids": [ids[2]]}),
            "agent_id",
        ),
    ] {
        let response = assign(body.clone()).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(response.body["field"], field, "{body}: {:?}", response.body);
        let message = response.body["message"].as_str().unwrap_or_default();
        assert!(
            !message.contains("number") && !message.contains("vertices"),
            "{body}: the Spanish message carries no English: {message}"
        );
        assert!(
            !response.body["message"]
                .as_str()
                .unwrap_or_default()
                .is_empty()
        );
    }
}
on_both_stores!(assign_by_selection_flow, assign_by_selection);

async fn capacity_rejection_and_override(app: TestApp) {
    let tenant = app.tenant("Despacho Norte").await;
    let admin = app.login(&tenant.admin.email).await;
    let (_, ids) = portfolio_with_accounts(&app, &tenant, &admin).await;
    let agent = tenant.agent.id.0;
    let capacity_path = format!("/api/agents/{agent}/capacity");

    let set = app
        .request(
            Method::PUT,
            &capacity_path,
            Auth::Session(&admin),
            Some(json!({"daily_capacity": 2})),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{:?}", set.body);
    assert_eq!(set.body["daily_capacity"], 2);
    for bad in [0, 201, -3] {
        let response = app
            .request(
                Method::PUT,
                &capacity_path,
                Auth::Session(&admin),
                Some(json!({"daily_capacity": bad})),
            )
            .await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert_eq!(response.body["field"], "daily_capacity");
    }

    let three = json!({"agent_id": agent, "account_ids": [ids[0], ids[1], ids[2]]});
    let rejected = app
        .request_from(
            [127, 0, 0, 1],
            Method::POST,
            "/api/assignments",
            Auth::Session(&admin),
            Some(three.clone()),
            &[("accept-language", "en")],
        )
        .await;
    assert_eq!(rejected.status, StatusCode::CONFLICT, "{:?}", rejected.body);
    assert_eq!(rejected.body["code"], "over_capacity");
    assert_eq!(rejected.body["field"], "account_ids");
    assert!(
        rejected.body["message"]
            .as_str()
            .expect("message")
            .contains("allow_over_capacity")
    );
    assert!(
        history(&app, &admin, &ids[0]).await.is_empty(),
        "nothing written"
    );

    let mut forced = three;
    forced["allow_over_capacity"] = json!(true);
    let allowed = app
        .post("/api/assignments", Auth::Session(&admin), forced)
        .await;
    assert_eq!(allowed.status, StatusCode::OK, "{:?}", allowed.body);
    assert_eq!(counts(&allowed.body), (3, 0, 3));
    assert_eq!(allowed.body["capacity"], 2);
    assert_eq!(allowed.body["over_capacity"], true);

    // An agent already over capacity can still be sent a selection that adds nothing.
    let nothing = app
        .post(
            "/api/assignments",
            Auth::Session(&admin),
            json!({"agent_id": tenant.agent.id.0, "municipality": "Ningún Lugar"}),
        )
        .await;
    assert_eq!(nothing.status, StatusCode::OK, "{:?}", nothing.body);
    assert_eq!(counts(&nothing.body), (0, 0, 3));

    let supervisor_capacity = app
        .request(
            Method::PUT,
            &format!("/api/agents/{}/capacity", tenant.supervisor.id.0),
            Auth::Session(&admin),
            Some(json!({"daily_capacity": 10})),
        )
        .await;
    assert_eq!(supervisor_capacity.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(supervisor_capacity.body["code"], "not_an_agent");
}
on_both_stores!(
    capacity_rejection_and_override_flow,
    capacity_rejection_and_override
);

async fn other_organization_and_non_agents(app: TestApp) {
    let norte = app.tenant("Despacho Norte").await;
    let sur = app.tenant("Despacho Sur").await;
    let norte_admin = app.login(&norte.admin.email).await;
    let sur_admin = app.login(&sur.admin.email).await;
    let (_, norte_ids) = portfolio_with_accounts(&app, &norte, &norte_admin).await;
    let (_, sur_ids) = portfolio_with_accounts(&app, &sur, &sur_admin).await;

    let foreign_account = app
        .post(
            "/api/assignments",
            Auth::Session(&norte_admin),
            json!({"agent_id": norte.agent.id.0, "account_ids": [norte_ids[0], sur_ids[0]]}),
        )
        .await;
    assert_eq!(foreign_account.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(foreign_account.body["field"], "account_ids");
    assert!(
        history(&app, &norte_admin, &norte_ids[0]).await.is_empty(),
        "the valid account was not assigned either"
    );

    let foreign_agent = app
        .post(
            "/api/assignments",
            Auth::Session(&norte_admin),
            json!({"agent_id": sur.agent.id.0, "account_ids": [norte_ids[0]]}),
        )
        .await;
    assert_eq!(foreign_agent.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(foreign_agent.body["field"], "agent_id");
    assert!(history(&app, &norte_admin, &norte_ids[0]).await.is_empty());

    for user in [&norte.supervisor, &norte.viewer, &norte.admin] {
        let response = app
            .post(
                "/api/assignments",
                Auth::Session(&norte_admin),
                json!({"agent_id": user.id.0, "account_ids": [norte_ids[0]]}),
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            user.role
        );
        assert_eq!(response.body["code"], "not_an_agent");
        assert_eq!(response.body["field"], "agent_id");
    }

    let foreign_history = app
        .get(
            &format!("/api/accounts/{}/assignments", sur_ids[0]),
            Auth::Session(&norte_admin),
        )
        .await;
    assert_eq!(foreign_history.status, StatusCode::NOT_FOUND);
    let foreign_delete = app
        .request(
            Method::DELETE,
            &format!("/api/assignments/{}", sur_ids[0]),
            Auth::Session(&norte_admin),
            None,
        )
        .await;
    assert_eq!(foreign_delete.status, StatusCode::NOT_FOUND);
    let foreign_capacity = app
        .request(
            Method::PUT,
            &format!("/api/agents/{}/capacity", sur.agent.id.0),
            Auth::Session(&norte_admin),
            Some(json!({"daily_capacity": 10})),
        )
        .await;
    assert_eq!(foreign_capacity.status, StatusCode::NOT_FOUND);
    let bad_id = app
        .get(
            "/api/accounts/CR-1/assignments",
            Auth::Session(&norte_admin),
        )
        .await;
    assert_eq!(bad_id.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_id.body["field"], "id");
}
on_both_stores!(
    other_organization_and_non_agents_flow,
    other_organization_and_non_agents
);

async fn viewer_and_agent_forbidden(app: TestApp) {
    let tenant = app.tenant("Despacho Norte").await;
    let admin = app.login(&tenant.admin.email).await;
    let (_, ids) = portfolio_with_accounts(&app, &tenant, &admin).await;
    for user in [&tenant.viewer, &tenant.agent] {
        let session = app.login(&user.email).await;
        let assign = app
            .post(
                "/api/assignments",
                Auth::Session(&session),
                json!({"agent_id": tenant.agent.id.0, "account_ids": [ids[0]]}),
            )
            .await;
        assert_eq!(
            assign.status,
            StatusCode::FORBIDDEN,
            "{} assigns",
            user.role
        );
        let unassign = app
            .request(
                Method::DELETE,
                &format!("/api/assignments/{}", ids[0]),
                Auth::Session(&session),
                None,
            )
            .await;
        assert_eq!(
            unassign.status,
            StatusCode::FORBIDDEN,
            "{} unassigns",
            user.role
        );
        let capacity = app
            .request(
                Method::PUT,
                &format!("/api/agents/{}/capacity", tenant.agent.id.0),
                Auth::Session(&session),
                Some(json!({"daily_capacity": 50})),
            )
            .await;
        assert_eq!(
            capacity.status,
            StatusCode::FORBIDDEN,
            "{} sets capacity",
            user.role
        );
        let listed = app
            .get(
                &format!("/api/accounts/{}/assignments", ids[0]),
                Auth::Session(&session),
            )
            .await;
        assert_eq!(
            listed.status,
            StatusCode::FORBIDDEN,
            "{} reads history",
            user.role
        );
    }
    assert!(history(&app, &admin, &ids[0]).await.is_empty());
}
on_both_stores!(viewer_and_agent_forbidden_flow, viewer_and_agent_forbidden);

async fn agent_loads_show_capacity_and_load(app: TestApp) {
    let tenant = app.tenant("Despacho Norte").await;
    let other = app.tenant("Despacho Sur").await;
    let admin = app.login(&tenant.admin.email).await;
    let (_, ids) = portfolio_with_accounts(&app, &tenant, &admin).await;
    let agent = tenant.agent.id.0;

    let capacity = app
        .request(
            Method::PUT,
            &format!("/api/agents/{agent}/capacity"),
            Auth::Session(&admin),
            Some(json!({"daily_capacity": 12})),
        )
        .await;
    assert_eq!(capacity.status, StatusCode::OK, "{:?}", capacity.body);
    let assigned = app
        .post(
            "/api/assignments",
            Auth::Session(&admin),
            json!({"agent_id": agent, "account_ids": [ids[0], ids[1]]}),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK, "{:?}", assigned.body);

    let viewer = app.login(&tenant.viewer.email).await;
    let loads = app.get("/api/agents/loads", Auth::Session(&viewer)).await;
    assert_eq!(loads.status, StatusCode::OK, "{:?}", loads.body);
    let agents = loads.body["agents"].as_array().expect("agents");
    let entry = agents
        .iter()
        .find(|entry| entry["agent_id"] == agent.to_string())
        .expect("the agent is listed");
    assert_eq!(entry["daily_capacity"], 12);
    assert_eq!(entry["current_assignments"], 2);
    assert_eq!(entry["active"], true);

    let field_agent = app.login(&tenant.agent.email).await;
    assert_eq!(
        app.get("/api/agents/loads", Auth::Session(&field_agent))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let south = app.login(&other.admin.email).await;
    let theirs = app
        .get("/api/agents/loads", Auth::Session(&south))
        .await
        .body;
    assert!(
        theirs["agents"]
            .as_array()
            .expect("agents")
            .iter()
            .all(|entry| entry["agent_id"] != agent.to_string()),
        "another organization never lists this agent: {theirs}"
    );
}

on_both_stores!(agent_loads_flow, agent_loads_show_capacity_and_load);
