//! Migration 0015 on SQLite: visits rolled up before it are rolled up again, and their
//! old heatmap rows go, so the worker refills both rollup tables without double counts.
//! Migration 0018 on both stores: promise outcomes of visits keep their status while the
//! table starts to hold promises of contact attempts too.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use uuid::Uuid;

fn migrations_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite")
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
    // Without foreign keys a visit row needs no account, address or form.
    let (pool, dir) = sqlite_before("0015").await;
    let org = Uuid::new_v4();
    let visit = Uuid::new_v4();

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

/// Copies the migrations of `backend` numbered below `before` into `dir/early`.
fn early_migrations(backend: &str, before: &str, dir: &Path) -> PathBuf {
    let early = dir.join("early");
    std::fs::create_dir_all(&early).expect("create directory");
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    for entry in std::fs::read_dir(source).expect("read migrations") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if name.as_str() < before {
            std::fs::copy(&path, early.join(&name)).expect("copy migration");
        }
    }
    early
}

const INSERT_OLD_PROMISE: &str = "INSERT INTO promise_outcomes (visit_id, organization_id, \
    account_id, agent_id, lender_id, portfolio_id, created_on, promised_on, due_on, \
    amount_cents, paid_cents, status, evaluated_at) VALUES ($1, $2, $3, $3, $3, $3, \
    '2026-07-15', '2026-07-20', '2026-07-23', 150050, 50000, 'broken', 77)";

const INSERT_ATTEMPT: &str = "INSERT INTO contact_attempts (id, organization_id, account_id, \
    channel, occurred_at, result_code, recorded_by, created_at) \
    VALUES ($1, $2, $3, 'phone', 10, 'PTP', $3, 10)";

const INSERT_ATTEMPT_PROMISE: &str = "INSERT INTO promise_outcomes (visit_id, \
    contact_attempt_id, organization_id, account_id, agent_id, lender_id, portfolio_id, \
    created_on, promised_on, due_on, amount_cents, status, evaluated_at) \
    VALUES ($1, $2, $3, $4, $4, $4, $4, '2026-07-15', '2026-07-20', '2026-07-23', 100, \
    'pending', 1)";

/// Runs the checks of migration 0018 on `$pool`, a database migrated up to 0017 whose
/// foreign keys are not enforced. `$enforce` turns them on before the deletes. It is a
/// macro because the two pools have different types.
macro_rules! check_contact_promises {
    ($pool:expr, $all:expr, $enforce:expr) => {{
        let pool = $pool;
        let (org, other, visit) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let mut insert = sqlx::query(INSERT_VISIT_PORTABLE).bind(visit).bind(org);
        for _ in 0..4 {
            insert = insert.bind(Uuid::new_v4());
        }
        insert.execute(pool).await.expect("insert visit");
        sqlx::query(INSERT_OLD_PROMISE)
            .bind(visit)
            .bind(org)
            .bind(other)
            .execute(pool)
            .await
            .expect("insert a visit's promise before 0018");

        Migrator::new($all)
            .await
            .expect("load all migrations")
            .run(pool)
            .await
            .expect("run migration 0018");

        let kept: (String, i64, Option<Uuid>) = sqlx::query_as(
            "SELECT status, paid_cents, contact_attempt_id FROM promise_outcomes \
            WHERE visit_id = $1",
        )
        .bind(visit)
        .fetch_one(pool)
        .await
        .expect("the visit's promise survives");
        assert_eq!(kept, ("broken".to_owned(), 50_000, None));

        // A contact attempt's promise fits; a row with no source or with both does not.
        let attempt = Uuid::new_v4();
        sqlx::query(INSERT_ATTEMPT)
            .bind(attempt)
            .bind(org)
            .bind(other)
            .execute(pool)
            .await
            .expect("insert attempt");
        let promise = |visit_id: Option<Uuid>, attempt_id: Option<Uuid>| {
            sqlx::query(INSERT_ATTEMPT_PROMISE)
                .bind(visit_id)
                .bind(attempt_id)
                .bind(org)
                .bind(other)
                .execute(pool)
        };
        promise(None, Some(attempt))
            .await
            .expect("attempt's promise");
        assert!(
            promise(None, None).await.is_err(),
            "a promise needs a source"
        );
        assert!(
            promise(Some(Uuid::new_v4()), Some(Uuid::new_v4()))
                .await
                .is_err(),
            "a promise has one source"
        );
        assert!(
            promise(None, Some(attempt)).await.is_err(),
            "one promise per attempt"
        );

        // Deleting the visit or the attempt deletes its promise.
        sqlx::query(sqlx::AssertSqlSafe($enforce))
            .execute(pool)
            .await
            .expect("enforce foreign keys");
        for (table, id) in [("visits", visit), ("contact_attempts", attempt)] {
            let delete = format!("DELETE FROM {table} WHERE id = $1");
            sqlx::query(sqlx::AssertSqlSafe(delete))
                .bind(id)
                .execute(pool)
                .await
                .expect("delete source");
        }
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM promise_outcomes")
            .fetch_one(pool)
            .await
            .expect("count");
        assert_eq!(left, 0, "promises go with their visit or attempt");
    }};
}

