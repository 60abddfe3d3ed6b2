//! Login rate limits per account and per client IP: failed attempts inside a sliding
//! window. Counts live in this process's memory.
// NOTE: with several server instances each keeps its own counts, so the effective limit
// is the configured one times the number of instances.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Limits for failed logins.
#[derive(Clone, Debug)]
pub struct LoginLimits {
    pub max_failures_per_account: usize,
    pub max_failures_per_ip: usize,
    pub window: Duration,
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self {
            max_failures_per_account: 5,
            max_failures_per_ip: 20,
            window: Duration::from_secs(15 * 60),
        }
    }
}

/// Above this many tracked keys, every call first drops keys whose failures expired, so
/// an attacker cycling through emails cannot grow memory without bound.
const PRUNE_ABOVE_KEYS: usize = 10_000;

#[derive(Debug, Default)]
pub struct LoginLimiter {
    limits: LoginLimits,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl LoginLimiter {
    pub fn new(limits: LoginLimits) -> Self {
        Self {
            limits,
            failures: Mutex::default(),
        }
    }

    /// Returns how long to wait when the account or the IP is over its limit.
    pub fn check(&self, account: &str, ip: &str, now: Instant) -> Option<Duration> {
        let mut failures = self.lock();
        let account_wait = Self::wait(
            &mut failures,
            &account_key(account),
            self.limits.max_failures_per_account,
            self.limits.window,
            now,
        );
        let ip_wait = Self::wait(
            &mut failures,
            &ip_key(ip),
            self.limits.max_failures_per_ip,
            self.limits.window,
            now,
        );
        account_wait.max(ip_wait)
    }

    pub fn record_failure(&self, account: &str, ip: &str, now: Instant) {
        let mut failures = self.lock();
        if failures.len() > PRUNE_ABOVE_KEYS {
            let window = self.limits.window;
            failures.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < window)
            });
        }
        for key in [account_key(account), ip_key(ip)] {
            failures.entry(key).or_default().push_back(now);
        }
    }

    /// Forgets an account's failures after a successful login. The IP's failures stay,
    /// so one valid account cannot be used to reset guessing against others.
    pub fn record_success(&self, account: &str) {
        self.lock().remove(&account_key(account));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, VecDeque<Instant>>> {
        // A panic while holding the lock leaves only counters behind, which stay usable.
        self.failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn wait(
        failures: &mut HashMap<String, VecDeque<Instant>>,
        key: &str,
        max: usize,
        window: Duration,
        now: Instant,
    ) -> Option<Duration> {
        let times = failures.get_mut(key)?;
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            times.pop_front();
        }
        if times.len() < max {
            return None;
        }
        let oldest = *times.front()?;
        Some(window.saturating_sub(now.duration_since(oldest)))
    }
}

fn account_key(account: &str) -> String {
    format!("account:{}", account.trim().to_lowercase())
}

fn ip_key(ip: &str) -> String {
    format!("ip:{ip}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter() -> LoginLimiter {
        LoginLimiter::new(LoginLimits {
            max_failures_per_account: 3,
            max_failures_per_ip: 5,
            window: Duration::from_secs(60),
        })
    }

    #[test]
    fn account_limit_blocks_then_expires() {
        let limiter = limiter();
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.check("ana@example.mx", "10.0.0.1", start), None);
            limiter.record_failure("ANA@example.mx", "10.0.0.1", start);
        }
        let wait = limiter.check(
            "ana@example.mx",
            "10.0.0.2",
            start + Duration::from_secs(10),
        );
        assert_eq!(wait, Some(Duration::from_secs(50)));
        assert_eq!(
            limiter.check(
                "ana@example.mx",
                "10.0.0.2",
                start + Duration::from_secs(60)
            ),
            None
        );
    }

    #[test]
    fn ip_limit_spans_accounts() {
        let limiter = limiter();
        let now = Instant::now();
        for i in 0..5 {
            limiter.record_failure(&format!("user{i}@example.mx"), "10.0.0.9", now);
        }
        assert!(limiter.check("nuevo@example.mx", "10.0.0.9", now).is_some());
        assert_eq!(limiter.check("nuevo@example.mx", "10.0.0.10", now), None);
    }

    #[test]
    fn success_clears_account_only() {
        let limiter = limiter();
        let now = Instant::now();
        for _ in 0..3 {
            limiter.record_failure("ana@example.mx", "10.0.0.1", now);
        }
        limiter.record_success("ana@example.mx");
        assert_eq!(limiter.check("ana@example.mx", "10.0.0.3", now), None);
    }
}
