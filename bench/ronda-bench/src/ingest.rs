//! `ronda-bench ingest [POSITIONS] [CONNECTIONS]` times OsmAnd position ingest through the
//! whole server: CONNECTIONS keep-alive HTTP/1.1 connections on loopback, one tracking
//! device each, send GET requests one after another until POSITIONS have been answered.
//! The baseline is the same client against `/healthz`, a handler that touches no store,
//! behind the same middleware. After each run the stored positions are counted, so every
//! acknowledged position is known to be committed.

use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use ronda_domain::{Email, OrganizationId, PersonName, Role, UserId};
use ronda_server::auth::secret;
use ronda_server::tracking::rate_limit::IngestLimits;
use ronda_server::{AppState, ServerSettings};
use ronda_store::tracking::{
    Device, DeviceKind, NewDevice, NewPosition, PositionFix, PositionStatus, RawMessage,
};
use ronda_store::visit::Shift;
use ronda_store::{ConnectOptions, NewUser, Organization, Store};
use uuid::Uuid;

use crate::http::{BenchResult, RunResult, ok_status, print_row, run_clients, serve};
use crate::import::audit;

struct Fleet {
    org: OrganizationId,
    /// Identifier and secret of each device.
    devices: Vec<(String, String)>,
    /// Id and agent of each device, in the same order.
    device_ids: Vec<(Uuid, UserId)>,
}

/// Creates an organization with one clocked-in agent and one OsmAnd device per connection.
async fn fleet(store: &dyn Store, connections: usize, since: Timestamp) -> BenchResult<Fleet> {
    let org = Organization {
        id: OrganizationId::new(),
        name: format!("Despacho Bench {}", Uuid::now_v7().simple()),
        created_at: Timestamp::now(),
    };
    store
        .create_organization(&org, &audit(org.id, "organization.created"))
        .await?;
    let mut devices = Vec::new();
    let mut device_ids = Vec::new();
    for index in 0..connections {
        let agent = NewUser {
            id: UserId::new(),
            organization_id: org.id,
            email: Email::parse(
                "email",
                &format!("gestor{index}.{}@bench.mx", org.id.0.simple()),
            )?,
            name: PersonName::parse("name", &format!("Gestor {index}"))?,
            role: Role::Agent,
            // Never used to log in.
            password_hash: "not-a-password-hash".into(),
            created_at: Timestamp::now(),
        };
        store
            .create_user(&agent, &audit(org.id, "user.created"))
            .await?;
        let shift = Shift {
            id: Uuid::now_v7(),
            organization_id: org.id,
            agent_id: agent.id,
            clocked_in_at: since,
            clocked_out_at: None,
        };
        store.put_shift(&shift, Timestamp::now()).await?;
        // The last hex digits of a UUIDv7 are random, the first ones a timestamp that repeats
        // between runs a few seconds apart.
        let identifier = format!("{}{index:04}", &org.id.0.simple().to_string()[24..]);
        let device_secret = secret::random_secret();
        let device = NewDevice {
            device: Device {
                id: Uuid::now_v7(),
                organization_id: org.id,
                agent_id: agent.id,
                name: format!("Teléfono {index}"),
                kind: DeviceKind::Osmand,
                device_identifier: identifier.clone(),
                created_at: Timestamp::now(),
                revoked_at: None,
            },
            secret_hash: secret::sha256(&device_secret),
        };
        store
            .create_device(&device, &audit(org.id, "device.created"))
            .await?;
        device_ids.push((device.device.id, agent.id));
        devices.push((identifier, device_secret));
    }
    Ok(Fleet {
        org: org.id,
        devices,
        device_ids,
    })
}

