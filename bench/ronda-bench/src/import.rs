//! `ronda-bench import [ROWS]` times a portfolio import of ROWS accounts (100,000 by
//! default) on SQLite, from CSV bytes to committed rows, and compares it with raw SQLite
//! inserts of the same number of rows measured in the same run. Prints one Markdown table
//! row per measurement and the process's peak resident memory.

use std::time::Instant;

use jiff::Timestamp;
use ronda_domain::OrganizationId;
use ronda_server::api::imports::account_import;
use ronda_store::portfolio::{AccountImport, Lender, Portfolio};
use ronda_store::{Actor, AuditEvent, ConnectOptions, Organization};
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

pub(crate) async fn bench_import(rows: usize) -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("ronda-bench-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}", dir.join("bench.sqlite").display());
    let store = ronda_store::connect(&url, &ConnectOptions::default()).await?;
    store.migrate().await?;

    let org = Organization {
        id: OrganizationId::new(),
        name: "Despacho Bench".into(),
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

    let csv = portfolio_csv(rows);
    let started = Instant::now();
    let table = ronda_import::read_table(&csv, None)?;
    let mapping = ronda_import::Mapping::suggest(&table.headers);
    let validation = ronda_import::validate(&table, &mapping);
    let parse = started.elapsed();
    assert_eq!(
        validation.accounts.len(),
        rows,
        "every generated row is valid: {:?}",
        validation.problems.first()
    );
    let accounts: Vec<AccountImport> = validation
        .accounts
        .into_iter()
        .map(account_import)
        .collect();
    drop(table);

    let started = Instant::now();
    let counts = store
        .import_accounts(
            &portfolio,
            &accounts,
            true,
            &audit(org.id, "portfolio.imported"),
        )
        .await?;
    let import = started.elapsed();
    assert_eq!(counts.created as usize, rows);

    let started = Instant::now();
    let again = store
        .import_accounts(
            &portfolio,
            &accounts,
            true,
            &audit(org.id, "portfolio.imported"),
        )
        .await?;
    let reimport = started.elapsed();
    assert_eq!(again.unchanged as usize, rows);

    // Baseline: the same number of plain rows into one table, in one transaction.
    let pool = sqlx::SqlitePool::connect(&url).await?;
    sqlx::query(
        "CREATE TABLE baseline (id BLOB PRIMARY KEY, account TEXT NOT NULL, cents INTEGER)",
    )
    .execute(&pool)
    .await?;
    let started = Instant::now();
    let mut tx = pool.begin().await?;
    for account in &accounts {
        sqlx::query("INSERT INTO baseline (id, account, cents) VALUES ($1, $2, $3)")
            .bind(Uuid::now_v7())
            .bind(&account.lender_account_id)
            .bind(account.overdue_cents)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    let baseline = started.elapsed();

    let mib = csv.len() as f64 / (1024.0 * 1024.0);
    println!("| measurement | rows | seconds | rows/s | vs baseline |");
    println!("|---|---|---|---|---|");
    let row = |name: &str, seconds: f64| {
        println!(
            "| {name} | {rows} | {seconds:.2} | {:.0} | {:.1}x |",
            rows as f64 / seconds,
            seconds / baseline.as_secs_f64()
        )
    };
    row(
        &format!("read + validate CSV ({mib:.1} MiB)"),
        parse.as_secs_f64(),
    );
    row(
        "import, all new (1 account + debtor + address each)",
        import.as_secs_f64(),
    );
    row("re-import, all unchanged", reimport.as_secs_f64());
    row(
        "baseline: raw SQLite inserts, 1 row each",
        baseline.as_secs_f64(),
    );
    if let Some(peak) = peak_memory_mib() {
        println!("\nPeak resident memory of the whole run: {peak:.0} MiB");
    }
    pool.close().await;
    store.close().await;
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
