//! Each stored position must come back with the id of its own row. PostgreSQL writes a
//! group with multi-row statements and sorts the ids each returns. SQLite inserts one row
//! at a time and reads each id after its insert. The group below needs PostgreSQL
//! statements of several sizes, and its raw messages are checked row by row too.

use crate::support;

use jiff::{SignedDuration, Timestamp};
use ronda_store::tracking::{NewPosition, Position, PositionFix, PositionStatus, RawMessage};
use support::TestApp;
use support::tracking::register;
use uuid::Uuid;

/// 64 + 64 + 16 + 4 + 1 + 1 rows on PostgreSQL.
const GROUP: usize = 150;

fn position(device: Uuid, tenant: &support::Tenant, fix_time: Timestamp) -> NewPosition {
    NewPosition {
        organization_id: tenant.org.id,
        device_id: device,
        agent_id: tenant.agent.id,
        fix_time,
        received_at: Timestamp::now(),
        fix: PositionFix {
            latitude: Some(19.43),
            longitude: Some(-99.13),
            accuracy_m: Some(6.0),
            speed_mps: None,
            bearing: None,
            altitude: None,
            battery_pct: Some(70.0),
            charging: None,
            mock: None,
        },
        status: PositionStatus::Accepted,
        flag_reason: None,
        flag_details: None,
        older_than_latest: false,
        raw: RawMessage::new(&serde_json::json!({"timestamp": fix_time.as_second()}))
            .expect("raw message"),
    }
}

/// Registers an OsmAnd device for the tenant's agent and returns its id.
async fn register_device(app: &TestApp, tenant: &support::Tenant, identifier: &str) -> Uuid {
    let admin = app.login(&tenant.admin.email).await;
    let created = register(app, &admin, tenant.agent.id, "osmand", identifier).await;
    created["device"]["id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .expect("device id")
}

/// Reads every stored position of the tenant's agent.
async fn agent_positions(app: &TestApp, tenant: &support::Tenant) -> Vec<Position> {
    app.test_store
        .store
        .agent_positions(
            tenant.org.id,
            tenant.agent.id,
            Timestamp::MIN,
            Timestamp::MAX,
        )
        .await
        .expect("read positions")
}

async fn each_position_gets_its_own_id(app: TestApp) {
    let tenant = app.tenant("Despacho Folios").await;
    let device = register_device(&app, &tenant, "880100").await;
    // Whole seconds, as the store keeps milliseconds.
    let start = Timestamp::from_second(Timestamp::now().as_second() - 3600).expect("start");
    // Fix times out of order, so a mix-up between rows and ids shows.
    let group: Vec<NewPosition> = (0..GROUP)
        .map(|n| {
            let seconds = ((n * 37) % GROUP) as i64;
            position(device, &tenant, start + SignedDuration::from_secs(seconds))
        })
        .collect();

    let store = &app.test_store.store;
    let ids = store
        .store_positions(&group)
        .await
        .expect("store positions");
    assert_eq!(ids.len(), GROUP);
    let read = agent_positions(&app, &tenant).await;
    assert_eq!(read.len(), GROUP);
    for (sent, id) in group.iter().zip(&ids) {
        let row = read
            .iter()
            .find(|row| row.id == *id)
            .expect("a row with the returned id");
        assert_eq!(row.fix_time, sent.fix_time, "position {id}");
        let raw: serde_json::Value = serde_json::from_str(sent.raw.get()).expect("raw");
        assert_eq!(row.raw, raw, "position {id}");
    }

    let (_, newest) = group
        .iter()
        .zip(&ids)
        .max_by_key(|(position, _)| position.fix_time)
        .expect("a newest position");
    let live = store
        .live_positions(tenant.org.id)
        .await
        .expect("live positions");
    assert_eq!(live.len(), 1);
    assert_eq!(live[0].position_id, *newest);
}

/// PostgreSQL keeps NaN and infinity in a float column and SQLite turns NaN into NULL:
/// both stores read them back as missing.
async fn non_finite_numbers_read_back_missing(app: TestApp) {
    let tenant = app.tenant("Despacho NaN").await;
    let device = register_device(&app, &tenant, "880200").await;
    let mut sent = position(device, &tenant, Timestamp::now());
    sent.fix.latitude = Some(f64::NAN);
    sent.fix.accuracy_m = Some(f64::INFINITY);
    sent.fix.speed_mps = Some(f64::NEG_INFINITY);
    sent.status = PositionStatus::Flagged;
    sent.flag_reason = Some("invalid_coordinates".into());

    let store = &app.test_store.store;
    store
        .store_positions(std::slice::from_ref(&sent))
        .await
        .expect("store positions");
    let read = agent_positions(&app, &tenant).await;
    assert_eq!(read.len(), 1);
    assert_eq!(read[0].fix.latitude, None);
    assert_eq!(read[0].fix.longitude, Some(-99.13));
    assert_eq!(read[0].fix.accuracy_m, None);
    assert_eq!(read[0].fix.speed_mps, None);
    assert_eq!(read[0].fix.battery_pct, Some(70.0));
}

on_both_stores!(group_ids_match_rows, each_position_gets_its_own_id);
on_both_stores!(
    non_finite_read_missing,
    non_finite_numbers_read_back_missing
);
