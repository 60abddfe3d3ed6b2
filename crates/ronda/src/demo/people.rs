//! The demo organization's users: an admin, two supervisors, ten agents and a viewer.

use ronda_domain::{OrganizationId, Role};
use ronda_store::Store;

use crate::bootstrap;

/// Every demo login shares this password, so it can be printed once.
pub const DEMO_PASSWORD: &str = "ronda-demo-2026";

pub struct DemoUser {
    pub email: &'static str,
    pub name: &'static str,
    pub role: Role,
}

const fn user(email: &'static str, name: &'static str, role: Role) -> DemoUser {
    DemoUser { email, name, role }
}

pub const DEMO_USERS: [DemoUser; 14] = [
    user("admin@demo.ronda.mx", "Lucía Hernández", Role::Admin),
    user(
        "supervisor1@demo.ronda.mx",
        "Jorge Ramírez",
        Role::Supervisor,
    ),
    user(
        "supervisor2@demo.ronda.mx",
        "Mariana Ortiz",
        Role::Supervisor,
    ),
    user("gestor1@demo.ronda.mx", "Pedro Sánchez Olvera", Role::Agent),
    user("gestor2@demo.ronda.mx", "Karla Jiménez Ruiz", Role::Agent),
    user("gestor3@demo.ronda.mx", "Juan Carlos Mendoza", Role::Agent),
    user(
        "gestor4@demo.ronda.mx",
        "Guadalupe Torres Aguilar",
        Role::Agent,
    ),
    user(
        "gestor5@demo.ronda.mx",
        "Héctor Castillo Reyes",
        Role::Agent,
    ),
    user(
        "gestor6@demo.ronda.mx",
        "Daniela Vargas Medina",
        Role::Agent,
    ),
    user(
        "gestor7@demo.ronda.mx",
        "Ricardo Domínguez Luna",
        Role::Agent,
    ),
    user(
        "gestor8@demo.ronda.mx",
        "Alejandra Rojas Salinas",
        Role::Agent,
    ),
    user(
        "gestor9@demo.ronda.mx",
        "Francisco Gutiérrez Ávila",
        Role::Agent,
    ),
    user(
        "gestor10@demo.ronda.mx",
        "Ximena Navarro Cortés",
        Role::Agent,
    ),
    user(
        "consulta@demo.ronda.mx",
        "Otorgante (consulta)",
        Role::Viewer,
    ),
];

pub fn agents() -> impl Iterator<Item = &'static DemoUser> {
    DEMO_USERS.iter().filter(|user| user.role == Role::Agent)
}

pub fn supervisors() -> impl Iterator<Item = &'static DemoUser> {
    DEMO_USERS
        .iter()
        .filter(|user| user.role == Role::Supervisor)
}

/// Creates every demo user in `org` with [`DEMO_PASSWORD`].
pub async fn create_users(store: &dyn Store, org: OrganizationId) -> anyhow::Result<()> {
    for user in &DEMO_USERS {
        bootstrap::create_user(store, org, user.email, user.name, user.role, DEMO_PASSWORD).await?;
    }
    Ok(())
}

/// Prints the logins and how to reach the field app from a phone.
pub fn print_logins(org_name: &str, listen: &str) {
    println!("Demo organization: {org_name}");
    println!("Logins (password for all: {DEMO_PASSWORD}):");
    for user in &DEMO_USERS {
        println!(
            "  {:<10} {:<28} {}",
            user.role.as_str(),
            user.email,
            user.name
        );
    }
    if listen.starts_with("0.0.0.0") || listen.starts_with("[::]") {
        println!(
            "From a phone on the same network, open http://<this computer's IP>:<port>/app/ and log in as an agent"
        );
    } else {
        let port = listen.rsplit(':').next().unwrap_or("8080");
        println!("To open the field app from a phone, run with --listen 0.0.0.0:{port}");
    }
}
