//! Promises to pay made in hand-recorded contacts are judged by imported payments like
//! those of field visits. They are kept once payments cover them and broken after their due
//! date, and they are listed with their channel, counted in the funnel, and judged only by
//! their own organization's payments.

use crate::field_common;
use crate::payments::{lender_id, send};
use crate::support;

use axum::http::StatusCode;
use field_common::{Field, HOME, NOON_MS, check_in, field, put_visit, visit_body};
use jiff::{SignedDuration, Timestamp, ToSpan};
use ronda_store::payment::{PromiseOutcome, PromiseStatus};
use serde_json::{Value, json};
use support::{Auth, TestApp};
use uuid::Uuid;

/// Records, as the supervisor, a phone call at `occurred_at` (Unix milliseconds) in which
/// the debtor promised 5000 pesos by `promise_date`. Returns the stored history entry.
async fn phone_promise_at(
    app: &TestApp,
    field: &Field,
    account: &str,
    occurred_at: i64,
    promise_date: &str,
) -> Value {
    let id = &field.account(account).id;
    let page = app
        .get(
            &format!("/api/accounts/{id}"),
            Auth::Session(&field.supervisor),
        )
        .await;
    let debtor = page.body["persons"][0]["id"].clone();
    let call = json!({
        "channel": "phone",
        "occurred_at": occurred_at,
        "result_code": "PTP",
        "person_id": debtor,
        "promise_amount_cents": 500_000,
        "promise_date": promise_date,
    });
    let response = app
        .post(
            &format!("/api/accounts/{id}/contact-attempts"),
            Auth::Session(&field.supervisor),
            call,
        )
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{:?}", response.body);
    response.body
}

/// Records a phone call at noon in Mexico City on 2026-07-15 with a promise by 2026-07-20.
async fn phone_promise(app: &TestApp, field: &Field, account: &str) -> Value {
    phone_promise_at(app, field, account, NOON_MS, "2026-07-20").await
}

async fn promises(app: &TestApp, field: &Field, account: &str) -> Vec<PromiseOutcome> {
    let id = field.account(account).id.parse().expect("uuid");
    app.test_store
        .store
        .account_promises(field.tenant.org.id, id)
        .await
        .expect("promises")
}

async fn statuses(app: &TestApp, field: &Field, account: &str) -> Vec<PromiseStatus> {
    promises(app, field, account)
        .await
        .into_iter()
        .map(|promise| promise.status)
        .collect()
}

async fn phone_promise_kept_by_payments(app: TestApp) {
    let north = field(&app, "Despacho Norte").await;
    // Imports judge promises as of today, so this promise is made a minute ago and is due
    // next week. FV-1's address and the server's tracking zone are both Mexico City's.
    let made_at = Timestamp::now() - SignedDuration::from_mins(1);
    let zone = app.state.settings().tracking_time_zone.clone();
    let made_on = made_at.to_zoned_datetime(zone).date();
    let promise_date = made_on + 7.days();
    let due_on = made_on + 10.days();
    let entry = phone_promise_at(
        &app,
        &north,
        "FV-1",
        made_at.as_millisecond(),
        &promise_date.to_string(),
    )
    .await;
    let outcome = &entry["promise_outcome"];
    assert_eq!(outcome["source"], "phone", "{entry}");
    assert_eq!(outcome["status"], "pending");
    assert_eq!(outcome["created_on"], made_on.to_string());
    assert_eq!(outcome["due_on"], due_on.to_string(), "3 days of grace");

    let stored = promises(&app, &north, "FV-1").await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].source, "phone");
    assert_eq!(stored[0].visit_id, None);
    assert_eq!(
        stored[0].contact_attempt_id.map(|id| id.to_string()),
        entry["id"].as_str().map(str::to_owned)
    );
    assert_eq!(
        stored[0].agent_id, north.tenant.supervisor.id,
        "credited to the supervisor who recorded it"
    );

    // A partial payment leaves the promise pending.
    let lender = lender_id(&app, &north).await;
    let partial = format!("credito,fecha,monto,referencia\nFV-1,{made_on},2000,P1\n");
    let first = send(&app, &north.admin, "/api/payments", &lender, &partial).await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    assert_eq!(first.body["promises_changed"], 0);
    let stored = promises(&app, &north, "FV-1").await;
    assert_eq!(stored[0].status, PromiseStatus::Pending);
    assert_eq!(stored[0].paid_cents, 200_000);

    // The rest, paid the same day, keeps it.
    let rest = format!("credito,fecha,monto,referencia\nFV-1,{made_on},3000,P2\n");
    let second = send(&app, &north.supervisor, "/api/payments", &lender, &rest).await;
    assert_eq!(second.body["promises_changed"], 1, "{:?}", second.body);
    assert_eq!(statuses(&app, &north, "FV-1").await, [PromiseStatus::Kept]);

    // Importing the same payments again changes nothing.
    for file in [&partial, &rest] {
        let again = send(&app, &north.admin, "/api/payments", &lender, file).await;
        assert_eq!(again.body["created"], 0, "{:?}", again.body);
        assert_eq!(again.body["duplicates"], 1);
        assert_eq!(again.body["promises_changed"], 0);
    }
    let stored = promises(&app, &north, "FV-1").await;
    assert_eq!(stored[0].status, PromiseStatus::Kept);
    assert_eq!(stored[0].paid_cents, 500_000);

    // The account page shows the outcome on the phone call.
    let id = &north.account("FV-1").id;
    let page = app
        .get(
            &format!("/api/accounts/{id}"),
            Auth::Session(&north.supervisor),
        )
        .await;
    let history = &page.body["history"][0];
    assert_eq!(history["channel"], "phone", "{history}");
    assert_eq!(history["promise_outcome"]["status"], "kept");
    assert_eq!(history["promise_outcome"]["paid_cents"], 500_000);
}
on_both_stores!(
    phone_promise_kept_by_payments_on,
    phone_promise_kept_by_payments
);

