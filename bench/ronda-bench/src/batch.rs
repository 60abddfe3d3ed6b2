//! `ronda-bench batch [POSITIONS] [CONNECTIONS] [BATCH]` times batch position ingest
//! through the whole server on SQLite. CONNECTIONS agents, each logged in on its own
//! keep-alive connection, send `POST /api/field/positions` batches of BATCH positions (500
//! by default, the endpoint's limit), as the field app does after a stretch offline. They
//! stop once POSITIONS positions are acknowledged. The same agents then send OwnTracks messages, one
//! location each, POSITIONS of them but at most 20,000. The baseline is raw SQLite inserts of the same rows into
//! a plain table with the positions' columns, BATCH rows a transaction, on the same file.
//! After each run the stored positions are counted against the acknowledged ones.

use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use jiff::{SignedDuration, Timestamp};
use ronda_domain::{Email, OrganizationId, PersonName, Role, UserId};
use ronda_server::auth::password::hash_password;
use ronda_server::auth::secret;
use ronda_server::tracking::rate_limit::IngestLimits;
use ronda_server::{AppState, ServerSettings};
use ronda_store::tracking::{Device, DeviceKind, NewDevice};
use ronda_store::visit::Shift;
use ronda_store::{ConnectOptions, NewUser, Organization, Store};
use uuid::Uuid;

use crate::http::{
    BenchResult, Reply, RunResult, ok_status, print_row, request_once, run_clients, serve,
};
use crate::import::audit;

const PASSWORD: &str = "banco-de-pruebas-2026";

/// One agent of the run: the field app's session and an OwnTracks phone.
struct Agent {
    id: UserId,
    cookie: String,
    csrf_token: String,
    owntracks_user: String,
    owntracks_device: String,
    owntracks_secret: String,
}

