//! In-process fan-out of what happens now: positions arriving, visits arriving, refused
//! check-ins. The console's live feed and live map subscribe here; each subscriber keeps
//! only its own organization's events.

use ronda_domain::OrganizationId;
use serde::Serialize;
use std::sync::Arc;

use tokio::sync::{broadcast, watch};

/// Events a slow subscriber may fall behind by before it misses some.
const CAPACITY: usize = 1024;

/// One thing that happened in an organization, ready to send to a browser.
#[derive(Clone, Debug, Serialize)]
pub struct LiveEvent {
    #[serde(skip)]
    pub organization_id: OrganizationId,
    /// Event name, such as `position` or `visit.completed`.
    pub kind: &'static str,
    pub data: serde_json::Value,
}

#[derive(Clone)]
pub struct LiveHub {
    sender: broadcast::Sender<LiveEvent>,
    /// Turns true when the server shuts down, so open live feeds end.
    closed: Arc<watch::Sender<bool>>,
}

impl LiveHub {
    pub fn new() -> Self {
        let (sender, _) = broadcast::channel(CAPACITY);
        let (closed, _) = watch::channel(false);
        Self {
            sender,
            closed: Arc::new(closed),
        }
    }

    /// Sends `event` to every current subscriber. With none listening it goes nowhere,
    /// which is fine: the live feed shows only what happens while it is open.
    pub fn publish(&self, event: LiveEvent) {
        let _ = self.sender.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.sender.subscribe()
    }

    /// Ends every open live feed. A graceful shutdown calls this, because it waits for
    /// open connections and a feed never ends by itself.
    pub fn close(&self) {
        self.closed.send_replace(true);
    }

    /// Watches whether [`close`](Self::close) was called.
    pub fn closed(&self) -> watch::Receiver<bool> {
        self.closed.subscribe()
    }
}

impl Default for LiveHub {
    fn default() -> Self {
        Self::new()
    }
}
