//! `ronda demo`: a fresh SQLite database with a demonstration organization, the server,
//! and simulated agents that move on the map and send visits.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;

use anyhow::Context;
use ronda_store::portfolio::AccountQuery;

use crate::bootstrap;
use crate::commands::{open_store, serve};
use crate::config::Config;
use crate::demo::client::{ApiClient, http_client};
use crate::demo::setup::{self, PlacedAccount};
use crate::demo::{people, portfolio, simulator};
use crate::telemetry;

#[derive(clap::Args)]
pub struct DemoArgs {
    /// Address to listen on; use 0.0.0.0:8080 to open the field app from a phone.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    listen: String,
    /// Address of the Traccar Client listener; by default port 5055 on the same IP as
    /// --listen. "" turns it off, and the simulated phones then use the main listener.
    #[arg(long, value_name = "ADDR")]
    tracking_listen: Option<String>,
    /// Folder for the demo database, which is recreated at every start.
    #[arg(long, default_value = "ronda-demo", value_name = "DIR")]
    data_dir: PathBuf,
    /// Seed the data but start no simulated agents, so nothing moves by itself.
    #[arg(long)]
    no_simulation: bool,
}

/// Accounts imported for each of the two demo lenders.
const ACCOUNTS_PER_LENDER: usize = 150;

/// Time the server gets to finish a shutdown that made seeding fail.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

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
    people::create_users(store.as_ref(), org.id).await?;
    let accounts = portfolio::load(store.as_ref(), org.id, ACCOUNTS_PER_LENDER).await?;
    let placed = place_accounts(store.as_ref(), org.id, &accounts).await?;
    let groups = setup::nearby_groups(&placed, people::agents().count(), setup::ACCOUNTS_PER_AGENT);
    people::print_logins(&org.name, &config.server.listen);
    println!(
        "Portfolios: 2 lenders, {} accounts in real localities of CDMX and Estado de México (Fuente: INEGI)",
        accounts.len()
    );

    let (bound_sender, bound) = tokio::sync::oneshot::channel();
    let mut server = tokio::spawn(serve::serve_reporting(config, store, Some(bound_sender)));
    let Ok(bound) = bound.await else {
        // The server stopped before listening, and its error names the cause.
        return server.await.context("server task failed")?;
    };
    let endpoints = simulator::Endpoints {
        api: format!("http://{}", loopback_for(bound.main)),
        tracking: format!(
            "http://{}",
            loopback_for(bound.tracking.unwrap_or(bound.main))
        ),
    };
    let seeded = tokio::select! {
        seeded = seed(&endpoints.api, &groups) => seeded,
        stopped = &mut server => return stopped.context("server task failed")?,
    };
    let devices = match seeded {
        Ok(devices) => devices,
        Err(error) => {
            // A SIGTERM during seeding makes the requests fail while the server stops
            // gracefully: then the server's own result is the outcome.
            if let Ok(stopped) = tokio::time::timeout(SHUTDOWN_GRACE, &mut server).await {
                return stopped.context("server task failed")?;
            }
            server.abort();
            return Err(error.context("seeding the demo through the API failed"));
        }
    };
    let assigned: usize = groups.iter().map(Vec::len).sum();
    println!(
        "Demo data ready: 3 forms, {} tracking devices, {assigned} accounts assigned, 2 notification rules (emails wait in the outbox: no SMTP server is configured)",
        devices.len()
    );

    let mut agents = None;
    if args.no_simulation {
        println!("Simulation off: agents stay still until someone uses the field app.");
    } else {
        println!(
            "Simulation: {} agents drive their routes and send a visit about every minute; watch the console's live map and feed.",
            devices.len()
        );
        agents = Some(simulator::spawn(endpoints, devices)?);
    }
    let result = server.await.context("server task failed")?;
    if let Some(mut agents) = agents {
        agents.abort_all();
        while agents.join_next().await.is_some() {}
    }
    result
}

async fn seed(
    api_url: &str,
    groups: &[Vec<uuid::Uuid>],
) -> anyhow::Result<Vec<setup::AgentDevice>> {
    let admin = people::DEMO_USERS
        .iter()
        .find(|user| user.role == ronda_domain::Role::Admin)
        .context("the demo has no admin")?;
    let client =
        ApiClient::login(http_client()?, api_url, admin.email, people::DEMO_PASSWORD).await?;
    setup::seed(&client, groups).await
}

/// Pairs each generated account with its id in the store.
async fn place_accounts(
    store: &dyn ronda_store::Store,
    org: ronda_domain::OrganizationId,
    accounts: &[portfolio::DemoAccount],
) -> anyhow::Result<Vec<PlacedAccount>> {
    let query = AccountQuery {
        limit: u32::try_from(accounts.len()).unwrap_or(u32::MAX),
        ..AccountQuery::default()
    };
    let (stored, _) = store.accounts(org, &query).await?;
    let ids: HashMap<String, uuid::Uuid> = stored
        .into_iter()
        .map(|summary| (summary.lender_account_id, summary.id))
        .collect();
    accounts
        .iter()
        .map(|account| {
            let id = ids.get(&account.lender_account_id).with_context(|| {
                format!("account {} was not imported", account.lender_account_id)
            })?;
            Ok(PlacedAccount {
                id: *id,
                point: account.point,
            })
        })
        .collect()
}

/// Returns the address to connect to a listener at, with loopback in place of an
/// unspecified IP such as 0.0.0.0.
fn loopback_for(address: SocketAddr) -> SocketAddr {
    let ip = match address.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, address.port())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unspecified_listener_is_called_on_loopback() {
        let any: SocketAddr = "0.0.0.0:8080".parse().expect("address");
        assert_eq!(loopback_for(any).to_string(), "127.0.0.1:8080");
        let any_v6: SocketAddr = "[::]:8080".parse().expect("address");
        assert_eq!(loopback_for(any_v6).to_string(), "[::1]:8080");
        let loopback: SocketAddr = "127.0.0.1:9000".parse().expect("address");
        assert_eq!(loopback_for(loopback), loopback);
    }
}
