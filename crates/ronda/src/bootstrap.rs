//! Creating organizations and users from the command line and at first start.

use anyhow::Context;
use jiff::Timestamp;
use rand::Rng;
use rand::distributions::Alphanumeric;
use ronda_domain::{Email, NewPassword, OrganizationId, PersonName, Role, UserId};
use ronda_store::{Actor, AuditEvent, NewUser, Organization, Store, User};

/// Returns a random 20-character password of letters and digits.
pub fn generate_password() -> String {
    rand::rngs::OsRng
        .sample_iter(&Alphanumeric)
        .take(20)
        .map(char::from)
        .collect()
}

fn system_audit(
    org: OrganizationId,
    action: &'static str,
    target_kind: &'static str,
    target_id: String,
    details: serde_json::Value,
) -> AuditEvent {
    AuditEvent {
        organization_id: org,
        actor: Actor::System,
        action,
        target_kind,
        target_id: Some(target_id),
        details,
        at: Timestamp::now(),
    }
}

pub async fn create_organization(store: &dyn Store, name: &str) -> anyhow::Result<Organization> {
    let name = PersonName::parse("org", name)?;
    let org = Organization {
        id: OrganizationId::new(),
        name: name.as_str().to_owned(),
        created_at: Timestamp::now(),
    };
    let audit = system_audit(
        org.id,
        "organization.created",
        "organization",
        org.id.to_string(),
        serde_json::json!({ "name": org.name }),
    );
    store
        .create_organization(&org, &audit)
        .await
        .with_context(|| format!("could not create organization {:?}", org.name))?;
    Ok(org)
}

pub async fn create_user(
    store: &dyn Store,
    org: OrganizationId,
    email: &str,
    name: &str,
    role: Role,
    password: &str,
) -> anyhow::Result<User> {
    let email = Email::parse("email", email)?;
    let name = PersonName::parse("name", name)?;
    let password = NewPassword::parse("password", password)?;
    let password_hash =
        ronda_server::auth::password::hash_password(password.expose().to_owned()).await?;
    let user = NewUser {
        id: UserId::new(),
        organization_id: org,
        email,
        name,
        role,
        password_hash,
        created_at: Timestamp::now(),
    };
    let details = serde_json::json!({ "email": user.email, "role": role });
    let audit = system_audit(org, "user.created", "user", user.id.to_string(), details);
    store
        .create_user(&user, &audit)
        .await
        .with_context(|| format!("could not create user {}", user.email.as_str()))
}

/// On an empty database, creates a first organization and its administrator, and prints
/// the login once. Does nothing when any organization exists.
pub async fn first_admin(store: &dyn Store) -> anyhow::Result<()> {
    if store.count_organizations().await? > 0 {
        return Ok(());
    }
    let org = create_organization(store, "Mi despacho").await?;
    let password = generate_password();
    let admin = create_user(
        store,
        org.id,
        "admin@ronda.local",
        "Administrador",
        Role::Admin,
        &password,
    )
    .await?;
    println!(
        "First start: created the organization \"{}\" and its administrator.",
        org.name
    );
    println!("  Email:    {}", admin.email);
    println!("  Password: {password}");
    println!("This password is shown only once; create more users from the console.");
    Ok(())
}
