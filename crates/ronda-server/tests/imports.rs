//! Lenders, portfolios and portfolio imports through the API, on both stores.

use crate::support;

use axum::http::StatusCode;
use serde_json::{Value, json};
use support::{Auth, Session, TestApp};

/// Returns a portfolio file as a lender's Excel in Spanish saves it: semicolons, Windows-1252, a
/// postal code that lost its zero, amounts with "$", a duplicated account and a row
/// without a name.
fn portfolio_file() -> Vec<u8> {
    let text = "No. de crédito;Nombre del cliente;Calle;Núm. ext.;Colonia;C.P.;Alcaldía/Municipio;Estado;Saldo vencido;Días de atraso;Sucursal\r\n\
        CR-001;María Peña;Av. Juárez;12;Centro;1000;Álvaro Obregón;CDMX;$12,345.50;45;Centro\r\n\
        CR-002;José Núñez;Roble;S/N;Del Valle;64000;Monterrey;Nuevo León;$900;10;Norte\r\n\
        CR-001;María Peña Bis;Av. Juárez;12;Centro;1000;Álvaro Obregón;CDMX;$1;1;Centro\r\n\
        CR-003;;Pino;4;Centro;77500;Benito Juárez;Quintana Roo;$5;1;Sur\r\n";
    encoding_rs::WINDOWS_1252.encode(text).0.into_owned()
}

async fn lender_and_portfolio(app: &TestApp, admin: &Session) -> (String, String) {
    let lender = app
        .post(
            "/api/lenders",
            Auth::Session(admin),
            json!({"name": "Financiera del Bajío", "payment_references": ["BBVA 0123"]}),
        )
        .await;
    assert_eq!(lender.status, StatusCode::CREATED, "{:?}", lender.body);
    let lender_id = lender.body["id"].as_str().expect("id").to_owned();
    let portfolio = app
        .post(
            "/api/portfolios",
            Auth::Session(admin),
            json!({"lender_id": lender_id, "name": "Noviembre 2026"}),
        )
        .await;
    assert_eq!(
        portfolio.status,
        StatusCode::CREATED,
        "{:?}",
        portfolio.body
    );
    (
        lender_id,
        portfolio.body["id"].as_str().expect("id").to_owned(),
    )
}

async fn import_flow(app: TestApp) {
    let tenant = app.tenant("Despacho Norte").await;
    let admin = app.login(&tenant.admin.email).await;
    let (_, portfolio_id) = lender_and_portfolio(&app, &admin).await;
    let file = portfolio_file();

    let preview = app
        .post_multipart(
            "/api/imports/preview",
            Auth::Session(&admin),
            &[],
            Some(("cartera.csv", &file)),
        )
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{:?}", preview.body);
    assert_eq!(preview.body["format"]["encoding"], "windows-1252");
    assert_eq!(preview.body["format"]["delimiter"], ";");
    assert_eq!(preview.body["headers"][0], "No. de crédito");
    assert_eq!(preview.body["rows"], 4);
    let mapping = preview.body["mapping"].clone();
    assert_eq!(mapping[0], "lender_account_id");
    assert_eq!(mapping[5], "postal_code");
    assert_eq!(mapping[10], Value::Null, "Sucursal stays a custom field");
    assert_eq!(preview.body["sample"][0][5], "1000");
    let mapping_text = mapping.to_string();

    let fields = [
        ("portfolio_id", portfolio_id.as_str()),
        ("mapping", mapping_text.as_str()),
        ("dry_run", "true"),
    ];
    let dry = app
        .post_multipart(
            "/api/imports",
            Auth::Session(&admin),
            &fields,
            Some(("cartera.csv", &file)),
        )
        .await;
    assert_eq!(dry.status, StatusCode::OK, "{:?}", dry.body);
    assert_eq!(dry.body["dry_run"], true);
    assert_eq!(
        (
            dry.body["rows_read"].as_u64(),
            dry.body["created"].as_u64(),
            dry.body["rejected"].as_u64()
        ),
        (Some(4), Some(2), Some(2))
    );
    let problems = dry.body["problems"].as_array().expect("problems");
    let duplicate = problems
        .iter()
        .find(|p| p["code"] == "duplicate_account_id")
        .expect("duplicate reported");
    assert_eq!(duplicate["row"], 4);
    assert_eq!(duplicate["column"], "No. de crédito");
    assert!(
        duplicate["message"]
            .as_str()
            .expect("message")
            .contains("fila 2"),
        "{duplicate}"
    );
    let missing = problems
        .iter()
        .find(|p| p["code"] == "missing_debtor_name")
        .expect("missing name reported");
    assert_eq!(missing["row"], 5);
    assert!(!missing["fix"].as_str().expect("fix").is_empty());
    let listed = app.get("/api/accounts", Auth::Session(&admin)).await;
    assert_eq!(listed.body["total"], 0, "a dry run writes nothing");

    let fields = [
        ("portfolio_id", portfolio_id.as_str()),
        ("mapping", mapping_text.as_str()),
        ("dry_run", "false"),
        ("template_name", "Formato Bajío"),
    ];
    let real = app
        .post_multipart(
            "/api/imports",
            Auth::Session(&admin),
            &fields,
            Some(("cartera.csv", &file)),
        )
        .await;
    assert_eq!(real.status, StatusCode::OK, "{:?}", real.body);
    assert_eq!(
        (real.body["created"].as_u64(), real.body["updated"].as_u64()),
        (Some(2), Some(0))
    );

    let again = app
        .post_multipart(
            "/api/imports",
            Auth::Session(&admin),
            &fields,
            Some(("cartera.csv", &file)),
        )
        .await;
    assert_eq!(
        (
            again.body["created"].as_u64(),
            again.body["unchanged"].as_u64()
        ),
        (Some(0), Some(2)),
        "{:?}",
        again.body
    );

    let listed = app
        .get(
            &format!("/api/accounts?portfolio_id={portfolio_id}"),
            Auth::Session(&admin),
        )
        .await;
    assert_eq!(listed.body["total"], 2);
    let first = &listed.body["accounts"][0];
    assert_eq!(first["lender_account_id"], "CR-001");
    assert_eq!(first["debtor_name"], "María Peña");
    assert_eq!(first["postal_code"], "01000");
    assert_eq!(first["overdue_cents"], 1_234_550);
    assert_eq!(first["state"], "Ciudad de México");
    assert_eq!(first["time_zone"], "America/Mexico_City");
    assert_eq!(first["needs_pin"], true);
    let found = app
        .get("/api/accounts?q=n%C3%BA%C3%B1ez", Auth::Session(&admin))
        .await;
    assert_eq!(found.body["total"], 1, "{:?}", found.body);
    let portfolios = app.get("/api/portfolios", Auth::Session(&admin)).await;
    assert_eq!(portfolios.body["portfolios"][0]["account_count"], 2);
}
on_both_stores!(import_flow_on, import_flow);

