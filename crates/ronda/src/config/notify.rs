//! The `[smtp]` and `[notifications]` sections: the installation's SMTP server, which
//! organizations without their own use, and the dispatcher's retry settings.

use std::time::Duration;

use anyhow::Context;
use ronda_server::notify::{ExtraRoots, NotifySettings, SmtpServer};
use ronda_store::outbox::SmtpSecurity;
use serde::{Deserialize, Serialize};

#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SmtpConfig {
    /// SMTP server name; empty means the installation has no default server.
    pub host: String,
    pub port: u16,
    /// `none`, `starttls` or `tls`.
    pub security: String,
    /// Empty sends without authentication.
    pub username: String,
    pub password: String,
    /// The From mailbox, such as `Ronda <avisos@example.mx>`.
    pub from: String,
    /// PEM file of extra certificate authorities; empty means none.
    pub ca_file: String,
}

impl Default for SmtpConfig {
    fn default() -> Self {
        Self {
            host: String::new(),
            port: 587,
            security: "starttls".into(),
            username: String::new(),
            password: String::new(),
            from: String::new(),
            ca_file: String::new(),
        }
    }
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field(
                "password",
                &if self.password.is_empty() { "" } else { "***" },
            )
            .field("from", &self.from)
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

impl SmtpConfig {
    /// Returns the installation's SMTP server, `None` when `host` is empty, or an error
    /// that names the setting to fix.
    pub fn server(&self) -> anyhow::Result<Option<SmtpServer>> {
        // The security value is checked even without a host, so a typo shows before the
        // day a host is added.
        let security = SmtpSecurity::from_name(self.security.trim()).ok_or_else(|| {
            anyhow::anyhow!(
                "invalid configuration: smtp.security {:?} must be \"none\", \"starttls\" or \"tls\"",
                self.security
            )
        })?;
        let host = self.host.trim();
        if host.is_empty() {
            return Ok(None);
        }
        anyhow::ensure!(
            !self.from.trim().is_empty(),
            "invalid configuration: smtp.from is empty; write the sender, such as \"Ronda <avisos@example.mx>\""
        );
        let optional = |value: &str| (!value.is_empty()).then(|| value.to_owned());
        Ok(Some(SmtpServer {
            host: host.to_owned(),
            port: self.port,
            security,
            username: optional(self.username.trim()),
            password: optional(&self.password),
            from_address: self.from.trim().to_owned(),
        }))
    }

    /// Reads the authorities in `ca_file`, none when it is empty, or an error that names
    /// the setting and the file.
    pub fn extra_roots(&self) -> anyhow::Result<ExtraRoots> {
        let path = self.ca_file.trim();
        if path.is_empty() {
            return Ok(ExtraRoots::default());
        }
        let pem = std::fs::read_to_string(path).with_context(|| {
            format!("invalid configuration: smtp.ca_file {path:?} cannot be read")
        })?;
        ExtraRoots::from_pem(&pem).map_err(|reason| {
            anyhow::anyhow!(
                "invalid configuration: smtp.ca_file {path:?}: {reason}; give a PEM file with one or more CERTIFICATE blocks"
            )
        })
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NotificationsConfig {
    /// Attempts per email or webhook request before it is marked failed.
    pub max_attempts: u32,
    /// Seconds to wait after the first failed attempt; each later failure doubles it.
    pub retry_after_secs: u64,
    /// Local hour (0–23, in `tracking.time_zone`) from which the previous day's summary
    /// goes to the recipients of `daily.summary` rules.
    pub daily_summary_hour: u8,
}

impl Default for NotificationsConfig {
    fn default() -> Self {
        let defaults = NotifySettings::default();
        Self {
            max_attempts: defaults.max_attempts,
            retry_after_secs: defaults.backoff_base.as_secs(),
            daily_summary_hour: defaults.daily_summary_hour.map_or(7, i8::unsigned_abs),
        }
    }
}

/// Builds the dispatcher settings. `smtp` must have passed [`SmtpConfig::server`] in
/// `load`, so an invalid section here leaves the installation without a default server.
pub fn notify_settings(
    smtp: &SmtpConfig,
    notifications: &NotificationsConfig,
    public_url: &str,
) -> NotifySettings {
    let public_url = public_url.trim().trim_end_matches('/');
    NotifySettings {
        default_smtp: smtp.server().ok().flatten(),
        smtp_extra_roots: smtp.extra_roots().unwrap_or_default(),
        public_url: (!public_url.is_empty()).then(|| public_url.to_owned()),
        max_attempts: notifications.max_attempts.max(1),
        backoff_base: Duration::from_secs(notifications.retry_after_secs.max(1)),
        // load() has checked the hour, so the clamp never applies to a loaded file.
        daily_summary_hour: i8::try_from(notifications.daily_summary_hour.min(23)).ok(),
        ..NotifySettings::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_host_means_no_default_server() {
        assert_eq!(SmtpConfig::default().server().expect("valid"), None);
    }

    #[test]
    fn bad_security_without_host_is_named() {
        let config = SmtpConfig {
            security: "maybe".into(),
            ..SmtpConfig::default()
        };
        let error = config.server().expect_err("bad security rejected");
        assert!(
            error.to_string().contains("smtp.security \"maybe\""),
            "{error}"
        );
    }

    #[test]
    fn full_section_becomes_a_server() {
        let config = SmtpConfig {
            host: "smtp.example.mx".into(),
            port: 465,
            security: "tls".into(),
            username: "avisos".into(),
            password: "secreto".into(),
            from: "Ronda <avisos@example.mx>".into(),
            ca_file: String::new(),
        };
        let server = config.server().expect("valid").expect("configured");
        assert_eq!(server.security, SmtpSecurity::Tls);
        assert_eq!(server.password.as_deref(), Some("secreto"));
        assert!(!format!("{config:?}").contains("secreto"));
    }

    #[test]
    fn bad_security_and_missing_from_are_named() {
        let mut config = SmtpConfig {
            host: "smtp.example.mx".into(),
            security: "ssl".into(),
            from: "avisos@example.mx".into(),
            ..SmtpConfig::default()
        };
        let error = config.server().expect_err("bad security");
        assert!(error.to_string().contains("smtp.security"), "{error}");
        config.security = "starttls".into();
        config.from.clear();
        let error = config.server().expect_err("missing from");
        assert!(error.to_string().contains("smtp.from"), "{error}");
    }

    #[test]
    fn ca_file_problems_name_the_setting() {
        let dir = std::env::temp_dir().join(format!("ronda-ca-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let mut config = SmtpConfig::default();
        assert!(config.extra_roots().expect("empty is fine").is_empty());

        config.ca_file = dir.join("missing.pem").display().to_string();
        let error = config.extra_roots().expect_err("missing file");
        assert!(error.to_string().contains("smtp.ca_file"), "{error}");

        let not_pem = dir.join("not.pem");
        std::fs::write(&not_pem, "hola").expect("write");
        config.ca_file = not_pem.display().to_string();
        let error = config.extra_roots().expect_err("no certificate");
        assert!(error.to_string().contains("CERTIFICATE"), "{error}");

        let truncated = dir.join("truncated.pem");
        std::fs::write(&truncated, "-----BEGIN CERTIFICATE-----\nMIIB\n").expect("write");
        config.ca_file = truncated.display().to_string();
        assert!(config.extra_roots().is_err(), "a block without END");
        let _ = std::fs::remove_dir_all(dir);
    }
}
