//! Each role is refused, on the server, what it may not do.

use crate::support;

use axum::http::{Method, StatusCode};
use serde_json::json;
use support::{Auth, PASSWORD, TestApp};

async fn each_role_is_refused_what_it_may_not_do(app: TestApp) {
    let tenant = app.tenant("Despacho Norte").await;
    let admin = app.login(&tenant.admin.email).await;
    let supervisor = app.login(&tenant.supervisor.email).await;
    let agent = app.login(&tenant.agent.email).await;
    let viewer = app.login(&tenant.viewer.email).await;
    let admin_token = app.api_token(&admin, "admin").await;
    let token_id = app.get("/api/tokens", Auth::Session(&admin)).await.body["tokens"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();

    let new_user =
        json!({"email": "otro@norte.mx", "name": "Otro", "role": "agent", "password": PASSWORD});
    let new_token = json!({"name": "ERP", "role": "viewer"});
    let agent_id = tenant.agent.id;
    let writes: [(Method, String, Option<serde_json::Value>); 5] = [
        (Method::POST, "/api/users".into(), Some(new_user.clone())),
        (
            Method::POST,
            format!("/api/users/{agent_id}/deactivate"),
            None,
        ),
        (
            Method::POST,
            format!("/api/users/{agent_id}/reactivate"),
            None,
        ),
        (Method::POST, "/api/tokens".into(), Some(new_token)),
        (Method::DELETE, format!("/api/tokens/{token_id}"), None),
    ];
    for (role, session) in [
        ("supervisor", &supervisor),
        ("agent", &agent),
        ("viewer", &viewer),
    ] {
        for (method, path, body) in &writes {
            let response = app
                .request(method.clone(), path, Auth::Session(session), body.clone())
                .await;
            assert_eq!(
                response.status,
                StatusCode::FORBIDDEN,
                "{role}: {method} {path}"
            );
            assert_eq!(response.body["code"], "forbidden");
        }
        let response = app.get("/api/tokens", Auth::Session(session)).await;
        assert_eq!(
            response.status,
            StatusCode::FORBIDDEN,
            "{role} lists tokens"
        );
    }

    // Readers: supervisors and viewers see users and the audit log, agents do not.
    for session in [&supervisor, &viewer] {
        assert_eq!(
            app.get("/api/users", Auth::Session(session)).await.status,
            StatusCode::OK
        );
        assert_eq!(
            app.get("/api/audit", Auth::Session(session)).await.status,
            StatusCode::OK
        );
    }
    for path in [
        "/api/users",
        "/api/audit",
        &format!("/api/users/{}", tenant.viewer.id),
    ] {
        let response = app.get(path, Auth::Session(&agent)).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "agent reads {path}");
    }
    let own = app
        .get(&format!("/api/users/{agent_id}"), Auth::Session(&agent))
        .await;
    assert_eq!(own.status, StatusCode::OK, "an agent reads their own user");

    // Nothing was changed by the refused requests.
    let users = app.get("/api/users", Auth::Bearer(&admin_token)).await;
    assert_eq!(users.body["users"].as_array().expect("users").len(), 4);
    let agent_user = app
        .get(&format!("/api/users/{agent_id}"), Auth::Session(&admin))
        .await;
    assert_eq!(agent_user.body["active"], true);

    // The admin can do each of them.
    let created = app
        .post("/api/users", Auth::Session(&admin), new_user)
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.body["role"], "agent");

    // Anonymous callers get 401 everywhere.
    for path in ["/api/users", "/api/tokens", "/api/audit", "/api/session"] {
        assert_eq!(
            app.get(path, Auth::None).await.status,
            StatusCode::UNAUTHORIZED,
            "{path}"
        );
    }
}
on_both_stores!(
    each_role_is_refused_what_it_may_not_do_on,
    each_role_is_refused_what_it_may_not_do
);
