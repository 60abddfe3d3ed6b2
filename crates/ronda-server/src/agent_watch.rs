//! Watches the live positions for agents who need the office's attention: a phone whose
//! battery drops under the low-battery threshold, and an agent who was sending positions
//! and went silent. Each change is published once on the live feed as `agent.low_battery`
//! or `agent.stale`.
//!
//! The watch reads the live hub's `position` events, so it tracks only the agents that sent
//! a position since the server started. An agent already silent at start is not reported.

use std::collections::HashMap;
use std::time::Duration;

use jiff::Timestamp;
use ronda_domain::{OrganizationId, UserId};
use serde_json::{Value, json};
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

use crate::api::tracking::{LOW_BATTERY_PCT, STALE_AFTER_MINUTES};
use crate::live::LiveEvent;
use crate::state::AppState;

/// How often silent agents are looked for.
const SWEEP_EVERY: Duration = Duration::from_secs(30);

/// Something to tell the office about one agent.
#[derive(Clone, Debug, PartialEq)]
pub enum AgentAlert {
    LowBattery {
        organization_id: OrganizationId,
        agent_id: UserId,
        battery_pct: f64,
        at: Timestamp,
    },
    Stale {
        organization_id: OrganizationId,
        agent_id: UserId,
        last_seen_at: Timestamp,
    },
}

#[derive(Clone, Copy, Debug)]
struct Seen {
    last_fix: Timestamp,
    low_battery: bool,
    stale_reported: bool,
}

/// State of each agent that sent a position. Pure state, driven by
/// [`observe`](Self::observe) and [`sweep`](Self::sweep), so it is tested without a clock.
#[derive(Debug)]
pub struct AgentWatch {
    stale_after: jiff::SignedDuration,
    agents: HashMap<(OrganizationId, UserId), Seen>,
}

impl Default for AgentWatch {
    fn default() -> Self {
        Self::new(jiff::SignedDuration::from_mins(STALE_AFTER_MINUTES))
    }
}

impl AgentWatch {
    pub fn new(stale_after: jiff::SignedDuration) -> Self {
        Self {
            stale_after,
            agents: HashMap::new(),
        }
    }

    /// Reads one live event. Returns an alert when a `position` event shows the battery
    /// going under the threshold while not charging. The next alert comes only after the
    /// battery was seen above the threshold or charging.
    pub fn observe(&mut self, event: &LiveEvent) -> Option<AgentAlert> {
        if event.kind != "position" {
            return None;
        }
        let agent_id = event
            .data
            .get("agent_id")
            .and_then(Value::as_str)
            .and_then(|id| Uuid::parse_str(id).ok())
            .map(UserId)?;
        let fix_time = event
            .data
            .get("fix_time")
            .and_then(Value::as_i64)
            .and_then(|ms| Timestamp::from_millisecond(ms).ok())?;
        let battery = event.data.get("battery_pct").and_then(Value::as_f64);
        let charging = event.data.get("charging").and_then(Value::as_bool) == Some(true);
        let low_now = battery.is_some_and(|pct| pct < LOW_BATTERY_PCT) && !charging;

        let key = (event.organization_id, agent_id);
        let seen = self.agents.entry(key).or_insert(Seen {
            last_fix: fix_time,
            low_battery: false,
            stale_reported: false,
        });
        if fix_time >= seen.last_fix {
            seen.last_fix = fix_time;
            seen.stale_reported = false;
        }
        // A reading without a battery level leaves the battery state as it was.
        battery?;
        let was_low = std::mem::replace(&mut seen.low_battery, low_now);
        match (was_low, low_now, battery) {
            (false, true, Some(battery_pct)) => Some(AgentAlert::LowBattery {
                organization_id: event.organization_id,
                agent_id,
                battery_pct,
                at: fix_time,
            }),
            _ => None,
        }
    }

    /// Returns an alert for each agent whose newest fix became older than the stale
    /// threshold at `now`, once per silence.
    pub fn sweep(&mut self, now: Timestamp) -> Vec<AgentAlert> {
        let mut alerts = Vec::new();
        for ((organization_id, agent_id), seen) in &mut self.agents {
            if seen.stale_reported || now.duration_since(seen.last_fix) < self.stale_after {
                continue;
            }
            seen.stale_reported = true;
            alerts.push(AgentAlert::Stale {
                organization_id: *organization_id,
                agent_id: *agent_id,
                last_seen_at: seen.last_fix,
            });
        }
        alerts.sort_by_key(|alert| match alert {
            AgentAlert::Stale { last_seen_at, .. } => *last_seen_at,
            AgentAlert::LowBattery { at, .. } => *at,
        });
        alerts
    }
}

/// Turns an alert into the live event the console's feed shows, with the agent's name.
pub async fn alert_event(state: &AppState, alert: &AgentAlert) -> Option<LiveEvent> {
    let (organization_id, agent_id) = match alert {
        AgentAlert::LowBattery {
            organization_id,
            agent_id,
            ..
        }
        | AgentAlert::Stale {
            organization_id,
            agent_id,
            ..
        } => (*organization_id, *agent_id),
    };
    let name = match state.store().user(organization_id, agent_id).await {
        Ok(Some(user)) => user.name,
        Ok(None) => return None,
        Err(error) => {
            tracing::warn!(%error, agent.id = %agent_id.0, "agent alert skipped: user lookup failed");
            return None;
        }
    };
    let agent = json!({ "id": agent_id.0, "name": name });
    let (kind, data) = match alert {
        AgentAlert::LowBattery {
            battery_pct, at, ..
        } => (
            "agent.low_battery",
            json!({ "agent": agent, "battery_pct": battery_pct, "at": at.as_millisecond() }),
        ),
        AgentAlert::Stale { last_seen_at, .. } => (
            "agent.stale",
            json!({
                "agent": agent,
                "last_seen_at": last_seen_at.as_millisecond(),
                "stale_after_minutes": STALE_AFTER_MINUTES,
            }),
        ),
    };
    Some(LiveEvent {
        organization_id,
        kind,
        data,
    })
}

/// Starts the watch, which runs until the live hub closes: it reads positions as they are
/// published and looks for silent agents every half minute. It subscribes before
/// returning, so no position published after this call is missed.
pub fn spawn(state: AppState) -> tokio::task::JoinHandle<()> {
    let events = state.live().subscribe();
    let closed = state.live().closed();
    tokio::spawn(run(state, events, closed))
}

async fn run(
    state: AppState,
    mut events: tokio::sync::broadcast::Receiver<LiveEvent>,
    mut closed: tokio::sync::watch::Receiver<bool>,
) {
    let mut sweep = tokio::time::interval(SWEEP_EVERY);
    let mut watch = AgentWatch::default();
    loop {
        let alerts = tokio::select! {
            received = events.recv() => match received {
                Ok(event) => watch.observe(&event).into_iter().collect(),
                Err(RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "agent watch fell behind the live feed");
                    Vec::new()
                }
                Err(RecvError::Closed) => return,
            },
            _ = sweep.tick() => watch.sweep(Timestamp::now()),
            _ = closed.changed() => return,
        };
        for alert in alerts {
            if let Some(event) = alert_event(&state, &alert).await {
                state.live().publish(event);
            }
        }
    }
}

#[cfg(test)]
mod tests;
