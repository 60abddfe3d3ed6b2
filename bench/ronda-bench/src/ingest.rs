//! `ronda-bench ingest [POSITIONS] [CONNECTIONS]` times OsmAnd position ingest through the
//! whole server: CONNECTIONS keep-alive HTTP/1.1 connections on loopback, one tracking
//! device each, send GET requests one after another until POSITIONS have been answered.
//! The baseline is the same client against `/healthz`, a handler that touches no store,
//! behind the same middleware. After each run the stored positions are counted, so every
//! acknowledged position is known to be committed.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};
use ronda_domain::{Email, OrganizationId, PersonName, Role, UserId};
use ronda_server::auth::secret;
use ronda_server::tracking::rate_limit::IngestLimits;
use ronda_server::{AppState, ServerSettings};
use ronda_store::tracking::{Device, DeviceKind, NewDevice};
use ronda_store::visit::Shift;
use ronda_store::{ConnectOptions, NewUser, Organization, Store};
use tokio::io::{AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use uuid::Uuid;

use crate::import::audit;

type BenchResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

struct Fleet {
    org: OrganizationId,
    /// Identifier and secret of each device.
    devices: Vec<(String, String)>,
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
        let identifier = format!("{}{index:04}", &org.id.0.simple().to_string()[..8]);
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
        devices.push((identifier, device_secret));
    }
    Ok(Fleet {
        org: org.id,
        devices,
    })
}

/// Sends one request on a keep-alive connection and reads the response, returning its
/// status code. Responses of both endpoints have a Content-Length.
async fn exchange(
    stream: &mut BufReader<TcpStream>,
    request: &[u8],
    buffer: &mut Vec<u8>,
) -> BenchResult<u16> {
    stream.get_mut().write_all(request).await?;
    buffer.clear();
    let header_end = loop {
        let mut chunk = [0u8; 1024];
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Err("connection closed".into());
        }
        buffer.extend_from_slice(&chunk[..read]);
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).to_ascii_lowercase();
    let status: u16 = head
        .get(9..12)
        .and_then(|code| code.parse().ok())
        .ok_or("no status line")?;
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0);
    let mut have = buffer.len() - header_end;
    while have < length {
        let mut chunk = [0u8; 1024];
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Err("connection closed in body".into());
        }
        have += read;
    }
    Ok(status)
}

struct RunResult {
    answered: usize,
    ok: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

/// Runs `total` requests over `connections` connections; `request(connection, n)` makes
/// the n-th request of a connection.
async fn run_clients<F>(
    address: SocketAddr,
    connections: usize,
    total: usize,
    request: F,
) -> BenchResult<RunResult>
where
    F: Fn(usize, usize) -> Vec<u8> + Send + Sync + 'static,
{
    let request = Arc::new(request);
    let per_connection = total.div_ceil(connections);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for connection in 0..connections {
        let request = request.clone();
        tasks.push(tokio::spawn(async move {
            let stream = TcpStream::connect(address).await?;
            stream.set_nodelay(true)?;
            let mut stream = BufReader::new(stream);
            let mut buffer = Vec::with_capacity(1024);
            let mut latencies = Vec::with_capacity(per_connection);
            let mut ok = 0;
            for n in 0..per_connection {
                let bytes = request(connection, n);
                let sent = Instant::now();
                if exchange(&mut stream, &bytes, &mut buffer).await? == 200 {
                    ok += 1;
                }
                latencies.push(sent.elapsed());
            }
            BenchResult::Ok((ok, latencies))
        }));
    }
    let mut result = RunResult {
        answered: 0,
        ok: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::with_capacity(total),
    };
    for task in tasks {
        let (ok, latencies) = task.await??;
        result.ok += ok;
        result.answered += latencies.len();
        result.latencies.extend(latencies);
    }
    result.elapsed = started.elapsed();
    result.latencies.sort();
    Ok(result)
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * fraction).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn print_row(label: &str, run: &RunResult, baseline_rate: Option<f64>) -> f64 {
    let rate = run.answered as f64 / run.elapsed.as_secs_f64();
    let ratio = baseline_rate.map_or("1.00".to_owned(), |base| format!("{:.2}", rate / base));
    println!(
        "| {label} | {} | {:.2} | {:.0} | {:.2} | {:.2} | {ratio} |",
        run.answered,
        run.elapsed.as_secs_f64(),
        rate,
        percentile(&run.latencies, 0.5).as_secs_f64() * 1000.0,
        percentile(&run.latencies, 0.99).as_secs_f64() * 1000.0,
    );
    rate
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
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
    });

    let baseline = run_clients(address, connections, positions, |_, _| {
        b"GET /healthz HTTP/1.1\r\nHost: bench\r\n\r\n".to_vec()
    })
    .await?;
    let devices = fleet.devices.clone();
    let start_second = start.as_second();
    let ingest = run_clients(address, connections, positions, move |connection, n| {
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
    })
    .await?;
    server.abort();

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
    println!(
        "\nacknowledged (200): {}, stored: {stored}, baseline 200s: {}",
        ingest.ok, baseline.ok
    );
    if stored != ingest.ok {
        return Err(format!("{} positions acknowledged but {stored} stored", ingest.ok).into());
    }
    Ok(())
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
