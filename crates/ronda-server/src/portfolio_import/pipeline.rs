//! One portfolio import, streamed: a blocking task reads and validates the file row by row
//! and hands batches of accounts to the store's open transaction. Memory stays at the
//! file's bytes plus a few batches, whatever the number of rows.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use ronda_import::{Mapping, Problem, ReadError, Validator};
use ronda_store::portfolio::{AccountImport, ImportCounts, Portfolio};
use ronda_store::{AuditEvent, Store, StoreError};
use tokio::sync::mpsc;

/// Accounts handed to the store at a time.
const BATCH: usize = 1000;
/// Batches waiting for the store while the reader goes on.
const BATCHES_IN_FLIGHT: usize = 2;
/// Problems kept for the report; the rejected count still covers every row.
pub const MAX_PROBLEMS: usize = 1000;

/// Count of rows read so far, shared with the code that reports progress.
#[derive(Debug, Default)]
pub struct Progress {
    rows_read: AtomicUsize,
}

impl Progress {
    pub fn rows_read(&self) -> usize {
        self.rows_read.load(Ordering::Relaxed)
    }
}

/// Input of one import: the file, its mapping and the target portfolio.
pub struct ImportInput {
    pub portfolio: Portfolio,
    pub file: Arc<Vec<u8>>,
    pub sheet: Option<String>,
    pub mapping: Mapping,
    /// `false` for a dry run: everything is checked and rolled back.
    pub commit: bool,
    /// Written with the import; its details get the row counts.
    pub audit: AuditEvent,
}

/// The result of an import or a dry run.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportOutcome {
    pub rows_read: usize,
    pub counts: ImportCounts,
    /// Rows with at least one problem.
    pub rejected: usize,
    pub problems: Vec<Problem>,
    pub problems_truncated: bool,
}

/// Failure that stopped an import. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ImportFailure {
    #[error("the file could not be read: {0}")]
    Read(ReadError),
    #[error("the store failed: {0}")]
    Store(#[from] StoreError),
    #[error("the file reader stopped unexpectedly: {0}")]
    Reader(String),
}

/// Summary of the reading side, besides the accounts it sent.
struct ReadSummary {
    rows_read: usize,
    rejected: usize,
    problems: Vec<Problem>,
    problems_truncated: bool,
}

/// Runs one import (or dry run) to the end.
pub async fn run(
    store: Arc<dyn Store>,
    input: ImportInput,
    progress: Arc<Progress>,
) -> Result<ImportOutcome, ImportFailure> {
    let ImportInput {
        portfolio,
        file,
        sheet,
        mapping,
        commit,
        mut audit,
    } = input;
    let (sender, mut batches) = mpsc::channel::<Vec<AccountImport>>(BATCHES_IN_FLIGHT);
    let reader = tokio::task::spawn_blocking(move || {
        read_and_validate(&file, sheet.as_deref(), &mapping, &sender, &progress)
    });

    let mut session = store.begin_import(&portfolio).await?;
    let mut stored: Result<(), ImportFailure> = Ok(());
    while let Some(batch) = batches.recv().await {
        if let Err(error) = session.add(&batch).await {
            stored = Err(error.into());
            // Dropping the receiver makes the reader stop.
            break;
        }
    }
    drop(batches);
    let read = reader
        .await
        .map_err(|error| ImportFailure::Reader(error.to_string()))
        .and_then(|result| result.map_err(ImportFailure::Read));
    let summary = match stored.and(read) {
        Ok(summary) => summary,
        Err(failure) => {
            // Roll back now rather than when the connection is next used, so a failed
            // import does not keep SQLite's write lock.
            if let Err(error) = session.finish(false, &audit).await {
                tracing::warn!(%error, "rollback of a failed import failed");
            }
            return Err(failure);
        }
    };

    audit.details = serde_json::json!({
        "rows_read": summary.rows_read,
        "rejected": summary.rejected,
        "file_name": audit.details.get("file_name"),
    });
    let counts = session.finish(commit, &audit).await?;
    Ok(ImportOutcome {
        rows_read: summary.rows_read,
        counts,
        rejected: summary.rejected,
        problems: summary.problems,
        problems_truncated: summary.problems_truncated,
    })
}

/// Reads the file row by row, validates each row and sends the accounts in batches.
/// Stops early when the receiving side is gone.
fn read_and_validate(
    file: &[u8],
    sheet: Option<&str>,
    mapping: &Mapping,
    sender: &mpsc::Sender<Vec<AccountImport>>,
    progress: &Progress,
) -> Result<ReadSummary, ReadError> {
    // The header comes first, and the validator needs it for every row.
    let head = ronda_import::read_rows(file, sheet, &mut |_| false)?;
    let mut validator = Validator::new(&head.headers, mapping);
    let mut summary = ReadSummary {
        rows_read: 0,
        rejected: 0,
        problems: Vec::new(),
        problems_truncated: false,
    };
    let mut batch = Vec::with_capacity(BATCH);
    let mut receiver_gone = false;
    ronda_import::read_rows(file, sheet, &mut |row| {
        summary.rows_read += 1;
        progress.rows_read.fetch_add(1, Ordering::Relaxed);
        match validator.row(&row) {
            Ok(record) => batch.push(crate::api::imports::account_import(record)),
            Err(problems) => {
                summary.rejected += 1;
                let room = MAX_PROBLEMS.saturating_sub(summary.problems.len());
                summary.problems_truncated |= problems.len() > room;
                summary.problems.extend(problems.into_iter().take(room));
            }
        }
        if batch.len() == BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            receiver_gone = sender.blocking_send(full).is_err();
        }
        !receiver_gone
    })?;
    if !batch.is_empty() && !receiver_gone {
        // An error here means the store already failed, which the caller reports.
        let _ = sender.blocking_send(batch);
    }
    Ok(summary)
}
