//! One story of the store's life, run against SQLite and against PostgreSQL, so both
//! backends are held to the same behaviour.

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use ronda_domain::{Email, OrganizationId, PersonName, Role, UserId};
use ronda_store::testing;
use ronda_store::{
    Actor, AuditEvent, Backend, Constraint, NewApiToken, NewSession, NewUser, Organization, Store,
    StoreError,
};
use uuid::Uuid;

fn audit(org: OrganizationId, action: &'static str, target_kind: &'static str) -> AuditEvent {
    AuditEvent {
        organization_id: org,
        actor: Actor::System,
        action,
        target_kind,
        target_id: None,
        details: serde_json::json!({"source": "story"}),
        at: Timestamp::now(),
    }
}

async fn create_org(store: &Arc<dyn Store>, name: &str) -> Organization {
    let org = Organization {
        id: OrganizationId::new(),
        name: name.into(),
        created_at: Timestamp::now(),
    };
    store
        .create_organization(&org, &audit(org.id, "organization.created", "organization"))
        .await
        .expect("create organization");
    org
}

fn new_user(org: OrganizationId, email: &str, role: Role) -> NewUser {
    NewUser {
        id: UserId::new(),
        organization_id: org,
        email: Email::parse("email", email).expect("valid email"),
        name: PersonName::parse("name", "Gestor de prueba").expect("valid name"),
        role,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        created_at: Timestamp::now(),
    }
}

async fn story(store: Arc<dyn Store>) {
    store.ping().await.expect("ping");
    assert_eq!(store.count_organizations().await.expect("count"), 0);

    // Organizations and their isolation.
    let norte = create_org(&store, "Despacho Norte").await;
    let sur = create_org(&store, "Despacho Sur").await;
    assert_eq!(
        store
            .organization(norte.id)
            .await
            .expect("read")
            .map(|o| o.name),
        Some("Despacho Norte".into())
    );
    assert_eq!(
        store
            .organization_by_name("Despacho Sur")
            .await
            .expect("read")
            .map(|o| o.id),
        Some(sur.id)
    );
    let duplicate = Organization {
        id: OrganizationId::new(),
        ..norte.clone()
    };
    let error = store
        .create_organization(
            &duplicate,
            &audit(duplicate.id, "organization.created", "organization"),
        )
        .await
        .expect_err("duplicate name");
    assert!(
        matches!(error, StoreError::Conflict(Constraint::OrganizationName)),
        "{error:?}"
    );

    // Users are scoped to their organization.
    let ana = store
        .create_user(
            &new_user(norte.id, "Ana@Example.mx", Role::Admin),
            &audit(norte.id, "user.created", "user"),
        )
        .await
        .expect("create user");
    assert_eq!(ana.email, "ana@example.mx");
    assert!(ana.active);
    let beto = store
        .create_user(
            &new_user(sur.id, "beto@example.mx", Role::Agent),
            &audit(sur.id, "user.created", "user"),
        )
        .await
        .expect("create user");
    assert_eq!(
        store.user(norte.id, ana.id).await.expect("read"),
        Some(ana.clone())
    );
    assert_eq!(
        store.user(norte.id, beto.id).await.expect("read"),
        None,
        "other organization's user"
    );
    assert_eq!(store.users(norte.id).await.expect("list").len(), 1);

    let taken = store
        .create_user(
            &new_user(sur.id, "ana@example.mx", Role::Viewer),
            &audit(sur.id, "user.created", "user"),
        )
        .await
        .expect_err("email taken");
    assert!(
        matches!(taken, StoreError::Conflict(Constraint::UserEmail)),
        "{taken:?}"
    );
    assert_eq!(
        store.users(sur.id).await.expect("list").len(),
        1,
        "failed insert left no row"
    );

    let email = Email::parse("email", "ANA@example.mx").expect("valid");
    let candidate = store
        .login_candidate(&email)
        .await
        .expect("read")
        .expect("candidate");
    assert_eq!(candidate.user.id, ana.id);
    assert!(candidate.password_hash.starts_with("$argon2id$"));

    // Sessions end when they expire and when their user is deactivated.
    let now = Timestamp::now();
    let session = NewSession {
        token_hash: [7; 32],
        organization_id: norte.id,
        user_id: ana.id,
        csrf_token: "csrf".into(),
        created_at: now,
        expires_at: now + SignedDuration::from_hours(1),
    };
    store
        .create_session(&session)
        .await
        .expect("create session");
    let found = store
        .session(&[7; 32], now)
        .await
        .expect("read")
        .expect("live session");
    assert_eq!(found.user.id, ana.id);
    assert_eq!(found.csrf_token, "csrf");
    let later = now + SignedDuration::from_hours(2);
    assert!(
        store
            .session(&[7; 32], later)
            .await
            .expect("read")
            .is_none(),
        "expired"
    );
    assert_eq!(
        store.delete_expired_sessions(later).await.expect("purge"),
        1
    );

    store
        .create_session(&NewSession {
            token_hash: [8; 32],
            ..session.clone()
        })
        .await
        .expect("create");
    let wrong_org = store
        .set_user_active(
            sur.id,
            ana.id,
            false,
            &audit(sur.id, "user.deactivated", "user"),
        )
        .await
        .expect("update");
    assert_eq!(
        wrong_org, None,
        "another organization cannot deactivate the user"
    );
    assert!(store.session(&[8; 32], now).await.expect("read").is_some());
    let deactivated = store
        .set_user_active(
            norte.id,
            ana.id,
            false,
            &audit(norte.id, "user.deactivated", "user"),
        )
        .await
        .expect("update")
        .expect("user found");
    assert!(!deactivated.active);
    assert!(deactivated.deactivated_at.is_some());
    assert!(
        store.session(&[8; 32], now).await.expect("read").is_none(),
        "sessions ended"
    );
    let reactivated = store
        .set_user_active(
            norte.id,
            ana.id,
            true,
            &audit(norte.id, "user.reactivated", "user"),
        )
        .await
        .expect("update")
        .expect("user found");
    assert!(reactivated.active);
    assert_eq!(reactivated.deactivated_at, None);

    store
        .create_session(&NewSession {
            token_hash: [9; 32],
            ..session.clone()
        })
        .await
        .expect("create");
    store.delete_session(&[9; 32]).await.expect("delete");
    assert!(
        store.session(&[9; 32], now).await.expect("read").is_none(),
        "logged out"
    );

    // API tokens.
    let token = NewApiToken {
        id: Uuid::now_v7(),
        organization_id: norte.id,
        name: "ERP".into(),
        role: Role::Viewer,
        token_hash: [1; 32],
        created_by: Some(ana.id),
        created_at: now,
    };
    let created = store
        .create_api_token(&token, &audit(norte.id, "api_token.created", "api_token"))
        .await
        .expect("create token");
    assert_eq!(created.role, Role::Viewer);
    assert_eq!(
        store
            .active_api_token(&[1; 32])
            .await
            .expect("read")
            .map(|t| t.id),
        Some(token.id)
    );
    assert_eq!(
        store.api_token(sur.id, token.id).await.expect("read"),
        None,
        "other organization"
    );
    assert_eq!(
        store
            .revoke_api_token(
                sur.id,
                token.id,
                &audit(sur.id, "api_token.revoked", "api_token")
            )
            .await
            .expect("revoke"),
        None
    );
    let revoked = store
        .revoke_api_token(
            norte.id,
            token.id,
            &audit(norte.id, "api_token.revoked", "api_token"),
        )
        .await
        .expect("revoke")
        .expect("token found");
    assert!(revoked.revoked_at.is_some());
    assert!(
        store
            .active_api_token(&[1; 32])
            .await
            .expect("read")
            .is_none()
    );
    assert_eq!(store.api_tokens(norte.id).await.expect("list").len(), 1);

    // The audit log recorded each change, per organization, newest first.
    let entries = store
        .audit_entries(norte.id, None, 100)
        .await
        .expect("audit");
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "api_token.revoked",
            "api_token.created",
            "user.reactivated",
            "user.deactivated",
            "user.created",
            "organization.created",
        ]
    );
    assert_eq!(entries[0].details, serde_json::json!({"source": "story"}));
    let page = store
        .audit_entries(norte.id, Some(entries[1].id), 2)
        .await
        .expect("page");
    assert_eq!(
        page.iter().map(|e| e.id).collect::<Vec<_>>(),
        [entries[2].id, entries[3].id]
    );
    assert!(
        store
            .audit_entry(sur.id, entries[0].id)
            .await
            .expect("read")
            .is_none()
    );
    assert!(
        store
            .audit_entry(norte.id, entries[0].id)
            .await
            .expect("read")
            .is_some()
    );
    let sur_actions = store.audit_entries(sur.id, None, 100).await.expect("audit");
    assert!(sur_actions.iter().all(|e| e.organization_id == sur.id));
    assert_eq!(
        sur_actions.len(),
        2,
        "failed and rejected changes wrote no entry"
    );

    let appended = store
        .append_audit(&audit(norte.id, "session.created", "session"))
        .await
        .expect("append");
    assert!(appended > entries[0].id);
}

