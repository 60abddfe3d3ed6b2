//! The embedded SQLite store: one file in WAL mode, foreign keys on, a busy timeout so
//! concurrent writers wait instead of failing.

mod positions;

use std::str::FromStr;
use std::sync::Arc;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool};

use crate::assignment::shared_impl::impl_assignment_store;
use crate::catalogue::impl_result_code_store;
use crate::contact::shared_impl::impl_contact_store;
use crate::form::shared_impl::impl_form_store;
use crate::geocode::impl_geocode_store;
use crate::organization::shared_impl::impl_organization_settings_store;
use crate::outbox::shared_impl::impl_outbox_store;
use crate::payment::shared_impl::impl_payment_store;
use crate::portfolio::lender_settings::impl_lender_settings_store;
use crate::portfolio::shared_impl::impl_portfolio_store;
use crate::report::impl_report_store;
use crate::report::productivity::impl_productivity_store;
use crate::shared_impl::impl_store;
use crate::today::impl_today_store;
use crate::tracking::history::impl_tracking_history_store;
use crate::tracking::shared_impl::impl_tracking_store;
use crate::visit::review::shared_impl::impl_visit_review_store;
use crate::visit::shared_impl::impl_visit_store;
use crate::{Backend, ConnectOptions, StoreError, StoreResult};
use positions::PositionThread;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// The thread that stores positions, the most frequent write, on a connection of its
    /// own.
    positions: Arc<PositionThread>,
}

impl SqliteStore {
    const BACKEND: Backend = Backend::Sqlite;

    /// Starts write transactions with the write lock taken, so a transaction that reads
    /// before it writes waits on the busy timeout instead of failing with SQLITE_BUSY
    /// when another connection committed since its read.
    const BEGIN_WRITE: &'static str = "BEGIN IMMEDIATE";

    /// Not needed: SQLite plans each statement when it is prepared.
    const CUSTOM_PLANS: Option<&'static str> = None;

    /// Not needed: `BEGIN IMMEDIATE` already serializes every writer.
    const LOCK_ATTACHMENT: Option<&'static str> = None;

    /// Opens (and creates when missing) the database file named by a `sqlite://PATH` URL.
    pub async fn connect(url: &str, options: &ConnectOptions) -> StoreResult<Self> {
        let connect_options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // NORMAL is durable in WAL mode except for the last transactions before a
            // power loss, which is the usual trade-off for WAL.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(options.busy_timeout);
        let pool = SqlitePoolOptions::new()
            .max_connections(options.max_connections)
            .connect_with(connect_options.clone())
            .await?;
        // The pool's first connection created the file and put it in WAL mode.
        let path = connect_options.get_filename();
        if path.as_os_str() == ":memory:" {
            return Err(StoreError::UnsupportedUrl(url.to_owned()));
        }
        let positions = PositionThread::start(path, options.busy_timeout)?;
        Ok(Self {
            pool,
            positions: Arc::new(positions),
        })
    }

    async fn run_migrations(&self) -> StoreResult<()> {
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }
}

impl_store!(SqliteStore, Sqlite);
impl_portfolio_store!(SqliteStore, Sqlite);
impl_assignment_store!(SqliteStore, Sqlite);
impl_form_store!(SqliteStore, Sqlite);
impl_contact_store!(SqliteStore, Sqlite);
impl_geocode_store!(SqliteStore);
impl_today_store!(SqliteStore);
impl_tracking_store!(SqliteStore, Sqlite);
impl_visit_store!(SqliteStore, Sqlite);
impl_visit_review_store!(SqliteStore, Sqlite);
impl_tracking_history_store!(SqliteStore);
impl_report_store!(SqliteStore);
impl_result_code_store!(SqliteStore);
impl_lender_settings_store!(SqliteStore);
impl_organization_settings_store!(SqliteStore);
impl_payment_store!(SqliteStore);
impl_productivity_store!(SqliteStore);
impl_outbox_store!(SqliteStore, Sqlite);
