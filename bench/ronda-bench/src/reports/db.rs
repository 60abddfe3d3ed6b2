//! Direct database access for the reports benchmark: bulk loading with multi-row INSERT
//! statements written as SQL literals, in big transactions, on a writer task that runs
//! while the next rows are generated.

use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions, SqliteSynchronous};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use uuid::Uuid;

use crate::http::BenchResult;

/// Rows per INSERT statement.
const ROWS_PER_STATEMENT: usize = 500;
/// Rows per transaction handed to the writer.
const ROWS_PER_TRANSACTION: usize = 100_000;

/// A pool on the benchmark's database, next to the store's own pool.
#[derive(Clone)]
pub(crate) enum Db {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

impl Db {
    /// Opens the loader's pool. On SQLite it has a 1 GiB page cache and no foreign-key
    /// checks, so loading millions of generated rows stays fast. The store's own pool
    /// keeps its settings.
    pub(crate) async fn open(url: &str) -> BenchResult<Db> {
        if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(false)
                .pragma("cache_size", "-1000000");
            let pool = SqlitePoolOptions::new()
                .max_connections(2)
                .connect_with(options)
                .await?;
            Ok(Db::Sqlite(pool))
        } else {
            Ok(Db::Postgres(sqlx::PgPool::connect(url).await?))
        }
    }

    /// Returns `id` as a SQL literal: a 16-byte blob on SQLite, a uuid on PostgreSQL.
    pub(crate) fn uuid(&self, id: Uuid) -> String {
        match self {
            Db::Sqlite(_) => format!("X'{}'", id.simple()),
            Db::Postgres(_) => format!("'{id}'"),
        }
    }

    /// Runs `statements` in one transaction.
    pub(crate) async fn execute_all(&self, statements: &[String]) -> BenchResult<()> {
        match self {
            Db::Sqlite(pool) => {
                let mut tx = pool.begin().await?;
                for statement in statements {
                    sqlx::raw_sql(sqlx::AssertSqlSafe(statement.as_str()))
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
            }
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                for statement in statements {
                    sqlx::raw_sql(sqlx::AssertSqlSafe(statement.as_str()))
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
            }
        }
        Ok(())
    }

    pub(crate) async fn close(&self) {
        match self {
            Db::Sqlite(pool) => pool.close().await,
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

/// Quotes text as a SQL string literal.
pub(crate) fn text(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

pub(crate) fn opt_text(value: Option<&str>) -> String {
    value.map_or_else(|| "NULL".to_owned(), text)
}

pub(crate) fn opt_int(value: Option<i64>) -> String {
    value.map_or_else(|| "NULL".to_owned(), |number| number.to_string())
}

/// Collects rows of several tables into multi-row INSERTs and hands full transactions to
/// a writer task.
pub(crate) struct Loader {
    db: Db,
    sender: Option<mpsc::Sender<Vec<String>>>,
    writer: Option<JoinHandle<BenchResult<()>>>,
    /// Open statements: their head (`INSERT INTO t (...) VALUES `), text and row count.
    open: Vec<(&'static str, String, usize)>,
    done: Vec<String>,
    rows_in_transaction: usize,
    pub(crate) rows: u64,
}

impl Loader {
    pub(crate) fn new(db: &Db) -> Loader {
        let (sender, mut receiver) = mpsc::channel::<Vec<String>>(2);
        let writer_db = db.clone();
        let writer = tokio::spawn(async move {
            while let Some(statements) = receiver.recv().await {
                writer_db.execute_all(&statements).await?;
            }
            Ok(())
        });
        Loader {
            db: db.clone(),
            sender: Some(sender),
            writer: Some(writer),
            open: Vec::new(),
            done: Vec::new(),
            rows_in_transaction: 0,
            rows: 0,
        }
    }

    pub(crate) fn db(&self) -> &Db {
        &self.db
    }

    /// Adds one row, `values` without its parentheses, to the INSERT that starts `head`.
    pub(crate) async fn push(&mut self, head: &'static str, values: &str) -> BenchResult<()> {
        let index = match self.open.iter().position(|open| open.0 == head) {
            Some(index) => index,
            None => {
                self.open.push((head, String::new(), 0));
                self.open.len() - 1
            }
        };
        let open = &mut self.open[index];
        if open.2 == 0 {
            open.1.push_str(head);
        } else {
            open.1.push(',');
        }
        open.1.push('(');
        open.1.push_str(values);
        open.1.push(')');
        open.2 += 1;
        if open.2 == ROWS_PER_STATEMENT {
            self.done.push(std::mem::take(&mut open.1));
            open.2 = 0;
        }
        self.rows += 1;
        self.rows_in_transaction += 1;
        if self.rows_in_transaction >= ROWS_PER_TRANSACTION {
            self.flush().await?;
        }
        Ok(())
    }

    /// Hands the finished statements to the writer, after any half-full ones of other
    /// tables, so every transaction leaves the database consistent.
    pub(crate) async fn flush(&mut self) -> BenchResult<()> {
        for open in &mut self.open {
            if open.2 > 0 {
                self.done.push(std::mem::take(&mut open.1));
                open.2 = 0;
            }
        }
        self.rows_in_transaction = 0;
        let statements = std::mem::take(&mut self.done);
        if statements.is_empty() {
            return Ok(());
        }
        let sender = self.sender.as_ref().ok_or("loader already finished")?;
        if sender.send(statements).await.is_err() {
            // The writer stopped after an error: return that error.
            self.sender = None;
            if let Some(writer) = self.writer.take() {
                writer.await.map_err(|error| error.to_string())??;
            }
            return Err("bulk writer stopped".into());
        }
        Ok(())
    }

    /// Writes what is left and waits for the writer.
    pub(crate) async fn finish(&mut self) -> BenchResult<()> {
        if self.sender.is_some() {
            self.flush().await?;
        }
        self.sender = None;
        if let Some(writer) = self.writer.take() {
            writer.await.map_err(|error| error.to_string())??;
        }
        Ok(())
    }
}