async fn openapi_describes_promise_outcome(app: TestApp) {
    let document = app.get("/api/openapi.json", Auth::None).await;
    assert_eq!(document.status, StatusCode::OK);
    let schemas = &document.body["components"]["schemas"];
    let outcome = &schemas["PromiseOutcomeView"]["properties"];
    for property in ["source", "status", "due_on", "paid_cents"] {
        assert!(outcome[property].is_object(), "{property}: {outcome}");
    }
    let entry = &schemas["HistoryEntryView"]["properties"];
    assert!(entry["promise_outcome"].is_object(), "{entry}");
}
on_both_stores!(
    openapi_describes_promise_outcome_on,
    openapi_describes_promise_outcome
);

async fn phone_promise_broken_after_due_date(app: TestApp) {
    let north = field(&app, "Despacho Norte").await;
    phone_promise(&app, &north, "FV-2").await;
    let store = app.test_store.store.as_ref();
    let now = Timestamp::now();
    let on_due_date = store
        .evaluate_pending_promises("2026-07-23", now)
        .await
        .expect("evaluate");
    assert_eq!(on_due_date, 0);
    assert_eq!(
        statuses(&app, &north, "FV-2").await,
        [PromiseStatus::Pending]
    );
    let after = store
        .evaluate_pending_promises("2026-07-24", now)
        .await
        .expect("evaluate");
    assert_eq!(after, 1);
    assert_eq!(
        statuses(&app, &north, "FV-2").await,
        [PromiseStatus::Broken]
    );

    // The productivity report counts field visits only: the supervisor's phone promise adds
    // no row, and the report still returns 200.
    let path = "/api/reports/productivity?from=2026-07-15&to=2026-07-15";
    let report = app.get(path, Auth::Session(&north.admin)).await;
    assert_eq!(report.status, StatusCode::OK, "{:?}", report.body);
    assert_eq!(report.body["agents"], json!([]), "{:?}", report.body);
}
on_both_stores!(
    phone_promise_broken_after_due_date_on,
    phone_promise_broken_after_due_date
);

async fn payments_stay_in_their_organization(app: TestApp) {
    let north = field(&app, "Despacho Norte").await;
    let south = field(&app, "Despacho Sur").await;
    phone_promise(&app, &south, "FV-1").await;

    // North's file pays north's FV-1 in full; south's FV-1 has the same lender account id.
    let lender = lender_id(&app, &north).await;
    let paid = "credito,fecha,monto\nFV-1,2026-07-18,5000\n";
    let import = send(&app, &north.admin, "/api/payments", &lender, paid).await;
    assert_eq!(import.status, StatusCode::OK, "{:?}", import.body);
    assert_eq!(import.body["promises_changed"], 0, "{:?}", import.body);
    assert_eq!(
        statuses(&app, &south, "FV-1").await,
        [PromiseStatus::Pending]
    );

    // North cannot read south's promise through its own organization.
    let south_account: Uuid = south.account("FV-1").id.parse().expect("uuid");
    let foreign = app
        .test_store
        .store
        .account_promises(north.tenant.org.id, south_account)
        .await
        .expect("promises");
    assert!(foreign.is_empty(), "{foreign:?}");

    let south_lender = lender_id(&app, &south).await;
    let own = send(&app, &south.admin, "/api/payments", &south_lender, paid).await;
    assert_eq!(own.body["promises_changed"], 1, "{:?}", own.body);
    assert_eq!(statuses(&app, &south, "FV-1").await, [PromiseStatus::Kept]);
}
on_both_stores!(
    payments_stay_in_their_organization_on,
    payments_stay_in_their_organization
);

async fn funnel_counts_phone_promises(app: TestApp) {
    let north = field(&app, "Despacho Norte").await;
    // A visit that reached the debtor, who refused: visited and contacted, not promised.
    let account = north.account("FV-1").clone();
    let mut visit = visit_body(&north, &account, check_in(HOME, NOON_MS));
    visit["answers"] = json!({
        "person_met": "debtor",
        "disclosure_ack": "OK",
        "result_code": "REFUSED",
        "refusal_reason": "Dice que no reconoce el adeudo.",
        "notes": "No quiere pagar."
    });
    let stored = put_visit(&app, &north.agent, Uuid::now_v7(), visit).await;
    assert_eq!(stored.status, StatusCode::CREATED, "{:?}", stored.body);

    let today = Timestamp::now()
        .to_zoned_datetime(app.state.settings().tracking_time_zone.clone())
        .date();
    let path = format!("/api/reports/funnel?from=2026-07-01&to={today}");
    let stage = |report: &Value, name: &str| {
        report["stages"]
            .as_array()
            .expect("stages")
            .iter()
            .find(|stage| stage["stage"] == name)
            .and_then(|stage| stage["accounts"].as_i64())
            .unwrap_or_else(|| panic!("no stage {name}: {report}"))
    };
    let before = app.get(&path, Auth::Session(&north.supervisor)).await;
    assert_eq!(stage(&before.body, "contacted"), 1, "{:?}", before.body);
    assert_eq!(stage(&before.body, "promised"), 0);

    // A later phone call with a promise moves the account to the promised stage.
    phone_promise(&app, &north, "FV-1").await;
    let after = app.get(&path, Auth::Session(&north.supervisor)).await;
    assert_eq!(stage(&after.body, "promised"), 1, "{:?}", after.body);
}
on_both_stores!(
    funnel_counts_phone_promises_on,
    funnel_counts_phone_promises
);
