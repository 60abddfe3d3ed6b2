//! Notifications: the background dispatcher that turns each event into emails and
//! webhook requests and sends them with retries.
//!
//! Delivery guarantees, and the window that remains:
//! - An event is fanned out once: its deliveries and its `dispatched_at` are written in
//!   one transaction, and the unique keys (event, recipient) and (webhook, event) make a
//!   repeated fan-out create nothing new.
//! - A dispatcher claims an email (pending to sending) before it connects to SMTP, and
//!   only one claim can succeed. A crash after the SMTP server accepted the message but
//!   before the row was marked sent leaves the row `sending`. Once it is older than
//!   `abandoned_after` it becomes `failed` with an "interrupted" error instead of being
//!   sent again, so a restart never sends an email twice. A person then decides
//!   whether to retry it. The Message-ID header is fixed per delivery, so if they retry
//!   one that had in fact arrived, mail clients that thread by Message-ID show it once.
//! - Webhooks are delivered at least once: an abandoned claim goes back to pending, and
//!   receivers drop repeats by the `X-Ronda-Delivery` header.

pub mod dispatcher;
pub mod email;
pub mod fanout;
pub mod payload;
pub mod smtp;
pub mod summary;
pub mod webhook;

use std::time::Duration;

pub use dispatcher::{Dispatcher, NotifyHandle, spawn};
pub use smtp::{ExtraRoots, SmtpServer};

/// Dispatcher settings read at start.
#[derive(Clone, Debug)]
pub struct NotifySettings {
    /// The installation's SMTP server, for organizations without their own.
    pub default_smtp: Option<SmtpServer>,
    /// Authorities trusted for SMTP over TLS besides the public ones (`smtp.ca_file`).
    pub smtp_extra_roots: ExtraRoots,
    /// The console's base URL for links in emails, such as `https://ronda.example.mx`.
    pub public_url: Option<String>,
    /// Attempts per email or webhook delivery before it is marked failed.
    pub max_attempts: u32,
    /// Wait after the first failed attempt; each later failure doubles it.
    pub backoff_base: Duration,
    /// Maximum wait between attempts.
    pub backoff_max: Duration,
    /// How often the dispatcher looks for new events and due deliveries.
    pub poll_interval: Duration,
    /// Maximum duration of one SMTP send or webhook request.
    pub send_timeout: Duration,
    /// A delivery still `sending` after this long belongs to a dispatcher that stopped.
    /// It must be well above `send_timeout`.
    pub abandoned_after: Duration,
    /// Events, emails or webhook requests handled per query.
    pub batch_size: u32,
    /// Local hour (0–23, in the tracking time zone) from which the previous day's
    /// summary is recorded for organizations with a `daily.summary` rule; `None` records
    /// none.
    pub daily_summary_hour: Option<i8>,
}

impl Default for NotifySettings {
    fn default() -> Self {
        Self {
            default_smtp: None,
            smtp_extra_roots: ExtraRoots::default(),
            public_url: None,
            max_attempts: 8,
            backoff_base: Duration::from_secs(30),
            backoff_max: Duration::from_secs(60 * 60),
            poll_interval: Duration::from_secs(2),
            send_timeout: Duration::from_secs(30),
            abandoned_after: Duration::from_secs(10 * 60),
            batch_size: 50,
            daily_summary_hour: Some(7),
        }
    }
}

impl NotifySettings {
    /// Returns the wait before the next attempt after `attempts` failed ones:
    /// `backoff_base * 2^(attempts - 1)`, at most `backoff_max`.
    pub fn backoff(&self, attempts: u32) -> Duration {
        let doublings = attempts.saturating_sub(1).min(30);
        self.backoff_base
            .saturating_mul(1 << doublings)
            .min(self.backoff_max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_maximum() {
        let settings = NotifySettings::default();
        assert_eq!(settings.backoff(1), Duration::from_secs(30));
        assert_eq!(settings.backoff(2), Duration::from_secs(60));
        assert_eq!(settings.backoff(4), Duration::from_secs(240));
        assert_eq!(settings.backoff(8), Duration::from_secs(3600));
        assert_eq!(settings.backoff(500), Duration::from_secs(3600));
    }
}
