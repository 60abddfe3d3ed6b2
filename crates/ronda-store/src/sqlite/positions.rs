//! Position inserts on SQLite. A thread of the store's own keeps one connection open
//! for positions only. It writes each group in one transaction with a prepared one-row
//! statement, so a group costs one hand-off between threads instead of one per statement,
//! and the connection's page cache of the positions table stays valid between groups.

use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::{Connection, ToSql, TransactionBehavior, params, params_from_iter};
use tokio::sync::oneshot;

use super::SqliteStore;
use crate::tracking::{NewPosition, PositionFix, newest_live, sql};
use crate::{StoreError, StoreResult};

struct Job {
    positions: Vec<NewPosition>,
    reply: oneshot::Sender<StoreResult<Vec<i64>>>,
}

/// The positions thread. Closing the store stops it, and so does dropping the store's
/// last clone.
#[derive(Debug)]
pub(crate) struct PositionThread {
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl PositionThread {
    /// Opens a connection to the database file at `path`, which must exist in WAL mode,
    /// and starts the thread.
    pub(crate) fn start(path: &Path, busy_timeout: Duration) -> StoreResult<Self> {
        let connection = Connection::open(path)?;
        connection.busy_timeout(busy_timeout)?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.pragma_update(None, "foreign_keys", true)?;
        // Commits on this connection leave the WAL to the checkpoint thread, so copying
        // pages back into the database file runs beside the inserts, not between them.
        connection.pragma_update(None, "wal_autocheckpoint", 0)?;
        // When the WAL starts over after a burst, its file shrinks back to this size.
        connection.pragma_update(None, "journal_size_limit", WAL_SIZE_LIMIT)?;
        let checkpointer = Connection::open(path)?;
        checkpointer.busy_timeout(busy_timeout)?;

        // One pending request is enough: a checkpoint copies everything committed before
        // it starts.
        let (commits, committed) = mpsc::sync_channel(1);
        let wal_frames = Arc::new(AtomicI64::new(0));
        let seen_frames = wal_frames.clone();
        std::thread::Builder::new()
            .name("ronda-checkpoint".to_owned())
            .spawn(move || {
                checkpoint(&checkpointer, &committed, &seen_frames, CHECKPOINT_PAUSE);
            })
            .map_err(StoreError::PositionThread)?;
        let (jobs, receiver) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("ronda-positions".to_owned())
            .spawn(move || run(connection, receiver, commits, &wal_frames))
            .map_err(StoreError::PositionThread)?;
        Ok(Self {
            jobs: Mutex::new(Some(jobs)),
            thread: Mutex::new(Some(thread)),
        })
    }

    async fn insert(&self, positions: &[NewPosition]) -> StoreResult<Vec<i64>> {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            positions: positions.to_vec(),
            reply,
        };
        let sent = match lock(&self.jobs).as_ref() {
            Some(jobs) => jobs.send(job).is_ok(),
            None => false,
        };
        if !sent {
            return Err(StoreError::Closed);
        }
        answer.await.map_err(|_| StoreError::Closed)?
    }

