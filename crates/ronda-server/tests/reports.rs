//! The best contact hours report: visits land in the cell of their address's local
//! weekday and hour, once, and each organization reads only its own numbers.

use crate::field_common;
use crate::support;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use calamine::{Data, Reader, Xlsx};
use field_common::{
    HOME, MINUTE_MS, NOON_MS, assign, check_in, field, put_visit, seed_audit, visit_body,
};
use http_body_util::BodyExt;
use ronda_store::portfolio::AccountQuery;
use serde_json::Value;
use support::Session;
use support::{Auth, TestApp};
use tower::ServiceExt;
use uuid::Uuid;

/// 2026-07-15 23:30 UTC, a Wednesday: 17:30 in Mexico City, 18:30 in Cancún.
const LATE_MS: i64 = NOON_MS + 5 * 60 * MINUTE_MS + 30 * MINUTE_MS;
const CANCUN: (f64, f64) = (21.1619, -86.8515);

fn cell(report: &Value, weekday: i64, hour: i64) -> Option<Value> {
    report["cells"]
        .as_array()
        .expect("cells")
        .iter()
        .find(|cell| cell["weekday"] == weekday && cell["hour"] == hour)
        .cloned()
}

/// Imports an account in Cancún for the field fixture's agent and returns its ids.
async fn cancun_account(app: &TestApp, north: &field_common::Field) -> (String, String) {
    let store = app.test_store.store.as_ref();
    let org = north.tenant.org.id;
    let portfolios = store.lenders(org).await.expect("lenders");
    let lender = portfolios.first().expect("lender");
    let portfolio = store
        .portfolios(org, Some(lender.id))
        .await
        .expect("portfolios")
        .into_iter()
        .next()
        .expect("portfolio");

    let mut import = field_common::account("FV-QR", CANCUN);
    import.address.state = Some("Quintana Roo".into());
    import.address.municipality = Some("Benito Juárez".into());
    import.address.colonia = Some("Centro".into());
    import.address.postal_code = Some("77500".into());
    import.address.time_zone = Some("America/Cancun".into());
    store
        .import_accounts(&portfolio, &[import], true, &seed_audit(org))
        .await
        .expect("import");

    let query = AccountQuery {
        limit: 10,
        ..AccountQuery::default()
    };
    let (page, _) = store.accounts(org, &query).await.expect("accounts");
    let account = page
        .iter()
        .find(|summary| summary.lender_account_id == "FV-QR")
        .expect("imported")
        .id
        .to_string();
    assign(app, &north.admin, north.tenant.agent.id, &[&account]).await;

    let stops = store
        .day_stops(org, north.tenant.agent.id, jiff::Timestamp::UNIX_EPOCH)
        .await
        .expect("stops");
    let address = stops
        .iter()
        .find(|stop| stop.account_id.to_string() == account)
        .expect("stop")
        .address
        .id
        .to_string();
    (account, address)
}

