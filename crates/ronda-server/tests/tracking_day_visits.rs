//! The agent's day replay lists the visits the agent finished that day, with account,
//! result, verdict and check-in point, on both stores and only inside the organization.

use crate::support;

use axum::http::StatusCode;
use serde_json::Value;
use support::{Auth, TestApp};
use uuid::Uuid;

use crate::field_common::{HOME, MINUTE_MS, NOON_MS, check_in, field, put_visit, visit_body};

/// The day of [`NOON_MS`] in Mexico City.
const DAY: &str = "2026-07-15";

fn visits(body: &Value) -> &Vec<Value> {
    body["visits"].as_array().expect("visits")
}

async fn day_replay_lists_the_days_visits(app: TestApp) {
    let field = field(&app, "Despacho Recorrido").await;
    let outsider = field_outsider(&app).await;
    let agent = field.tenant.agent.id;

    let first = Uuid::now_v7();
    let body = visit_body(&field, field.account("FV-1"), check_in(HOME, NOON_MS));
    let response = put_visit(&app, &field.agent, first, body).await;
    assert_eq!(response.status, StatusCode::CREATED, "{:?}", response.body);
    // A visit of the next day stays out of this day's replay.
    let next_day = NOON_MS + 24 * 60 * MINUTE_MS;
    let body = visit_body(&field, field.account("FV-2"), check_in(HOME, next_day));
    let response = put_visit(&app, &field.agent, Uuid::now_v7(), body).await;
    assert_eq!(response.status, StatusCode::CREATED, "{:?}", response.body);

    let path = format!("/api/tracking/agents/{}/days/{DAY}", agent.0);
    let day = app.get(&path, Auth::Session(&field.supervisor)).await;
    assert_eq!(day.status, StatusCode::OK, "{:?}", day.body);
    let listed = visits(&day.body);
    assert_eq!(listed.len(), 1, "{listed:?}");
    let visit = &listed[0];
    assert_eq!(visit["visit_id"], first.to_string());
    assert_eq!(visit["account_id"], field.account("FV-1").id);
    assert_eq!(visit["lender_account_id"], "FV-1");
    assert_eq!(visit["lender_name"], "Financiera del Valle");
    assert_eq!(visit["debtor_name"], "Titular FV-1");
    assert_eq!(visit["result_code"], "PTP");
    assert_eq!(visit["verdict"], "verified");
    assert_eq!(visit["status"], "complete");
    assert_eq!(visit["started_at"], NOON_MS);
    assert_eq!(visit["finished_at"], NOON_MS + 6 * MINUTE_MS);
    assert_eq!(visit["checkin_latitude"], HOME.0);
    assert_eq!(visit["checkin_longitude"], HOME.1);
    assert_eq!(visit["checkin_accuracy_m"], 12.0);

    let own = app.get(&path, Auth::Session(&field.agent)).await;
    assert_eq!(own.status, StatusCode::OK, "the agent reads their own day");
    assert_eq!(visits(&own.body).len(), 1);

    let other_agent = format!("/api/tracking/agents/{}/days/{DAY}", field.other_agent.id.0);
    let theirs = app
        .get(&other_agent, Auth::Session(&field.supervisor))
        .await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(
        visits(&theirs.body).is_empty(),
        "another agent's day has none"
    );

    let foreign = app.get(&path, Auth::Session(&outsider)).await;
    assert_eq!(
        foreign.status,
        StatusCode::NOT_FOUND,
        "another organization cannot read the day"
    );
}

async fn field_outsider(app: &TestApp) -> support::Session {
    let other = app.tenant("Despacho Ajeno").await;
    app.login(&other.supervisor.email).await
}

on_both_stores!(day_visits, day_replay_lists_the_days_visits);
