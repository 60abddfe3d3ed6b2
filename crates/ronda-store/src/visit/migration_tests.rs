//! The SQLite migration that rebuilds `devices` keeps existing devices, their positions
//! and the foreign keys between them.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use uuid::Uuid;

fn migrations_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite")
}

/// Copies the migrations numbered below `before` into a new directory.
fn migrations_before(before: &str, into: &Path) {
    std::fs::create_dir_all(into).expect("create directory");
    for entry in std::fs::read_dir(migrations_dir()).expect("read migrations") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if name.as_str() < before {
            std::fs::copy(&path, into.join(&name)).expect("copy migration");
        }
    }
}

#[tokio::test]
async fn devices_rebuild_keeps_rows() {
    let dir = std::env::temp_dir().join(format!("ronda-migration-{}", Uuid::new_v4().simple()));
    let early = dir.join("early");
    migrations_before("0007", &early);
    let options =
        SqliteConnectOptions::from_str(&format!("sqlite://{}", dir.join("ronda.sqlite").display()))
            .expect("url")
            .create_if_missing(true)
            .foreign_keys(true);
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

    let org = Uuid::new_v4();
    let agent = Uuid::new_v4();
    let device = Uuid::new_v4();
    let statements: [(&str, Vec<Uuid>); 5] = [
        (
            "INSERT INTO organizations (id, name, created_at) VALUES ($1, 'Norte', 1)",
            vec![org],
        ),
        (
            "INSERT INTO users (id, organization_id, email, name, role, password_hash, created_at) \
             VALUES ($1, $2, 'gestor@norte.mx', 'Gestor', 'agent', 'x', 1)",
            vec![agent, org],
        ),
        (
            "INSERT INTO devices (id, organization_id, agent_id, name, kind, device_identifier, \
             secret_hash, created_at) VALUES ($1, $2, $3, 'Teléfono', 'osmand', '4827193056', x'00', 1)",
            vec![device, org, agent],
        ),
        (
            "INSERT INTO positions (organization_id, device_id, agent_id, fix_time, received_at, \
             latitude, longitude, status, older_than_latest, raw) \
             VALUES ($1, $2, $3, 10, 11, 19.4, -99.1, 'accepted', 0, '{}')",
            vec![org, device, agent],
        ),
        (
            "INSERT INTO agent_live_positions (agent_id, organization_id, device_id, position_id, \
             fix_time, received_at, latitude, longitude) VALUES ($1, $2, $3, 1, 10, 11, 19.4, -99.1)",
            vec![agent, org, device],
        ),
    ];
    for (sql, ids) in statements {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for id in ids {
            query = query.bind(id);
        }
        query.execute(&pool).await.expect(sql);
    }

    Migrator::new(migrations_dir().as_path())
        .await
        .expect("load all migrations")
        .run(&pool)
        .await
        .expect("run the remaining migrations");

    let kind: String = sqlx::query_scalar("SELECT kind FROM devices WHERE id = $1")
        .bind(device)
        .fetch_one(&pool)
        .await
        .expect("device kept");
    assert_eq!(kind, "osmand");
    let positions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM positions WHERE device_id = $1")
        .bind(device)
        .fetch_one(&pool)
        .await
        .expect("count positions");
    assert_eq!(positions, 1);
    let violations: Vec<(String,)> = sqlx::query_as("PRAGMA foreign_key_check")
        .fetch_all(&pool)
        .await
        .expect("foreign key check");
    assert!(violations.is_empty(), "{violations:?}");

    sqlx::query(
        "INSERT INTO devices (id, organization_id, agent_id, name, kind, device_identifier, \
         secret_hash, created_at) VALUES ($1, $2, $3, 'Ronda', 'pwa', 'pwa:agent', x'00', 2)",
    )
    .bind(Uuid::new_v4())
    .bind(org)
    .bind(agent)
    .execute(&pool)
    .await
    .expect("a pwa device is allowed");
    let unknown_kind = sqlx::query(
        "INSERT INTO devices (id, organization_id, agent_id, name, kind, device_identifier, \
         secret_hash, created_at) VALUES ($1, $2, $3, 'X', 'gpx', 'other', x'00', 2)",
    )
    .bind(Uuid::new_v4())
    .bind(org)
    .bind(agent)
    .execute(&pool)
    .await;
    assert!(unknown_kind.is_err(), "the kind check still applies");
    let orphan = sqlx::query(
        "INSERT INTO positions (organization_id, device_id, agent_id, fix_time, received_at, \
         status, older_than_latest, raw) VALUES ($1, $2, $3, 20, 21, 'flagged', 0, '{}')",
    )
    .bind(org)
    .bind(Uuid::new_v4())
    .bind(agent)
    .execute(&pool)
    .await;
    assert!(orphan.is_err(), "positions still reference devices");

    pool.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
