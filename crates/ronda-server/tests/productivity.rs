//! Promise outcomes at their boundary dates, the agent productivity report from known
//! visits and tracks, and the funnel's counts, each inside one organization.

use crate::field_common;
use crate::payments::{lender_id, send};
use crate::support;

use axum::http::StatusCode;
use field_common::{
    HOME, MINUTE_MS, NOON_MS, check_in, clock_in, field, north, post_track, put_visit, visit_body,
};
use jiff::Timestamp;
use ronda_store::payment::PromiseStatus;
use serde_json::Value;
use support::{Auth, TestApp};
use uuid::Uuid;

/// Makes the field agent's two visits of 2026-07-15, 30 minutes apart, each with a promise
/// of 1500.50 by 2026-07-20, and returns how many the server verified.
async fn two_promises(app: &TestApp, north_field: &field_common::Field) -> i64 {
    let visits = [
        ("FV-1", HOME, NOON_MS),
        ("FV-2", north(HOME, 800.0), NOON_MS + 30 * MINUTE_MS),
    ];
    let mut verified = 0;
    for (account, point, at) in visits {
        let body = visit_body(
            north_field,
            north_field.account(account),
            check_in(point, at),
        );
        let stored = put_visit(app, &north_field.agent, Uuid::now_v7(), body).await;
        assert_eq!(stored.status, StatusCode::CREATED, "{:?}", stored.body);
        if stored.body["verdict"]["outcome"] == "verified" {
            verified += 1;
        }
    }
    verified
}

async fn promise_status(
    app: &TestApp,
    north_field: &field_common::Field,
    account: &str,
) -> Vec<PromiseStatus> {
    let id = north_field.account(account).id.parse().expect("uuid");
    app.test_store
        .store
        .account_promises(north_field.tenant.org.id, id)
        .await
        .expect("promises")
        .into_iter()
        .map(|promise| promise.status)
        .collect()
}

async fn promises_kept_and_broken_at_boundaries(app: TestApp) {
    let north_field = field(&app, "Despacho Norte").await;
    two_promises(&app, &north_field).await;
    let store = app.test_store.store.as_ref();
    let zone = &app.state.settings().tracking_time_zone;
    let added = ronda_server::productivity::roll_up_pending(store, zone)
        .await
        .expect("rollup");
    assert_eq!(added, 2);
    let stored = store
        .account_promises(
            north_field.tenant.org.id,
            north_field.account("FV-1").id.parse().expect("uuid"),
        )
        .await
        .expect("promises");
    assert_eq!(stored[0].created_on, "2026-07-15");
    assert_eq!(
        stored[0].due_on, "2026-07-23",
        "promised date plus 3 days of grace"
    );

    // On the last day of grace both are still pending; the day after, both are broken.
    let now = Timestamp::now();
    assert_eq!(
        store
            .evaluate_pending_promises("2026-07-23", now)
            .await
            .expect("evaluate"),
        0
    );
    assert_eq!(
        promise_status(&app, &north_field, "FV-1").await,
        [PromiseStatus::Pending]
    );
    assert_eq!(
        store
            .evaluate_pending_promises("2026-07-24", now)
            .await
            .expect("evaluate"),
        2
    );
    assert_eq!(
        promise_status(&app, &north_field, "FV-2").await,
        [PromiseStatus::Broken]
    );

    // A payment dated before the promise does not count, and one on the last day of grace
    // does. A late payments file turns the broken promise into a kept one.
    let lender = lender_id(&app, &north_field).await;
    let short = "credito,fecha,monto,referencia\n\
        FV-1,2026-07-14,500.50,ANTES\n\
        FV-1,2026-07-23,1000,P1\n\
        FV-2,2026-07-24,1500.50,TARDE\n";
    let partial = send(&app, &north_field.admin, "/api/payments", &lender, short).await;
    assert_eq!(partial.status, StatusCode::OK, "{:?}", partial.body);
    assert_eq!(partial.body["promises_changed"], 0);
    assert_eq!(
        promise_status(&app, &north_field, "FV-1").await,
        [PromiseStatus::Broken]
    );

    let rest = "credito,fecha,monto,referencia\nFV-1,2026-07-23,500.50,P2\n";
    let dry = send(
        &app,
        &north_field.admin,
        "/api/payments/preview",
        &lender,
        rest,
    )
    .await;
    assert_eq!(dry.body["promises_changed"], 1, "{:?}", dry.body);
    assert_eq!(
        promise_status(&app, &north_field, "FV-1").await,
        [PromiseStatus::Broken],
        "a dry run changes nothing"
    );
    let kept = send(&app, &north_field.admin, "/api/payments", &lender, rest).await;
    assert_eq!(kept.body["promises_changed"], 1, "{:?}", kept.body);
    assert_eq!(
        promise_status(&app, &north_field, "FV-1").await,
        [PromiseStatus::Kept]
    );
    assert_eq!(
        promise_status(&app, &north_field, "FV-2").await,
        [PromiseStatus::Broken]
    );
}
on_both_stores!(
    promises_kept_and_broken_at_boundaries_on,
    promises_kept_and_broken_at_boundaries
);