/// Creates an organization with `count` agents, each clocked in from `since` and with an
/// OwnTracks device.
async fn agents(
    store: &dyn Store,
    count: usize,
    since: Timestamp,
) -> BenchResult<(OrganizationId, Vec<(NewUser, String, String)>)> {
    let org = Organization {
        id: OrganizationId::new(),
        name: format!("Despacho Lotes {}", Uuid::now_v7().simple()),
        created_at: Timestamp::now(),
    };
    store
        .create_organization(&org, &audit(org.id, "organization.created"))
        .await?;
    let password_hash = hash_password(PASSWORD.to_owned()).await?;
    let mut created = Vec::new();
    for index in 0..count {
        let agent = NewUser {
            id: UserId::new(),
            organization_id: org.id,
            email: Email::parse(
                "email",
                &format!("lote{index}.{}@bench.mx", org.id.0.simple()),
            )?,
            name: PersonName::parse("name", &format!("Gestora {index}"))?,
            role: Role::Agent,
            password_hash: password_hash.clone(),
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
        let user = format!("lote{index}x{}", &org.id.0.simple().to_string()[24..]);
        let identifier = format!("{user}/telefono");
        let device_secret = secret::random_secret();
        let device = NewDevice {
            device: Device {
                id: Uuid::now_v7(),
                organization_id: org.id,
                agent_id: agent.id,
                name: format!("OwnTracks {index}"),
                kind: DeviceKind::Owntracks,
                device_identifier: identifier,
                created_at: Timestamp::now(),
                revoked_at: None,
            },
            secret_hash: secret::sha256(&device_secret),
        };
        store
            .create_device(&device, &audit(org.id, "device.created"))
            .await?;
        created.push((agent, user, device_secret));
    }
    Ok((org.id, created))
}

/// Logs the agent in through the API and returns the session cookie and CSRF token.
async fn login(address: SocketAddr, email: &str) -> BenchResult<(String, String)> {
    let body = serde_json::json!({"email": email, "password": PASSWORD}).to_string();
    let request = format!(
        "POST /api/auth/login HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let reply = request_once(address, request.as_bytes()).await?;
    if reply.status != 200 {
        return Err(format!("login of {email} answered {}", reply.status).into());
    }
    let cookie = reply
        .header("set-cookie")
        .and_then(|value| value.split(';').next())
        .ok_or("no session cookie")?;
    let json: serde_json::Value = serde_json::from_slice(&reply.body)?;
    let csrf_token = json["csrf_token"].as_str().ok_or("no csrf token")?;
    Ok((cookie.to_owned(), csrf_token.to_owned()))
}

/// OwnTracks sends one location a request, so its run is capped to keep the benchmark short.
fn owntracks_messages(positions: usize) -> usize {
    positions.min(20_000)
}

/// Counts the positions a batch response acknowledged: accepted plus flagged.
fn batch_acknowledged(reply: &Reply) -> usize {
    if reply.status != 200 {
        return 0;
    }
    let json: serde_json::Value = serde_json::from_slice(&reply.body).unwrap_or_default();
    let count = |key: &str| json[key].as_u64().unwrap_or(0) as usize;
    count("accepted") + count("flagged")
}

/// Returns fix `n` of an agent as time, latitude and longitude: one fix a second from
/// `start_ms`, walking north-east.
fn fix(agent: usize, n: usize, start_ms: i64) -> (i64, f64, f64) {
    let step = n as f64 * 0.00001;
    (
        start_ms + n as i64 * 1000,
        19.40 + agent as f64 * 0.001 + step,
        -99.15 + step,
    )
}

fn batch_request(agent: &Agent, first: usize, size: usize, index: usize, start_ms: i64) -> Vec<u8> {
    let positions: Vec<serde_json::Value> = (first..first + size)
        .map(|n| {
            let (time, latitude, longitude) = fix(index, n, start_ms);
            serde_json::json!({"fix_time": time, "latitude": latitude, "longitude": longitude,
                "accuracy_m": 8.0, "speed_mps": 1.2, "battery_pct": 80.0})
        })
        .collect();
    let body = serde_json::json!({ "positions": positions }).to_string();
    format!(
        "POST /api/field/positions HTTP/1.1\r\nHost: bench\r\nCookie: {}\r\n\
         X-CSRF-Token: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        agent.cookie,
        agent.csrf_token,
        body.len()
    )
    .into_bytes()
}

fn owntracks_request(agent: &Agent, n: usize, index: usize, start_ms: i64) -> Vec<u8> {
    let (time, latitude, longitude) = fix(index, n, start_ms);
    let body = format!(
        r#"{{"_type":"location","lat":{latitude:.6},"lon":{longitude:.6},"tst":{},"acc":8,"batt":80,"vel":4}}"#,
        time / 1000
    );
    let credentials = STANDARD.encode(format!(
        "{}:{}",
        agent.owntracks_user, agent.owntracks_secret
    ));
    format!(
        "POST /tracking/owntracks HTTP/1.1\r\nHost: bench\r\nAuthorization: Basic {credentials}\r\n\
         X-Limit-U: {}\r\nX-Limit-D: {}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        agent.owntracks_user,
        agent.owntracks_device,
        body.len()
    )
    .into_bytes()
}

/// Creates a plain table without indexes for a baseline, with 12 of the positions' columns.
macro_rules! baseline_table {
    ($table:literal) => {
        concat!(
            "CREATE TABLE ",
            $table,
            " (id INTEGER PRIMARY KEY, organization_id BLOB NOT NULL, \
             device_id BLOB NOT NULL, agent_id BLOB NOT NULL, fix_time INTEGER NOT NULL, \
             received_at INTEGER NOT NULL, latitude REAL, longitude REAL, accuracy_m REAL, \
             speed_mps REAL, battery_pct REAL, status TEXT NOT NULL, raw TEXT NOT NULL)"
        )
    };
}

/// Returns the baselines' fix `n` with its raw message, shaped like the field app's.
fn baseline_raw(n: usize) -> (i64, f64, f64, String) {
    let (time, latitude, longitude) = fix(0, n, 0);
    let raw = format!(r#"{{"fix_time":{time},"latitude":{latitude},"longitude":{longitude}}}"#);
    (time, latitude, longitude, raw)
}

/// Inserts `rows` rows like the batch's positions into a plain table without indexes
/// through SQLite's C interface, reusing one prepared statement, `batch` rows a
/// transaction, and returns the time taken. It measures storing the rows alone, with none
/// of the server's work.
fn prepared_inserts(path: &std::path::Path, rows: usize, batch: usize) -> BenchResult<Duration> {
    let mut connection = rusqlite::Connection::open(path)?;
    connection.pragma_update(None, "synchronous", "NORMAL")?;
    connection.execute(baseline_table!("prepared_positions"), [])?;

    let (org, device, agent) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let started = Instant::now();
    let mut written = 0;
    while written < rows {
        let transaction = connection.transaction()?;
        {
            let mut insert = transaction.prepare_cached(
                "INSERT INTO prepared_positions (organization_id, device_id, agent_id, \
                 fix_time, received_at, latitude, longitude, accuracy_m, speed_mps, battery_pct, \
                 status, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )?;
            for n in written..(written + batch).min(rows) {
                let (time, latitude, longitude, raw) = baseline_raw(n);
                insert.execute(rusqlite::params![
                    &org.as_bytes()[..],
                    &device.as_bytes()[..],
                    &agent.as_bytes()[..],
                    time,
                    time,
                    latitude,
                    longitude,
                    8.0,
                    1.2,
                    80.0,
                    "accepted",
                    raw,
                ])?;
            }
        }
        transaction.commit()?;
        written = (written + batch).min(rows);
    }
    Ok(started.elapsed())
}

/// Inserts `rows` rows like the batch's positions into a plain table without indexes
/// through sqlx, one statement a row, `batch` rows a transaction, and returns the time
/// taken.
async fn raw_inserts(url: &str, rows: usize, batch: usize) -> BenchResult<Duration> {
    // The store's settings: WAL, with a sync to disk only at checkpoints.
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)?
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal)
        .synchronous(sqlx::sqlite::SqliteSynchronous::Normal);
    let pool = sqlx::SqlitePool::connect_with(options).await?;
    sqlx::query(baseline_table!("baseline_positions"))
        .execute(&pool)
        .await?;

    let (org, device, agent) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let started = Instant::now();
    let mut written = 0;
    while written < rows {
        let mut tx = pool.begin().await?;
        for n in written..(written + batch).min(rows) {
            let (time, latitude, longitude, raw) = baseline_raw(n);
            sqlx::query(
                "INSERT INTO baseline_positions (organization_id, device_id, agent_id, \
                 fix_time, received_at, latitude, longitude, accuracy_m, speed_mps, battery_pct, \
                 status, raw) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(org)
            .bind(device)
            .bind(agent)
            .bind(time)
            .bind(time)
            .bind(latitude)
            .bind(longitude)
            .bind(8.0)
            .bind(1.2)
            .bind(80.0)
            .bind("accepted")
            .bind(raw)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        written = (written + batch).min(rows);
    }

    let elapsed = started.elapsed();
    pool.close().await;
    Ok(elapsed)
}

async fn stored_count(
    store: &dyn Store,
    org: OrganizationId,
    agents: &[Agent],
) -> BenchResult<usize> {
    let mut stored = 0;
    for agent in agents {
        stored += store
            .agent_positions(org, agent.id, Timestamp::MIN, Timestamp::MAX)
            .await?
            .len();
    }
    Ok(stored)
}

/// Prints a run's row with its rate against both baselines, sqlx's and the prepared one.
fn positions_row(label: &str, positions: usize, run: &RunResult, baselines: (f64, f64)) {
    let rate = positions as f64 / run.elapsed.as_secs_f64();
    println!(
        "| {label} | {positions} | {:.2} | {rate:.0} | {:.2} | {:.2} |",
        run.elapsed.as_secs_f64(),
        rate / baselines.0,
        rate / baselines.1
    );
}

pub(crate) async fn bench_batch(
    positions: usize,
    connections: usize,
    batch: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    run(positions, connections, batch)
        .await
        .map_err(|error| error.to_string().into())
}

async fn run(positions: usize, connections: usize, batch: usize) -> BenchResult<()> {
    let dir = std::env::temp_dir().join(format!("ronda-bench-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}", dir.join("batch.sqlite").display());
    let store: Arc<dyn Store> = ronda_store::connect(&url, &ConnectOptions::default()).await?;
    store.migrate().await?;

    // Each agent's fixes, one a second, end half an hour ago, inside an open shift.
    let per_agent = positions.div_ceil(connections);
    let span = SignedDuration::from_secs(per_agent as i64 + 1800);
    let start = Timestamp::now() - span - span;
    let (org, created) = agents(
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
    let (address, server) =
        serve(ronda_server::router(AppState::new(store.clone(), settings))).await?;
    let mut fleet = Vec::new();
    for (user, owntracks_user, owntracks_secret) in created {
        let (cookie, csrf_token) = login(address, user.email.as_str()).await?;
        fleet.push(Agent {
            id: user.id,
            cookie,
            csrf_token,
            owntracks_user,
            owntracks_device: "telefono".to_owned(),
            owntracks_secret,
        });
    }
    let fleet = Arc::new(fleet);

    let baseline = raw_inserts(&url, positions, batch).await?;
    let file = dir.join("batch.sqlite");
    let prepared = tokio::task::spawn_blocking(move || {
        prepared_inserts(&file, positions, batch).map_err(|error| error.to_string())
    })
    .await??;
    let start_ms = start.as_millisecond();
    let requests = positions.div_ceil(batch);
    let batch_fleet = fleet.clone();
    let batches = run_clients(
        address,
        connections,
        requests,
        move |connection, n| {
            batch_request(
                &batch_fleet[connection],
                n * batch,
                batch,
                connection,
                start_ms,
            )
        },
        batch_acknowledged,
    )
    .await?;
    let after_batches = stored_count(store.as_ref(), org, &fleet).await?;
    let wal_bytes = std::fs::metadata(dir.join("batch.sqlite-wal")).map_or(0, |meta| meta.len());

    // OwnTracks fixes follow the batches' last fix of each agent.
    let owntracks_start = start_ms + (requests.div_ceil(connections) * batch) as i64 * 1000;
    let owntracks_fleet = fleet.clone();
    let owntracks = run_clients(
        address,
        connections,
        owntracks_messages(positions),
        move |connection, n| {
            owntracks_request(&owntracks_fleet[connection], n, connection, owntracks_start)
        },
        ok_status,
    )
    .await?;
    server.abort();
    let after_owntracks = stored_count(store.as_ref(), org, &fleet).await?;

    let batch_positions = batches.acknowledged;
    println!("\nSQLite: {connections} connections, batches of {batch} positions\n");
    println!(
        "| measurement | positions | seconds | positions/s | vs sqlx baseline | vs prepared baseline |"
    );
    println!("|---|---|---|---|---|---|");
    let base_rate = positions as f64 / baseline.as_secs_f64();
    let prepared_rate = positions as f64 / prepared.as_secs_f64();
    let baselines = (base_rate, prepared_rate);
    println!(
        "| baseline: sqlx inserts, one statement a row, {batch} rows a transaction | {positions} | {:.2} | {base_rate:.0} | 1.00 | {:.2} |",
        baseline.as_secs_f64(),
        base_rate / prepared_rate
    );
    println!(
        "| baseline: one prepared statement, {batch} rows a transaction | {positions} | {:.2} | {prepared_rate:.0} | {:.2} | 1.00 |",
        prepared.as_secs_f64(),
        prepared_rate / base_rate
    );
    positions_row(
        &format!("POST /api/field/positions, {batch} a request"),
        batch_positions,
        &batches,
        baselines,
    );
    positions_row(
        "OwnTracks POST, one position each",
        owntracks.acknowledged,
        &owntracks,
        baselines,
    );
    println!("\n| requests | requests | seconds | requests/s | p50 ms | p99 ms | vs baseline |");
    println!("|---|---|---|---|---|---|---|");
    print_row("field batches", &batches, None);
    print_row("OwnTracks messages", &owntracks, None);
    println!(
        "\nbatch positions acknowledged: {batch_positions}, stored: {after_batches}; \
         OwnTracks acknowledged: {}, stored: {}",
        owntracks.acknowledged,
        after_owntracks - after_batches
    );
    println!(
        "WAL file after the batches: {:.1} MiB",
        wal_bytes as f64 / (1024.0 * 1024.0)
    );
    if after_batches != batch_positions || after_owntracks - after_batches != owntracks.acknowledged
    {
        return Err("acknowledged and stored positions differ".into());
    }
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
