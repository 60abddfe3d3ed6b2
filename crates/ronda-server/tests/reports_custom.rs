//! Custom reports: known visits give exact cells per dimension, parameters are checked,
//! roles are enforced, saved reports are shared by link and exported, and one
//! organization never reads another's numbers.

use crate::field_common;
use crate::support;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use calamine::{Data, Reader, Xlsx};
use field_common::{HOME, MINUTE_MS, NOON_MS, check_in, field, north, put_visit, visit_body};
use http_body_util::BodyExt;
use jiff::{SignedDuration, Timestamp};
use ronda_store::report::ReportShare;
use serde_json::{Value, json};
use support::{Auth, Session, TestApp};
use tower::ServiceExt;
use uuid::Uuid;

const DAY: &str = "2026-07-15";

/// Stores three visits of north's agent on 2026-07-15 (a Wednesday) in Mexico City:
/// verified at 12:06, rejected as too far at 13:06, rejected for a mock location at 14:06.
async fn three_visits(app: &TestApp, north_field: &field_common::Field) {
    let far = north(HOME, 2000.0);
    let mut mocked = check_in(north(HOME, 800.0), NOON_MS + 120 * MINUTE_MS);
    mocked["fix"]["mock"] = json!(true);
    let visits = [
        ("FV-1", check_in(HOME, NOON_MS), "verified"),
        ("FV-1", check_in(far, NOON_MS + 60 * MINUTE_MS), "rejected"),
        ("FV-2", mocked, "rejected"),
    ];
    for (account, check, verdict) in visits {
        let body = visit_body(north_field, north_field.account(account), check);
        let stored = put_visit(app, &north_field.agent, Uuid::now_v7(), body).await;
        assert_eq!(stored.status, StatusCode::CREATED, "{:?}", stored.body);
        assert_eq!(
            stored.body["verdict"]["outcome"], verdict,
            "{:?}",
            stored.body
        );
    }
}

fn definition(dimensions: &[&str], filters: Value) -> Value {
    json!({
        "dimensions": dimensions,
        "measures": ["attempts", "contact_rate", "promises", "amount_promised"],
        "filters": filters,
        "period": {"from": DAY, "to": DAY},
        "chart": "table"
    })
}

async fn query(app: &TestApp, session: &Session, body: Value) -> Value {
    let response = app
        .post("/api/reports/query", Auth::Session(session), body)
        .await;
    assert_eq!(response.status, StatusCode::OK, "{:?}", response.body);
    response.body
}

/// Returns each row as (labels joined by " / ", attempts).
fn cells(report: &Value) -> Vec<(String, i64)> {
    report["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            let labels: Vec<&str> = row["labels"]
                .as_array()
                .expect("labels")
                .iter()
                .map(|label| label.as_str().expect("label"))
                .collect();
            let attempts = row["values"]["attempts"].as_i64().expect("attempts");
            (labels.join(" / "), attempts)
        })
        .collect()
}

fn pairs(expected: &[(&str, i64)]) -> Vec<(String, i64)> {
    expected
        .iter()
        .map(|(label, attempts)| ((*label).to_owned(), *attempts))
        .collect()
}

