//! Benchmarks of Ronda's hot paths, each against a baseline measured in the same run.
//!
//! - `ronda-bench import [ROWS]`: streamed portfolio import against raw inserts, on SQLite
//!   and, when `RONDA_BENCH_POSTGRES_URL` is set, on PostgreSQL.
//! - `ronda-bench ingest [POSITIONS] [CONNECTIONS]`: OsmAnd position ingest over HTTP
//!   keep-alive connections against a trivial handler, on SQLite and, when
//!   `RONDA_BENCH_POSTGRES_URL` is set, on PostgreSQL.
//! - `ronda-bench batch [POSITIONS] [CONNECTIONS] [BATCH]`: the field app's position
//!   batches and OwnTracks messages over HTTP on SQLite, against raw inserts of the rows.
//! - `ronda-bench reports [ATTEMPTS]`: the contact-hours heatmap and the productivity report
//!   read from their rollups against full scans of the raw contact attempts, on SQLite and,
//!   when `RONDA_BENCH_POSTGRES_URL` is set, on PostgreSQL.

mod batch;
mod http;
mod import;
mod ingest;
mod reports;

fn count_arg(value: Option<String>, default: usize) -> Result<usize, Box<dyn std::error::Error>> {
    Ok(value
        .map(|text| text.parse())
        .transpose()?
        .unwrap_or(default))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("import") => import::bench_import(count_arg(args.next(), 100_000)?).await,
        Some("ingest") => {
            let positions = count_arg(args.next(), 100_000)?;
            let connections = count_arg(args.next(), 32)?;
            ingest::bench_ingest(positions, connections).await
        }
        Some("batch") => {
            let positions = count_arg(args.next(), 200_000)?;
            let connections = count_arg(args.next(), 16)?;
            let batch = count_arg(args.next(), 500)?;
            if connections == 0 || batch == 0 || batch > 500 {
                eprintln!("batch: CONNECTIONS must be at least 1 and BATCH from 1 to 500");
                std::process::exit(2);
            }
            batch::bench_batch(positions, connections, batch).await
        }
        Some("reports") => reports::bench_reports(count_arg(args.next(), 5_000_000)?)
            .await
            .map_err(|error| error.to_string().into()),
        _ => {
            eprintln!(
                "usage: ronda-bench import [ROWS] | ingest [POSITIONS] [CONNECTIONS] \
                 | batch [POSITIONS] [CONNECTIONS] [BATCH] \
                 | reports [ATTEMPTS]"
            );
            std::process::exit(2);
        }
    }
}
