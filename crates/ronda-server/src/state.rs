//! Shared state of the running server.

use std::sync::Arc;
use std::time::Duration;

use ronda_store::Store;

use crate::auth::rate_limit::{LoginLimiter, LoginLimits};
use crate::live::LiveHub;
use crate::telemetry::Metrics;
use crate::tracking::cache::IngestCache;
use crate::tracking::rate_limit::{IngestLimiter, IngestLimits};
use crate::tracking::writer::PositionWriter;

/// Settings the server reads at start.
#[derive(Clone, Debug)]
pub struct ServerSettings {
    /// Marks the session cookie `Secure`; turn on whenever Ronda is served over HTTPS.
    pub secure_cookies: bool,
    /// How long a browser session lasts from login.
    pub session_ttl: Duration,
    /// Takes the client IP from the last `X-Forwarded-For` entry, for deployments behind a
    /// reverse proxy. Off by default, because a client can write that header itself.
    pub trust_forwarded_for: bool,
    pub login_limits: LoginLimits,
    /// Days of work an agent may hold: assigning refuses to go beyond the agent's daily
    /// capacity times this number unless the request overrides it.
    pub assignment_capacity_days: u32,
    /// Maximum rate of position messages per tracking device.
    pub ingest_limits: IngestLimits,
    /// Time zone in which an agent's tracking day starts and ends.
    pub tracking_time_zone: jiff::tz::TimeZone,
    /// Notification dispatcher: installation SMTP server, console URL, retries.
    pub notify: crate::notify::NotifySettings,
    /// Geocoder for imported addresses without coordinates; `None` leaves them to a pin.
    pub geocoder: Option<crate::geocode::GeocoderSettings>,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            session_ttl: Duration::from_secs(12 * 60 * 60),
            trust_forwarded_for: false,
            login_limits: LoginLimits::default(),
            assignment_capacity_days: 1,
            ingest_limits: IngestLimits::default(),
            tracking_time_zone: ronda_domain::portfolio::bundled_zone(DEFAULT_TRACKING_TIME_ZONE)
                .unwrap_or(jiff::tz::TimeZone::UTC),
            notify: crate::notify::NotifySettings::default(),
            geocoder: None,
        }
    }
}

/// Where most agents work; configurable with `tracking.time_zone`.
pub const DEFAULT_TRACKING_TIME_ZONE: &str = "America/Mexico_City";

#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Arc<dyn Store>,
    settings: ServerSettings,
    login_limiter: LoginLimiter,
    ingest_limiter: IngestLimiter,
    metrics: Metrics,
    live: LiveHub,
    ingest_cache: Arc<IngestCache>,
    import_jobs: crate::portfolio_import::ImportJobs,
    /// Started on first use, because that is when a Tokio runtime is sure to be running.
    position_writer: std::sync::OnceLock<PositionWriter>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, settings: ServerSettings) -> Self {
        let login_limiter = LoginLimiter::new(settings.login_limits.clone());
        let ingest_limiter = IngestLimiter::new(settings.ingest_limits.clone());
        Self {
            inner: Arc::new(Inner {
                store,
                settings,
                login_limiter,
                ingest_limiter,
                metrics: Metrics::new(),
                live: LiveHub::new(),
                ingest_cache: Arc::default(),
                import_jobs: Default::default(),
                position_writer: std::sync::OnceLock::new(),
            }),
        }
    }

    pub fn store(&self) -> &dyn Store {
        self.inner.store.as_ref()
    }

    /// Returns an owned handle on the store, for work that outlives the request.
    pub fn store_handle(&self) -> Arc<dyn Store> {
        self.inner.store.clone()
    }

    pub fn settings(&self) -> &ServerSettings {
        &self.inner.settings
    }

    pub fn login_limiter(&self) -> &LoginLimiter {
        &self.inner.login_limiter
    }

    pub fn ingest_limiter(&self) -> &IngestLimiter {
        &self.inner.ingest_limiter
    }

    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    pub fn live(&self) -> &LiveHub {
        &self.inner.live
    }

    /// Returns the in-memory copies of what position messages read before their write.
    pub fn import_jobs(&self) -> &crate::portfolio_import::ImportJobs {
        &self.inner.import_jobs
    }

    pub fn ingest_cache(&self) -> &IngestCache {
        &self.inner.ingest_cache
    }

    pub fn position_writer(&self) -> &PositionWriter {
        self.inner.position_writer.get_or_init(|| {
            PositionWriter::start(self.inner.store.clone(), self.inner.ingest_cache.clone())
        })
    }
}
