//! Per-device limit on position messages: at most a number of messages inside a sliding
//! window. Counts live in this process's memory.
// NOTE: with several server instances each keeps its own counts, so the effective limit
// is the configured one times the number of instances.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use uuid::Uuid;

/// Maximum rate of position messages per device.
#[derive(Clone, Debug)]
pub struct IngestLimits {
    pub max_messages: usize,
    pub window: Duration,
}

impl Default for IngestLimits {
    /// 120 messages a minute: a client set to report every second stays under it, and a
    /// phone sending its offline backlog slows down instead of flooding the store.
    fn default() -> Self {
        Self {
            max_messages: 120,
            window: Duration::from_secs(60),
        }
    }
}

/// Above this many tracked devices, every call first drops devices whose messages all
/// left the window, so memory stays bounded by the active devices.
const PRUNE_ABOVE_DEVICES: usize = 10_000;

#[derive(Debug, Default)]
pub struct IngestLimiter {
    limits: IngestLimits,
    messages: Mutex<HashMap<Uuid, VecDeque<Instant>>>,
}

impl IngestLimiter {
    pub fn new(limits: IngestLimits) -> Self {
        Self {
            limits,
            messages: Mutex::default(),
        }
    }

    pub fn limits(&self) -> &IngestLimits {
        &self.limits
    }

    /// Counts one message of `device` at `now`, or returns how long to wait when the
    /// device is over its limit. A rejected message is not counted.
    pub fn acquire(&self, device: Uuid, now: Instant) -> Result<(), Duration> {
        let window = self.limits.window;
        let mut messages = self
            .messages
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if messages.len() > PRUNE_ABOVE_DEVICES {
            messages.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < window)
            });
        }
        let times = messages.entry(device).or_default();
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            times.pop_front();
        }
        if times.len() >= self.limits.max_messages {
            let oldest = times.front().copied().unwrap_or(now);
            return Err(window.saturating_sub(now.duration_since(oldest)));
        }
        times.push_back(now);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_blocks_then_expires() {
        let limiter = IngestLimiter::new(IngestLimits {
            max_messages: 2,
            window: Duration::from_secs(10),
        });
        let device = Uuid::now_v7();
        let start = Instant::now();
        assert_eq!(limiter.acquire(device, start), Ok(()));
        assert_eq!(
            limiter.acquire(device, start + Duration::from_secs(1)),
            Ok(())
        );
        assert_eq!(
            limiter.acquire(device, start + Duration::from_secs(4)),
            Err(Duration::from_secs(6))
        );
        assert_eq!(
            limiter.acquire(Uuid::now_v7(), start + Duration::from_secs(4)),
            Ok(()),
            "another device has its own count"
        );
        assert_eq!(
            limiter.acquire(device, start + Duration::from_secs(10)),
            Ok(())
        );
    }
}
