//! The SQLite migrations that rebuild `devices` and `events` keep existing rows and the
//! foreign keys that point at them.

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

/// Opens a new SQLite file in `dir` with the migrations numbered below `before`.
async fn database_before(dir: &Path, before: &str) -> sqlx::SqlitePool {
    let early = dir.join("early");
    migrations_before(before, &early);
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
    pool
}

async fn run_all(pool: &sqlx::SqlitePool) {
    Migrator::new(migrations_dir().as_path())
        .await
        .expect("load all migrations")
        .run(pool)
        .await
        .expect("run the remaining migrations");
}

async fn execute(pool: &sqlx::SqlitePool, statements: &[(&'static str, Vec<Uuid>)]) {
    for (sql, ids) in statements {
        let mut query = sqlx::query(sqlx::AssertSqlSafe(*sql));
        for id in ids {
            query = query.bind(*id);
        }
        query.execute(pool).await.expect(sql);
    }
}

fn temp_dir() -> PathBuf {
    std::env::temp_dir().join(format!("ronda-migration-{}", Uuid::new_v4().simple()))
}

#[tokio::test]
async fn devices_rebuild_keeps_rows() {
    let dir = temp_dir();
    let pool = database_before(&dir, "0007").await;

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
    execute(&pool, &statements).await;
    run_all(&pool).await;

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

#[tokio::test]
async fn events_rebuild_keeps_deliveries() {
    let dir = temp_dir();
    let pool = database_before(&dir, "0011").await;
    let (org, event, delivery) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    let statements: [(&str, Vec<Uuid>); 3] = [
        (
            "INSERT INTO organizations (id, name, created_at) VALUES ($1, 'Norte', 1)",
            vec![org],
        ),
        (
            "INSERT INTO events (id, organization_id, kind, subject_id, payload, occurred_at, \
             created_at) VALUES ($1, $2, 'visit.completed', $1, '{}', 10, 11)",
            vec![event, org],
        ),
        (
            "INSERT INTO email_deliveries (id, organization_id, event_id, recipient, language, \
             state, attempts, next_attempt_at, message_id, created_at) \
             VALUES ($1, $2, $3, 'a@norte.mx', 'es', 'pending', 0, 12, '<m@x>', 12)",
            vec![delivery, org, event],
        ),
    ];
    execute(&pool, &statements).await;
    run_all(&pool).await;

    let kind: String = sqlx::query_scalar("SELECT kind FROM events WHERE id = $1")
        .bind(event)
        .fetch_one(&pool)
        .await
        .expect("event kept");
    assert_eq!(kind, "visit.completed");
    let violations: Vec<(String,)> = sqlx::query_as("PRAGMA foreign_key_check")
        .fetch_all(&pool)
        .await
        .expect("foreign key check");
    assert!(violations.is_empty(), "{violations:?}");
    let enforced: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&pool)
        .await
        .expect("pragma");
    assert_eq!(enforced, 1, "foreign keys are on again");

    let summary = |id: Uuid| {
        sqlx::query(
            "INSERT INTO events (id, organization_id, kind, subject_id, payload, occurred_at, \
             created_at) VALUES ($1, $2, 'daily.summary', $2, '{}', 86400000, 20)",
        )
        .bind(id)
        .bind(org)
    };
    summary(Uuid::new_v4())
        .execute(&pool)
        .await
        .expect("the new kind is allowed");
    let second = summary(Uuid::new_v4()).execute(&pool).await;
    assert!(second.is_err(), "one summary per organization and day");
    let orphan = sqlx::query(
        "INSERT INTO email_deliveries (id, organization_id, event_id, recipient, language, \
         state, attempts, next_attempt_at, message_id, created_at) \
         VALUES ($1, $2, $3, 'b@norte.mx', 'es', 'pending', 0, 12, '<n@x>', 12)",
    )
    .bind(Uuid::new_v4())
    .bind(org)
    .bind(Uuid::new_v4())
    .execute(&pool)
    .await;
    assert!(orphan.is_err(), "deliveries still reference events");

    pool.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
