//! The ingest path keeps devices, newest fixes, shifts and the shift setting in memory.
//! These tests prove that a change through the API takes effect on the very next message,
//! and that a kept device never lets one organization's secret write into another's.

use crate::support;

use axum::http::{Method, StatusCode};
use jiff::Timestamp;
use ronda_domain::{OrganizationId, UserId};
use serde_json::{Value, json};
use support::tracking::{osmand_get, register, secret_of, set_outside_shifts};
use support::{Auth, TestApp};

async fn count(app: &TestApp, org: OrganizationId, agent: UserId) -> usize {
    app.test_store
        .store
        .agent_positions(org, agent, Timestamp::MIN, Timestamp::MAX)
        .await
        .expect("positions")
        .len()
}

fn point(identifier: &str, seconds: i64) -> String {
    format!("id={identifier}&lat=19.4326&lon=-99.1332&timestamp={seconds}&accuracy=5")
}

fn device_id(created: &Value) -> String {
    created["device"]["id"]
        .as_str()
        .expect("device id")
        .to_owned()
}

async fn revoked_and_deactivated_devices_stop_at_once(app: TestApp) {
    let tenant = app.tenant("Despacho Revoca").await;
    let (org, agent) = (tenant.org.id, tenant.agent.id);
    let admin = app.login(&tenant.admin.email).await;
    set_outside_shifts(&app, &admin, true).await;
    let created = register(&app, &admin, agent, "osmand", "700100").await;
    let secret = secret_of(&created);
    let now = Timestamp::now().as_second();

    for offset in 0..3 {
        let (status, body) = osmand_get(&app, &secret, &point("700100", now + offset)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let revoked = app
        .request(
            Method::DELETE,
            &format!("/api/devices/{}", device_id(&created)),
            Auth::Session(&admin),
            None,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{:?}", revoked.body);
    let (status, _) = osmand_get(&app, &secret, &point("700100", now + 3)).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the first message after revocation is refused"
    );
    assert_eq!(count(&app, org, agent).await, 3);

    let second = secret_of(&register(&app, &admin, agent, "osmand", "700101").await);
    let (status, _) = osmand_get(&app, &second, &point("700101", now + 4)).await;
    assert_eq!(status, StatusCode::OK);
    let path = format!("/api/users/{}/deactivate", agent.0);
    let response = app.post(&path, Auth::Session(&admin), json!({})).await;
    assert_eq!(response.status, StatusCode::OK, "{:?}", response.body);
    let (status, _) = osmand_get(&app, &second, &point("700101", now + 5)).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a deactivated agent's phone is refused at once"
    );
    let path = format!("/api/users/{}/reactivate", agent.0);
    let response = app.post(&path, Auth::Session(&admin), json!({})).await;
    assert_eq!(response.status, StatusCode::OK, "{:?}", response.body);
    let (status, _) = osmand_get(&app, &second, &point("700101", now + 6)).await;
    assert_eq!(status, StatusCode::OK, "reactivation lets it report again");
    assert_eq!(count(&app, org, agent).await, 5);
}

on_both_stores!(revocation, revoked_and_deactivated_devices_stop_at_once);

async fn kept_devices_stay_in_their_organization(app: TestApp) {
    let norte = app.tenant("Despacho Norte Cache").await;
    let sur = app.tenant("Despacho Sur Cache").await;
    let norte_admin = app.login(&norte.admin.email).await;
    let sur_admin = app.login(&sur.admin.email).await;
    set_outside_shifts(&app, &norte_admin, true).await;
    set_outside_shifts(&app, &sur_admin, true).await;
    let norte_device = register(&app, &norte_admin, norte.agent.id, "osmand", "710100").await;
    let sur_device = register(&app, &sur_admin, sur.agent.id, "osmand", "710200").await;
    let (norte_secret, sur_secret) = (secret_of(&norte_device), secret_of(&sur_device));
    let now = Timestamp::now().as_second();

    // Both devices are now kept in memory.
    for (secret, identifier) in [(&norte_secret, "710100"), (&sur_secret, "710200")] {
        let (status, _) = osmand_get(&app, secret, &point(identifier, now)).await;
        assert_eq!(status, StatusCode::OK);
    }
    for (secret, identifier) in [(&norte_secret, "710200"), (&sur_secret, "710100")] {
        let (status, _) = osmand_get(&app, secret, &point(identifier, now + 1)).await;
        assert_eq!(
            status,
            StatusCode::UNAUTHORIZED,
            "a secret only opens its own device"
        );
    }
    let foreign = app
        .request(
            Method::DELETE,
            &format!("/api/devices/{}", device_id(&sur_device)),
            Auth::Session(&norte_admin),
            None,
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    let (status, _) = osmand_get(&app, &sur_secret, &point("710200", now + 2)).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "another organization cannot revoke it"
    );

    assert_eq!(count(&app, norte.org.id, norte.agent.id).await, 1);
    assert_eq!(count(&app, sur.org.id, sur.agent.id).await, 2);
    assert_eq!(count(&app, norte.org.id, sur.agent.id).await, 0);
    assert_eq!(count(&app, sur.org.id, norte.agent.id).await, 0);
}

on_both_stores!(organizations, kept_devices_stay_in_their_organization);

async fn flag_reason(app: &TestApp, org: OrganizationId, agent: UserId) -> Option<String> {
    app.test_store
        .store
        .agent_positions(org, agent, Timestamp::MIN, Timestamp::MAX)
        .await
        .expect("positions")
        .into_iter()
        .max_by_key(|position| position.id)
        .expect("a position")
        .flag_reason
}

async fn shift_changes_apply_to_the_next_message(app: TestApp) {
    let tenant = app.tenant("Despacho Turnos Cache").await;
    let (org, agent) = (tenant.org.id, tenant.agent.id);
    let admin = app.login(&tenant.admin.email).await;
    let agent_session = app.login(&tenant.agent.email).await;
    let secret = secret_of(&register(&app, &admin, agent, "osmand", "720100").await);
    let now = Timestamp::now().as_second();

    let (status, _) = osmand_get(&app, &secret, &point("720100", now - 60)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        flag_reason(&app, org, agent).await.as_deref(),
        Some("not_clocked_in")
    );

    let shift = uuid::Uuid::now_v7();
    let path = format!("/api/field/shifts/{shift}");
    let body = json!({"clocked_in_at": (now - 120) * 1000});
    let response = app
        .request(
            Method::PUT,
            &path,
            Auth::Session(&agent_session),
            Some(body),
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{:?}", response.body);
    let (status, _) = osmand_get(&app, &secret, &point("720100", now - 50)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        flag_reason(&app, org, agent).await,
        None,
        "the clock-in counts at once"
    );

    let body = json!({"clocked_in_at": (now - 120) * 1000, "clocked_out_at": (now - 40) * 1000});
    let response = app
        .request(
            Method::PUT,
            &path,
            Auth::Session(&agent_session),
            Some(body),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{:?}", response.body);
    let (status, _) = osmand_get(&app, &secret, &point("720100", now - 30)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        flag_reason(&app, org, agent).await.as_deref(),
        Some("not_clocked_in"),
        "the clock-out counts at once"
    );

    set_outside_shifts(&app, &admin, true).await;
    let (status, _) = osmand_get(&app, &secret, &point("720100", now - 20)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        flag_reason(&app, org, agent).await,
        None,
        "the setting counts at once"
    );
    set_outside_shifts(&app, &admin, false).await;
    let (status, _) = osmand_get(&app, &secret, &point("720100", now - 10)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        flag_reason(&app, org, agent).await.as_deref(),
        Some("not_clocked_in")
    );
    assert_eq!(count(&app, org, agent).await, 5);
}

on_both_stores!(shifts, shift_changes_apply_to_the_next_message);
