//! Helpers for tests that run against both backends: a fresh SQLite file, or a fresh
//! PostgreSQL database created on the server named by `RONDA_TEST_POSTGRES_URL`.

use std::sync::Arc;

use crate::{ConnectOptions, Store, connect};

/// Environment variable with the URL of a PostgreSQL maintenance database (such as
/// `postgres://postgres@127.0.0.1:5433/postgres`) on which tests create their databases.
pub const POSTGRES_URL_VAR: &str = "RONDA_TEST_POSTGRES_URL";

/// When set to `1`, a missing PostgreSQL server fails the tests instead of skipping them.
pub const REQUIRE_POSTGRES_VAR: &str = "RONDA_REQUIRE_POSTGRES";

/// A migrated store in a temporary directory that lives as long as this value.
pub struct TestStore {
    pub store: Arc<dyn Store>,
    pub url: String,
    _dir: Option<TempDir>,
}

/// A directory removed on drop.
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Creates a migrated SQLite store in a new temporary directory.
pub async fn sqlite() -> TestStore {
    let dir = std::env::temp_dir().join(format!("ronda-test-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("create temporary directory");
    let url = format!("sqlite://{}", dir.join("ronda.sqlite").display());
    let store = connect(&url, &ConnectOptions::default())
        .await
        .expect("open SQLite store");
    store.migrate().await.expect("migrate SQLite store");
    TestStore {
        store,
        url,
        _dir: Some(TempDir(dir)),
    }
}

/// Creates a migrated store in a new PostgreSQL database, or returns `None` (after
/// printing why) when no server is configured and none is required.
pub async fn postgres() -> Option<TestStore> {
    let Ok(admin_url) = std::env::var(POSTGRES_URL_VAR) else {
        assert!(
            std::env::var(REQUIRE_POSTGRES_VAR).as_deref() != Ok("1"),
            "{POSTGRES_URL_VAR} is not set but {REQUIRE_POSTGRES_VAR}=1: start PostgreSQL \
             with scripts/test.sh or set the variable"
        );
        eprintln!("skipping PostgreSQL: {POSTGRES_URL_VAR} is not set");
        return None;
    };
    let name = format!("ronda_test_{}", uuid::Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(&admin_url)
        .await
        .expect("connect to the PostgreSQL maintenance database");
    // The name is made of hex digits here, so it needs no quoting.
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .expect("create test database");
    admin.close().await;

    let mut url = url::Url::parse(&admin_url).expect("valid PostgreSQL URL");
    url.set_path(&name);
    let url = url.to_string();
    let store = connect(&url, &ConnectOptions::default())
        .await
        .expect("open PostgreSQL store");
    store.migrate().await.expect("migrate PostgreSQL store");
    Some(TestStore {
        store,
        url,
        _dir: None,
    })
}
