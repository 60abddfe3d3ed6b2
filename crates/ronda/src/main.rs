//! `ronda`: the server and its command-line tools in one binary.

mod bootstrap;
mod commands;
mod config;
mod demo;
mod telemetry;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "ronda",
    version,
    about = "Field operations for collection agencies"
)]
struct Cli {
    /// Configuration file; ronda.toml in the current folder is read when present.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Database URL (sqlite://PATH or postgres://...); overrides the configuration.
    #[arg(long, global = true, value_name = "URL")]
    database: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server: API, console, field app and tracking endpoints.
    Serve(commands::serve::ServeArgs),
    /// Start a demonstration on a fresh SQLite file, with an organization and a login
    /// for each role.
    Demo(commands::demo::DemoArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage users.
    #[command(subcommand)]
    User(commands::user::UserCommand),
    /// Configuration helpers.
    #[command(subcommand)]
    Config(ConfigCommand),
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Print a fully commented configuration file with every default.
    Example,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: could not start the async runtime: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Config(ConfigCommand::Example) = cli.command {
        print!("{}", config::EXAMPLE);
        return Ok(());
    }
    let mut config = config::load(cli.config.as_deref())?;
    if let Some(url) = cli.database {
        config.database.url = url;
    }
    match cli.command {
        Command::Serve(args) => commands::serve::run(config, args).await,
        Command::Demo(args) => commands::demo::run(config, args).await,
        Command::Migrate => commands::migrate(config).await,
        Command::User(command) => commands::user::run(config, command).await,
        Command::Config(ConfigCommand::Example) => Ok(()),
    }
}
