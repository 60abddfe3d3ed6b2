//! The organization's list of promises to pay across accounts: each filter gives exactly
//! its rows, pages do not overlap, bad parameters get 422 naming them, agents get 403, and
//! one organization never reads another's promises.

use crate::field_common;
use crate::payments::{lender_id, send};
use crate::support;

use axum::http::StatusCode;
use field_common::{Field, HOME, NOON_MS, check_in, field, put_visit, visit_body};
use jiff::{SignedDuration, Timestamp, ToSpan};
use serde_json::{Value, json};
use support::{Auth, Session, TestApp};
use uuid::Uuid;

/// Records, as the supervisor, a contact on `channel` at `occurred_at` (Unix milliseconds)
/// in which the debtor promised 5000 pesos by `promise_date`.
async fn contact_promise(
    app: &TestApp,
    field: &Field,
    account: &str,
    channel: &str,
    occurred_at: i64,
    promise_date: &str,
) {
    let id = &field.account(account).id;
    let page = app
        .get(
            &format!("/api/accounts/{id}"),
            Auth::Session(&field.supervisor),
        )
        .await;
    let contact = json!({
        "channel": channel,
        "occurred_at": occurred_at,
        "result_code": "PTP",
        "person_id": page.body["persons"][0]["id"].clone(),
        "promise_amount_cents": 500_000,
        "promise_date": promise_date,
    });
    let path = format!("/api/accounts/{id}/contact-attempts");
    let response = app
        .post(&path, Auth::Session(&field.supervisor), contact)
        .await;
    assert_eq!(response.status, StatusCode::CREATED, "{:?}", response.body);
}

/// Due dates of the three promises `seed` makes: FV-3's is next week.
struct Seeded {
    future_due: String,
}

/// North gets three promises: a broken field visit on FV-1 (due 2026-07-23), a kept phone
/// promise on FV-2 (due 2026-07-28) and a pending WhatsApp promise on FV-3, made a minute
/// ago and due in ten days. The payments import judges them as of today.
async fn seed(app: &TestApp, north: &Field) -> Seeded {
    let account = north.account("FV-1").clone();
    let visit = visit_body(north, &account, check_in(HOME, NOON_MS));
    let stored = put_visit(app, &north.agent, Uuid::now_v7(), visit).await;
    assert_eq!(stored.status, StatusCode::CREATED, "{:?}", stored.body);
    let zone = app.state.settings().tracking_time_zone.clone();
    let store = app.test_store.store.as_ref();
    ronda_server::productivity::roll_up_pending(store, &zone)
        .await
        .expect("rollup");

    contact_promise(app, north, "FV-2", "phone", NOON_MS, "2026-07-25").await;
    let made_at = Timestamp::now() - SignedDuration::from_mins(1);
    let made_on = made_at.to_zoned_datetime(zone).date();
    let promised = (made_on + 7.days()).to_string();
    let ms = made_at.as_millisecond();
    contact_promise(app, north, "FV-3", "whatsapp", ms, &promised).await;

    let lender = lender_id(app, north).await;
    let paid = "credito,fecha,monto\nFV-2,2026-07-20,5000\n";
    let import = send(app, &north.admin, "/api/payments", &lender, paid).await;
    assert_eq!(import.status, StatusCode::OK, "{:?}", import.body);
    Seeded {
        future_due: (made_on + 10.days()).to_string(),
    }
}

async fn list(app: &TestApp, session: &Session, query: &str) -> support::Response {
    app.get(&format!("/api/promises?{query}"), Auth::Session(session))
        .await
}

/// Returns the lender account ids of a successful list, in order.
async fn accounts(app: &TestApp, session: &Session, query: &str) -> Vec<String> {
    let response = list(app, session, query).await;
    assert_eq!(
        response.status,
        StatusCode::OK,
        "{query}: {:?}",
        response.body
    );
    rows(&response.body)
        .iter()
        .map(|row| row["lender_account_id"].as_str().expect("id").to_owned())
        .collect()
}

