//! The account page shows one account with its persons, addresses, agent and contact
//! history. Manual contact attempts follow their rules and count once in the contact-hours
//! report, and a supervisor can pin an address. Each organization reads and changes only
//! its own accounts.

use crate::field_common;
use crate::support;

use axum::http::{Method, StatusCode};
use field_common::{HOME, MINUTE_MS, NOON_MS, check_in, field, put_visit, visit_body};
use serde_json::{Value, json};
use support::{Auth, Session, TestApp};
use uuid::Uuid;

fn account_path(account: &str) -> String {
    format!("/api/accounts/{account}")
}

fn attempts_path(account: &str) -> String {
    format!("/api/accounts/{account}/contact-attempts")
}

/// Builds a phone call with the debtor at noon in Mexico City on 2026-07-15, with a promise.
fn phone_call(debtor: &str) -> Value {
    json!({
        "channel": "phone",
        "occurred_at": NOON_MS,
        "result_code": "PTP",
        "person_id": debtor,
        "promise_amount_cents": 500_000,
        "promise_date": "2026-07-20",
        "note": "Pagará en la sucursal",
    })
}

async fn debtor_id(app: &TestApp, session: &Session, account: &str) -> String {
    let page = app
        .get(&account_path(account), Auth::Session(session))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
    page.body["persons"][0]["id"]
        .as_str()
        .expect("person id")
        .to_owned()
}

/// Posts `body` and returns the status and the error's field, if any.
async fn post_attempt(
    app: &TestApp,
    session: &Session,
    account: &str,
    body: Value,
) -> (StatusCode, Option<String>) {
    let response = app
        .post(&attempts_path(account), Auth::Session(session), body)
        .await;
    let field = response.body["field"].as_str().map(str::to_owned);
    (response.status, field)
}

async fn page_shows_everything(app: TestApp) {
    let north = field(&app, "Despacho Norte").await;
    let south = field(&app, "Despacho Sur").await;
    let account = north.account("FV-1").clone();

    let page = app
        .get(&account_path(&account.id), Auth::Session(&north.supervisor))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
    let body = page.body;
    assert_eq!(body["account"]["lender_account_id"], "FV-1");
    assert_eq!(body["account"]["lender_name"], "Financiera del Valle");
    assert_eq!(body["account"]["portfolio_name"], "Julio 2026");
    assert_eq!(body["account"]["product"], "Crédito personal");
    assert_eq!(body["account"]["overdue_cents"], 1_250_000);
    assert_eq!(body["account"]["days_past_due"], 95);
    assert_eq!(body["account"]["currency"], "MXN");
    assert_eq!(body["persons"][0]["role"], "debtor");
    assert_eq!(body["persons"][0]["name"], "Titular FV-1");
    assert_eq!(body["persons"][0]["phones"], json!(["5512345678"]));
    let address = &body["addresses"][0];
    assert_eq!(address["id"], account.address_id.as_str());
    assert_eq!(address["colonia"], "Roma Norte");
    assert_eq!(address["postal_code"], "06700");
    assert_eq!(address["municipality"], "Cuauhtémoc");
    assert_eq!(address["original_text"], "Durango 100, Roma Norte (FV-1)");
    assert_eq!(address["geocode"]["source"], "file");
    assert_eq!(address["geocode"]["latitude"], HOME.0);
    assert_eq!(address["time_zone"], "America/Mexico_City");
    assert_eq!(address["verified_point"], Value::Null);
    assert_eq!(
        body["assignment"]["agent_id"],
        north.tenant.agent.id.0.to_string()
    );
    assert_eq!(body["history"], json!([]));

    // A visit and a later phone call show newest first, the visit with its id and verdict.
    let visit_id = Uuid::now_v7();
    let visit = visit_body(&north, &account, check_in(HOME, NOON_MS));
    let stored = put_visit(&app, &north.agent, visit_id, visit).await;
    assert_eq!(stored.status, StatusCode::CREATED, "{:?}", stored.body);
    let debtor = debtor_id(&app, &north.supervisor, &account.id).await;
    let mut call = phone_call(&debtor);
    call["occurred_at"] = json!(NOON_MS + 60 * MINUTE_MS);
    let (status, field) = post_attempt(&app, &north.supervisor, &account.id, call).await;
    assert_eq!(status, StatusCode::CREATED, "{field:?}");

    let viewer = app.login(&north.tenant.viewer.email).await;
    let page = app
        .get(&account_path(&account.id), Auth::Session(&viewer))
        .await;
    assert_eq!(page.status, StatusCode::OK, "a viewer reads the page");
    let history = page.body["history"].as_array().expect("history").clone();
    assert_eq!(history.len(), 2, "{history:?}");
    assert_eq!(history[0]["kind"], "contact_attempt");
    assert_eq!(history[0]["channel"], "phone");
    assert_eq!(history[0]["person_name"], "Titular FV-1");
    assert_eq!(history[0]["person_met"], "debtor");
    assert_eq!(history[0]["promise_amount_cents"], 500_000);
    assert_eq!(history[0]["note"], "Pagará en la sucursal");
    assert_eq!(history[1]["kind"], "visit");
    assert_eq!(history[1]["id"], visit_id.to_string());
    assert_eq!(history[1]["channel"], "visit");
    assert_eq!(history[1]["verdict"], "verified");
    assert_eq!(history[1]["result_code"], "PTP");

    let agent = app
        .get(&account_path(&account.id), Auth::Session(&north.agent))
        .await;
    assert_eq!(agent.status, StatusCode::FORBIDDEN);
    let other = app
        .get(&account_path(&account.id), Auth::Session(&south.supervisor))
        .await;
    assert_eq!(
        other.status,
        StatusCode::NOT_FOUND,
        "south cannot read north"
    );
    let missing = app
        .get(
            &account_path(&Uuid::new_v4().to_string()),
            Auth::Session(&north.supervisor),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let bad = app
        .get(&account_path("cuenta-1"), Auth::Session(&north.supervisor))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["field"], "id");
}

