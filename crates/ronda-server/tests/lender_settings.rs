//! Editing lenders and reading their saved import templates, on both stores.

use crate::support;

use axum::http::{Method, StatusCode};
use serde_json::json;
use support::{Auth, TestApp};

async fn lender_settings(app: TestApp) {
    let tenant = app.tenant("Despacho Centro").await;
    let admin = app.login(&tenant.admin.email).await;
    let lender = app
        .post(
            "/api/lenders",
            Auth::Session(&admin),
            json!({"name": "Caja Uno"}),
        )
        .await;
    let lender_id = lender.body["id"].as_str().expect("id").to_owned();
    let path = format!("/api/lenders/{lender_id}");

    let changed = app
        .request(
            Method::PUT,
            &path,
            Auth::Session(&admin),
            Some(json!({
                "name": "Caja Uno del Norte",
                "redeco_registration": "REDECO-0042",
                "complaint_unit_contact": "une@cajauno.mx",
                "collection_phones": [" 55 1234 5678 ", ""],
                "payment_references": ["BBVA 0123 4567"]
            })),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
    assert_eq!(changed.body["name"], "Caja Uno del Norte");
    assert_eq!(changed.body["collection_phones"], json!(["55 1234 5678"]));
    let listed = app.get("/api/lenders", Auth::Session(&admin)).await;
    assert_eq!(
        listed.body["lenders"][0]["redeco_registration"],
        "REDECO-0042"
    );
    let audit = app.get("/api/audit", Auth::Session(&admin)).await;
    assert!(
        audit.body.to_string().contains("lender.updated"),
        "{:?}",
        audit.body
    );

    // Unknown fields and a blank name are rejected, naming the field.
    let typo = app
        .request(
            Method::PUT,
            &path,
            Auth::Session(&admin),
            Some(json!({"name": "X", "telefono": "1"})),
        )
        .await;
    assert_eq!(
        typo.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        typo.body
    );
    let blank = app
        .request(
            Method::PUT,
            &path,
            Auth::Session(&admin),
            Some(json!({"name": "  "})),
        )
        .await;
    assert_eq!(blank.body["field"], "name", "{:?}", blank.body);

    // A viewer reads but cannot edit, and another organization gets 404.
    let viewer = app.login(&tenant.viewer.email).await;
    let refused = app
        .request(
            Method::PUT,
            &path,
            Auth::Session(&viewer),
            Some(json!({"name": "Otra"})),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let other = app.tenant("Despacho Ajeno").await;
    let outsider = app.login(&other.admin.email).await;
    let foreign = app
        .request(
            Method::PUT,
            &path,
            Auth::Session(&outsider),
            Some(json!({"name": "Robada"})),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    let foreign_templates = app
        .get(
            &format!("{path}/import-templates"),
            Auth::Session(&outsider),
        )
        .await;
    assert_eq!(foreign_templates.status, StatusCode::NOT_FOUND);
    let still = app.get("/api/lenders", Auth::Session(&admin)).await;
    assert_eq!(still.body["lenders"][0]["name"], "Caja Uno del Norte");

    // An import saves its mapping with the file's headers.
    let portfolio = app
        .post(
            "/api/portfolios",
            Auth::Session(&admin),
            json!({"lender_id": lender_id, "name": "Enero"}),
        )
        .await;
    let portfolio_id = portfolio.body["id"].as_str().expect("id").to_owned();
    let file = "Crédito,Cliente,Sucursal\r\nA-1,Ana Ruiz,Centro\r\n".as_bytes();
    let mapping = json!(["lender_account_id", "debtor_name", null]).to_string();
    let fields = [
        ("portfolio_id", portfolio_id.as_str()),
        ("mapping", mapping.as_str()),
        ("dry_run", "false"),
        ("template_name", "Formato Caja"),
    ];
    let imported = app
        .post_multipart(
            "/api/imports",
            Auth::Session(&admin),
            &fields,
            Some(("c.csv", file)),
        )
        .await;
    assert_eq!(imported.status, StatusCode::OK, "{:?}", imported.body);
    let templates = app
        .get(&format!("{path}/import-templates"), Auth::Session(&admin))
        .await;
    assert_eq!(templates.status, StatusCode::OK, "{:?}", templates.body);
    assert_eq!(templates.body["templates"][0]["name"], "Formato Caja");
    assert_eq!(
        templates.body["templates"][0]["columns"],
        json!([
            {"header": "Crédito", "field": "lender_account_id"},
            {"header": "Cliente", "field": "debtor_name"},
            {"header": "Sucursal", "field": null}
        ])
    );
}
on_both_stores!(lender_settings_tests, lender_settings);
