//! The store's error type.

/// A named constraint that callers turn into a precise error response. The names match the
/// constraint names in both backends' migrations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Constraint {
    OrganizationName,
    UserEmail,
    ApiTokenHash,
    LenderName,
    PortfolioName,
    DeviceIdentifier,
    CurrentAssignment,
}

impl Constraint {
    const ALL: [(Constraint, &'static str, &'static str); 7] = [
        (
            Constraint::OrganizationName,
            "organizations_name_key",
            "organizations.name",
        ),
        (Constraint::UserEmail, "users_email_key", "users.email"),
        (
            Constraint::ApiTokenHash,
            "api_tokens_token_hash_key",
            "api_tokens.token_hash",
        ),
        (
            Constraint::LenderName,
            "lenders_name_key",
            "lenders.organization_id, lenders.name",
        ),
        (
            Constraint::PortfolioName,
            "portfolios_name_key",
            "portfolios.organization_id, portfolios.lender_id, portfolios.name",
        ),
        (
            Constraint::DeviceIdentifier,
            "devices_device_identifier_key",
            "devices.device_identifier",
        ),
        (
            Constraint::CurrentAssignment,
            "assignments_current_key",
            "assignments.organization_id, assignments.account_id",
        ),
    ];

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(constraint, ..)| *constraint == self)
            .map(|(_, name, _)| *name)
            .unwrap_or("unknown")
    }

    /// Finds the constraint by its name, as PostgreSQL reports it.
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(_, known, _)| *known == name)
            .map(|(c, ..)| *c)
    }

    /// Finds the constraint from a SQLite message such as
    /// `UNIQUE constraint failed: users.email`, because SQLite names the columns, not the
    /// constraint.
    pub(crate) fn from_sqlite_message(message: &str) -> Option<Self> {
        let columns = message.strip_prefix("UNIQUE constraint failed: ")?;
        Self::ALL
            .iter()
            .find(|(.., cols)| *cols == columns)
            .map(|(c, ..)| *c)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unique constraint {} violated", .0.name())]
    Conflict(Constraint),
    #[error("unsupported database URL {0:?}: expected sqlite://PATH or postgres://USER@HOST/DB")]
    UnsupportedUrl(String),
    #[error("row {table}.{column} holds an invalid value: {value:?}")]
    CorruptRow {
        table: &'static str,
        column: &'static str,
        value: String,
    },
    #[error("database error")]
    Database(#[source] sqlx::Error),
    #[error("migration failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error")]
    Sqlite(#[from] rusqlite::Error),
    #[error("could not start the positions thread")]
    PositionThread(#[source] std::io::Error),
    #[error("the store is closed")]
    Closed,
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        let constraint = match &error {
            sqlx::Error::Database(db) => db
                .constraint()
                .and_then(Constraint::from_name)
                .or_else(|| Constraint::from_sqlite_message(db.message())),
            _ => None,
        };
        match constraint {
            Some(constraint) => StoreError::Conflict(constraint),
            None => StoreError::Database(error),
        }
    }
}
