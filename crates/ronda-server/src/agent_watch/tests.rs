use jiff::{SignedDuration, Timestamp};
use ronda_domain::{OrganizationId, UserId};
use serde_json::json;

use super::{AgentAlert, AgentWatch};
use crate::live::LiveEvent;

const MINUTE_MS: i64 = 60_000;
const NOON_MS: i64 = 1_764_957_600_000;

fn position(org: OrganizationId, agent: UserId, at_ms: i64, battery: Option<f64>) -> LiveEvent {
    LiveEvent {
        organization_id: org,
        kind: "position",
        data: json!({
            "agent_id": agent.0, "fix_time": at_ms, "battery_pct": battery, "charging": false,
        }),
    }
}

fn at(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).expect("timestamp")
}

#[test]
fn low_battery_alerts_once_per_drop() {
    let mut watch = AgentWatch::new(SignedDuration::from_mins(5));
    let (org, agent) = (OrganizationId::new(), UserId::new());

    assert_eq!(
        watch.observe(&position(org, agent, NOON_MS, Some(55.0))),
        None
    );
    let alert = watch.observe(&position(org, agent, NOON_MS + MINUTE_MS, Some(19.0)));
    assert_eq!(
        alert,
        Some(AgentAlert::LowBattery {
            organization_id: org,
            agent_id: agent,
            battery_pct: 19.0,
            at: at(NOON_MS + MINUTE_MS),
        })
    );
    // Still low: no second alert; a reading without battery changes nothing.
    assert_eq!(
        watch.observe(&position(org, agent, NOON_MS + 2 * MINUTE_MS, Some(18.0))),
        None
    );
    assert_eq!(
        watch.observe(&position(org, agent, NOON_MS + 3 * MINUTE_MS, None)),
        None
    );
    // Charged above the threshold, then low again: a new alert.
    assert_eq!(
        watch.observe(&position(org, agent, NOON_MS + 4 * MINUTE_MS, Some(40.0))),
        None
    );
    assert!(
        watch
            .observe(&position(org, agent, NOON_MS + 5 * MINUTE_MS, Some(10.0)))
            .is_some()
    );
}

#[test]
fn charging_phone_is_not_low() {
    let mut watch = AgentWatch::default();
    let (org, agent) = (OrganizationId::new(), UserId::new());
    let mut event = position(org, agent, NOON_MS, Some(5.0));
    event.data["charging"] = json!(true);
    assert_eq!(watch.observe(&event), None);
}

#[test]
fn silent_agent_goes_stale_once_until_heard_again() {
    let mut watch = AgentWatch::new(SignedDuration::from_mins(5));
    let org = OrganizationId::new();
    let (quiet, busy) = (UserId::new(), UserId::new());
    watch.observe(&position(org, quiet, NOON_MS, Some(80.0)));
    watch.observe(&position(org, busy, NOON_MS + 4 * MINUTE_MS, Some(80.0)));

    assert!(watch.sweep(at(NOON_MS + 4 * MINUTE_MS)).is_empty());
    let alerts = watch.sweep(at(NOON_MS + 5 * MINUTE_MS));
    assert_eq!(
        alerts,
        vec![AgentAlert::Stale {
            organization_id: org,
            agent_id: quiet,
            last_seen_at: at(NOON_MS),
        }]
    );
    assert!(watch.sweep(at(NOON_MS + 6 * MINUTE_MS)).is_empty());

    // Heard again, then silent again: a second alert.
    watch.observe(&position(org, quiet, NOON_MS + 7 * MINUTE_MS, None));
    assert_eq!(
        watch.sweep(at(NOON_MS + 9 * MINUTE_MS)).len(),
        1,
        "busy goes stale"
    );
    let again = watch.sweep(at(NOON_MS + 12 * MINUTE_MS));
    assert_eq!(again.len(), 1);
    assert!(matches!(again[0], AgentAlert::Stale { agent_id, .. } if agent_id == quiet));
}

#[test]
fn late_fix_keeps_agent_stale() {
    let mut watch = AgentWatch::new(SignedDuration::from_mins(5));
    let (org, agent) = (OrganizationId::new(), UserId::new());
    watch.observe(&position(org, agent, NOON_MS, None));
    assert_eq!(watch.sweep(at(NOON_MS + 6 * MINUTE_MS)).len(), 1);
    // A point recorded before the newest one arrives late: the agent stays stale.
    watch.observe(&position(org, agent, NOON_MS - MINUTE_MS, None));
    assert!(watch.sweep(at(NOON_MS + 7 * MINUTE_MS)).is_empty());
}

#[test]
fn other_events_and_malformed_positions_are_ignored() {
    let mut watch = AgentWatch::default();
    let org = OrganizationId::new();
    let visit = LiveEvent {
        organization_id: org,
        kind: "visit.completed",
        data: json!({"agent_id": UserId::new().0, "fix_time": NOON_MS, "battery_pct": 1.0}),
    };
    assert_eq!(watch.observe(&visit), None);
    let broken = LiveEvent {
        organization_id: org,
        kind: "position",
        data: json!({"agent_id": "not-a-uuid", "fix_time": NOON_MS, "battery_pct": 1.0}),
    };
    assert_eq!(watch.observe(&broken), None);
    assert!(watch.sweep(at(NOON_MS + 60 * MINUTE_MS)).is_empty());
}