on_both_stores!(page_shows_everything_on, page_shows_everything);

async fn attempts_follow_the_rules(app: TestApp) {
    let north = field(&app, "Despacho Norte").await;
    let south = field(&app, "Despacho Sur").await;
    let account = north.account("FV-2").id.clone();
    let debtor = debtor_id(&app, &north.supervisor, &account).await;

    let viewer = app.login(&north.tenant.viewer.email).await;
    let (status, _) = post_attempt(&app, &viewer, &account, phone_call(&debtor)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "viewer");
    let (status, _) = post_attempt(&app, &north.agent, &account, phone_call(&debtor)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "agent");
    let (status, _) = post_attempt(&app, &south.supervisor, &account, phone_call(&debtor)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "south cannot write to north");

    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "third party promise",
            json!({"person_met": "third_party"}),
            "person_met",
        ),
        (
            "reference promise",
            json!({"person_id": null, "person_met": "reference"}),
            "person_met",
        ),
        (
            "promise without person",
            json!({"person_id": null}),
            "person_met",
        ),
        (
            "above overdue",
            json!({"promise_amount_cents": 1_250_001}),
            "promise_amount_cents",
        ),
        (
            "zero amount",
            json!({"promise_amount_cents": 0}),
            "promise_amount_cents",
        ),
        (
            "date without amount",
            json!({"promise_amount_cents": null}),
            "promise_amount_cents",
        ),
        (
            "amount without date",
            json!({"promise_date": null}),
            "promise_date",
        ),
        (
            "bad promise date",
            json!({"promise_date": "20/07/2026"}),
            "promise_date",
        ),
        (
            "promise before the call",
            json!({"promise_date": "2020-01-01"}),
            "promise_date",
        ),
        (
            "PTP without promise",
            json!({"promise_amount_cents": null, "promise_date": null}),
            "promise_amount_cents",
        ),
        (
            "PTP with nobody",
            json!({"person_id": null, "promise_amount_cents": null, "promise_date": null}),
            "promise_amount_cents",
        ),
        (
            "agreement with a third party",
            json!({"result_code": "AGREEMENT", "person_met": "third_party",
                   "promise_amount_cents": null, "promise_date": null}),
            "person_met",
        ),
        (
            "future",
            json!({"occurred_at": jiff::Timestamp::now().as_millisecond() + 3_600_000}),
            "occurred_at",
        ),
        (
            "before 2020",
            json!({"occurred_at": 1_546_300_800_000_i64}),
            "occurred_at",
        ),
        ("unknown channel", json!({"channel": "fax"}), "channel"),
        (
            "unknown result",
            json!({"result_code": "NOPE"}),
            "result_code",
        ),
        (
            "unknown person",
            json!({"person_id": Uuid::new_v4()}),
            "person_id",
        ),
        (
            "bad person met",
            json!({"person_met": "vecino"}),
            "person_met",
        ),
        ("unknown field", json!({"monto": 5}), "monto"),
    ];
    for (case, change, expected_field) in cases {
        let mut body = phone_call(&debtor);
        for (key, value) in change.as_object().expect("object") {
            body[key] = value.clone();
        }
        let (status, field) = post_attempt(&app, &north.supervisor, &account, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{case}");
        assert_eq!(field.as_deref(), Some(expected_field), "{case}");
    }

    let spanish = app
        .post(
            &attempts_path(&account),
            Auth::Session(&north.supervisor),
            {
                let mut body = phone_call(&debtor);
                body["person_met"] = json!("third_party");
                body
            },
        )
        .await;
    let message = spanish.body["message"].as_str().unwrap_or_default();
    assert!(message.contains("titular o un aval"), "{message}");

    // A guarantor may promise, and an attempt without a promise needs no person at all.
    let mut guarantor = phone_call(&debtor);
    guarantor["person_met"] = json!("guarantor");
    let (status, field) = post_attempt(&app, &north.supervisor, &account, guarantor).await;
    assert_eq!(status, StatusCode::CREATED, "{field:?}");
    let no_promise = json!({
        "channel": "whatsapp",
        "occurred_at": NOON_MS,
        "result_code": "MESSAGE_LEFT",
    });
    let (status, field) = post_attempt(&app, &north.admin, &account, no_promise).await;
    assert_eq!(status, StatusCode::CREATED, "{field:?}");

    let page = app
        .get(&account_path(&account), Auth::Session(&north.supervisor))
        .await;
    assert_eq!(page.body["history"].as_array().map(Vec::len), Some(2));
    let south_page = app
        .get(&account_path(&account), Auth::Session(&south.supervisor))
        .await;
    assert_eq!(south_page.status, StatusCode::NOT_FOUND);

    let store = app.test_store.store.as_ref();
    let audit = store
        .audit_entries(north.tenant.org.id, None, 50)
        .await
        .expect("audit");
    let recorded = audit
        .iter()
        .filter(|entry| entry.action == "account.contact_attempt_recorded")
        .count();
    assert_eq!(recorded, 2, "one audit entry per stored attempt");
}

