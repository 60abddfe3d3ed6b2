//! `ronda user`: create users from the command line.

use std::io::Read;

use anyhow::Context;
use ronda_domain::Role;

use crate::bootstrap;
use crate::commands::open_store;
use crate::config::Config;

#[derive(clap::Subcommand)]
pub enum UserCommand {
    /// Add a user to an organization. Without --password-stdin, a random password is
    /// generated and printed.
    Add(AddArgs),
}

#[derive(clap::Args)]
pub struct AddArgs {
    /// Name of the organization (despacho) the user belongs to.
    #[arg(long)]
    org: String,
    /// Create the organization when it does not exist.
    #[arg(long)]
    create_org: bool,
    #[arg(long)]
    email: String,
    /// The person's full name.
    #[arg(long)]
    name: String,
    /// admin, supervisor, agent or viewer.
    #[arg(long)]
    role: Role,
    /// Read the password from standard input instead of generating one.
    #[arg(long)]
    password_stdin: bool,
}

pub async fn run(config: Config, command: UserCommand) -> anyhow::Result<()> {
    let UserCommand::Add(args) = command;
    let store = open_store(&config).await?;
    let org = match store.organization_by_name(args.org.trim()).await? {
        Some(org) => org,
        None if args.create_org => {
            bootstrap::create_organization(store.as_ref(), &args.org).await?
        }
        None => anyhow::bail!(
            "organization {:?} does not exist; add --create-org to create it",
            args.org
        ),
    };
    let (password, generated) = if args.password_stdin {
        let mut input = String::new();
        std::io::stdin()
            .read_to_string(&mut input)
            .context("could not read the password from standard input")?;
        (input.trim_end_matches(['\r', '\n']).to_owned(), false)
    } else {
        (bootstrap::generate_password(), true)
    };
    let user = bootstrap::create_user(
        store.as_ref(),
        org.id,
        &args.email,
        &args.name,
        args.role,
        &password,
    )
    .await?;
    store.close().await;

    println!("Created {} {} in {}", user.role, user.email, org.name);
    if generated {
        println!("Password: {password}");
    }
    Ok(())
}
