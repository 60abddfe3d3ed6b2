//! Portfolio imports streamed in batches and run as background jobs, on both stores.

use crate::support;

use std::time::Duration;

use axum::http::StatusCode;
use ronda_store::portfolio::{AccountImport, AddressImport};
use serde_json::{Value, json};
use support::{Auth, Session, TestApp};

/// Builds a portfolio file with `rows` accounts, more than one batch of the pipeline.
fn large_file(rows: usize) -> Vec<u8> {
    let mut text = String::from("No. de crédito;Nombre del cliente;C.P.;Estado;Saldo vencido\n");
    for row in 0..rows {
        text.push_str(&format!(
            "L-{row:05};Cliente {row};{:05};Jalisco;${}.50\n",
            44100 + row % 50,
            1000 + row
        ));
    }
    text.into_bytes()
}

async fn portfolio(app: &TestApp, admin: &Session) -> String {
    let lender = app
        .post(
            "/api/lenders",
            Auth::Session(admin),
            json!({"name": "Banco Lote"}),
        )
        .await;
    let portfolio = app
        .post(
            "/api/portfolios",
            Auth::Session(admin),
            json!({"lender_id": lender.body["id"], "name": "Masiva"}),
        )
        .await;
    portfolio.body["id"].as_str().expect("id").to_owned()
}

async fn start(
    app: &TestApp,
    auth: Auth<'_>,
    portfolio_id: &str,
    dry_run: &str,
    file: &[u8],
) -> support::Response {
    let fields = [("portfolio_id", portfolio_id), ("dry_run", dry_run)];
    app.post_multipart(
        "/api/imports/jobs",
        auth,
        &fields,
        Some(("masiva.csv", file)),
    )
    .await
}

/// Polls a job until it leaves `running`, and returns its last view.
async fn wait(app: &TestApp, admin: &Session, id: &str) -> Value {
    for _ in 0..600 {
        let job = app
            .get(&format!("/api/imports/jobs/{id}"), Auth::Session(admin))
            .await;
        assert_eq!(job.status, StatusCode::OK, "{:?}", job.body);
        if job.body["state"] != "running" {
            return job.body;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("import job {id} still running after 30 s");
}

async fn total_accounts(app: &TestApp, admin: &Session) -> i64 {
    let page = app.get("/api/accounts", Auth::Session(admin)).await;
    page.body["total"].as_i64().expect("total")
}

async fn jobs_import_in_batches(app: TestApp) {
    let tenant = app.tenant("Despacho Lote").await;
    let admin = app.login(&tenant.admin.email).await;
    let portfolio_id = portfolio(&app, &admin).await;
    let mut file = large_file(2500);
    // One bad row in the middle: it is reported, the others import.
    file.extend_from_slice("L-99999;;44100;Jalisco;$5\n".as_bytes());

    let dry = start(&app, Auth::Session(&admin), &portfolio_id, "true", &file).await;
    assert_eq!(dry.status, StatusCode::ACCEPTED, "{:?}", dry.body);
    assert_eq!(dry.body["state"], "running");
    let id = dry.body["id"].as_str().expect("id").to_owned();
    let checked = wait(&app, &admin, &id).await;
    assert_eq!(checked["state"], "finished", "{checked:?}");
    assert_eq!(checked["rows_read"], 2501);
    assert_eq!(checked["report"]["dry_run"], true);
    assert_eq!(checked["report"]["created"], 2500);
    assert_eq!(checked["report"]["rejected"], 1);
    assert_eq!(checked["report"]["problems"][0]["row"], 2502);
    assert_eq!(
        total_accounts(&app, &admin).await,
        0,
        "a dry run writes nothing"
    );

    // Another organization cannot see the job.
    let other = app.tenant("Despacho Vecino").await;
    let outsider = app.login(&other.admin.email).await;
    let hidden = app
        .get(&format!("/api/imports/jobs/{id}"), Auth::Session(&outsider))
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);

    let real = start(&app, Auth::Session(&admin), &portfolio_id, "false", &file).await;
    let id = real.body["id"].as_str().expect("id").to_owned();
    let done = wait(&app, &admin, &id).await;
    assert_eq!(done["report"]["created"], 2500, "{done:?}");
    assert_eq!(total_accounts(&app, &admin).await, 2500);

    // The synchronous endpoint streams the same way: everything unchanged now.
    let fields = [
        ("portfolio_id", portfolio_id.as_str()),
        ("dry_run", "false"),
    ];
    let again = app
        .post_multipart(
            "/api/imports",
            Auth::Session(&admin),
            &fields,
            Some(("masiva.csv", &file)),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{:?}", again.body);
    assert_eq!(again.body["unchanged"], 2500);
    assert_eq!(again.body["rejected"], 1);

    // A viewer may not import.
    let viewer = app.login(&tenant.viewer.email).await;
    let refused = start(&app, Auth::Session(&viewer), &portfolio_id, "true", &file).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}
on_both_stores!(jobs_import_in_batches_tests, jobs_import_in_batches);

fn account(id: &str, postal_code: &str) -> AccountImport {
    AccountImport {
        lender_account_id: id.into(),
        product: None,
        principal_cents: None,
        overdue_cents: Some(100),
        days_past_due: None,
        currency: "MXN".into(),
        custom_fields: json!({}),
        debtor_name: format!("Cliente {id}"),
        phones: Vec::new(),
        emails: Vec::new(),
        address: AddressImport {
            street: None,
            exterior_number: None,
            interior_number: None,
            colonia: None,
            postal_code: Some(postal_code.into()),
            locality: None,
            municipality: None,
            state: None,
            between_streets: None,
            landmarks: None,
            original_text: "Sin dirección".into(),
            geocode: None,
            time_zone: None,
        },
    }
}

/// Checks that a batch failing after an earlier one was added leaves nothing behind.
async fn failed_batch_rolls_back(app: TestApp) {
    let tenant = app.tenant("Despacho Fallido").await;
    let admin = app.login(&tenant.admin.email).await;
    let portfolio_id = portfolio(&app, &admin).await;
    let store = app.test_store.store.as_ref();
    let portfolio = store
        .portfolio(tenant.org.id, portfolio_id.parse().expect("uuid"))
        .await
        .expect("read")
        .expect("portfolio");
    let mut session = store.begin_import(&portfolio).await.expect("begin");
    session
        .add(&[account("A-1", "44100"), account("A-2", "44100")])
        .await
        .expect("first batch");
    assert_eq!(session.counts().created, 2);
    // The store's check on five-digit postal codes fails the second batch.
    let failed = session.add(&[account("A-3", "123")]).await;
    assert!(failed.is_err(), "{failed:?}");
    drop(session);
    assert_eq!(total_accounts(&app, &admin).await, 0);
}
on_both_stores!(failed_batch_rolls_back_tests, failed_batch_rolls_back);