/// [`INSERT_VISIT`] with literals PostgreSQL accepts too.
pub(super) const INSERT_VISIT_PORTABLE: &str = "INSERT INTO visits (id, organization_id, agent_id, \
    account_id, address_id, assigned_to_agent, form_version_id, content_sha256, received_at, \
    status, completed_at, started_at, finished_at, checkin_latitude, checkin_longitude, \
    checkin_accuracy_m, checkin_fix_time, checkin_mock, device_time, server_offset_ms, \
    on_device_decision, on_device_reasons, verdict, verdict_reasons, answers, result_code, \
    body) VALUES ($1, $2, $3, $4, $5, TRUE, $6, 'hash', 10, 'complete', 10, 1, 2, 19.4, \
    -99.1, 12.0, 1, FALSE, 1, 0, 'accepted', '[]', 'verified', '[]', '{}', 'PTP', '{}')";

/// Creates a SQLite file migrated up to the migration numbered `before`, without
/// foreign-key checks, and returns its pool and folder.
pub(super) async fn sqlite_before(before: &str) -> (sqlx::SqlitePool, PathBuf) {
    let dir = std::env::temp_dir().join(format!("ronda-migration-{}", Uuid::new_v4().simple()));
    let early = early_migrations("sqlite", before, &dir);
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
    sqlx::query("PRAGMA foreign_keys = OFF")
        .execute(&pool)
        .await
        .expect("turn off foreign keys");
    (pool, dir)
}

/// A new PostgreSQL database migrated up to the migration numbered `before`.
pub(super) struct PostgresBefore {
    /// One connection, so the session setting applies to every statement. As `replica`,
    /// the session skips foreign-key checks and triggers, so rows need no parents.
    pub pool: sqlx::PgPool,
    admin: sqlx::PgPool,
    name: String,
    dir: PathBuf,
}

impl PostgresBefore {
    /// Creates the database, or returns `None` when no test server is configured.
    pub(super) async fn create(before: &str) -> Option<PostgresBefore> {
        use crate::testing::{POSTGRES_URL_VAR, REQUIRE_POSTGRES_VAR};
        let Ok(admin_url) = std::env::var(POSTGRES_URL_VAR) else {
            assert!(
                std::env::var(REQUIRE_POSTGRES_VAR).as_deref() != Ok("1"),
                "{POSTGRES_URL_VAR} is not set but {REQUIRE_POSTGRES_VAR}=1"
            );
            eprintln!("skipping PostgreSQL: {POSTGRES_URL_VAR} is not set");
            return None;
        };
        let name = format!("ronda_migration_{}", Uuid::new_v4().simple());
        let admin = sqlx::PgPool::connect(&admin_url).await.expect("connect");
        // The name is made of hex digits here, so it needs no quoting.
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&admin)
            .await
            .expect("create database");

        let mut url = url::Url::parse(&admin_url).expect("valid PostgreSQL URL");
        url.set_path(&name);
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .connect(url.as_str())
            .await
            .expect("open");
        sqlx::query("SET session_replication_role = replica")
            .execute(&pool)
            .await
            .expect("skip foreign keys");
        let dir = std::env::temp_dir().join(format!("ronda-migration-{}", Uuid::new_v4().simple()));
        let early = early_migrations("postgres", before, &dir);
        Migrator::new(early.as_path())
            .await
            .expect("load early migrations")
            .run(&pool)
            .await
            .expect("run early migrations");
        Some(PostgresBefore {
            pool,
            admin,
            name,
            dir,
        })
    }

    /// Drops the database and the copied migrations.
    pub(super) async fn drop(self) {
        self.pool.close().await;
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {}", self.name)))
            .execute(&self.admin)
            .await
            .expect("drop database");
        std::fs::remove_dir_all(&self.dir).expect("remove temporary directory");
    }
}

#[tokio::test]
async fn visit_promises_survive_0018_on_sqlite() {
    let (pool, dir) = sqlite_before("0018").await;
    check_contact_promises!(&pool, migrations_dir(), "PRAGMA foreign_keys = ON");
    pool.close().await;
    std::fs::remove_dir_all(&dir).expect("remove temporary directory");
}

#[tokio::test]
async fn visit_promises_survive_0018_on_postgres() {
    let Some(database) = PostgresBefore::create("0018").await else {
        return;
    };
    let all = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/postgres");
    check_contact_promises!(&database.pool, all, "SET session_replication_role = origin");
    database.drop().await;
}