/// Checks that the database itself rejects updates and deletions of audit entries.
async fn audit_log_is_append_only(store: Arc<dyn Store>, url: &str) {
    let org = create_org(&store, "Despacho Bitácora").await;
    let id = store
        .append_audit(&audit(org.id, "session.created", "session"))
        .await
        .expect("append");
    let update = "UPDATE audit_log SET action = 'forged' WHERE id = $1";
    let delete = "DELETE FROM audit_log WHERE id = $1";
    match store.backend() {
        Backend::Sqlite => {
            let pool = sqlx::SqlitePool::connect(url).await.expect("connect");
            assert!(
                sqlx::query(update).bind(id).execute(&pool).await.is_err(),
                "update rejected"
            );
            assert!(
                sqlx::query(delete).bind(id).execute(&pool).await.is_err(),
                "delete rejected"
            );
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(url).await.expect("connect");
            assert!(
                sqlx::query(update).bind(id).execute(&pool).await.is_err(),
                "update rejected"
            );
            assert!(
                sqlx::query(delete).bind(id).execute(&pool).await.is_err(),
                "delete rejected"
            );
        }
    }
    let entry = store
        .audit_entry(org.id, id)
        .await
        .expect("read")
        .expect("entry kept");
    assert_eq!(entry.action, "session.created");
}

#[tokio::test]
async fn story_sqlite() {
    let test = testing::sqlite().await;
    story(test.store.clone()).await;
    audit_log_is_append_only(test.store.clone(), &test.url).await;
}

#[tokio::test]
async fn story_postgres() {
    let Some(test) = testing::postgres().await else {
        return;
    };
    story(test.store.clone()).await;
    audit_log_is_append_only(test.store.clone(), &test.url).await;
}

#[tokio::test]
async fn unsupported_url_is_rejected() {
    let error = ronda_store::connect("mysql://root:secreto@db/ronda", &Default::default())
        .await
        .expect_err("unsupported");
    let message = error.to_string();
    assert!(message.contains("expected sqlite://"), "{message}");
    assert!(!message.contains("secreto"), "password redacted: {message}");
}
