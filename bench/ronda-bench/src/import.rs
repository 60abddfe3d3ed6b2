//! `ronda-bench import [ROWS]` times a portfolio import of ROWS accounts (100,000 by
//! default) through the streaming import pipeline, from CSV bytes to committed rows, and
//! compares it with raw inserts of the same number of rows measured in the same run. It
//! runs on SQLite, and also on PostgreSQL when `RONDA_BENCH_POSTGRES_URL` is set. Prints
//! one Markdown table row per measurement and the process's peak resident memory.

use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use ronda_domain::OrganizationId;
use ronda_server::portfolio_import::{ImportInput, Progress, pipeline};
use ronda_store::portfolio::{Lender, Portfolio};
use ronda_store::{Actor, AuditEvent, ConnectOptions, Organization, Store};
use uuid::Uuid;

const MUNICIPALITIES: [(&str, &str, &str, f64, f64); 6] = [
    ("Cuauhtémoc", "Ciudad de México", "06000", 19.4326, -99.1332),
    ("Monterrey", "Nuevo León", "64000", 25.6866, -100.3161),
    ("Guadalajara", "Jalisco", "44100", 20.6597, -103.3496),
    ("Benito Juárez", "Quintana Roo", "77500", 21.1619, -86.8515),
    ("Hermosillo", "Sonora", "83000", 29.0729, -110.9559),
    ("Tijuana", "Baja California", "22000", 32.5149, -117.0382),
];

/// Writes a semicolon-separated portfolio file like the ones lenders send.
fn portfolio_csv(rows: usize) -> Vec<u8> {
    let mut text = String::from(
        "No. de crédito;Nombre del cliente;Calle;Núm. ext.;Colonia;C.P.;Alcaldía/Municipio;Estado;Saldo vencido;Días de atraso;Latitud;Longitud;Sucursal\n",
    );
    for i in 0..rows {
        let (municipality, state, postal_code, lat, lon) = MUNICIPALITIES[i % MUNICIPALITIES.len()];
        let jitter = (i % 1000) as f64 / 100_000.0;
        text.push_str(&format!(
            "CR-{i:07};Cliente Núñez {i};Av. Reforma;{};Centro;{postal_code};{municipality};{state};\"$1{},{:03}.50\";{};{:.6};{:.6};Sucursal {}\n",
            i % 900 + 1,
            i % 90,
            i % 1000,
            i % 180,
            lat + jitter,
            lon - jitter,
            i % 12,
        ));
    }
    text.into_bytes()
}

pub(crate) fn audit(org: OrganizationId, action: &'static str) -> AuditEvent {
    AuditEvent {
        organization_id: org,
        actor: Actor::System,
        action,
        target_kind: "portfolio",
        target_id: None,
        details: serde_json::json!({}),
        at: Timestamp::now(),
    }
}

/// Peak resident set size of this process, in MiB, from /proc (Linux only).
pub(crate) fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Creates an organization, a lender and a portfolio to import into.
async fn portfolio(store: &dyn Store) -> Result<Portfolio, Box<dyn std::error::Error>> {
    let org = Organization {
        id: OrganizationId::new(),
        name: format!("Despacho Bench {}", Uuid::new_v4().simple()),
        created_at: Timestamp::now(),
    };
    store
        .create_organization(&org, &audit(org.id, "organization.created"))
        .await?;
    let lender = Lender {
        id: Uuid::now_v7(),
        organization_id: org.id,
        name: "Financiera".into(),
        redeco_registration: None,
        complaint_unit_contact: None,
        collection_phones: vec![],
        payment_references: vec![],
        created_at: Timestamp::now(),
    };
    store
        .create_lender(&lender, &audit(org.id, "lender.created"))
        .await?;
    let portfolio = Portfolio {
        id: Uuid::now_v7(),
        organization_id: org.id,
        lender_id: lender.id,
        lender_name: lender.name.clone(),
        name: "Bench".into(),
        account_count: 0,
        created_at: Timestamp::now(),
    };
    store
        .create_portfolio(&portfolio, &audit(org.id, "portfolio.created"))
        .await?;
    Ok(portfolio)
}

/// Runs one streamed import of `csv` and returns its duration and counts.
async fn timed_import(
    store: &Arc<dyn Store>,
    portfolio: &Portfolio,
    csv: &Arc<Vec<u8>>,
) -> Result<(Duration, ronda_store::portfolio::ImportCounts), Box<dyn std::error::Error>> {
    let table_head = ronda_import::read_rows(csv, None, &mut |_| false)?;
    let input = ImportInput {
        portfolio: portfolio.clone(),
        file: csv.clone(),
        sheet: None,
        mapping: ronda_import::Mapping::suggest(&table_head.headers),
        commit: true,
        audit: audit(portfolio.organization_id, "portfolio.imported"),
    };
    let started = Instant::now();
    let outcome = pipeline::run(store.clone(), input, Arc::new(Progress::default())).await?;
    assert_eq!(outcome.rejected, 0, "{:?}", outcome.problems.first());
    Ok((started.elapsed(), outcome.counts))
}

