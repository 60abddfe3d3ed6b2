//! Configuration in layers: defaults in code, then `ronda.toml`, then `RONDA_` environment
//! variables (sections split by a double underscore, as in `RONDA_DATABASE__URL`), then
//! command-line flags.

use std::path::Path;
use std::time::Duration;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use ronda_server::ServerSettings;
use ronda_server::auth::rate_limit::LoginLimits;
use ronda_server::tracking::rate_limit::IngestLimits;
use serde::{Deserialize, Serialize};

mod errors;
mod geocoder;
mod notify;

pub use geocoder::GeocoderConfig;

pub use notify::{NotificationsConfig, SmtpConfig};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    pub database: DatabaseConfig,
    pub server: ServerConfig,
    pub login: LoginConfig,
    pub log: LogConfig,
    pub assignments: AssignmentsConfig,
    pub tracking: TrackingConfig,
    pub smtp: SmtpConfig,
    pub notifications: NotificationsConfig,
    pub geocoder: GeocoderConfig,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabaseConfig {
    pub url: String,
    pub max_connections: u32,
    pub busy_timeout_ms: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    pub listen: String,
    pub secure_cookies: bool,
    pub trust_forwarded_for: bool,
    pub session_ttl_hours: u64,
    /// The console's address as users reach it, for links in emails; empty leaves them out.
    pub public_url: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LoginConfig {
    pub max_failures_per_account: usize,
    pub max_failures_per_ip: usize,
    pub window_minutes: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AssignmentsConfig {
    /// Days of work an agent may hold, in multiples of the agent's daily capacity.
    pub capacity_days: u32,
}

impl Default for AssignmentsConfig {
    fn default() -> Self {
        Self { capacity_days: 1 }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TrackingConfig {
    /// Extra listener for Traccar Client's default port; empty turns it off.
    pub osmand_listen: String,
    /// Position messages accepted per device and minute.
    pub max_messages_per_minute: usize,
    /// Days raw positions are kept; 0 keeps them forever. Daily summaries stay.
    pub retention_days: u32,
    /// IANA time zone in which agents' days start and end.
    pub time_zone: String,
}

impl Default for TrackingConfig {
    fn default() -> Self {
        Self {
            osmand_listen: "127.0.0.1:5055".into(),
            max_messages_per_minute: 120,
            retention_days: 90,
            time_zone: ronda_server::state::DEFAULT_TRACKING_TIME_ZONE.into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    pub filter: String,
    pub format: LogFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: "sqlite://ronda.sqlite".into(),
            max_connections: 8,
            busy_timeout_ms: 5000,
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            secure_cookies: false,
            trust_forwarded_for: false,
            session_ttl_hours: 12,
            public_url: String::new(),
        }
    }
}

impl Default for LoginConfig {
    fn default() -> Self {
        Self {
            max_failures_per_account: 5,
            max_failures_per_ip: 20,
            window_minutes: 15,
        }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            filter: "info".into(),
            format: LogFormat::Text,
        }
    }
}

/// Sections that environment variables may set. Other `RONDA_` variables (such as the
/// test suite's) are not configuration and are ignored.
const SECTIONS: [&str; 9] = [
    "database",
    "server",
    "login",
    "log",
    "assignments",
    "tracking",
    "smtp",
    "notifications",
    "geocoder",
];

/// Loads the configuration. A file named with `--config` must exist; the default
/// `ronda.toml` is read only when present.
pub fn load(path: Option<&Path>) -> anyhow::Result<Config> {
    let mut figment = Figment::from(Serialized::defaults(Config::default()));
    match path {
        Some(path) => {
            anyhow::ensure!(
                path.exists(),
                "configuration file {} does not exist",
                path.display()
            );
            figment = figment.merge(Toml::file_exact(path));
        }
        None if Path::new("ronda.toml").exists() => {
            figment = figment.merge(Toml::file_exact("ronda.toml"))
        }
        None => {}
    }
    let env = Env::prefixed("RONDA_")
        .filter(|key| {
            let key = key.as_str().to_ascii_lowercase();
            let section = key.split("__").next().unwrap_or_default();
            key.contains("__") && SECTIONS.contains(&section)
        })
        .split("__");
    errors::check_environment_sections(&SECTIONS)?;
    let config: Config = figment.merge(env).extract().map_err(errors::describe)?;
    config.tracking_time_zone()?;
    config.smtp.server()?;
    config.smtp.extra_roots()?;
    config.geocoder.check()?;
    config.check_limits()?;
    anyhow::ensure!(
        config.notifications.daily_summary_hour <= 23,
        "invalid configuration: notifications.daily_summary_hour {} must be an hour from 0 to 23",
        config.notifications.daily_summary_hour
    );
    Ok(config)
}

impl Config {
    /// Rejects a zero limit or window, which would lock out every login or every tracking
    /// message, or never count failures.
    fn check_limits(&self) -> anyhow::Result<()> {
        let limits = [
            (
                "login.max_failures_per_account",
                self.login.max_failures_per_account as u64,
            ),
            (
                "login.max_failures_per_ip",
                self.login.max_failures_per_ip as u64,
            ),
            ("login.window_minutes", self.login.window_minutes),
            (
                "tracking.max_messages_per_minute",
                self.tracking.max_messages_per_minute as u64,
            ),
        ];
        for (key, value) in limits {
            anyhow::ensure!(
                value > 0,
                "invalid configuration: {key} is 0. Write a whole number from 1"
            );
        }
        Ok(())
    }

    /// The zone named by `tracking.time_zone`, from the tz database inside the binary.
    pub fn tracking_time_zone(&self) -> anyhow::Result<jiff::tz::TimeZone> {
        ronda_domain::portfolio::bundled_zone(&self.tracking.time_zone).ok_or_else(|| {
            anyhow::anyhow!(
                "invalid configuration: tracking.time_zone {:?} is not an IANA time zone name such as \"America/Mexico_City\"",
                self.tracking.time_zone
            )
        })
    }

    pub fn server_settings(&self) -> ServerSettings {
        ServerSettings {
            secure_cookies: self.server.secure_cookies,
            session_ttl: Duration::from_secs(self.server.session_ttl_hours * 3600),
            trust_forwarded_for: self.server.trust_forwarded_for,
            login_limits: LoginLimits {
                max_failures_per_account: self.login.max_failures_per_account,
                max_failures_per_ip: self.login.max_failures_per_ip,
                window: Duration::from_secs(self.login.window_minutes * 60),
            },
            assignment_capacity_days: self.assignments.capacity_days.max(1),
            ingest_limits: IngestLimits {
                max_messages: self.tracking.max_messages_per_minute.max(1),
                window: Duration::from_secs(60),
            },
            // load() has checked the name, so the fallback never applies to a loaded file.
            tracking_time_zone: self.tracking_time_zone().unwrap_or(jiff::tz::TimeZone::UTC),
            notify: notify::notify_settings(
                &self.smtp,
                &self.notifications,
                &self.server.public_url,
            ),
            geocoder: self.geocoder.settings(),
        }
    }

    pub fn connect_options(&self) -> ronda_store::ConnectOptions {
        ronda_store::ConnectOptions {
            max_connections: self.database.max_connections,
            busy_timeout: Duration::from_millis(self.database.busy_timeout_ms),
        }
    }
}

/// A fully commented configuration file with every default, printed by `ronda config example`.
pub const EXAMPLE: &str = r#"# Ronda configuration. Every value below is the default; delete what you do not change.
# Each setting can also come from an environment variable: RONDA_<SECTION>__<KEY>, for
# example RONDA_DATABASE__URL or RONDA_SERVER__LISTEN. Flags win over variables, and
# variables win over this file.

[database]
# sqlite://PATH for the embedded store (the file is created when missing), or
# postgres://USER:PASSWORD@HOST:PORT/DATABASE for PostgreSQL.
url = "sqlite://ronda.sqlite"
# Connections kept open to the database.
max_connections = 8
# SQLite only: how long, in milliseconds, a write waits for another write to finish.
busy_timeout_ms = 5000

[server]
# Address and port to listen on. Use 0.0.0.0:8080 to reach Ronda from phones on the
# same network.
listen = "127.0.0.1:8080"
# Send the session cookie only over HTTPS. Turn on whenever Ronda is served over HTTPS.
secure_cookies = false
# Take the client IP from the last X-Forwarded-For entry. Turn on only behind a reverse
# proxy that sets that header, because clients can forge it otherwise.
trust_forwarded_for = false
# Hours a browser session lasts after login.
session_ttl_hours = 12
# Address of the console as users open it, such as "https://ronda.example.mx", for the
# links in notification emails. Empty leaves the links out.
public_url = ""

[login]
# Failed logins allowed per account within the window before login is refused.
max_failures_per_account = 5
# Failed logins allowed per client IP within the window, across all accounts.
max_failures_per_ip = 20
# Length of the window, in minutes.
window_minutes = 15

[log]
# Log filter in tracing's syntax, such as "info" or "info,ronda_server=debug".
# RUST_LOG, when set, takes its place.
filter = "info"
# "text" for people, "json" for log collectors.
format = "text"

[assignments]
# Days of work an agent may hold: assigning accounts is rejected when an agent would have
# more current accounts than their daily capacity (visits per day) times this number,
# unless the request sets allow_over_capacity.
capacity_days = 1

[tracking]
# A second listener for Traccar Client, whose default server port is 5055. It serves only
# the OsmAnd endpoints. Use 0.0.0.0:5055 to reach it from phones on the same network, or
# "" to turn it off; the main listener serves the same endpoints under /tracking/osmand.
osmand_listen = "127.0.0.1:5055"
# Position messages accepted per device and minute; more get 429 and the client retries.
max_messages_per_minute = 120
# Days raw positions are kept before they are deleted. Each agent's daily summary
# (distance, stops, points) is kept. 0 keeps raw positions forever.
retention_days = 90
# IANA time zone in which an agent's day starts and ends, for daily distance and stops.
time_zone = "America/Mexico_City"

[smtp]
# The installation's SMTP server for notification emails, used by organizations that have
# not set their own in the console. Empty host: no default server, and emails of such
# organizations wait in the outbox until one is set.
host = ""
port = 587
# "starttls" (usually port 587), "tls" (usually port 465) or "none" (a local relay).
security = "starttls"
# Leave empty to send without authentication.
username = ""
password = ""
# Sender of the emails, such as "Ronda <avisos@example.mx>".
from = ""
# PEM file of certificate authorities to trust besides the public ones, for an SMTP
# server whose certificate comes from an in-house authority. Applies to every
# organization's SMTP server. Empty: only the public authorities.
ca_file = ""

[notifications]
# Attempts per email or webhook request before it is marked failed; the console can
# retry a failed one.
max_attempts = 8
# Seconds to wait after the first failed attempt; each later failure doubles the wait,
# up to one hour.
retry_after_secs = 30
# Hour of the day (0-23, in tracking.time_zone) from which the previous day's summary is
# emailed to the recipients of notification rules for "daily.summary".
daily_summary_hour = 7

[geocoder]
# Nominatim-compatible search service for addresses imported without coordinates, such
# as a self-hosted Nominatim at "http://127.0.0.1:8088". Empty: no geocoding, and those
# addresses wait for a supervisor's pin.
url = ""
# Contact email sent with each request; public Nominatim asks batch users for one.
email = ""
# Requests per second the service allows. Public Nominatim allows 1.
requests_per_second = 1.0
timeout_seconds = 10
"#;

#[cfg(test)]
// figment's Jail fixes the closure's error type, which clippy finds large.
#[allow(clippy::result_large_err)]
mod tests {
    use super::*;

    #[test]
    fn example_matches_defaults() {
        let parsed: Config = toml_from_example();
        assert_eq!(parsed, Config::default());
    }

    fn toml_from_example() -> Config {
        Figment::from(Toml::string(EXAMPLE))
            .extract()
            .expect("example parses")
    }

    #[test]
    fn layers_override_in_order() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "custom.toml",
                "[server]\nlisten = \"0.0.0.0:9000\"\nsession_ttl_hours = 8\n",
            )?;
            jail.set_env("RONDA_SERVER__SESSION_TTL_HOURS", "4");
            jail.set_env("RONDA_TEST_POSTGRES_URL", "postgres://ignored");
            let config = load(Some(Path::new("custom.toml"))).expect("loads");
            assert_eq!(config.server.listen, "0.0.0.0:9000", "file over defaults");
            assert_eq!(config.server.session_ttl_hours, 4, "environment over file");
            assert_eq!(config.database, DatabaseConfig::default());
            Ok(())
        });
    }

    #[test]
    fn unknown_key_is_rejected() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("typo.toml", "[server]\nlisen = \"0.0.0.0:9000\"\n")?;
            let error = load(Some(Path::new("typo.toml"))).expect_err("typo rejected");
            let message = format!("{error:#}");
            assert!(
                message.contains("unknown key server.lisen in "),
                "{message}"
            );
            assert!(message.contains("typo.toml"), "{message}");
            assert!(message.contains("[server] takes listen, "), "{message}");
            Ok(())
        });
    }

    #[test]
    fn bad_environment_value_names_variable() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("RONDA_TRACKING__RETENTION_DAYS", "noventa");
            let error = load(None).expect_err("text for a number rejected");
            let message = format!("{error:#}");
            assert!(
                message.contains("RONDA_TRACKING__RETENTION_DAYS"),
                "{message}"
            );
            assert!(message.contains("noventa"), "{message}");
            Ok(())
        });
    }

    #[test]
    fn unknown_environment_section_is_rejected() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("RONDA_SEVER__LISTEN", "127.0.0.1:9000");
            let error = load(None).expect_err("misspelled section rejected");
            let message = format!("{error:#}");
            assert!(message.contains("RONDA_SEVER__LISTEN"), "{message}");
            assert!(message.contains("\"sever\""), "{message}");
            assert!(message.contains("database, server, "), "{message}");
            Ok(())
        });
    }

    #[test]
    fn type_errors_say_what_to_write() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("types.toml", "[database]\nmax_connections = \"ocho\"\n")?;
            let error = load(Some(Path::new("types.toml"))).expect_err("text for a number");
            let message = format!("{error:#}");
            assert!(
                message.contains("expected a whole number from 0"),
                "{message}"
            );
            assert!(!message.contains("u32"), "{message}");

            jail.create_file("broken.toml", "[server\nlisten = \"127.0.0.1:1\"\n")?;
            let error = load(Some(Path::new("broken.toml"))).expect_err("broken table header");
            let message = format!("{error:#}");
            assert!(
                message.starts_with("invalid configuration: in "),
                "{message}"
            );
            assert!(message.contains("broken.toml"), "{message}");
            Ok(())
        });
    }

    #[test]
    fn zero_limits_are_rejected() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("RONDA_LOGIN__WINDOW_MINUTES", "0");
            let error = load(None).expect_err("zero window rejected");
            assert!(
                format!("{error:#}").contains("login.window_minutes is 0"),
                "{error:#}"
            );
            jail.set_env("RONDA_LOGIN__WINDOW_MINUTES", "15");
            jail.set_env("RONDA_TRACKING__MAX_MESSAGES_PER_MINUTE", "0");
            let error = load(None).expect_err("zero message limit rejected");
            assert!(
                format!("{error:#}").contains("tracking.max_messages_per_minute is 0"),
                "{error:#}"
            );
            Ok(())
        });
    }

    #[test]
    fn unknown_time_zone_is_rejected() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "zone.toml",
                "[tracking]\ntime_zone = \"America/Ciudad_Gotica\"\n",
            )?;
            let error = load(Some(Path::new("zone.toml"))).expect_err("unknown zone rejected");
            assert!(
                format!("{error:#}").contains("tracking.time_zone"),
                "{error:#}"
            );
            Ok(())
        });
    }

    #[test]
    fn missing_explicit_file_is_an_error() {
        let error = load(Some(Path::new("/nonexistent/ronda.toml"))).expect_err("missing");
        assert!(error.to_string().contains("does not exist"));
    }
}
