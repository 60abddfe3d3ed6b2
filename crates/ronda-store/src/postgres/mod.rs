//! The PostgreSQL store, for organizations that outgrow one machine.

mod positions;

use sqlx::postgres::PgPoolOptions;
use sqlx::{PgPool, Postgres};

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
use crate::{Backend, ConnectOptions, StoreResult};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Clone, Debug)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    const BACKEND: Backend = Backend::Postgres;

    /// Starts write transactions; PostgreSQL's row locks need no special mode.
    const BEGIN_WRITE: &'static str = "BEGIN";

    /// Plans each statement of a transaction for its own parameters. Imports need it: a
    /// cached generic plan, made while the accounts table was nearly empty, scanned the
    /// whole table for every lookup, and a 100,000-row import took over 20 minutes.
    /// Reports need it because their `($n IS NULL OR column = $n)` filters call for a
    /// different plan with and without each filter.
    const CUSTOM_PLANS: Option<&'static str> =
        Some("SET LOCAL plan_cache_mode = force_custom_plan");

    /// Serializes the transactions that store a visit and one of its files, so one of them
    /// always sees the other's commit and completes the visit. The lock ends with the
    /// transaction.
    const LOCK_ATTACHMENT: Option<&'static str> =
        Some("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))");

    pub async fn connect(url: &str, options: &ConnectOptions) -> StoreResult<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(options.max_connections)
            .acquire_timeout(std::time::Duration::from_secs(10))
            .connect(url)
            .await?;
        Ok(Self { pool })
    }

    /// Does nothing: positions use the shared pool, because PostgreSQL connections share
    /// the server's buffer cache.
    async fn close_positions(&self) {}

    async fn run_migrations(&self) -> StoreResult<()> {
        MIGRATOR.run(&self.pool).await?;
        Ok(())
    }
}

impl_store!(PgStore, Postgres);
impl_portfolio_store!(PgStore, Postgres);
impl_assignment_store!(PgStore, Postgres);
impl_form_store!(PgStore, Postgres);
impl_contact_store!(PgStore, Postgres);
impl_geocode_store!(PgStore);
impl_today_store!(PgStore);
impl_tracking_store!(PgStore, Postgres);
impl_visit_store!(PgStore, Postgres);
impl_visit_review_store!(PgStore, Postgres);
impl_tracking_history_store!(PgStore);
impl_report_store!(PgStore);
impl_result_code_store!(PgStore);
impl_lender_settings_store!(PgStore);
impl_organization_settings_store!(PgStore);
impl_payment_store!(PgStore);
impl_productivity_store!(PgStore);
impl_outbox_store!(PgStore, Postgres);