async fn imports_are_scoped_and_guarded(app: TestApp) {
    let norte = app.tenant("Despacho Norte").await;
    let sur = app.tenant("Despacho Sur").await;
    let norte_admin = app.login(&norte.admin.email).await;
    let sur_admin = app.login(&sur.admin.email).await;
    let (_, norte_portfolio) = lender_and_portfolio(&app, &norte_admin).await;
    let (sur_lender, _) = lender_and_portfolio(&app, &sur_admin).await;
    let file = portfolio_file();

    let fields = [
        ("portfolio_id", norte_portfolio.as_str()),
        ("dry_run", "false"),
    ];
    let stolen = app
        .post_multipart(
            "/api/imports",
            Auth::Session(&sur_admin),
            &fields,
            Some(("c.csv", &file)),
        )
        .await;
    assert_eq!(stolen.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(stolen.body["field"], "portfolio_id");
    let foreign_lender = app
        .post(
            "/api/portfolios",
            Auth::Session(&norte_admin),
            json!({"lender_id": sur_lender, "name": "X"}),
        )
        .await;
    assert_eq!(foreign_lender.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(foreign_lender.body["field"], "lender_id");

    let imported = app
        .post_multipart(
            "/api/imports",
            Auth::Session(&norte_admin),
            &fields,
            Some(("c.csv", &file)),
        )
        .await;
    assert_eq!(imported.body["created"], 2);
    let sur_accounts = app.get("/api/accounts", Auth::Session(&sur_admin)).await;
    assert_eq!(sur_accounts.body["total"], 0);
    let sur_lenders = app.get("/api/lenders", Auth::Session(&sur_admin)).await;
    assert_eq!(
        sur_lenders.body["lenders"]
            .as_array()
            .expect("lenders")
            .len(),
        1
    );

    let viewer = app.login(&norte.viewer.email).await;
    assert_eq!(
        app.get("/api/accounts", Auth::Session(&viewer)).await.body["total"],
        2
    );
    let refused = app
        .post_multipart(
            "/api/imports",
            Auth::Session(&viewer),
            &fields,
            Some(("c.csv", &file)),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let refused = app
        .post(
            "/api/lenders",
            Auth::Session(&viewer),
            json!({"name": "Otra"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let agent = app.login(&norte.agent.email).await;
    assert_eq!(
        app.get("/api/accounts", Auth::Session(&agent)).await.status,
        StatusCode::FORBIDDEN
    );
    let supervisor = app.login(&norte.supervisor.email).await;
    let dry = [("portfolio_id", norte_portfolio.as_str())];
    let allowed = app
        .post_multipart(
            "/api/imports",
            Auth::Session(&supervisor),
            &dry,
            Some(("c.csv", &file)),
        )
        .await;
    assert_eq!(
        allowed.status,
        StatusCode::OK,
        "supervisors import; dry run by default"
    );
    assert_eq!(allowed.body["dry_run"], true);
}
on_both_stores!(
    imports_are_scoped_and_guarded_on,
    imports_are_scoped_and_guarded
);

async fn bad_imports_name_the_problem(app: TestApp) {
    let tenant = app.tenant("Despacho Norte").await;
    let admin = app.login(&tenant.admin.email).await;
    let (lender_id, portfolio_id) = lender_and_portfolio(&app, &admin).await;

    let nul = app
        .post(
            "/api/lenders",
            Auth::Session(&admin),
            json!({"name": "Financiera\u{0}"}),
        )
        .await;
    assert_eq!(nul.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(nul.body["field"], "name");
    let nul_file = "No. de crédito,Nombre del cliente\nCR-0\u{0},Ana\u{0} Ruiz\n";
    let fields = [
        ("portfolio_id", portfolio_id.as_str()),
        ("dry_run", "false"),
    ];
    let imported = app
        .post_multipart(
            "/api/imports",
            Auth::Session(&admin),
            &fields,
            Some(("nul.csv", nul_file.as_bytes())),
        )
        .await;
    assert_eq!(
        imported.body["created"], 1,
        "NUL characters are dropped, not a server error: {:?}",
        imported.body
    );
    let taken = app
        .post(
            "/api/lenders",
            Auth::Session(&admin),
            json!({"name": "Financiera del Bajío"}),
        )
        .await;
    assert_eq!(
        (taken.status, taken.body["code"].as_str()),
        (StatusCode::CONFLICT, Some("lender_name_taken"))
    );
    let taken = app
        .post(
            "/api/portfolios",
            Auth::Session(&admin),
            json!({"lender_id": lender_id, "name": "Noviembre 2026"}),
        )
        .await;
    assert_eq!(taken.body["code"], "portfolio_name_taken");

    let empty = app
        .post_multipart(
            "/api/imports/preview",
            Auth::Session(&admin),
            &[],
            Some(("vacío.csv", b"")),
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.body["code"], "unreadable_file");
    assert!(
        empty.body["message"]
            .as_str()
            .expect("message")
            .contains("vacío"),
        "{:?}",
        empty.body
    );
    let no_file = app
        .post_multipart("/api/imports/preview", Auth::Session(&admin), &[], None)
        .await;
    assert_eq!(no_file.body["field"], "file");
    let broken_xlsx = app
        .post_multipart(
            "/api/imports/preview",
            Auth::Session(&admin),
            &[],
            Some(("c.xlsx", b"PK\x03\x04roto")),
        )
        .await;
    assert_eq!(broken_xlsx.body["code"], "unreadable_file");

    let file = portfolio_file();
    let cases: [(&str, &str); 4] = [
        ("[\"lender_account_id\"]", "mapping"),
        (
            "[null,null,null,null,null,null,null,null,null,null,null]",
            "mapping",
        ),
        ("no es json", "mapping"),
        (
            "[\"lender_account_id\",\"lender_account_id\",null,null,null,null,null,null,null,null,null]",
            "mapping",
        ),
    ];
    for (mapping, field) in cases {
        let fields = [
            ("portfolio_id", portfolio_id.as_str()),
            ("mapping", mapping),
        ];
        let response = app
            .post_multipart(
                "/api/imports",
                Auth::Session(&admin),
                &fields,
                Some(("c.csv", &file)),
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{mapping}: {:?}",
            response.body
        );
        assert_eq!(response.body["field"], field, "{mapping}");
    }
    let fields = [
        ("portfolio_id", portfolio_id.as_str()),
        ("dry_run", "quizás"),
    ];
    let response = app
        .post_multipart(
            "/api/imports",
            Auth::Session(&admin),
            &fields,
            Some(("c.csv", &file)),
        )
        .await;
    assert_eq!(response.body["field"], "dry_run");
    let response = app
        .get("/api/accounts?per_page=500", Auth::Session(&admin))
        .await;
    assert_eq!(response.body["field"], "per_page");
}
on_both_stores!(
    bad_imports_name_the_problem_on,
    bad_imports_name_the_problem
);