async fn cells_per_dimension(app: TestApp) {
    let north_field = field(&app, "Despacho Norte").await;
    let south = field(&app, "Despacho Sur").await;
    three_visits(&app, &north_field).await;
    let supervisor = &north_field.supervisor;

    let by_verdict = query(&app, supervisor, definition(&["verdict"], json!({}))).await;
    assert_eq!(
        cells(&by_verdict),
        pairs(&[("Rechazada", 2), ("Verificada", 1)])
    );
    assert_eq!(by_verdict["totals"]["attempts"], 3);
    assert_eq!(by_verdict["totals"]["promises"], 3);
    assert_eq!(by_verdict["totals"]["amount_promised"], 4501.5);
    assert_eq!(by_verdict["truncated"], false);

    let exceptions = definition(
        &["verdict", "reason_class"],
        json!({"verdict": ["doubtful", "rejected"]}),
    );
    assert_eq!(
        cells(&query(&app, supervisor, exceptions).await),
        pairs(&[("Rechazada / Dispositivo", 1), ("Rechazada / Ubicación", 1)])
    );

    let by_hour = query(&app, supervisor, definition(&["hour"], json!({}))).await;
    assert_eq!(
        cells(&by_hour),
        pairs(&[("12:00–13:00", 1), ("13:00–14:00", 1), ("14:00–15:00", 1)])
    );
    let by_zone = query(&app, supervisor, definition(&["zone"], json!({}))).await;
    assert_eq!(
        cells(&by_zone),
        pairs(&[("Cuauhtémoc, Ciudad de México", 3)])
    );
    assert_eq!(by_zone["rows"][0]["keys"][0], "Ciudad de México|Cuauhtémoc");

    let agent_name = north_field.tenant.agent.name.clone();
    let single_rows = [
        ("agent", agent_name.as_str()),
        ("date", DAY),
        ("weekday", "Miércoles"),
        ("channel", "Visita"),
        ("lender", "Financiera del Valle"),
    ];
    for (dimension, label) in single_rows {
        let report = query(&app, supervisor, definition(&[dimension], json!({}))).await;
        assert_eq!(
            cells(&report),
            pairs(&[(label, 3)]),
            "{dimension}: {report}"
        );
    }
    let by_code = query(&app, supervisor, definition(&["result_code"], json!({}))).await;
    assert_eq!(by_code["rows"][0]["keys"][0], "PTP", "{by_code}");
    assert_eq!(by_code["rows"][0]["values"]["attempts"], 3);
    let by_portfolio = query(&app, supervisor, definition(&["portfolio"], json!({}))).await;
    assert_eq!(by_portfolio["rows"][0]["values"]["attempts"], 3);

    let hour_13 = definition(&[], json!({"hour": [13], "verdict": ["rejected"]}));
    let narrowed = query(&app, supervisor, hour_13).await;
    assert_eq!(narrowed["totals"]["attempts"], 1, "{narrowed}");
    let other_agent = definition(
        &["agent"],
        json!({"agent": [north_field.other_agent.id.0.to_string()]}),
    );
    let none = query(&app, supervisor, other_agent).await;
    assert_eq!(none["totals"]["attempts"], 0, "{none}");
    assert_eq!(none["rows"], json!([]));

    let south_view = query(&app, &south.supervisor, definition(&["verdict"], json!({}))).await;
    assert_eq!(
        south_view["rows"],
        json!([]),
        "south sees none of north's visits"
    );
    assert_eq!(south_view["totals"]["attempts"], 0);

    // The heatmap still counts each visit once after the rollup rebuild.
    let heatmap = app
        .get(
            &format!("/api/reports/contact-hours?from={DAY}&to={DAY}"),
            Auth::Session(supervisor),
        )
        .await;
    assert_eq!(heatmap.body["attempts"], 3, "{:?}", heatmap.body);
}

on_both_stores!(cells_per_dimension_on, cells_per_dimension);

