//! One organization can neither read nor change another's users, tokens or audit log:
//! every such route returns 404, exactly as for an id that does not exist.

use crate::support;

use axum::http::{Method, StatusCode};
use serde_json::json;
use support::{Auth, TestApp};

async fn other_organizations_data_is_not_found(app: TestApp) {
    let norte = app.tenant("Despacho Norte").await;
    let sur = app.tenant("Despacho Sur").await;
    let norte_admin = app.login(&norte.admin.email).await;
    let sur_admin = app.login(&sur.admin.email).await;

    let sur_token = app
        .post(
            "/api/tokens",
            Auth::Session(&sur_admin),
            json!({"name": "ERP Sur", "role": "viewer"}),
        )
        .await;
    let sur_token_id = sur_token.body["token"]["id"]
        .as_str()
        .expect("token id")
        .to_owned();
    let sur_audit = app.get("/api/audit", Auth::Session(&sur_admin)).await;
    let sur_audit_id = sur_audit.body["entries"][0]["id"]
        .as_i64()
        .expect("audit id");

    let sur_user = sur.agent.id;
    let routes = [
        (Method::GET, format!("/api/users/{sur_user}")),
        (Method::POST, format!("/api/users/{sur_user}/deactivate")),
        (Method::POST, format!("/api/users/{sur_user}/reactivate")),
        (Method::GET, format!("/api/tokens/{sur_token_id}")),
        (Method::DELETE, format!("/api/tokens/{sur_token_id}")),
        (Method::GET, format!("/api/audit/{sur_audit_id}")),
    ];
    let norte_token = app.api_token(&norte_admin, "admin").await;
    for auth in [Auth::Session(&norte_admin), Auth::Bearer(&norte_token)] {
        for (method, path) in &routes {
            let response = app.request(method.clone(), path, auth, None).await;
            assert_eq!(
                response.status,
                StatusCode::NOT_FOUND,
                "{method} {path} with {auth:?}"
            );
            assert_eq!(response.body["code"], "not_found");
        }
    }

    // Nothing changed in the other organization.
    let user = app
        .get(&format!("/api/users/{sur_user}"), Auth::Session(&sur_admin))
        .await;
    assert_eq!(user.body["active"], true);
    let token = app
        .get(
            &format!("/api/tokens/{sur_token_id}"),
            Auth::Session(&sur_admin),
        )
        .await;
    assert!(token.body["revoked_at"].is_null());

    // Lists show only the caller's organization.
    let users = app.get("/api/users", Auth::Session(&norte_admin)).await;
    let emails: Vec<&str> = users.body["users"]
        .as_array()
        .expect("users")
        .iter()
        .filter_map(|u| u["email"].as_str())
        .collect();
    assert_eq!(emails.len(), 4);
    assert!(
        emails
            .iter()
            .all(|email| email.ends_with("@despacho-norte.mx")),
        "{emails:?}"
    );
    let tokens = app.get("/api/tokens", Auth::Session(&norte_admin)).await;
    assert_eq!(tokens.body["tokens"].as_array().expect("tokens").len(), 1);
    let audit = app
        .get("/api/audit?limit=500", Auth::Session(&norte_admin))
        .await;
    let audit_ids: Vec<i64> = audit.body["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["id"].as_i64())
        .collect();
    assert!(!audit_ids.contains(&sur_audit_id));
}
on_both_stores!(
    other_organizations_data_is_not_found_on,
    other_organizations_data_is_not_found
);

async fn new_users_land_in_callers_organization(app: TestApp) {
    let norte = app.tenant("Despacho Norte").await;
    let sur = app.tenant("Despacho Sur").await;
    let sur_admin = app.login(&sur.admin.email).await;
    let body = json!({"email": "nuevo@sur.mx", "name": "Nuevo Gestor", "role": "agent", "password": support::PASSWORD});
    let created = app
        .post("/api/users", Auth::Session(&sur_admin), body)
        .await;
    assert_eq!(created.status, StatusCode::CREATED);

    let norte_admin = app.login(&norte.admin.email).await;
    let id = created.body["id"].as_str().expect("id");
    let response = app
        .get(&format!("/api/users/{id}"), Auth::Session(&norte_admin))
        .await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    let session = app.login("nuevo@sur.mx").await;
    let me = app.get("/api/session", Auth::Session(&session)).await;
    assert_eq!(me.body["organization"]["name"], "Despacho Sur");
}
on_both_stores!(
    new_users_land_in_callers_organization_on,
    new_users_land_in_callers_organization
);
