//! `ronda-bench reports [N]` times the contact-hours heatmap and the productivity report
//! over N contact attempts (5,000,000 by default) of one organization, read from the
//! rollups through the store methods the API uses, against the same answers computed by a
//! full scan of the raw visits and contact attempts in the same run. It runs on a fresh
//! SQLite file and, when `RONDA_BENCH_POSTGRES_URL` is set, on a fresh PostgreSQL
//! database. Every rollup answer must equal its full-scan answer, or the run fails.

mod db;
mod rollup;
mod scan;
mod scan_productivity;
mod seed;

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use jiff::{Timestamp, ToSpan};
use ronda_store::report::{Dimension, HourCell, ReportFilter};
use ronda_store::{ConnectOptions, Store};
use uuid::Uuid;

use crate::http::BenchResult;
use db::{Db, Loader};
use rollup::Rollups;

/// Timed runs of each rollup query, after one warm-up run.
const RUNS: usize = 9;
/// Timed runs of each full scan, after one warm-up run, unless `RONDA_BENCH_SCAN_RUNS`
/// sets another number (at least 1), for sizes where a scan takes minutes.
fn scan_runs() -> usize {
    std::env::var("RONDA_BENCH_SCAN_RUNS")
        .ok()
        .and_then(|value| value.parse().ok())
        .filter(|&runs| runs > 0)
        .unwrap_or(3)
}

/// Runs `query` once to warm up and `runs` more times; returns the first result and the
/// timed runs in milliseconds.
async fn timed<T, F, Fut>(runs: usize, mut query: F) -> BenchResult<(T, Vec<f64>)>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = BenchResult<T>>,
{
    let answer = query().await?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        query().await?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok((answer, times))
}