fn rows(body: &Value) -> &Vec<Value> {
    body["promises"].as_array().expect("promises")
}

async fn filters_give_exact_rows(app: TestApp) {
    let north = field(&app, "Despacho Norte").await;
    let seeded = seed(&app, &north).await;
    let sup = &north.supervisor;

    let all = list(&app, sup, "").await;
    assert_eq!(all.status, StatusCode::OK, "{:?}", all.body);
    assert_eq!(all.body["next_offset"], Value::Null);
    let phone = &rows(&all.body)[1];
    assert_eq!(phone["lender_account_id"], "FV-2", "{:?}", all.body);
    assert_eq!(phone["account_id"], north.account("FV-2").id.as_str());
    assert_eq!(phone["source"], "phone");
    assert_eq!(phone["status"], "kept");
    assert_eq!(phone["amount_cents"], 500_000);
    assert_eq!(phone["paid_cents"], 500_000);
    assert_eq!(phone["promised_on"], "2026-07-25");
    assert_eq!(phone["due_on"], "2026-07-28");
    assert_eq!(phone["lender_name"], "Financiera del Valle");
    assert_eq!(phone["agent_id"], north.tenant.supervisor.id.0.to_string());
    assert_eq!(phone["agent_name"], north.tenant.supervisor.name.as_str());
    assert!(
        phone["debtor_name"]
            .as_str()
            .is_some_and(|name| !name.is_empty())
    );
    assert!(phone["contact_attempt_id"].is_string());
    assert_eq!(phone["visit_id"], Value::Null);
    let visit = &rows(&all.body)[2];
    assert_eq!(visit["source"], "visit");
    assert_eq!(visit["amount_cents"], 150_050);
    assert_eq!(rows(&all.body)[0]["due_on"], seeded.future_due.as_str());

    let portfolio = phone["portfolio_id"]
        .as_str()
        .expect("portfolio")
        .to_owned();
    let lender = lender_id(&app, &north).await;
    let agent = north.tenant.agent.id.0;
    let week = "from=2026-07-24&to=2026-07-31".to_owned();
    let cases: Vec<(String, Vec<&str>)> = vec![
        (String::new(), vec!["FV-3", "FV-2", "FV-1"]),
        ("status=pending".into(), vec!["FV-3"]),
        ("status=kept".into(), vec!["FV-2"]),
        ("status=broken".into(), vec!["FV-1"]),
        ("source=visit".into(), vec!["FV-1"]),
        ("source=phone".into(), vec!["FV-2"]),
        ("source=whatsapp".into(), vec!["FV-3"]),
        ("source=email".into(), vec![]),
        (format!("agent_id={agent}"), vec!["FV-1"]),
        (format!("lender_id={lender}"), vec!["FV-3", "FV-2", "FV-1"]),
        (format!("lender_id={}", Uuid::now_v7()), vec![]),
        (
            format!("portfolio_id={portfolio}"),
            vec!["FV-3", "FV-2", "FV-1"],
        ),
        (format!("portfolio_id={}", Uuid::now_v7()), vec![]),
        (week.clone(), vec!["FV-2"]),
        ("from=2026-07-23&to=2026-07-23".into(), vec!["FV-1"]),
        ("to=2026-07-28".into(), vec!["FV-2", "FV-1"]),
        (format!("{week}&status=broken"), vec![]),
        ("status=&source=&from=".into(), vec!["FV-3", "FV-2", "FV-1"]),
    ];
    for (query, expected) in cases {
        assert_eq!(accounts(&app, sup, &query).await, expected, "{query}");
    }
}
on_both_stores!(filters_give_exact_rows_on, filters_give_exact_rows);

