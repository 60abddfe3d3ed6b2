//! The subcommands of `ronda`.

pub mod demo;
pub mod serve;
pub mod user;

use std::sync::Arc;

use anyhow::Context;
use ronda_store::Store;

use crate::config::Config;

/// Opens the configured store and applies pending migrations.
pub async fn open_store(config: &Config) -> anyhow::Result<Arc<dyn Store>> {
    let redacted = ronda_store::redact_url(&config.database.url);
    let store = ronda_store::connect(&config.database.url, &config.connect_options())
        .await
        .with_context(|| format!("could not open the database {redacted}"))?;
    store
        .migrate()
        .await
        .with_context(|| format!("could not migrate the database {redacted}"))?;
    Ok(store)
}

pub async fn migrate(config: Config) -> anyhow::Result<()> {
    let store = open_store(&config).await?;
    store.close().await;
    println!(
        "Migrations applied to {}",
        ronda_store::redact_url(&config.database.url)
    );
    Ok(())
}