    /// Stops taking groups, lets the thread finish its current group and waits for it.
    async fn stop(&self) {
        lock(&self.jobs).take();
        let thread = lock(&self.thread).take();
        if let Some(thread) = thread {
            // The thread ends once its channel is closed. A panic there was already
            // reported on stderr.
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn run(
    mut connection: Connection,
    jobs: mpsc::Receiver<Job>,
    commits: mpsc::SyncSender<()>,
    wal_frames: &AtomicI64,
) {
    while let Ok(job) = jobs.recv() {
        let result = insert(&mut connection, &job.positions).map_err(StoreError::from);
        let committed = result.is_ok();
        // A caller that stopped waiting needs no reply, and the transaction is already
        // committed or rolled back.
        let _ = job.reply.send(result);
        if !committed {
            continue;
        }
        // Full means a checkpoint is already due, which covers this commit too.
        let _ = commits.try_send(());
        if wal_frames.load(Ordering::Relaxed) > MAX_WAL_FRAMES {
            // The checkpoint thread copied most of the WAL, so this copies the rest. With
            // no commit after it, this thread's next transaction starts the WAL over,
            // unless a reader still uses older pages of it. Groups that arrive meanwhile
            // wait for it, so it runs only past the limit.
            if let Err(error) = wal_checkpoint(&connection) {
                tracing::warn!(%error, "checkpointing the SQLite WAL failed");
            }
            wal_frames.store(0, Ordering::Relaxed);
        }
    }
}

/// Time between two checkpoints. Index pages change in nearly every commit, and a
/// checkpoint copies only a page's last version, so spacing them out copies each page
/// once for many commits.
const CHECKPOINT_PAUSE: Duration = Duration::from_millis(100);

/// WAL frames (4 KiB pages, 64 MiB) above which the positions thread checkpoints the WAL
/// itself. When commits leave gaps, a checkpoint copies the whole WAL and the next commit
/// starts it over. While they come back to back, the checkpoint thread never finds the
/// WAL fully copied, so it would only grow.
const MAX_WAL_FRAMES: i64 = 16_384;

/// Bytes the WAL file keeps when it starts over: 64 MiB.
const WAL_SIZE_LIMIT: i64 = 64 * 1024 * 1024;

/// Copies committed pages from the WAL back into the database file after commits of
/// positions, at most once every `pause`, until the positions thread ends, and records
/// the WAL's length in `wal_frames`. A passive checkpoint waits for no reader or writer.
fn checkpoint(
    connection: &Connection,
    committed: &mpsc::Receiver<()>,
    wal_frames: &AtomicI64,
    pause: Duration,
) {
    while committed.recv().is_ok() {
        match wal_checkpoint(connection) {
            Ok(frames) => wal_frames.store(frames, Ordering::Relaxed),
            Err(error) => tracing::warn!(%error, "checkpointing the SQLite WAL failed"),
        }
        std::thread::sleep(pause);
    }
}

/// Runs a passive checkpoint and returns the WAL's length in frames.
fn wal_checkpoint(connection: &Connection) -> rusqlite::Result<i64> {
    connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| row.get(1))
}

/// Stores `positions` in one transaction, all or none, and returns their ids in order.
fn insert(connection: &mut Connection, positions: &[NewPosition]) -> rusqlite::Result<Vec<i64>> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut ids = Vec::with_capacity(positions.len());
    {
        let mut insert = transaction.prepare_cached(&sql::INSERT_POSITION_SQLITE)?;
        for position in positions {
            let fix = &position.fix.finite();
            let head = params![
                &position.organization_id.0.as_bytes()[..],
                &position.device_id.as_bytes()[..],
                &position.agent_id.0.as_bytes()[..],
                position.fix_time.as_millisecond(),
                position.received_at.as_millisecond(),
            ];
            let flag_details = position.flag_details.as_ref().map(ToString::to_string);
            let tail = params![
                fix.mock,
                position.status.as_str(),
                position.flag_reason,
                flag_details,
                position.older_than_latest,
                position.raw.get(),
            ];
            insert.execute(params_from_iter(
                head.iter().chain(&fix_values(fix)).chain(tail),
            ))?;
            ids.push(transaction.last_insert_rowid());
        }

        let mut upsert = transaction.prepare_cached(&sql::UPSERT_LIVE_POSITION_SQLITE)?;
        for index in newest_live(positions) {
            let position = &positions[index];
            let fix = &position.fix.finite();
            let head = params![
                &position.agent_id.0.as_bytes()[..],
                &position.organization_id.0.as_bytes()[..],
                &position.device_id.as_bytes()[..],
                ids[index],
                position.fix_time.as_millisecond(),
                position.received_at.as_millisecond(),
            ];
            upsert.execute(params_from_iter(head.iter().chain(&fix_values(fix))))?;
        }
    }
    transaction.commit()?;
    Ok(ids)
}

/// Returns the fix's columns from latitude to charging, in the order both statements list
/// them.
fn fix_values(fix: &PositionFix) -> [&dyn ToSql; 8] {
    [
        &fix.latitude,
        &fix.longitude,
        &fix.accuracy_m,
        &fix.speed_mps,
        &fix.bearing,
        &fix.altitude,
        &fix.battery_pct,
        &fix.charging,
    ]
}

impl SqliteStore {
    pub(crate) async fn insert_positions(
        &self,
        positions: &[NewPosition],
    ) -> StoreResult<Vec<i64>> {
        if positions.is_empty() {
            return Ok(Vec::new());
        }
        self.positions.insert(positions).await
    }

    pub(crate) async fn close_positions(&self) {
        self.positions.stop().await;
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::atomic::{AtomicI64, Ordering};
    use std::sync::mpsc;
    use std::time::Duration;

    use rusqlite::Connection;

    /// Opens a WAL database with 2,000 committed rows that no checkpoint has copied yet.
    fn database_with_wal(path: &Path) -> Connection {
        let writer = Connection::open(path).expect("open");
        writer
            .pragma_update(None, "journal_mode", "WAL")
            .expect("WAL");
        writer
            .pragma_update(None, "wal_autocheckpoint", 0)
            .expect("no automatic checkpoint");
        writer
            .execute_batch(
                "CREATE TABLE rows (n INTEGER, padding TEXT); \
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) \
                 INSERT INTO rows SELECT i, printf('%.200c', 'x') FROM n;",
            )
            .expect("rows");
        writer
    }

    fn run_checkpoints(path: &Path) {
        let connection = Connection::open(path).expect("open");
        let (commits, committed) = mpsc::sync_channel(1);
        commits.try_send(()).expect("a commit");
        drop(commits);
        let frames = AtomicI64::new(0);
        super::checkpoint(&connection, &committed, &frames, Duration::ZERO);
        assert!(
            frames.load(Ordering::Relaxed) > 0,
            "the WAL's length is recorded"
        );
    }

    fn size(path: &Path) -> u64 {
        std::fs::metadata(path).map_or(0, |meta| meta.len())
    }

    #[test]
    fn checkpoint_copies_wal_into_database() {
        let dir = std::env::temp_dir().join(format!("ronda-wal-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("store.sqlite");
        let _writer = database_with_wal(&path);
        let database_before = size(&path);
        let wal = dir.join("store.sqlite-wal");
        assert!(size(&wal) > 100_000, "the rows wait in the WAL");

        run_checkpoints(&path);
        assert!(size(&path) > database_before + 100_000, "rows copied");
        std::fs::remove_dir_all(&dir).expect("clean up");
    }
}