fn agent_row<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["agents"]
        .as_array()
        .expect("agents")
        .iter()
        .find(|agent| agent["agent_name"] == name)
        .unwrap_or_else(|| panic!("no agent {name}: {report}"))
}

async fn productivity_from_visits_and_track(app: TestApp) {
    let north_field = field(&app, "Despacho Norte").await;
    let south_field = field(&app, "Despacho Sur").await;
    clock_in(&app, &north_field.agent, NOON_MS - 60 * MINUTE_MS).await;
    post_track(
        &app,
        &north_field.agent,
        NOON_MS,
        &[
            (-40, north(HOME, 1200.0)),
            (-30, north(HOME, 600.0)),
            (-20, HOME),
            (-2, HOME),
            (20, north(HOME, 400.0)),
            (28, north(HOME, 800.0)),
        ],
    )
    .await;
    let verified = two_promises(&app, &north_field).await;

    let path = "/api/reports/productivity?from=2026-07-15&to=2026-07-15";
    let response = app.get(path, Auth::Session(&north_field.supervisor)).await;
    assert_eq!(response.status, StatusCode::OK, "{:?}", response.body);
    let agent_name = north_field.tenant.agent.name.as_str();
    let row = agent_row(&response.body, agent_name).clone();
    assert_eq!(row["days"], 1);
    assert_eq!(row["visits"], 2);
    assert_eq!(row["visits_per_day"], 2.0);
    assert_eq!(row["minutes_between_visits"], 30.0);
    assert_eq!(row["verified"], verified);
    assert_eq!(row["right_party"], 2);
    assert_eq!(row["contact_rate"], 1.0);
    assert_eq!(row["promises"], 2);
    assert_eq!(row["promised_cents"], 300_100);
    assert_eq!(
        row["promises_broken"], 2,
        "no payments, and 2026-07-23 has passed"
    );
    assert_eq!(row["promises_kept"], 0);

    let day_path = format!(
        "/api/tracking/agents/{}/days/2026-07-15",
        north_field.tenant.agent.id.0
    );
    let day = app
        .get(&day_path, Auth::Session(&north_field.supervisor))
        .await;
    assert_eq!(day.status, StatusCode::OK, "{:?}", day.body);
    let tracked_m = day.body["distance_m"].as_f64().expect("distance");
    assert!(
        tracked_m > 1000.0,
        "the track covers about 2 km: {tracked_m}"
    );
    let reported_km = row["distance_km"].as_f64().expect("distance");
    assert!(
        (reported_km * 1000.0 - tracked_m).abs() < 1.0,
        "report {reported_km} km, day {tracked_m} m"
    );

    let report_days = "/api/reports/productivity?from=2026-07-16&to=2026-07-20";
    let later = app
        .get(report_days, Auth::Session(&north_field.admin))
        .await;
    assert_eq!(later.body["agents"], Value::Array(vec![]), "no visits then");

    let viewer = app.login(&north_field.tenant.viewer.email).await;
    assert_eq!(
        app.get(path, Auth::Session(&viewer)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(path, Auth::Session(&north_field.agent))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let south_view = app.get(path, Auth::Session(&south_field.supervisor)).await;
    assert_eq!(
        south_view.body["agents"],
        Value::Array(vec![]),
        "south sees none of north's"
    );

    let cases = [
        ("from=2026-13-01", "from"),
        ("to=mañana", "to"),
        ("from=2026-07-20&to=2026-07-10", "from"),
        ("agent_id=abc", "agent_id"),
        ("portfolio_id=1", "portfolio_id"),
    ];
    for (query, field_name) in cases {
        let bad = app
            .get(
                &format!("/api/reports/productivity?{query}"),
                Auth::Session(&north_field.admin),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(bad.body["field"], field_name, "{query}: {:?}", bad.body);
    }
}
on_both_stores!(
    productivity_from_visits_and_track_on,
    productivity_from_visits_and_track
);

fn stage(report: &Value, name: &str) -> i64 {
    report["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .find(|stage| stage["stage"] == name)
        .and_then(|stage| stage["accounts"].as_i64())
        .unwrap_or_else(|| panic!("no stage {name}: {report}"))
}

async fn funnel_counts_accounts_per_stage(app: TestApp) {
    let north_field = field(&app, "Despacho Norte").await;
    let south_field = field(&app, "Despacho Sur").await;
    two_promises(&app, &north_field).await;
    let lender = lender_id(&app, &north_field).await;
    let paid = "credito,fecha,monto\nFV-1,2026-07-18,1500.50\nFV-3,2026-07-19,200\n";
    let import = send(&app, &north_field.admin, "/api/payments", &lender, paid).await;
    assert_eq!(import.status, StatusCode::OK, "{:?}", import.body);

    // The accounts were assigned today, so the period runs from July to today.
    let today = Timestamp::now()
        .to_zoned_datetime(app.state.settings().tracking_time_zone.clone())
        .date();
    let path = format!("/api/reports/funnel?from=2026-07-01&to={today}");
    let response = app.get(&path, Auth::Session(&north_field.supervisor)).await;
    assert_eq!(response.status, StatusCode::OK, "{:?}", response.body);
    let report = &response.body;
    assert_eq!(stage(report, "assigned"), 3, "{report}");
    assert_eq!(stage(report, "visited"), 2);
    assert_eq!(stage(report, "contacted"), 2);
    assert_eq!(stage(report, "promised"), 2);
    assert_eq!(stage(report, "paid"), 1, "FV-3 paid without a visit");
    assert_eq!(report["paid_any"], 2);
    let visited = &report["stages"][1];
    assert_eq!(visited["rate_from_previous"].as_f64(), Some(2.0 / 3.0));

    let july = "/api/reports/funnel?from=2026-07-01&to=2026-07-31";
    let before_assignment = app.get(july, Auth::Session(&north_field.supervisor)).await;
    assert_eq!(
        stage(&before_assignment.body, "assigned"),
        0,
        "assigned only today"
    );

    let portfolio_filter = format!("{path}&lender_id={}", Uuid::new_v4());
    let other_lender = app
        .get(&portfolio_filter, Auth::Session(&north_field.admin))
        .await;
    assert_eq!(stage(&other_lender.body, "assigned"), 0);

    let south = app.get(&path, Auth::Session(&south_field.supervisor)).await;
    assert_eq!(stage(&south.body, "assigned"), 3, "south's own accounts");
    assert_eq!(
        stage(&south.body, "visited"),
        0,
        "north's visits are not south's"
    );
    assert_eq!(south.body["paid_any"], 0);

    assert_eq!(
        app.get(&path, Auth::Session(&north_field.agent))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let bad = app
        .get(
            "/api/reports/funnel?lender_id=abc",
            Auth::Session(&north_field.admin),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["field"], "lender_id");
}
on_both_stores!(
    funnel_counts_accounts_per_stage_on,
    funnel_counts_accounts_per_stage
);