async fn pages_do_not_overlap(app: TestApp) {
    let north = field(&app, "Despacho Norte").await;
    seed(&app, &north).await;
    let first = list(&app, &north.supervisor, "limit=2").await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    assert_eq!(rows(&first.body).len(), 2);
    assert_eq!(first.body["next_offset"], 2);
    let second = accounts(&app, &north.supervisor, "limit=2&offset=2").await;
    assert_eq!(second, ["FV-1"]);
    let last = list(&app, &north.supervisor, "limit=2&offset=2").await;
    assert_eq!(last.body["next_offset"], Value::Null);
    let exact = list(&app, &north.supervisor, "limit=3").await;
    assert_eq!(exact.body["next_offset"], Value::Null, "{:?}", exact.body);
    let past = accounts(&app, &north.supervisor, "offset=10").await;
    assert!(past.is_empty());
}
on_both_stores!(pages_do_not_overlap_on, pages_do_not_overlap);

async fn bad_parameters_get_422(app: TestApp) {
    let north = field(&app, "Despacho Norte").await;
    let cases = [
        ("status=late", "status", "pending, kept, broken"),
        ("source=fax", "source", "visit, phone, email, sms, whatsapp"),
        ("lender_id=1", "lender_id", "UUID"),
        ("portfolio_id=x", "portfolio_id", "UUID"),
        ("agent_id=beto", "agent_id", "UUID"),
        ("from=2026-13-01", "from", "AAAA-MM-DD"),
        ("to=ayer", "to", "AAAA-MM-DD"),
        ("from=2026-07-10&to=2026-07-01", "to", "anterior"),
        ("limit=0", "limit", "1 a 500"),
        ("limit=501", "limit", "1 a 500"),
        ("offset=-1", "offset", "número entero"),
    ];
    for (query, parameter, hint) in cases {
        let response = list(&app, &north.supervisor, query).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(response.body["code"], "invalid_input", "{query}");
        assert_eq!(response.body["field"], parameter, "{query}");
        let message = response.body["message"].as_str().expect("message");
        assert!(message.contains(hint), "{query}: {message}");
    }
}
on_both_stores!(bad_parameters_get_422_on, bad_parameters_get_422);

async fn agents_get_403_and_readers_200(app: TestApp) {
    let north = field(&app, "Despacho Norte").await;
    let agent = list(&app, &north.agent, "").await;
    assert_eq!(agent.status, StatusCode::FORBIDDEN, "{:?}", agent.body);
    let viewer = app.login(&north.tenant.viewer.email).await;
    for session in [&viewer, &north.admin, &north.supervisor] {
        let response = list(&app, session, "").await;
        assert_eq!(response.status, StatusCode::OK, "{:?}", response.body);
    }
    let anonymous = app.get("/api/promises", Auth::None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}
on_both_stores!(
    agents_get_403_and_readers_200_on,
    agents_get_403_and_readers_200
);

async fn organizations_see_only_their_promises(app: TestApp) {
    let north = field(&app, "Despacho Norte").await;
    let south = field(&app, "Despacho Sur").await;
    seed(&app, &north).await;
    contact_promise(&app, &south, "FV-1", "phone", NOON_MS, "2026-07-20").await;

    let south_rows = list(&app, &south.supervisor, "").await;
    let south_rows = rows(&south_rows.body).clone();
    assert_eq!(south_rows.len(), 1, "{south_rows:?}");
    assert_eq!(
        south_rows[0]["account_id"],
        south.account("FV-1").id.as_str()
    );

    let north_rows = list(&app, &north.supervisor, "").await;
    let ids: Vec<&str> = rows(&north_rows.body)
        .iter()
        .map(|row| row["account_id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids.len(), 3);
    assert!(!ids.contains(&south.account("FV-1").id.as_str()), "{ids:?}");

    // Filtering by the other organization's lender or agent finds nothing.
    let south_lender = lender_id(&app, &south).await;
    let foreign = accounts(
        &app,
        &north.supervisor,
        &format!("lender_id={south_lender}"),
    )
    .await;
    assert!(foreign.is_empty(), "{foreign:?}");
    let south_sup = south.tenant.supervisor.id.0;
    let foreign = accounts(&app, &north.admin, &format!("agent_id={south_sup}")).await;
    assert!(foreign.is_empty(), "{foreign:?}");
}
on_both_stores!(
    organizations_see_only_their_promises_on,
    organizations_see_only_their_promises
);
