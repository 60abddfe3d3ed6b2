//! `ronda demo`: a fresh SQLite database with a demonstration organization, then the server.

use std::path::PathBuf;

use anyhow::Context;
use ronda_domain::Role;

use crate::bootstrap;
use crate::commands::{open_store, serve};
use crate::config::Config;
use crate::demo_data;
use crate::telemetry;

#[derive(clap::Args)]
pub struct DemoArgs {
    /// Address to listen on; use 0.0.0.0:8080 to open the field app from a phone.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    listen: String,
    /// Address of the Traccar Client listener; by default port 5055 on the same IP as
    /// --listen. "" turns it off.
    #[arg(long, value_name = "ADDR")]
    tracking_listen: Option<String>,
    /// Folder for the demo database, which is recreated at every start.
    #[arg(long, default_value = "ronda-demo", value_name = "DIR")]
    data_dir: PathBuf,
}

/// Accounts imported for each of the two demo lenders.
const ACCOUNTS_PER_LENDER: usize = 150;

/// Every demo login shares this password, so it can be printed once.
const DEMO_PASSWORD: &str = "ronda-demo-2026";

const DEMO_USERS: [(&str, &str, Role); 6] = [
    ("admin@demo.ronda.mx", "Lucía Hernández", Role::Admin),
    (
        "supervisor1@demo.ronda.mx",
        "Jorge Ramírez",
        Role::Supervisor,
    ),
    (
        "supervisor2@demo.ronda.mx",
        "Mariana Ortiz",
        Role::Supervisor,
    ),
    ("gestor1@demo.ronda.mx", "Pedro Sánchez", Role::Agent),
    ("gestor2@demo.ronda.mx", "Karla Jiménez", Role::Agent),
    (
        "consulta@demo.ronda.mx",
        "Otorgante (consulta)",
        Role::Viewer,
    ),
];

pub async fn run(mut config: Config, args: DemoArgs) -> anyhow::Result<()> {
    config.server.listen = args.listen;
    serve::check_listen_address(&config.server.listen)?;
    config.tracking.osmand_listen = match args.tracking_listen {
        Some(listen) => listen,
        None => tracking_address_beside(&config.server.listen),
    };
    serve::check_tracking_address(&config.tracking.osmand_listen)?;
    config.database.url = fresh_database(&args.data_dir)?;
    telemetry::init(&config.log)?;
    let store = open_store(&config).await?;

    let org = bootstrap::create_organization(store.as_ref(), "Cobranza Integral del Valle").await?;
    for (email, name, role) in DEMO_USERS {
        bootstrap::create_user(store.as_ref(), org.id, email, name, role, DEMO_PASSWORD).await?;
    }
    let accounts = demo_data::load(store.as_ref(), org.id, ACCOUNTS_PER_LENDER).await?;
    print_logins(&org.name, &config.server.listen);
    println!(
        "Portfolios: 2 lenders, {accounts} accounts in real localities of CDMX and Estado de México (Fuente: INEGI)"
    );
    serve::serve(config, store).await
}

/// Port 5055, Traccar Client's default, on the IP of the main listener.
fn tracking_address_beside(listen: &str) -> String {
    match listen.parse::<std::net::SocketAddr>() {
        Ok(address) => std::net::SocketAddr::new(address.ip(), 5055).to_string(),
        Err(_) => "127.0.0.1:5055".to_owned(),
    }
}

/// Deletes the previous demo database, so each run starts from the same state.
fn fresh_database(dir: &std::path::Path) -> anyhow::Result<String> {
    std::fs::create_dir_all(dir).with_context(|| format!("could not create {}", dir.display()))?;
    let file = dir.join("ronda-demo.sqlite");
    for suffix in ["", "-wal", "-shm"] {
        let path = PathBuf::from(format!("{}{suffix}", file.display()));
        if path.exists() {
            std::fs::remove_file(&path)
                .with_context(|| format!("could not delete {}", path.display()))?;
        }
    }
    Ok(format!("sqlite://{}", file.display()))
}

fn print_logins(org_name: &str, listen: &str) {
    println!("Demo organization: {org_name}");
    println!("Logins (password for all: {DEMO_PASSWORD}):");
    for (email, name, role) in DEMO_USERS {
        println!("  {:<10} {email:<28} {name}", role.as_str());
    }
    if listen.starts_with("0.0.0.0") {
        println!("From a phone on the same network, open http://<this computer's IP>:<port>/app/");
    } else {
        println!("To open the field app from a phone, run with --listen 0.0.0.0:8080");
    }
}