async fn bench_store(
    label: &str,
    store: Arc<dyn Store>,
    positions: usize,
    connections: usize,
) -> BenchResult<()> {
    store.migrate().await?;
    let start = Timestamp::now() - SignedDuration::from_hours(2);
    let fleet = fleet(
        store.as_ref(),
        connections,
        start - SignedDuration::from_mins(5),
    )
    .await?;
    let settings = ServerSettings {
        ingest_limits: IngestLimits {
            max_messages: usize::MAX,
            window: Duration::from_secs(60),
        },
        ..ServerSettings::default()
    };
    let app = ronda_server::router(AppState::new(store.clone(), settings));
    let (address, server) = serve(app).await?;

    let baseline = run_clients(
        address,
        connections,
        positions,
        |_, _| b"GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n".to_vec(),
        ok_status,
    )
    .await?;
    let devices = fleet.devices.clone();
    let start_second = start.as_second();
    let ingest = run_clients(
        address,
        connections,
        positions,
        move |connection, n| {
            let (identifier, device_secret) = &devices[connection];
            // One fix a second, walking north-east from a point in Mexico City.
            let step = n as f64 * 0.00001;
            format!(
                "GET /tracking/osmand/{device_secret}?id={identifier}&lat={:.6}&lon={:.6}\
             &timestamp={}&accuracy=8&speed=1.2&batt=80 HTTP/1.1\r\nHost: bench\r\n\r\n",
                19.40 + connection as f64 * 0.001 + step,
                -99.15 + step,
                start_second + n as i64,
            )
            .into_bytes()
        },
        ok_status,
    )
    .await?;
    server.abort();
    let direct = store_directly(store.as_ref(), &fleet, positions, start).await?;

    let mut stored = 0;
    for connection_agent in store.users(fleet.org).await? {
        stored += store
            .agent_positions(
                fleet.org,
                connection_agent.id,
                Timestamp::MIN,
                Timestamp::MAX,
            )
            .await?
            .len();
    }
    println!("\n{label}: {connections} connections, {positions} requests each run\n");
    println!("| measurement | requests | seconds | per second | p50 ms | p99 ms | vs baseline |");
    println!("|---|---|---|---|---|---|---|");
    let base_rate = print_row("baseline: GET /healthz", &baseline, None);
    print_row("OsmAnd GET, one position each", &ingest, Some(base_rate));
    print_row(
        &format!("store only: {connections} positions a transaction, no HTTP"),
        &direct,
        Some(base_rate),
    );
    println!(
        "\nacknowledged (200): {}, stored: {stored}, baseline 200s: {}",
        ingest.acknowledged, baseline.acknowledged
    );
    if stored != ingest.acknowledged + direct.acknowledged {
        return Err(format!(
            "{} positions acknowledged but {stored} stored",
            ingest.acknowledged + direct.acknowledged
        )
        .into());
    }
    Ok(())
}

/// Stores `positions` positions straight through the store, one transaction holding one
/// position of every device, one transaction after another: what the database costs
/// without HTTP, parsing, classification and the writer task. Its latencies are of
/// whole transactions. The positions continue each
/// device's walk an hour after the HTTP run's, so none is a duplicate.
async fn store_directly(
    store: &dyn Store,
    fleet: &Fleet,
    positions: usize,
    start: Timestamp,
) -> BenchResult<RunResult> {
    let devices = fleet.device_ids.len();
    let rounds = positions / devices;
    let mut latencies = Vec::with_capacity(rounds);
    let began = std::time::Instant::now();
    for round in 0..rounds {
        let fix_time = start + SignedDuration::from_secs(3600 + round as i64);
        let group: Vec<NewPosition> = fleet
            .device_ids
            .iter()
            .enumerate()
            .map(|(index, &(device_id, agent_id))| {
                let step = round as f64 * 0.00001;
                NewPosition {
                    organization_id: fleet.org,
                    device_id,
                    agent_id,
                    fix_time,
                    received_at: Timestamp::now(),
                    fix: PositionFix {
                        latitude: Some(19.40 + index as f64 * 0.001 + step),
                        longitude: Some(-99.15 + step),
                        accuracy_m: Some(8.0),
                        speed_mps: Some(0.6),
                        bearing: None,
                        altitude: None,
                        battery_pct: Some(80.0),
                        charging: None,
                        mock: None,
                    },
                    status: PositionStatus::Accepted,
                    flag_reason: None,
                    flag_details: None,
                    older_than_latest: false,
                    raw: RawMessage::new(
                        &serde_json::json!({"id": index, "timestamp": fix_time.as_second()}),
                    )
                    .expect("a JSON object serializes"),
                }
            })
            .collect();
        let sent = std::time::Instant::now();
        store.store_positions(&group).await?;
        latencies.push(sent.elapsed());
    }
    let elapsed = began.elapsed();
    latencies.sort();
    Ok(RunResult {
        answered: rounds * devices,
        acknowledged: rounds * devices,
        elapsed,
        latencies,
    })
}

pub(crate) async fn bench_ingest(
    positions: usize,
    connections: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("ronda-bench-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}", dir.join("ingest.sqlite").display());
    let sqlite = ronda_store::connect(&url, &ConnectOptions::default()).await?;
    bench_store("SQLite", sqlite, positions, connections)
        .await
        .map_err(|error| error.to_string())?;
    if let Ok(url) = std::env::var("RONDA_BENCH_POSTGRES_URL") {
        let postgres = ronda_store::connect(&url, &ConnectOptions::default()).await?;
        bench_store("PostgreSQL", postgres, positions, connections)
            .await
            .map_err(|error| error.to_string())?;
    }
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