/// Measures a whole import, a re-import and the raw-insert baseline on one store.
async fn bench_store(
    name: &str,
    store: Arc<dyn Store>,
    csv: &Arc<Vec<u8>>,
    rows: usize,
    baseline: Duration,
) -> Result<(), Box<dyn std::error::Error>> {
    store.migrate().await?;
    let portfolio = portfolio(store.as_ref()).await?;
    let (import, counts) = timed_import(&store, &portfolio, csv).await?;
    assert_eq!(counts.created as usize, rows);
    let (reimport, again) = timed_import(&store, &portfolio, csv).await?;
    assert_eq!(again.unchanged as usize, rows);

    let row = |measurement: &str, elapsed: Duration| {
        let seconds = elapsed.as_secs_f64();
        println!(
            "| {name} | {measurement} | {rows} | {seconds:.2} | {:.0} | {:.1}x |",
            rows as f64 / seconds,
            seconds / baseline.as_secs_f64()
        )
    };
    row("read, validate and import, all new", import);
    row("read, validate and re-import, all unchanged", reimport);
    row("baseline: raw inserts, 1 row each", baseline);
    store.close().await;
    Ok(())
}

pub(crate) async fn bench_import(rows: usize) -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("ronda-bench-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}", dir.join("bench.sqlite").display());
    let csv = Arc::new(portfolio_csv(rows));
    let mib = csv.len() as f64 / (1024.0 * 1024.0);
    println!("Portfolio file: {rows} accounts, {mib:.1} MiB of CSV\n");
    println!("| store | measurement | rows | seconds | rows/s | vs baseline |");
    println!("|---|---|---|---|---|---|");

    let store = ronda_store::connect(&url, &ConnectOptions::default()).await?;
    store.migrate().await?;
    let pool = sqlx::SqlitePool::connect(&url).await?;
    let baseline = sqlite_baseline(&pool, rows).await?;
    pool.close().await;
    bench_store("SQLite", store, &csv, rows, baseline).await?;

    if let Ok(url) = std::env::var("RONDA_BENCH_POSTGRES_URL") {
        let pool = sqlx::PgPool::connect(&url).await?;
        let baseline = postgres_baseline(&pool, rows).await?;
        pool.close().await;
        let postgres = ronda_store::connect(&url, &ConnectOptions::default()).await?;
        bench_store("PostgreSQL", postgres, &csv, rows, baseline).await?;
    }
    if let Some(peak) = peak_memory_mib() {
        println!("\nPeak resident memory of the whole run: {peak:.0} MiB");
    }
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

/// Inserts the same number of plain rows into one SQLite table, in one transaction.
async fn sqlite_baseline(
    pool: &sqlx::SqlitePool,
    rows: usize,
) -> Result<Duration, Box<dyn std::error::Error>> {
    sqlx::query(
        "CREATE TABLE baseline (id BLOB PRIMARY KEY, account TEXT NOT NULL, cents INTEGER)",
    )
    .execute(pool)
    .await?;
    let started = Instant::now();
    let mut tx = pool.begin().await?;
    for i in 0..rows {
        sqlx::query("INSERT INTO baseline (id, account, cents) VALUES ($1, $2, $3)")
            .bind(Uuid::now_v7())
            .bind(format!("CR-{i:07}"))
            .bind(i as i64)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(started.elapsed())
}

/// Inserts the same number of plain rows into one PostgreSQL table, in one transaction.
async fn postgres_baseline(
    pool: &sqlx::PgPool,
    rows: usize,
) -> Result<Duration, Box<dyn std::error::Error>> {
    sqlx::query("DROP TABLE IF EXISTS bench_import_baseline")
        .execute(pool)
        .await?;
    sqlx::query(
        "CREATE TABLE bench_import_baseline (id uuid PRIMARY KEY, account text NOT NULL, cents bigint)",
    )
    .execute(pool)
    .await?;
    let started = Instant::now();
    let mut tx = pool.begin().await?;
    for i in 0..rows {
        sqlx::query("INSERT INTO bench_import_baseline (id, account, cents) VALUES ($1, $2, $3)")
            .bind(Uuid::now_v7())
            .bind(format!("CR-{i:07}"))
            .bind(i as i64)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    let elapsed = started.elapsed();
    sqlx::query("DROP TABLE bench_import_baseline")
        .execute(pool)
        .await?;
    Ok(elapsed)
}