async fn query_parameters_are_checked(app: TestApp) {
    let tenant = app.tenant("Despacho Centro").await;
    let admin = app.login(&tenant.admin.email).await;
    let base =
        json!({"dimensions": ["agent"], "measures": ["attempts"], "period": {"last_days": 7}});
    let cases = [
        (json!({"dimensions": ["colonia"]}), "dimensions"),
        (
            json!({"dimensions": ["hour", "date", "agent", "zone"]}),
            "dimensions",
        ),
        (json!({"measures": []}), "measures"),
        (json!({"measures": ["revenue"]}), "measures"),
        (json!({"period": {"last_days": 367}}), "period.last_days"),
        (
            json!({"period": {"from": "2026-13-01", "to": "2026-12-01"}}),
            "period.from",
        ),
        (
            json!({"period": {"from": "2025-01-01", "to": "2026-12-01"}}),
            "period.from",
        ),
        (json!({"period": {"to": "2026-12-01"}}), "period.from"),
        (json!({"chart": "pie"}), "chart"),
        (json!({"filters": {"lender": ["abc"]}}), "filters.lender"),
        (json!({"filters": {"weekday": [8]}}), "filters.weekday"),
        (json!({"filters": {"channel": ["fax"]}}), "filters.channel"),
        (json!({"filters": {"date": ["ayer"]}}), "filters.date"),
    ];
    for (change, field_name) in cases {
        let mut body = base.clone();
        for (key, value) in change.as_object().expect("object") {
            body[key] = value.clone();
        }
        let response = app
            .post("/api/reports/query", Auth::Session(&admin), body.clone())
            .await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(
            response.body["field"], field_name,
            "{body}: {:?}",
            response.body
        );
        let message = response.body["message"].as_str().expect("message");
        assert!(!message.is_empty(), "{body}");
    }
    let spanish = app
        .post(
            "/api/reports/query",
            Auth::Session(&admin),
            json!({"dimensions": [], "measures": ["attempts"], "period": {"last_days": 0}}),
        )
        .await;
    assert!(
        spanish.body["message"]
            .as_str()
            .expect("message")
            .contains("period.last_days"),
        "{:?}",
        spanish.body
    );

    let agent = app.login(&tenant.agent.email).await;
    let viewer = app.login(&tenant.viewer.email).await;
    let forbidden = app
        .post("/api/reports/query", Auth::Session(&agent), base.clone())
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let allowed = app
        .post("/api/reports/query", Auth::Session(&viewer), base.clone())
        .await;
    assert_eq!(allowed.status, StatusCode::OK, "{:?}", allowed.body);
    assert_eq!(allowed.body["totals"]["attempts"], 0);
}

on_both_stores!(
    query_parameters_are_checked_on,
    query_parameters_are_checked
);

/// Sends a request with the session and returns status, content type and raw bytes.
async fn raw(
    app: &TestApp,
    session: &Session,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, String, Vec<u8>) {
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header(header::COOKIE, &session.cookie)
        .header("x-csrf-token", &session.csrf_token);
    let body = match body {
        Some(json) => {
            builder = builder.header(header::CONTENT_TYPE, "application/json");
            Body::from(json.to_string())
        }
        None => Body::empty(),
    };
    let request = builder.body(body).expect("request");
    let response = app.router.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (status, content_type, bytes.to_vec())
}

/// Fetches a page without a session and returns status, content type and text.
async fn raw_public(app: &TestApp, path: &str) -> (StatusCode, String, String) {
    let request = Request::get(path).body(Body::empty()).expect("request");
    let response = app.router.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    (
        status,
        content_type,
        String::from_utf8(bytes.to_vec()).expect("UTF-8"),
    )
}

async fn saved_reports_share_and_export(app: TestApp) {
    let north_field = field(&app, "Despacho Norte").await;
    let south = field(&app, "Despacho Sur").await;
    three_visits(&app, &north_field).await;
    let supervisor = &north_field.supervisor;
    let viewer = app.login(&north_field.tenant.viewer.email).await;

    let input =
        json!({"name": "Excepciones de julio", "definition": definition(&["verdict"], json!({}))});
    let by_viewer = app
        .post("/api/reports/saved", Auth::Session(&viewer), input.clone())
        .await;
    assert_eq!(by_viewer.status, StatusCode::FORBIDDEN);
    let blank = json!({"name": "  ", "definition": definition(&["verdict"], json!({}))});
    let unnamed = app
        .post("/api/reports/saved", Auth::Session(supervisor), blank)
        .await;
    assert_eq!(unnamed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unnamed.body["field"], "name");
    let bad_definition = json!({"name": "Malo", "definition": definition(&["colonia"], json!({}))});
    let rejected = app
        .post(
            "/api/reports/saved",
            Auth::Session(supervisor),
            bad_definition,
        )
        .await;
    assert_eq!(
        rejected.body["field"], "definition.dimensions",
        "{:?}",
        rejected.body
    );

    let created = app
        .post("/api/reports/saved", Auth::Session(supervisor), input)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["id"].as_str().expect("id").to_owned();
    let path = format!("/api/reports/saved/{id}");

    let listed = app.get("/api/reports/saved", Auth::Session(&viewer)).await;
    assert_eq!(
        listed.body[0]["name"], "Excepciones de julio",
        "{:?}",
        listed.body
    );
    assert_eq!(
        app.get("/api/reports/saved", Auth::Session(&north_field.agent))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let foreign = app.get(&path, Auth::Session(&south.supervisor)).await;
    assert_eq!(
        foreign.status,
        StatusCode::NOT_FOUND,
        "south cannot read north's report"
    );
    let south_list = app
        .get("/api/reports/saved", Auth::Session(&south.supervisor))
        .await;
    assert_eq!(south_list.body, json!([]));

    let renamed =
        json!({"name": "Veredictos de julio", "definition": definition(&["verdict"], json!({}))});
    let updated = app
        .request(Method::PUT, &path, Auth::Session(supervisor), Some(renamed))
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{:?}", updated.body);
    assert_eq!(updated.body["name"], "Veredictos de julio");

    let result = app
        .get(&format!("{path}/result"), Auth::Session(&viewer))
        .await;
    assert_eq!(result.status, StatusCode::OK, "{:?}", result.body);
    assert_eq!(result.body["totals"]["attempts"], 3);

    shares_work_until_revoked(&app, &north_field, &south, &id, &result.body).await;
    exports_match(&app, &viewer, &id, &result.body).await;

    let deleted = app
        .request(Method::DELETE, &path, Auth::Session(supervisor), None)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get(&path, Auth::Session(supervisor)).await.status,
        StatusCode::NOT_FOUND
    );
}