on_both_stores!(attempts_follow_the_rules_on, attempts_follow_the_rules);

async fn attempt_counts_once_in_report(app: TestApp) {
    let north = field(&app, "Despacho Norte").await;
    let south = field(&app, "Despacho Sur").await;
    let account = north.account("FV-1").id.clone();
    let debtor = debtor_id(&app, &north.supervisor, &account).await;
    let (status, field) =
        post_attempt(&app, &north.supervisor, &account, phone_call(&debtor)).await;
    assert_eq!(status, StatusCode::CREATED, "{field:?}");

    let path = "/api/reports/contact-hours?from=2026-07-15&to=2026-07-15";
    for read in 0..2 {
        let report = app.get(path, Auth::Session(&north.supervisor)).await;
        assert_eq!(report.status, StatusCode::OK, "{:?}", report.body);
        assert_eq!(report.body["attempts"], 1, "read {read}: {}", report.body);
        let cells = report.body["cells"].as_array().expect("cells");
        assert_eq!(cells.len(), 1, "{cells:?}");
        assert_eq!(cells[0]["weekday"], 3, "a Wednesday");
        assert_eq!(cells[0]["hour"], 12, "noon in Mexico City");
        assert_eq!(cells[0]["promised_cents"], 500_000);
    }
    // The worker's own pass finds nothing left to add.
    let zone = jiff::tz::TimeZone::UTC;
    let added = ronda_server::reports::roll_up_pending(app.test_store.store.as_ref(), &zone)
        .await
        .expect("rollup");
    assert_eq!(added, 0);

    let phone = app
        .get(
            &format!("{path}&channel=phone"),
            Auth::Session(&north.supervisor),
        )
        .await;
    assert_eq!(phone.body["attempts"], 1, "{}", phone.body);
    let visits = app
        .get(
            &format!("{path}&channel=visit"),
            Auth::Session(&north.supervisor),
        )
        .await;
    assert_eq!(visits.body["attempts"], 0, "{}", visits.body);
    let bad = app
        .get(
            &format!("{path}&channel=fax"),
            Auth::Session(&north.supervisor),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["field"], "channel");
    let south_report = app.get(path, Auth::Session(&south.supervisor)).await;
    assert_eq!(
        south_report.body["attempts"], 0,
        "south sees none of north's attempts"
    );
}

