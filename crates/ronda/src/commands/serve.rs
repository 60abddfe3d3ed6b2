//! `ronda serve`: the HTTP server.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use ronda_server::AppState;
use ronda_store::Store;

use crate::bootstrap;
use crate::commands::open_store;
use crate::config::Config;
use crate::telemetry;

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on, such as 0.0.0.0:8080; port 0 picks a free port.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
}

/// How often expired sessions are deleted.
const SESSION_PURGE_INTERVAL: Duration = Duration::from_secs(60 * 60);

pub async fn run(mut config: Config, args: ServeArgs) -> anyhow::Result<()> {
    if let Some(listen) = args.listen {
        config.server.listen = listen;
    }
    telemetry::init(&config.log)?;
    check_listen_address(&config.server.listen)?;
    let store = open_store(&config).await?;
    bootstrap::first_admin(store.as_ref()).await?;
    serve(config, store).await
}

/// Rejects a listen address that is not `IP:PORT` before anything is written, so a first
/// start never creates the admin and then fails to listen.
pub fn check_listen_address(listen: &str) -> anyhow::Result<()> {
    listen.parse::<SocketAddr>().map(|_| ()).map_err(|_| {
        anyhow::anyhow!(
            "invalid listen address {listen:?}: write IP:PORT, such as 127.0.0.1:8080 or 0.0.0.0:8080"
        )
    })
}

/// Serves the application on the configured address until SIGINT or SIGTERM.
pub async fn serve(config: Config, store: Arc<dyn Store>) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(&config.server.listen)
        .await
        .with_context(|| format!("could not listen on {}", config.server.listen))?;
    let address = listener.local_addr()?;
    tracing::info!(%address, database = %ronda_store::redact_url(&config.database.url), "server starting");

    let purge = tokio::spawn(purge_expired_sessions(store.clone()));
    let app = ronda_server::router(AppState::new(store.clone(), config.server_settings()));
    println!("Console:   http://{address}/");
    println!("Field app: http://{address}/app/");
    println!("API docs:  http://{address}/api-docs/");
    println!("Ronda listening on http://{address}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .context("server failed")?;

    purge.abort();
    store.close().await;
    tracing::info!("server stopped");
    Ok(())
}

async fn purge_expired_sessions(store: Arc<dyn Store>) {
    let mut interval = tokio::time::interval(SESSION_PURGE_INTERVAL);
    loop {
        interval.tick().await;
        match store.delete_expired_sessions(jiff::Timestamp::now()).await {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "deleted expired sessions"),
            Err(error) => tracing::warn!(
                error = format!("{error:#}"),
                "deleting expired sessions failed"
            ),
        }
    }
}

async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "could not listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "could not listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutdown requested");
}
