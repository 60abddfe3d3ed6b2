//! The console's "Hoy" numbers and visit points, on both stores.

use crate::field_common;
use crate::support;

use axum::http::StatusCode;
use field_common::{HOME, MINUTE_MS, NOON_MS, check_in, field, put_visit, visit_body};
use jiff::Timestamp;
use serde_json::Value;
use support::{Auth, TestApp};
use uuid::Uuid;

/// Returns the day after `at` in Mexico City, as `YYYY-MM-DD`.
fn promise_date(at: i64) -> String {
    let zone = jiff::tz::TimeZone::get("America/Mexico_City").expect("zone");
    let day = Timestamp::from_millisecond(at)
        .expect("timestamp")
        .to_zoned_datetime(zone)
        .date();
    day.tomorrow().expect("tomorrow").to_string()
}

/// Promise of every visit that `visit_body` builds, in cents.
const PROMISE_CENTS: i64 = 150_050;

async fn today_counts_own_visits(app: TestApp) {
    let field = field(&app, "Despacho Hoy").await;
    let now = Timestamp::now().as_millisecond();
    let mut ours = Vec::new();
    for (account, at) in [
        ("FV-1", now - 20 * MINUTE_MS),
        ("FV-2", now - 10 * MINUTE_MS),
        ("FV-1", NOON_MS),
    ] {
        let id = Uuid::now_v7();
        let mut body = visit_body(&field, field.account(account), check_in(HOME, at));
        if at != NOON_MS {
            // The form accepts a promise from the visit's day on.
            body["answers"]["promise_date"] = Value::String(promise_date(at));
        }
        let stored = put_visit(&app, &field.agent, id, body).await;
        assert_eq!(stored.status, StatusCode::CREATED, "{:?}", stored.body);
        ours.push((id, at + 6 * MINUTE_MS));
    }

    let today = app
        .get("/api/today", Auth::Session(&field.supervisor))
        .await;
    assert_eq!(today.status, StatusCode::OK, "{:?}", today.body);
    let since = today.body["since"].as_i64().expect("since");
    let counted: Vec<Uuid> = ours
        .iter()
        .filter(|(_, finished)| *finished >= since)
        .map(|(id, _)| *id)
        .collect();
    let summary = &today.body["summary"];
    assert_eq!(summary["done"], counted.len() as i64, "{summary:?}");
    assert_eq!(summary["planned"], 3, "three accounts are assigned");
    assert_eq!(summary["promises"], counted.len() as i64);
    assert_eq!(
        summary["promised_cents"],
        PROMISE_CENTS * counted.len() as i64
    );

    let visits = today.body["visits"].as_array().expect("visits");
    assert_eq!(visits.len(), counted.len());
    let mut by_verdict = std::collections::HashMap::<String, i64>::new();
    for point in visits {
        let id: Uuid = point["visit_id"]
            .as_str()
            .expect("id")
            .parse()
            .expect("uuid");
        assert!(counted.contains(&id), "an old visit is not today's");
        let detail = app
            .get(
                &format!("/api/visits/{id}"),
                Auth::Session(&field.supervisor),
            )
            .await;
        assert_eq!(
            point["verdict"], detail.body["verdict"],
            "{:?}",
            detail.body
        );
        assert_eq!(point["agent_name"], detail.body["agent_name"]);
        *by_verdict
            .entry(point["verdict"].as_str().expect("verdict").to_owned())
            .or_default() += 1;
    }
    for verdict in ["verified", "doubtful", "rejected"] {
        let expected = by_verdict.get(verdict).copied().unwrap_or(0);
        assert_eq!(summary[verdict], expected, "{verdict}: {summary:?}");
    }

    // A viewer reads the page, an agent gets 403, and another organization gets none of it.
    let viewer = app.login("viewer@despacho-hoy.mx").await;
    let read = app.get("/api/today", Auth::Session(&viewer)).await;
    assert_eq!(read.status, StatusCode::OK);
    let agent = app.get("/api/today", Auth::Session(&field.agent)).await;
    assert_eq!(agent.status, StatusCode::FORBIDDEN);
    let other = app.tenant("Despacho Ajeno").await;
    let outsider = app.login(&other.admin.email).await;
    let foreign = app.get("/api/today", Auth::Session(&outsider)).await;
    assert_eq!(foreign.body["summary"]["done"], 0);
    assert_eq!(foreign.body["summary"]["planned"], 0);
    assert_eq!(foreign.body["visits"], Value::Array(Vec::new()));
}
on_both_stores!(today_counts_own_visits_tests, today_counts_own_visits);
