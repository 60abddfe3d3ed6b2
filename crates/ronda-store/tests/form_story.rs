//! Form versions, on SQLite and on PostgreSQL: publishing keeps old versions readable,
//! the same content publishes once, a taken version label is reported, and each
//! organization sees only its own forms.

use std::sync::Arc;

use jiff::Timestamp;
use ronda_domain::OrganizationId;
use ronda_store::form::{FormSource, PublishOutcome, StoredFormVersion};
use ronda_store::{Actor, AuditEvent, Organization, Store, testing};
use uuid::Uuid;

fn audit(org: OrganizationId, action: &'static str) -> AuditEvent {
    AuditEvent {
        organization_id: org,
        actor: Actor::System,
        action,
        target_kind: "form",
        target_id: None,
        details: serde_json::json!({}),
        at: Timestamp::now(),
    }
}

async fn organization(store: &Arc<dyn Store>, name: &str) -> OrganizationId {
    let org = Organization {
        id: OrganizationId::new(),
        name: name.into(),
        created_at: Timestamp::now(),
    };
    store
        .create_organization(&org, &audit(org.id, "organization.created"))
        .await
        .expect("organization");
    org.id
}

fn version(
    org: OrganizationId,
    form_id: &str,
    label: &str,
    hash: &str,
    at_ms: i64,
) -> StoredFormVersion {
    StoredFormVersion {
        id: Uuid::new_v4(),
        organization_id: org,
        form_id: form_id.into(),
        version: label.into(),
        content_hash: hash.into(),
        title_es: Some(format!("Formulario {label}")),
        title_en: Some(format!("Form {label}")),
        definition: format!("{{\"version\":\"{label}\"}}"),
        source: FormSource::Xlsform,
        published_by: None,
        published_at: Timestamp::from_millisecond(at_ms).expect("time"),
    }
}

async fn publish(store: &Arc<dyn Store>, version: &StoredFormVersion) -> PublishOutcome {
    store
        .publish_form_version(version, &audit(version.organization_id, "form.published"))
        .await
        .expect("publish")
}

async fn story(store: Arc<dyn Store>) {
    let norte = organization(&store, "Despacho Norte").await;
    let sur = organization(&store, "Despacho Sur").await;

    let first = version(norte, "visita", "1", "aaa", 1_000);
    let PublishOutcome::Published(stored) = publish(&store, &first).await else {
        panic!("first version publishes");
    };
    assert_eq!(stored, first);

    // The same content again changes nothing, whatever its label or id.
    let again = StoredFormVersion {
        id: Uuid::new_v4(),
        version: "9".into(),
        ..first.clone()
    };
    assert_eq!(
        publish(&store, &again).await,
        PublishOutcome::Unchanged(first.clone())
    );

    // Other content under a label already used is refused.
    let clash = version(norte, "visita", "1", "bbb", 2_000);
    assert_eq!(
        publish(&store, &clash).await,
        PublishOutcome::VersionTaken(first.clone())
    );

    let second = version(norte, "visita", "2", "bbb", 3_000);
    assert!(matches!(
        publish(&store, &second).await,
        PublishOutcome::Published(_)
    ));

    // The old version stays readable by id; the newest is the latest; titles follow it.
    let old = store
        .form_version(norte, first.id)
        .await
        .expect("read")
        .expect("old version");
    assert_eq!(old.definition, first.definition);
    assert_eq!(old.title_es.as_deref(), Some("Formulario 2"));
    let latest = store
        .latest_form_version(norte, "visita")
        .await
        .expect("read")
        .expect("latest");
    assert_eq!(latest.id, second.id);
    let versions = store
        .form_versions(norte, "visita")
        .await
        .expect("versions");
    assert_eq!(
        versions
            .iter()
            .map(|v| v.version.as_str())
            .collect::<Vec<_>>(),
        ["2", "1"]
    );

    let forms = store.forms(norte).await.expect("forms");
    assert_eq!(forms.len(), 1);
    assert_eq!(forms[0].version_count, 2);
    assert_eq!(forms[0].latest_version_id, Some(second.id));
    assert_eq!(forms[0].latest_version.as_deref(), Some("2"));

    // Another organization sees nothing of Norte's, and may use the same form id and hash.
    assert!(store.forms(sur).await.expect("forms").is_empty());
    assert!(
        store
            .form_version(sur, first.id)
            .await
            .expect("read")
            .is_none()
    );
    assert!(
        store
            .latest_form_version(sur, "visita")
            .await
            .expect("read")
            .is_none()
    );
    assert!(
        store
            .form_versions(sur, "visita")
            .await
            .expect("read")
            .is_empty()
    );
    let theirs = version(sur, "visita", "1", "aaa", 4_000);
    assert!(matches!(
        publish(&store, &theirs).await,
        PublishOutcome::Published(_)
    ));
    assert_eq!(
        store
            .form_versions(norte, "visita")
            .await
            .expect("versions")
            .len(),
        2
    );
}

#[tokio::test]
async fn form_story_sqlite() {
    let test = testing::sqlite().await;
    story(test.store.clone()).await;
}

#[tokio::test]
async fn form_story_postgres() {
    if let Some(test) = testing::postgres().await {
        story(test.store.clone()).await;
    }
}
