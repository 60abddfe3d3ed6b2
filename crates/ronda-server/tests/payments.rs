//! Payments imports: a dry run lists every row's problems, an import stores all rows or
//! none, importing the same file twice stores each payment once, and only admins and
//! supervisors of the lender's organization may import.

use crate::field_common;
use crate::support;

use axum::http::StatusCode;
use field_common::field;
use serde_json::Value;
use support::{Auth, Response, Session, TestApp};

const FAULTY: &str = "Crédito,Fecha de pago,Monto,Referencia\n\
    FV-1,2026-07-16,\"$1,000.00\",A1\n\
    FV-9,2026-07-16,500,A2\n\
    FV-2,31/02/2026,500,A3\n\
    FV-2,17/07/2026,-5,A4\n\
    FV-1,2026-07-16,1000,A1\n";

const CLEAN: &str = "credito;fecha;importe\n\
    FV-1;16/07/2026;1000\n\
    FV-2;2026-07-17;250.50\n";

pub async fn lender_id(app: &TestApp, north: &field_common::Field) -> String {
    let store = app.test_store.store.as_ref();
    let lenders = store.lenders(north.tenant.org.id).await.expect("lenders");
    lenders.first().expect("lender").id.to_string()
}

pub async fn send(
    app: &TestApp,
    session: &Session,
    path: &str,
    lender: &str,
    csv: &str,
) -> Response {
    app.post_multipart(
        path,
        Auth::Session(session),
        &[("lender_id", lender)],
        Some(("pagos.csv", csv.as_bytes())),
    )
    .await
}

fn problem(report: &Value, row: i64) -> &Value {
    report["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .find(|problem| problem["row"] == row)
        .unwrap_or_else(|| panic!("no problem on row {row}: {report}"))
}

async fn dry_run_lists_row_problems(app: TestApp) {
    let north = field(&app, "Despacho Norte").await;
    let lender = lender_id(&app, &north).await;

    let preview = send(&app, &north.admin, "/api/payments/preview", &lender, FAULTY).await;
    assert_eq!(preview.status, StatusCode::OK, "{:?}", preview.body);
    let report = &preview.body;
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["rows_read"], 5);
    assert_eq!(report["valid_rows"], 1);
    assert_eq!(report["created"], 1, "{report}");
    assert_eq!(report["rejected"], 4);
    let expected = [
        (3, "Crédito", "FV-9", "unknown_account"),
        (4, "Fecha de pago", "31/02/2026", "invalid_date"),
        (5, "Monto", "-5", "negative_amount"),
        (6, "Crédito", "FV-1", "duplicate_row"),
    ];
    for (row, column, value, code) in expected {
        let found = problem(report, row);
        assert_eq!(found["column"], column, "{found}");
        assert_eq!(found["value"], value, "{found}");
        assert_eq!(found["code"], code, "{found}");
        assert!(!found["fix"].as_str().expect("fix").is_empty(), "{found}");
    }
    assert!(
        problem(report, 3)["message"]
            .as_str()
            .expect("message")
            .contains("no existe"),
        "Spanish by default: {report}"
    );

    // The import rejects the whole file, so the one valid row is not stored either.
    let rejected = send(&app, &north.admin, "/api/payments", &lender, FAULTY).await;
    assert_eq!(rejected.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(rejected.body["committed"], false);
    assert_eq!(rejected.body["problems"].as_array().map(Vec::len), Some(4));
    let after = send(&app, &north.admin, "/api/payments/preview", &lender, FAULTY).await;
    assert_eq!(
        after.body["created"], 1,
        "nothing was stored: {:?}",
        after.body
    );
    assert_eq!(after.body["duplicates"], 0);
}
on_both_stores!(dry_run_lists_row_problems_on, dry_run_lists_row_problems);

async fn reimport_stores_each_payment_once(app: TestApp) {
    let north = field(&app, "Despacho Norte").await;
    let lender = lender_id(&app, &north).await;

    let first = send(&app, &north.supervisor, "/api/payments", &lender, CLEAN).await;
    assert_eq!(first.status, StatusCode::OK, "{:?}", first.body);
    assert_eq!(first.body["committed"], true);
    assert_eq!(first.body["created"], 2);
    assert_eq!(first.body["duplicates"], 0);

    let again = send(&app, &north.admin, "/api/payments", &lender, CLEAN).await;
    assert_eq!(again.status, StatusCode::OK, "{:?}", again.body);
    assert_eq!(again.body["created"], 0);
    assert_eq!(again.body["duplicates"], 2);

    let store = app.test_store.store.as_ref();
    let entries = store
        .audit_entries(north.tenant.org.id, None, 50)
        .await
        .expect("audit");
    let imports = entries
        .iter()
        .filter(|entry| entry.action == "payments.imported")
        .count();
    assert_eq!(imports, 2, "one entry per committed import");
}
on_both_stores!(
    reimport_stores_each_payment_once_on,
    reimport_stores_each_payment_once
);

async fn payments_guarded_by_role_and_organization(app: TestApp) {
    let north = field(&app, "Despacho Norte").await;
    let south = field(&app, "Despacho Sur").await;
    let lender = lender_id(&app, &north).await;

    let agent = send(&app, &north.agent, "/api/payments/preview", &lender, CLEAN).await;
    assert_eq!(agent.status, StatusCode::FORBIDDEN);
    let viewer = app.login(&north.tenant.viewer.email).await;
    let viewer_import = send(&app, &viewer, "/api/payments", &lender, CLEAN).await;
    assert_eq!(viewer_import.status, StatusCode::FORBIDDEN);

    let foreign = send(&app, &south.admin, "/api/payments", &lender, CLEAN).await;
    assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(foreign.body["field"], "lender_id", "{:?}", foreign.body);

    // South's own lender has accounts FV-1 and FV-2 too, but not north's.
    let south_lender = lender_id(&app, &south).await;
    let own = send(&app, &south.admin, "/api/payments", &south_lender, CLEAN).await;
    assert_eq!(own.status, StatusCode::OK, "{:?}", own.body);
    let north_again = send(&app, &north.admin, "/api/payments/preview", &lender, CLEAN).await;
    assert_eq!(
        north_again.body["created"], 2,
        "south's import is not north's"
    );

    let missing = app
        .post_multipart(
            "/api/payments/preview",
            Auth::Session(&north.admin),
            &[],
            Some(("pagos.csv", CLEAN.as_bytes())),
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.body["field"], "lender_id");

    let no_amount = "credito,fecha\nFV-1,2026-07-16\n";
    let column = send(
        &app,
        &north.admin,
        "/api/payments/preview",
        &lender,
        no_amount,
    )
    .await;
    assert_eq!(column.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(column.body["field"], "file");
    assert!(
        column.body["message"]
            .as_str()
            .expect("message")
            .contains("monto"),
        "{:?}",
        column.body
    );
}
on_both_stores!(
    payments_guarded_by_role_and_organization_on,
    payments_guarded_by_role_and_organization
);