fn median(times: &[f64]) -> f64 {
    times[times.len() / 2]
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

fn check<T: PartialEq + std::fmt::Debug>(what: &str, rollup: &T, scan: &T) -> BenchResult<()> {
    if rollup != scan {
        return Err(format!(
            "{what}: rollup answer differs from the full scan\nrollup: {rollup:?}\nscan: {scan:?}"
        )
        .into());
    }
    Ok(())
}

/// Loads the organization and its rollups; returns its id, first agent and today's date.
async fn load(
    store: &dyn Store,
    db: &Db,
    count: usize,
) -> BenchResult<(Uuid, Uuid, jiff::civil::Date)> {
    let fallback =
        ronda_domain::portfolio::bundled_zone(scan::FALLBACK_ZONE).ok_or("fallback zone")?;
    let now = Timestamp::now();
    let today = now.to_zoned_datetime(fallback.clone()).date();
    let started = Instant::now();
    let mut loader = Loader::new(db);
    let fixture = seed::organization(store, &mut loader, today).await?;
    loader.flush().await?;
    let classes: HashMap<String, String> = store
        .result_codes(fixture.org)
        .await?
        .into_iter()
        .map(|code| (code.code, code.class))
        .collect();
    let mut rollups = Rollups::new(fallback, classes);
    let attempts = count / 10;
    fixture
        .visits(count - attempts, today, &mut loader, &mut rollups)
        .await?;
    fixture
        .attempts(attempts, &mut loader, &mut rollups)
        .await?;
    loader.flush().await?;
    let raw = started.elapsed().as_secs_f64();
    let raw_rows = loader.rows;
    rollups
        .load(fixture.org.0, &mut loader, now.as_millisecond())
        .await?;
    loader.finish().await?;
    let judged = store
        .evaluate_pending_promises(&today.to_string(), now)
        .await?;
    if let Db::Postgres(pool) = db {
        // Autovacuum would analyze the new tables soon after a real import.
        sqlx::query("ANALYZE").execute(pool).await?;
    }
    println!(
        "Loaded {raw_rows} raw rows (visits, attempts, payments, accounts, addresses) in {raw:.1} s; \
         rollups and promise evaluation ({judged} promises judged) in {:.1} s more",
        started.elapsed().as_secs_f64() - raw
    );
    for (table, rows) in rollups.sizes() {
        println!("  {table}: {rows} rows");
    }
    Ok((fixture.org.0, fixture.agents[0].0, today))
}

struct Line {
    query: &'static str,
    period: String,
    times: Vec<f64>,
    scan: f64,
}

async fn bench_store(label: &str, store: Arc<dyn Store>, db: Db, count: usize) -> BenchResult<()> {
    println!("\n## {label}, {count} contact attempts\n");
    store.migrate().await?;
    let (org, agent, today) = load(store.as_ref(), &db, count).await?;
    let org_id = ronda_domain::OrganizationId(org);
    let month_start = today.first_of_month().checked_sub(1.month())?;
    let periods = [
        ("year", today.checked_sub(365.days())?, today, None),
        ("month", month_start, month_start.last_of_month(), None),
        (
            "year, one agent",
            today.checked_sub(365.days())?,
            today,
            Some(agent),
        ),
        (
            "year, one zone",
            today.checked_sub(365.days())?,
            today,
            None,
        ),
        (
            "month, one agent",
            month_start,
            month_start.last_of_month(),
            Some(agent),
        ),
    ];
    println!("Load average before measuring: {}", load_average());
    let mut lines = Vec::new();
    for (name, from, to, agent) in periods {
        let filter = ReportFilter {
            from: from.to_string(),
            to: to.to_string(),
            agent_id: agent.map(ronda_domain::UserId),
            zone: name.ends_with("one zone").then(|| {
                let territory = seed::TERRITORIES[0];
                format!("{}|{}", territory.1, territory.2)
            }),
            ..ReportFilter::default()
        };
        let period = format!("{name} ({from} to {to})");
        let (cells, times) = timed(RUNS, || async {
            Ok(store.contact_hours(org_id, &filter).await?)
        })
        .await?;
        let (scanned, scan_times) = timed(scan_runs(), || scan::heatmap(&db, org, &filter)).await?;
        check(&format!("heatmap, {period}"), &cells, &scanned)?;
        let heatmap_scan = median(&scan_times);
        lines.push(Line {
            query: "heatmap (`contact_hours`)",
            period: period.clone(),
            times,
            scan: heatmap_scan,
        });

        // The heatmap's own filters, grouped by the custom reports' verdict too, so the
        // query reads report_rollups, the table with every dimension.
        let mut query = filter.heatmap_query();
        query.dimensions.push(Dimension::Verdict);
        query.limit = 1_000;
        let (rows, times) = timed(RUNS, || async {
            Ok(store.report_rows(org_id, &query).await?)
        })
        .await?;
        // Adds the verdicts of each weekday and hour back together; rows come ordered.
        let mut as_cells: Vec<HourCell> = Vec::new();
        for row in &rows {
            let (weekday, hour) = (row.keys[0].parse()?, row.keys[1].parse()?);
            match as_cells.last_mut() {
                Some(cell) if (cell.weekday, cell.hour) == (weekday, hour) => {
                    cell.attempts += row.attempts;
                    cell.right_party += row.right_party;
                    cell.successes += row.successes;
                    cell.promises += row.promises;
                    cell.promised_cents += row.promised_cents;
                }
                _ => as_cells.push(HourCell {
                    weekday,
                    hour,
                    attempts: row.attempts,
                    right_party: row.right_party,
                    successes: row.successes,
                    promises: row.promises,
                    promised_cents: row.promised_cents,
                }),
            }
        }
        check(&format!("custom heatmap, {period}"), &as_cells, &scanned)?;
        lines.push(Line {
            query: "custom report, weekday x hour x verdict (`report_rows`)",
            period: period.clone(),
            times,
            scan: heatmap_scan,
        });

        if filter.zone.is_some() {
            // The productivity report has no zone filter.
            println!("checked {period}: heatmap and custom report equal their full scans");
            continue;
        }
        let today_text = today.to_string();
        let (agents, times) = timed(RUNS, || async {
            Ok(store.productivity(org_id, &filter).await?)
        })
        .await?;
        let (scanned, scan_times) = timed(scan_runs(), || {
            scan_productivity::productivity(&db, org, &filter, &today_text)
        })
        .await?;
        check(&format!("productivity, {period}"), &agents, &scanned)?;
        println!(
            "checked {period}: {} heatmap cells, {} attempts, {} agent rows equal their full scans",
            cells.len(),
            cells.iter().map(|cell| cell.attempts).sum::<i64>(),
            agents.len()
        );
        lines.push(Line {
            query: "productivity (`productivity`)",
            period,
            times,
            scan: median(&scan_times),
        });
    }
    println!("Load average after measuring: {}\n", load_average());
    println!("| query | period | median ms | max ms | full-scan median ms | full scan / rollup |");
    println!("|---|---|---|---|---|---|");
    lines.sort_by_key(|line| line.query);
    for line in &lines {
        let median = median(&line.times);
        println!(
            "| {} | {} | {median:.1} | {:.1} | {:.0} | {:.1}x |",
            line.query,
            line.period,
            line.times[line.times.len() - 1],
            line.scan,
            line.scan / median
        );
    }
    store.close().await;
    db.close().await;
    Ok(())
}

async fn bench_sqlite(count: usize) -> BenchResult<()> {
    let dir = std::env::temp_dir().join(format!("ronda-bench-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("reports.sqlite");
    let url = format!("sqlite://{}", path.display());
    let store = ronda_store::connect(&url, &ConnectOptions::default()).await?;
    store.migrate().await?;
    let db = Db::open(&url).await?;
    let result = bench_store("SQLite", store, db, count).await;
    if let Ok(size) = std::fs::metadata(&path).map(|meta| meta.len()) {
        println!(
            "\nSQLite file: {:.2} GiB",
            size as f64 / (1u64 << 30) as f64
        );
    }
    std::fs::remove_dir_all(&dir)?;
    result?;

    Ok(())
}

pub(crate) async fn bench_reports(count: usize) -> BenchResult<()> {
    println!(
        "Machine: {} CPUs, load average {}",
        std::thread::available_parallelism()?,
        load_average()
    );
    // RONDA_BENCH_SQLITE=0 measures PostgreSQL only.
    if std::env::var("RONDA_BENCH_SQLITE").as_deref() != Ok("0") {
        bench_sqlite(count).await?;
    }

    if let Ok(admin_url) = std::env::var("RONDA_BENCH_POSTGRES_URL") {
        let name = format!("ronda_bench_{}", Uuid::new_v4().simple());
        let admin = sqlx::PgPool::connect(&admin_url).await?;
        // The name is made of hex digits, so it needs no quoting.
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&admin)
            .await?;
        let (base, _) = admin_url.split_once('?').unwrap_or((&admin_url, ""));
        let (server, _) = base
            .rsplit_once('/')
            .ok_or("RONDA_BENCH_POSTGRES_URL has no database")?;
        let url = format!("{server}/{name}");
        let store = ronda_store::connect(&url, &ConnectOptions::default()).await?;
        let db = Db::open(&url).await?;
        let size = sqlx::query_scalar::<_, i64>("SELECT pg_database_size(current_database())");
        let result = async { bench_store("PostgreSQL", store, db, count).await }.await;
        let bytes: i64 = match sqlx::PgPool::connect(&url).await {
            Ok(pool) => {
                let bytes = size.fetch_one(&pool).await.unwrap_or(0);
                pool.close().await;
                bytes
            }
            Err(_) => 0,
        };
        println!(
            "\nPostgreSQL database: {:.2} GiB",
            bytes as f64 / (1u64 << 30) as f64
        );
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE {name} WITH (FORCE)"
        )))
        .execute(&admin)
        .await?;
        admin.close().await;
        result?;
    }
    Ok(())
}