on_both_stores!(
    attempt_counts_once_in_report_on,
    attempt_counts_once_in_report
);

async fn supervisor_pins_address(app: TestApp) {
    let north = field(&app, "Despacho Norte").await;
    let south = field(&app, "Despacho Sur").await;
    let account = north.account("FV-3").clone();
    let other_account = north.account("FV-1").clone();
    let path = format!(
        "/api/accounts/{}/addresses/{}/point",
        account.id, account.address_id
    );
    let point = json!({"latitude": 19.4201, "longitude": -99.1625});
    let put = |session: &Session, path: String, body: Value| {
        let session = session.clone();
        let app = &app;
        async move {
            app.request(Method::PUT, &path, Auth::Session(&session), Some(body))
                .await
        }
    };

    let viewer = app.login(&north.tenant.viewer.email).await;
    assert_eq!(
        put(&viewer, path.clone(), point.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        put(&south.supervisor, path.clone(), point.clone())
            .await
            .status,
        StatusCode::NOT_FOUND,
        "south cannot pin north's address"
    );
    let wrong_account = format!(
        "/api/accounts/{}/addresses/{}/point",
        other_account.id, account.address_id
    );
    assert_eq!(
        put(&north.supervisor, wrong_account, point.clone())
            .await
            .status,
        StatusCode::NOT_FOUND,
        "the address must belong to the account"
    );
    let swapped = put(
        &north.supervisor,
        path.clone(),
        json!({"latitude": -99.1625, "longitude": 19.4201}),
    )
    .await;
    assert_eq!(swapped.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(swapped.body["field"], "latitude");

    let pinned = put(&north.supervisor, path.clone(), point.clone()).await;
    assert_eq!(pinned.status, StatusCode::OK, "{:?}", pinned.body);
    assert_eq!(pinned.body["verified_point"], point);
    assert_eq!(pinned.body["verified_source"], "supervisor");
    assert_eq!(pinned.body["needs_pin"], false);

    let page = app
        .get(&account_path(&account.id), Auth::Session(&north.supervisor))
        .await;
    assert_eq!(page.body["addresses"][0]["verified_source"], "supervisor");
    let store = app.test_store.store.as_ref();
    let audit = store
        .audit_entries(north.tenant.org.id, None, 50)
        .await
        .expect("audit");
    let entry = audit
        .iter()
        .find(|entry| entry.action == "address.point_verified")
        .expect("audit entry");
    assert_eq!(
        entry.target_id.as_deref(),
        Some(account.address_id.as_str())
    );
}

on_both_stores!(supervisor_pins_address_on, supervisor_pins_address);