async fn visits_land_in_local_hours(app: TestApp) {
    let north = field(&app, "Despacho Norte").await;
    let south = field(&app, "Despacho Sur").await;
    let (cancun_id, cancun_address) = cancun_account(&app, &north).await;

    let six_minutes = 6 * MINUTE_MS;
    let mut cancun = north.account("FV-1").clone();
    cancun.id = cancun_id;
    cancun.address_id = cancun_address;
    let visits = [
        (north.account("FV-1").clone(), HOME, NOON_MS),
        (
            north.account("FV-2").clone(),
            field_common::north(HOME, 800.0),
            LATE_MS - six_minutes,
        ),
        (cancun, CANCUN, LATE_MS - six_minutes),
    ];
    for (account, point, at) in visits {
        let body = visit_body(&north, &account, check_in(point, at));
        let stored = put_visit(&app, &north.agent, Uuid::now_v7(), body).await;
        assert_eq!(stored.status, StatusCode::CREATED, "{:?}", stored.body);
    }

    let path = "/api/reports/contact-hours?from=2026-07-15&to=2026-07-15";
    let supervisor_report = app.get(path, Auth::Session(&north.supervisor)).await;
    assert_eq!(
        supervisor_report.status,
        StatusCode::OK,
        "{:?}",
        supervisor_report.body
    );
    let report = supervisor_report.body;
    assert_eq!(report["attempts"], 3, "{report}");
    assert_eq!(report["successes"], 3, "{report}");
    let noon = cell(&report, 3, 12).expect("12:06 in Mexico City");
    assert_eq!(noon["attempts"], 1);
    assert_eq!(noon["contact_rate"], 1.0);
    assert_eq!(noon["promised_cents"], 150_050);
    assert_eq!(
        cell(&report, 3, 17).expect("17:30 in Mexico City")["attempts"],
        1
    );
    assert_eq!(
        cell(&report, 3, 18).expect("18:30 in Cancún")["attempts"],
        1
    );
    assert_eq!(
        report["cells"].as_array().map(Vec::len),
        Some(3),
        "{report}"
    );

    // A second read counts each visit once.
    let again = app.get(path, Auth::Session(&north.supervisor)).await.body;
    assert_eq!(again["attempts"], 3);

    let other_agent = format!("{path}&agent_id={}", north.other_agent.id.0);
    let filtered = app
        .get(&other_agent, Auth::Session(&north.supervisor))
        .await
        .body;
    assert_eq!(filtered["attempts"], 0, "{filtered}");
    // One agent's numbers come from the rollup split by agent, the organization's from
    // the totals without it; both count the same visits.
    let own_agent = format!("{path}&agent_id={}", north.tenant.agent.id.0);
    let own = app
        .get(&own_agent, Auth::Session(&north.supervisor))
        .await
        .body;
    assert_eq!(own["cells"], report["cells"], "{own}");

    let cancun_zone = format!("{path}&zone=Quintana%20Roo%7CBenito%20Ju%C3%A1rez");
    let zone = app
        .get(&cancun_zone, Auth::Session(&north.supervisor))
        .await
        .body;
    assert_eq!(zone["attempts"], 1, "{zone}");
    assert_eq!(
        cell(&zone, 3, 18).expect("18:30 in Cancún")["attempts"],
        1,
        "{zone}"
    );
    // Case and accents aside, a zone names the addresses' zone.
    let folded = app
        .get(
            &format!("{path}&zone=QUINTANA%20ROO%7Cbenito%20juarez"),
            Auth::Session(&north.supervisor),
        )
        .await
        .body;
    assert_eq!(folded["attempts"], 1, "{folded}");
    // The error for a zone without any of the organization's addresses names the zone.
    let unknown = app
        .get(
            &format!("{path}&zone=Quintana%20Roo%7CBenito%20Juarez%20Norte"),
            Auth::Session(&north.supervisor),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.body["field"], "zone");
    let message = unknown.body["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("«Quintana Roo|Benito Juarez Norte»"),
        "{message}"
    );
    assert!(message.contains("/api/reports/zones"), "{message}");
    let zones = app
        .get("/api/reports/zones", Auth::Session(&north.supervisor))
        .await
        .body;
    let listed: Vec<&str> = zones["zones"]
        .as_array()
        .expect("zones")
        .iter()
        .filter_map(|zone| zone["zone"].as_str())
        .collect();
    assert!(listed.contains(&"Quintana Roo|Benito Juárez"), "{zones}");
    let south_zones = app
        .get("/api/reports/zones", Auth::Session(&south.supervisor))
        .await
        .body;
    assert!(
        !south_zones.to_string().contains("Quintana Roo"),
        "south lists none of north's zones: {south_zones}"
    );
    assert_eq!(
        app.get("/api/reports/zones", Auth::Session(&north.agent))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let zone_and_agent = format!("{cancun_zone}&agent_id={}", north.other_agent.id.0);
    let none = app
        .get(&zone_and_agent, Auth::Session(&north.supervisor))
        .await
        .body;
    assert_eq!(none["attempts"], 0, "{none}");

    let south_view = app.get(path, Auth::Session(&south.supervisor)).await;
    assert_eq!(south_view.status, StatusCode::OK);
    assert_eq!(
        south_view.body["attempts"], 0,
        "south sees none of north's visits"
    );

    exports_match_the_report(&app, &north.supervisor, &report).await;

    let viewer = app.login(&north.tenant.viewer.email).await;
    assert_eq!(
        app.get(path, Auth::Session(&viewer)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(path, Auth::Session(&north.agent)).await.status,
        StatusCode::FORBIDDEN
    );
}

on_both_stores!(visits_land_in_local_hours_on, visits_land_in_local_hours);

/// Downloads `path` with the session's cookie and returns the status, content type and bytes.
async fn download(app: &TestApp, session: &Session, path: &str) -> (StatusCode, String, Vec<u8>) {
    let request = Request::get(path)
        .header(header::COOKIE, &session.cookie)
        .body(Body::empty())
        .expect("request");
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

async fn exports_match_the_report(app: &TestApp, session: &Session, report: &Value) {
    let base = "/api/reports/contact-hours/export?from=2026-07-15&to=2026-07-15";
    let (status, content_type, bytes) = download(app, session, &format!("{base}&format=csv")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    let text = String::from_utf8(bytes).expect("UTF-8");
    let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "Día,Hora,Intentos,Contacto con el titular,Éxitos,Tasa de contacto,Tasa de éxito,Promesas,Monto prometido (MXN)"
    );
    assert!(
        lines.contains(&"Miércoles,12:00–13:00,1,1,1,1.0000,1.0000,1,1500.50"),
        "{text}"
    );
    assert_eq!(lines.len(), 4, "{text}");

    let (status, content_type, bytes) =
        download(app, session, &format!("{base}&format=xlsx")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(content_type.contains("spreadsheetml"), "{content_type}");
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("valid XLSX");
    let sheet = workbook.worksheet_range("Mejores horarios").expect("sheet");
    let rows: Vec<Vec<Data>> = sheet.rows().map(<[Data]>::to_vec).collect();
    assert_eq!(
        rows[0][0],
        Data::String("Del 2026-07-15 al 2026-07-15".into())
    );
    let attempts: f64 = rows[2..]
        .iter()
        .map(|row| match row[2] {
            Data::Float(n) => n,
            _ => 0.0,
        })
        .sum();
    assert_eq!(
        attempts,
        report["attempts"].as_f64().expect("attempts"),
        "{rows:?}"
    );
    let noon = rows
        .iter()
        .find(|row| row[1] == Data::String("12:00–13:00".into()))
        .expect("noon row");
    assert_eq!(noon[0], Data::String("Miércoles".into()));
    assert_eq!(noon[8], Data::Float(1500.5));

    let (status, _, bytes) = download(app, session, &format!("{base}&format=pdf")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = serde_json::from_slice(&bytes).expect("error body");
    assert_eq!(body["field"], "format", "{body}");
}

async fn bad_report_parameters_are_named(app: TestApp) {
    let tenant = app.tenant("Despacho Centro").await;
    let admin = app.login(&tenant.admin.email).await;
    let cases = [
        ("from=2026-13-01", "from"),
        ("to=ayer", "to"),
        ("from=2026-07-20&to=2026-07-10", "from"),
        ("from=2024-01-01&to=2026-07-10", "from"),
        ("lender_id=abc", "lender_id"),
        ("zone=Iztapalapa", "zone"),
        ("zone=%7CCentro", "zone"),
        ("zone=Jalisco%7CA%7CB", "zone"),
        ("zone=Jalisco%7CZapopan", "zone"),
    ];
    for (query, field_name) in cases {
        let response = app
            .get(
                &format!("/api/reports/contact-hours?{query}"),
                Auth::Session(&admin),
            )
            .await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(
            response.body["field"], field_name,
            "{query}: {:?}",
            response.body
        );
    }
    let defaults = app
        .get("/api/reports/contact-hours", Auth::Session(&admin))
        .await;
    assert_eq!(defaults.status, StatusCode::OK, "{:?}", defaults.body);
    assert_eq!(defaults.body["attempts"], 0);
}

on_both_stores!(
    bad_report_parameters_are_named_on,
    bad_report_parameters_are_named
);
