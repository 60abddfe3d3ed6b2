//! Migration 0015 on SQLite: visits rolled up before it are rolled up again, and their
//! old heatmap rows go, so the worker refills both rollup tables without double counts.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use uuid::Uuid;

fn migrations_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite")
}

/// Opens a new SQLite file with the migrations numbered below 0015.
async fn database_before_0015(dir: &Path) -> sqlx::SqlitePool {
    let early = dir.join("early");
    std::fs::create_dir_all(&early).expect("create directory");
    for entry in std::fs::read_dir(migrations_dir()).expect("read migrations") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if name.as_str() < "0015" {
            std::fs::copy(&path, early.join(&name)).expect("copy migration");
        }
    }
    let url = format!("sqlite://{}", dir.join("ronda.sqlite").display());
    let options = SqliteConnectOptions::from_str(&url)
        .expect("url")
        .create_if_missing(true)
        .foreign_keys(false);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
        .expect("open");
    Migrator::new(early.as_path())
        .await
        .expect("load early migrations")
        .run(&pool)
        .await
        .expect("run early migrations");
    pool
}

const INSERT_VISIT: &str = "INSERT INTO visits (id, organization_id, agent_id, account_id, \
    address_id, assigned_to_agent, form_version_id, content_sha256, received_at, status, \
    completed_at, started_at, finished_at, checkin_latitude, checkin_longitude, \
    checkin_accuracy_m, checkin_fix_time, checkin_mock, device_time, server_offset_ms, \
    on_device_decision, on_device_reasons, verdict, verdict_reasons, answers, result_code, \
    body, rolled_up_at) VALUES ($1, $2, $3, $4, $5, 1, $6, 'hash', 10, 'complete', 10, 1, 2, \
    19.4, -99.1, 12.0, 1, 0, 1, 0, 'accepted', '[]', 'verified', '[]', '{}', 'PTP', '{}', 50)";

const INSERT_ROLLUP: &str = "INSERT INTO contact_hour_rollups (organization_id, local_date, \
    weekday, hour, lender_id, portfolio_id, agent_id, channel, attempts, right_party, successes, \
    promises, promised_cents) VALUES ($1, '2026-07-15', 3, 12, $2, $2, $2, $3, 1, 1, 1, 0, 0)";

#[tokio::test]
async fn rolled_up_visits_are_rolled_up_again() {
    let dir = std::env::temp_dir().join(format!("ronda-migration-{}", Uuid::new_v4().simple()));
    let pool = database_before_0015(&dir).await;
    let org = Uuid::new_v4();
    let visit = Uuid::new_v4();

    // Without foreign keys a visit row needs no account, address or form.
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&pool)
        .await
        .expect("turn off foreign keys");
    let mut insert = sqlx::query(INSERT_VISIT).bind(visit).bind(org);
    for _ in 0..4 {
        insert = insert.bind(Uuid::new_v4());
    }
    insert.execute(&pool).await.expect("insert visit");
    for channel in ["visit", "phone"] {
        sqlx::query(INSERT_ROLLUP)
            .bind(org)
            .bind(Uuid::new_v4())
            .bind(channel)
            .execute(&pool)
            .await
            .expect("insert rollup");
    }

    Migrator::new(migrations_dir().as_path())
        .await
        .expect("load all migrations")
        .run(&pool)
        .await
        .expect("run the remaining migrations");

    let rolled_up_at: Option<i64> =
        sqlx::query_scalar("SELECT rolled_up_at FROM visits WHERE id = $1")
            .bind(visit)
            .fetch_one(&pool)
            .await
            .expect("visit kept");
    assert_eq!(rolled_up_at, None, "the worker rolls the visit up again");
    let channels: Vec<String> = sqlx::query_scalar("SELECT channel FROM contact_hour_rollups")
        .fetch_all(&pool)
        .await
        .expect("rollups");
    assert_eq!(channels, ["phone"], "only visit rows are removed");
    let report_rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM report_rollups")
        .fetch_one(&pool)
        .await
        .expect("report rollups");
    assert_eq!(report_rows, 0);

    pool.close().await;
    std::fs::remove_dir_all(&dir).expect("remove temporary directory");
}
