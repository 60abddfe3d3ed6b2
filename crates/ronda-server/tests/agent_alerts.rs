//! Agents who need attention reach the live feed: a battery that drops under the
//! threshold, and an agent who goes silent. Each organization gets only its own agents.

use crate::support;

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use ronda_server::agent_watch::{self, AgentWatch};
use ronda_server::live::LiveEvent;
use support::TestApp;
use support::tracking::{osmand_get, register, secret_of, track_outside_shifts};
use tokio::sync::broadcast::Receiver;

/// Waits for the next event of `kind`, skipping others, for at most five seconds.
async fn next_of(events: &mut Receiver<LiveEvent>, kind: &str) -> LiveEvent {
    let wait = async {
        loop {
            let event = events.recv().await.expect("live hub open");
            if event.kind == kind {
                return event;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(5), wait)
        .await
        .unwrap_or_else(|_| panic!("no {kind} event"))
}

async fn low_battery_reaches_own_feed(app: TestApp) {
    let north = app.tenant("Despacho Norte").await;
    let south = app.tenant("Despacho Sur").await;
    let mut secrets = Vec::new();
    for (tenant, identifier) in [(&north, "710001"), (&south, "710002")] {
        let admin = app.login(&tenant.admin.email).await;
        track_outside_shifts(&app, &admin).await;
        let created = register(&app, &admin, tenant.agent.id, "osmand", identifier).await;
        secrets.push((identifier, secret_of(&created)));
    }
    let mut events = app.state.live().subscribe();
    let watch = agent_watch::spawn(app.state.clone());

    let now = Timestamp::now().as_second();
    let (identifier, secret) = &secrets[0];
    for (offset, battery) in [(-60, 64), (-30, 17), (0, 15)] {
        let query = format!(
            "id={identifier}&lat=19.4326&lon=-99.1332&timestamp={}&accuracy=8&batt={battery}",
            now + offset
        );
        let (status, body) = osmand_get(&app, secret, &query).await;
        assert_eq!(status.as_u16(), 200, "{body}");
    }
    let alert = next_of(&mut events, "agent.low_battery").await;
    assert_eq!(alert.organization_id, north.org.id);
    assert_eq!(alert.data["agent"]["id"], north.agent.id.0.to_string());
    assert_eq!(alert.data["agent"]["name"], north.agent.name.as_str());
    assert_eq!(alert.data["battery_pct"], 17.0);
    assert_eq!(alert.data["at"], (now - 30) * 1000);

    // The south agent's healthy phone and the north agent's second low reading add
    // nothing: the next alert is a fresh drop in the south.
    let (identifier, secret) = &secrets[1];
    for (offset, battery) in [(-10, 80), (0, 12)] {
        let query = format!(
            "id={identifier}&lat=19.43&lon=-99.13&timestamp={}&accuracy=8&batt={battery}",
            now + offset
        );
        assert_eq!(osmand_get(&app, secret, &query).await.0.as_u16(), 200);
    }
    let alert = next_of(&mut events, "agent.low_battery").await;
    assert_eq!(alert.organization_id, south.org.id);
    assert_eq!(alert.data["agent"]["id"], south.agent.id.0.to_string());
    watch.abort();
}

on_both_stores!(
    low_battery_reaches_own_feed_on,
    low_battery_reaches_own_feed
);

async fn stale_agent_event_names_the_agent(app: TestApp) {
    let tenant = app.tenant("Despacho Centro").await;
    let last_fix = Timestamp::now() - SignedDuration::from_mins(6);
    let mut watch = AgentWatch::new(SignedDuration::from_mins(5));
    watch.observe(&LiveEvent {
        organization_id: tenant.org.id,
        kind: "position",
        data: serde_json::json!({
            "agent_id": tenant.agent.id.0, "fix_time": last_fix.as_millisecond(),
        }),
    });
    let alerts = watch.sweep(Timestamp::now());
    assert_eq!(alerts.len(), 1);
    let event = agent_watch::alert_event(&app.state, &alerts[0])
        .await
        .expect("event");
    assert_eq!(event.kind, "agent.stale");
    assert_eq!(event.organization_id, tenant.org.id);
    assert_eq!(event.data["agent"]["name"], tenant.agent.name.as_str());
    assert_eq!(event.data["last_seen_at"], last_fix.as_millisecond());
    assert_eq!(event.data["stale_after_minutes"], 5);

    // An agent id from another organization finds no user, so nothing is published.
    let other = app.tenant("Despacho Poniente").await;
    let mut foreign = AgentWatch::new(SignedDuration::from_mins(5));
    foreign.observe(&LiveEvent {
        organization_id: tenant.org.id,
        kind: "position",
        data: serde_json::json!({
            "agent_id": other.agent.id.0, "fix_time": last_fix.as_millisecond(),
        }),
    });
    let alerts = foreign.sweep(Timestamp::now());
    assert!(
        agent_watch::alert_event(&app.state, &alerts[0])
            .await
            .is_none()
    );
}

on_both_stores!(
    stale_agent_event_names_the_agent_on,
    stale_agent_event_names_the_agent
);