on_both_stores!(
    saved_reports_share_and_export_on,
    saved_reports_share_and_export
);

async fn shares_work_until_revoked(
    app: &TestApp,
    north_field: &field_common::Field,
    south: &field_common::Field,
    id: &str,
    result: &Value,
) {
    let supervisor = &north_field.supervisor;
    let shares = format!("/api/reports/saved/{id}/shares");
    for days in [0, 91] {
        let response = app
            .post(
                &shares,
                Auth::Session(supervisor),
                json!({"expires_in_days": days}),
            )
            .await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{days}");
        assert_eq!(response.body["field"], "expires_in_days");
    }
    let viewer = app.login(&north_field.tenant.viewer.email).await;
    let by_viewer = app
        .post(
            &shares,
            Auth::Session(&viewer),
            json!({"expires_in_days": 7}),
        )
        .await;
    assert_eq!(by_viewer.status, StatusCode::FORBIDDEN);

    let created = app
        .post(
            &shares,
            Auth::Session(supervisor),
            json!({"expires_in_days": 7}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let token = created.body["token"].as_str().expect("token").to_owned();
    assert_eq!(created.body["url_path"], format!("/shared/{token}"));
    let public_path = format!("/api/shared-reports/{token}");

    let shown = app.get(&public_path, Auth::None).await;
    assert_eq!(shown.status, StatusCode::OK, "{:?}", shown.body);
    let mut keys: Vec<&String> = shown.body.as_object().expect("object").keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        ["definition", "name", "result"],
        "only the report is shown"
    );
    assert_eq!(shown.body["name"], "Veredictos de julio");
    assert_eq!(shown.body["result"]["rows"], result["rows"]);
    assert_eq!(shown.body["result"]["totals"], result["totals"]);

    let (status, content_type, html) = raw_public(app, &format!("/shared/{token}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(html.contains("<h1>Veredictos de julio</h1>"), "{html}");
    assert!(
        html.contains("<style>"),
        "the page carries its styles: {html}"
    );
    assert!(html.contains("solo lectura"), "{html}");
    assert!(
        html.contains("<th scope=\"row\">Rechazada</th><td class=\"num\">2</td>"),
        "{html}"
    );

    let listed = app.get(&shares, Auth::Session(&viewer)).await;
    assert_eq!(listed.body[0]["active"], true, "{:?}", listed.body);
    let share_id = listed.body[0]["id"].as_str().expect("share id").to_owned();
    assert!(
        !listed.body.to_string().contains(&token),
        "the token is never listed"
    );

    let revoke = format!("{shares}/{share_id}");
    let foreign = app
        .request(
            Method::DELETE,
            &revoke,
            Auth::Session(&south.supervisor),
            None,
        )
        .await;
    assert_eq!(
        foreign.status,
        StatusCode::NOT_FOUND,
        "south cannot revoke north's link"
    );
    let revoked = app
        .request(Method::DELETE, &revoke, Auth::Session(supervisor), None)
        .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    let gone = app.get(&public_path, Auth::None).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(gone.body["field"], "token");
    let message = gone.body["message"].as_str().expect("message");
    assert!(message.contains("expiró o fue revocado"), "{message}");

    // A link past its expiry stops working too.
    let store = app.test_store.store.as_ref();
    let created_at = Timestamp::now() - SignedDuration::from_hours(48);
    let expired = ReportShare {
        id: Uuid::now_v7(),
        organization_id: north_field.tenant.org.id,
        report_id: Uuid::parse_str(id).expect("uuid"),
        created_by: Some(north_field.tenant.supervisor.id),
        created_at,
        expires_at: Timestamp::now() - SignedDuration::from_hours(24),
        revoked_at: None,
    };
    let expired_token = "vencido-de-prueba";
    let hash: [u8; 32] = {
        use sha2::{Digest, Sha256};
        Sha256::digest(expired_token.as_bytes()).into()
    };
    store
        .insert_report_share(&expired, &hash)
        .await
        .expect("insert share");
    let expired_view = app
        .get(&format!("/api/shared-reports/{expired_token}"), Auth::None)
        .await;
    assert_eq!(expired_view.status, StatusCode::NOT_FOUND);
    let (status, _, html) = raw_public(app, &format!("/shared/{token}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("expiró o fue revocado"), "{html}");
    let unknown = app.get("/api/shared-reports/no-existe", Auth::None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

async fn exports_match(app: &TestApp, session: &Session, id: &str, result: &Value) {
    let base = format!("/api/reports/saved/{id}/export");
    let (status, content_type, bytes) = raw(
        app,
        session,
        Method::GET,
        &format!("{base}?format=csv"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    let text = String::from_utf8(bytes).expect("UTF-8");
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines,
        [
            "Veredicto,Intentos,Tasa de contacto,Promesas,Monto prometido (MXN)",
            "Rechazada,2,1.0000,2,3001.00",
            "Verificada,1,1.0000,1,1500.50",
            "Total,3,1.0000,3,4501.50",
        ]
    );

    let (status, content_type, bytes) = raw(
        app,
        session,
        Method::GET,
        &format!("{base}?format=xlsx"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.contains("spreadsheetml"), "{content_type}");
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("valid XLSX");
    let sheet = workbook.worksheet_range("Reporte").expect("sheet");
    let rows: Vec<Vec<Data>> = sheet.rows().map(<[Data]>::to_vec).collect();
    assert_eq!(
        rows[0][0],
        Data::String(format!("Veredictos de julio: del {DAY} al {DAY}"))
    );
    for (index, row) in result["rows"].as_array().expect("rows").iter().enumerate() {
        let line = &rows[index + 2];
        assert_eq!(
            line[0],
            Data::String(row["labels"][0].as_str().expect("label").into())
        );
        let attempts = row["values"]["attempts"].as_f64().expect("attempts");
        assert_eq!(line[1], Data::Float(attempts), "{rows:?}");
    }
    let total = rows.last().expect("totals row");
    assert_eq!(total[0], Data::String("Total".into()));
    assert_eq!(total[1], Data::Float(3.0));
    assert_eq!(total[4], Data::Float(4501.5));

    let adhoc = definition(&["hour"], json!({}));
    let (status, _, bytes) = raw(
        app,
        session,
        Method::POST,
        "/api/reports/query/export?format=csv",
        Some(adhoc.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let text = String::from_utf8(bytes).expect("UTF-8");
    assert!(text.contains("12:00–13:00,1,1.0000,1,1500.50"), "{text}");
    let (status, _, bytes) = raw(
        app,
        session,
        Method::POST,
        "/api/reports/query/export?format=pdf",
        Some(adhoc),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = serde_json::from_slice(&bytes).expect("error body");
    assert_eq!(body["field"], "format");
}
