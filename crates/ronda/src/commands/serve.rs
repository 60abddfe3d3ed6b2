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

    /// Address of the Traccar Client listener, such as 0.0.0.0:5055; "" turns it off.
    #[arg(long, value_name = "ADDR")]
    pub tracking_listen: Option<String>,
}

/// How often expired sessions are deleted.
const SESSION_PURGE_INTERVAL: Duration = Duration::from_secs(60 * 60);

/// How often positions past their retention are summarized and deleted.
const RETENTION_INTERVAL: Duration = Duration::from_secs(60 * 60);

pub async fn run(mut config: Config, args: ServeArgs) -> anyhow::Result<()> {
    if let Some(listen) = args.listen {
        config.server.listen = listen;
    }
    if let Some(listen) = args.tracking_listen {
        config.tracking.osmand_listen = listen;
    }
    telemetry::init(&config.log)?;
    check_listen_address(&config.server.listen)?;
    check_tracking_address(&config.tracking.osmand_listen)?;
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

/// Same check for the Traccar Client listener, which may also be empty (turned off).
pub fn check_tracking_address(listen: &str) -> anyhow::Result<()> {
    if listen.is_empty() {
        return Ok(());
    }
    check_listen_address(listen).context("invalid tracking.osmand_listen")
}

/// The addresses the server listens on, known once both listeners are bound.
#[derive(Clone, Copy, Debug)]
pub struct BoundAddresses {
    pub main: SocketAddr,
    /// The Traccar Client listener, when one is configured.
    pub tracking: Option<SocketAddr>,
}

/// Serves the application on the configured address, and the OsmAnd endpoints on the
/// Traccar Client listener when one is set, until SIGINT or SIGTERM.
pub async fn serve(config: Config, store: Arc<dyn Store>) -> anyhow::Result<()> {
    serve_reporting(config, store, None).await
}

/// Serves like [`serve`], and sends the bound addresses on `bound` once the listeners
/// accept connections, so a caller can reach a server started on port 0.
pub async fn serve_reporting(
    config: Config,
    store: Arc<dyn Store>,
    bound: Option<tokio::sync::oneshot::Sender<BoundAddresses>>,
) -> anyhow::Result<()> {
    let listener = bind(&config.server.listen).await?;
    let tracking_listener = match config.tracking.osmand_listen.as_str() {
        "" => None,
        listen => Some(bind(listen).await?),
    };
    let address = listener.local_addr()?;
    let tracking_address = match &tracking_listener {
        Some(listener) => Some(listener.local_addr()?),
        None => None,
    };
    tracing::info!(%address, database = %ronda_store::redact_url(&config.database.url), "server starting");

    let purge = tokio::spawn(purge_expired_sessions(store.clone()));
    let retention = tokio::spawn(apply_position_retention(
        store.clone(),
        config.tracking.retention_days,
        config.server_settings().tracking_time_zone,
    ));
    let state = AppState::new(store.clone(), config.server_settings());
    let notify = ronda_server::notify::spawn(state.clone())?;
    let agent_watch = ronda_server::agent_watch::spawn(state.clone());
    let rollups = ronda_server::reports::spawn(state.clone());
    let productivity = ronda_server::productivity::spawn(state.clone());
    let geocoding = ronda_server::geocode::spawn(state.clone())?;
    let live = state.live().clone();
    let app = ronda_server::router(state.clone());
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let stop = Arc::new(stop);
    let tracking = match tracking_listener {
        Some(listener) => {
            let tracking_address = listener.local_addr()?;
            println!(
                "Traccar Client (OsmAnd): http://{tracking_address}/tracking/osmand/<device secret>; \
                 the main port takes the same path, as in the URL the console shows"
            );
            let app = ronda_server::tracking::router(state);
            Some(tokio::spawn(
                axum::serve(
                    listener,
                    app.into_make_service_with_connect_info::<SocketAddr>(),
                )
                .with_graceful_shutdown(wait_for_stop(stopped.clone()))
                .into_future(),
            ))
        }
        None => None,
    };
    let shutdown = shutdown_signal();
    println!("Console:   http://{address}/");
    println!("Field app: http://{address}/app/");
    println!("API docs:  http://{address}/api-docs/");
    println!("Ronda listening on http://{address}");
    if let Some(bound) = bound {
        // The receiver is gone only when the caller stopped waiting, which is harmless.
        let _ = bound.send(BoundAddresses {
            main: address,
            tracking: tracking_address,
        });
    }
    let main = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown({
        let stop = stop.clone();
        async move {
            shutdown.await;
            live.close();
            let _ = stop.send(true);
        }
    })
    .await;
    // Also stops the tracking listener when the main one failed.
    let _ = stop.send(true);
    if let Some(tracking) = tracking {
        match tracking.await {
            Ok(Ok(())) => {}
            Ok(Err(error)) => tracing::warn!(%error, "tracking listener failed"),
            Err(error) => tracing::warn!(%error, "tracking listener task failed"),
        }
    }
    main.context("server failed")?;

    purge.abort();
    retention.abort();
    agent_watch.abort();
    rollups.abort();
    productivity.abort();
    if let Some(geocoding) = geocoding {
        geocoding.abort();
    }
    notify.shutdown().await;
    store.close().await;
    tracing::info!("server stopped");
    Ok(())
}

/// Deletes raw positions past `tracking.retention_days` once an hour, keeping each
/// agent's daily summary.
async fn apply_position_retention(
    store: Arc<dyn Store>,
    retention_days: u32,
    zone: jiff::tz::TimeZone,
) {
    if retention_days == 0 {
        return;
    }
    let mut interval = tokio::time::interval(RETENTION_INTERVAL);
    loop {
        interval.tick().await;
        let run = ronda_server::tracking::history::apply_retention(
            store.as_ref(),
            retention_days,
            &zone,
            jiff::Timestamp::now(),
        )
        .await;
        match run {
            Ok(run) if run.positions_deleted == 0 => {}
            Ok(run) => tracing::info!(
                days = run.days_summarized,
                positions = run.positions_deleted,
                "summarized and deleted positions past retention"
            ),
            Err(error) => tracing::warn!(
                error = format!("{error:#}"),
                "position retention failed; it runs again within an hour"
            ),
        }
    }
}

async fn bind(listen: &str) -> anyhow::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("could not listen on {listen}"))
}

async fn wait_for_stop(mut stopped: tokio::sync::watch::Receiver<bool>) {
    // An error means the sender is gone, which also means stop.
    let _ = stopped.wait_for(|stop| *stop).await;
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

/// Listens for SIGINT and SIGTERM from the moment it is called, so a signal that arrives
/// before the server starts serving still stops it gracefully.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    use tokio::signal::unix::{SignalKind, signal};

    let interrupt = signal(SignalKind::interrupt());
    let terminate = signal(SignalKind::terminate());
    async move {
        tokio::select! {
            () = wait_for(interrupt, "SIGINT") => {}
            () = wait_for(terminate, "SIGTERM") => {}
        }
        tracing::info!("shutdown requested");
    }
}

async fn wait_for(signal: std::io::Result<tokio::signal::unix::Signal>, name: &str) {
    match signal {
        Ok(mut signal) => {
            signal.recv().await;
        }
        Err(error) => {
            tracing::warn!(%error, signal = name, "could not listen for the signal");
            std::future::pending::<()>().await;
        }
    }
}
