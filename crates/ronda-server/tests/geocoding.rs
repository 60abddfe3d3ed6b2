//! Geocoding of imported addresses against a Nominatim-compatible service on loopback,
//! on both stores.

use crate::support;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response as AxumResponse};
use axum::routing::get;
use axum::{Json, Router};
use jiff::Timestamp;
use ronda_domain::OrganizationId;
use ronda_server::geocode::{Nominatim, PassCounts, geocode_pending};
use ronda_store::geocode::GeocodeOutcome;
use ronda_store::portfolio::{GeoPoint, Geocode};
use serde_json::{Value, json};
use support::{Auth, Session, TestApp};

type Seen = Arc<Mutex<Vec<HashMap<String, String>>>>;

/// Responds like Nominatim's `/search?format=jsonv2` for a few known streets.
async fn search(seen: Seen, params: HashMap<String, String>) -> AxumResponse {
    seen.lock().expect("lock").push(params.clone());
    let street = params.get("street").cloned().unwrap_or_default();
    let q = params.get("q").cloned().unwrap_or_default();
    if street.contains("Falla") {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let places = if street.contains("Insurgentes") {
        json!([{"lat": "19.3727", "lon": "-99.1785", "place_rank": 30, "display_name": "Insurgentes"}])
    } else if q.contains("Las Flores") {
        json!([{"lat": 20.6736, "lon": -103.344, "place_rank": 22}])
    } else if street.contains("Gran Vía") {
        // Same street name in Madrid: outside Mexico, so not a match.
        json!([{"lat": "40.4200", "lon": "-3.7050", "place_rank": 30}])
    } else {
        json!([])
    };
    Json(places).into_response()
}

/// Starts the fake geocoder on an ephemeral loopback port.
async fn fake_nominatim() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let handler_seen = seen.clone();
    let app = Router::new().route(
        "/search",
        get(move |Query(params): Query<HashMap<String, String>>| {
            search(handler_seen.clone(), params)
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{address}/"), seen)
}

const HEADER: &str = "No. de crédito,Nombre del cliente,Calle,Núm. ext.,Colonia,C.P.,Alcaldía/Municipio,Estado,Saldo vencido,Latitud,Longitud";

fn file(rows: &[&str]) -> Vec<u8> {
    let mut text = String::from(HEADER);
    for row in rows {
        text.push_str("\r\n");
        text.push_str(row);
    }
    text.into_bytes()
}

const FOUND: &str = "CR-1,Ana Ruiz,Av. Insurgentes Sur,1602,Crédito Constructor,03940,Benito Juárez,Ciudad de México,$500,,";
const BY_COLONIA: &str =
    "CR-2,Luis Mora,Calle Sin Mapa,S/N,Las Flores,44100,Guadalajara,Jalisco,$600,,";
const UNKNOWN: &str = "CR-3,Eva Soto,Callejón Perdido,3,Ejido Norte,99999,Nada,Zacatecas,$700,,";
const FROM_FILE: &str =
    "CR-4,Raúl Paz,Roble,8,Centro,64000,Monterrey,Nuevo León,$800,25.6714,-100.3090";
const FAILING: &str = "CR-5,Sara Gil,Calle Falla,1,Centro,77500,Benito Juárez,Quintana Roo,$900,,";
const ABROAD: &str = "CR-6,Iván Cruz,Gran Vía,28,Centro,06000,Cuauhtémoc,Ciudad de México,$100,,";

async fn import(app: &TestApp, admin: &Session, portfolio_id: &str, body: &[u8]) -> Value {
    let fields = [("portfolio_id", portfolio_id), ("dry_run", "false")];
    let done = app
        .post_multipart(
            "/api/imports",
            Auth::Session(admin),
            &fields,
            Some(("cartera.csv", body)),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
    done.body
}

async fn portfolio(app: &TestApp, admin: &Session) -> String {
    let lender = app
        .post(
            "/api/lenders",
            Auth::Session(admin),
            json!({"name": "Caja Popular"}),
        )
        .await;
    let portfolio = app
        .post(
            "/api/portfolios",
            Auth::Session(admin),
            json!({"lender_id": lender.body["id"], "name": "Diciembre"}),
        )
        .await;
    assert_eq!(
        portfolio.status,
        StatusCode::CREATED,
        "{:?}",
        portfolio.body
    );
    portfolio.body["id"].as_str().expect("id").to_owned()
}

/// `needs_pin` of each account in the list, by the lender's account id.
async fn needs_pin(app: &TestApp, admin: &Session) -> HashMap<String, bool> {
    let page = app
        .get("/api/accounts?per_page=50", Auth::Session(admin))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
    page.body["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .map(|account| {
            (
                account["lender_account_id"]
                    .as_str()
                    .expect("id")
                    .to_owned(),
                account["needs_pin"].as_bool().expect("needs_pin"),
            )
        })
        .collect()
}

/// Returns the geocoded point of each account, read through the agent's day after
/// assigning them all.
async fn points(
    app: &TestApp,
    tenant: &support::Tenant,
) -> HashMap<String, (f64, f64, String, f64)> {
    let store = app.test_store.store.as_ref();
    let stops = store
        .day_stops(tenant.org.id, tenant.agent.id, Timestamp::now())
        .await
        .expect("day stops");
    stops
        .into_iter()
        .filter_map(|stop| {
            let geocoded = stop.address.geocoded.clone()?;
            Some((stop.lender_account_id, geocoded))
        })
        .collect()
}

async fn geocoding_flow(app: TestApp) {
    let tenant = app.tenant("Despacho Sur").await;
    let admin = app.login(&tenant.admin.email).await;
    let portfolio_id = portfolio(&app, &admin).await;
    let rows = [FOUND, BY_COLONIA, UNKNOWN, FROM_FILE, FAILING, ABROAD];
    let report = import(&app, &admin, &portfolio_id, &file(&rows)).await;
    assert_eq!(report["created"], 6, "{report:?}");

    let before = needs_pin(&app, &admin).await;
    assert!(before["CR-1"], "no point yet: {before:?}");
    assert!(before["CR-3"], "no point yet: {before:?}");
    assert!(!before["CR-4"], "the file's point is enough");

    let (url, seen) = fake_nominatim().await;
    let geocoder = Nominatim::new(
        &url,
        Some("soporte@ejemplo.mx".into()),
        Duration::from_secs(5),
    )
    .expect("client");
    let store = app.test_store.store.as_ref();
    let counts = geocode_pending(store, &geocoder, Duration::ZERO)
        .await
        .expect("pass");
    assert_eq!(
        counts,
        PassCounts {
            found: 2,
            not_found: 2,
            failed: 1
        }
    );
    {
        let seen = seen.lock().expect("lock");
        assert!(
            seen.iter()
                .all(|p| p["format"] == "jsonv2" && p["countrycodes"] == "mx")
        );
        assert!(seen.iter().all(|p| p["email"] == "soporte@ejemplo.mx"));
        assert!(
            !seen
                .iter()
                .any(|p| p.get("street").is_some_and(|s| s.contains("Roble"))),
            "an address with the file's point is never sent"
        );
        let structured = seen
            .iter()
            .find(|p| p.get("street").is_some_and(|s| s.contains("Insurgentes")))
            .expect("requested");
        assert_eq!(structured["street"], "1602 Av. Insurgentes Sur");
        assert_eq!(structured["postalcode"], "03940");
    }

    let after = needs_pin(&app, &admin).await;
    assert!(!after["CR-1"], "{after:?}");
    assert!(!after["CR-2"], "{after:?}");
    assert!(after["CR-3"], "{after:?}");
    assert!(after["CR-5"], "{after:?}");
    assert!(after["CR-6"], "{after:?}");

    let assigned = app
        .post(
            "/api/assignments",
            Auth::Session(&admin),
            json!({"agent_id": tenant.agent.id.0, "portfolio_id": portfolio_id,
                   "municipality": null, "account_ids": null,
                   "postal_codes": ["03940", "44100", "64000"], "allow_over_capacity": true}),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK, "{:?}", assigned.body);
    let points = points(&app, &tenant).await;
    assert_eq!(
        points["CR-1"],
        (19.3727, -99.1785, "nominatim".to_owned(), 0.9)
    );
    assert_eq!(
        points["CR-2"],
        (20.6736, -103.344, "nominatim".to_owned(), 0.35)
    );
    assert_eq!(points["CR-4"], (25.6714, -100.309, "file".to_owned(), 1.0));

    // No address is sent twice: a not-found one stays, and a failure waits for its retry time.
    let requests = seen.lock().expect("lock").len();
    let again = geocode_pending(store, &geocoder, Duration::ZERO)
        .await
        .expect("pass");
    assert_eq!(again.total(), 0);
    assert_eq!(seen.lock().expect("lock").len(), requests);

    // A re-import that changes the balance keeps the point. One that changes the street
    // sends the address again.
    let richer = FOUND.replace("$500", "$550");
    let report = import(&app, &admin, &portfolio_id, &file(&[&richer])).await;
    assert_eq!(report["updated"], 1, "{report:?}");
    assert!(!needs_pin(&app, &admin).await["CR-1"]);
    let moved = FOUND.replace("Av. Insurgentes Sur,1602", "Av. Insurgentes Norte,1602");
    import(&app, &admin, &portfolio_id, &file(&[&moved])).await;
    assert!(needs_pin(&app, &admin).await["CR-1"]);
    let third = geocode_pending(store, &geocoder, Duration::ZERO)
        .await
        .expect("pass");
    assert_eq!(third.found, 1);
    assert!(!needs_pin(&app, &admin).await["CR-1"]);
}
on_both_stores!(geocoding_flow_tests, geocoding_flow);

async fn answers_stay_in_their_organization(app: TestApp) {
    let tenant = app.tenant("Despacho Este").await;
    let admin = app.login(&tenant.admin.email).await;
    let portfolio_id = portfolio(&app, &admin).await;
    import(&app, &admin, &portfolio_id, &file(&[UNKNOWN])).await;
    let store = app.test_store.store.as_ref();
    let waiting = store
        .addresses_to_geocode(Timestamp::now(), 10)
        .await
        .expect("waiting");
    let mut request = waiting
        .into_iter()
        .find(|r| r.organization_id == tenant.org.id)
        .expect("waiting address");
    let found = GeocodeOutcome::Found(Geocode {
        point: GeoPoint {
            latitude: 22.77,
            longitude: -102.58,
        },
        source: "nominatim".into(),
        confidence: 0.5,
    });

    // Another organization's id, or an address that changed since it was read, writes nothing.
    let own_org = request.organization_id;
    request.organization_id = OrganizationId::new();
    assert!(
        !store
            .record_geocode(&request, &found)
            .await
            .expect("record")
    );
    request.organization_id = own_org;
    let stale_key = request.key.replace("otra dirección".into());
    assert!(
        !store
            .record_geocode(&request, &found)
            .await
            .expect("record")
    );
    request.key = stale_key;
    assert!(needs_pin(&app, &admin).await["CR-3"]);
    assert!(
        store
            .record_geocode(&request, &found)
            .await
            .expect("record")
    );
    assert!(!needs_pin(&app, &admin).await["CR-3"]);
}
on_both_stores!(organization_scope_tests, answers_stay_in_their_organization);
