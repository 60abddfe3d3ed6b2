//! Group commit of positions. Every position goes through one writer task, which stores
//! all the positions waiting at that moment in one transaction and replies to each sender
//! after the commit. Under load, many positions share one commit instead of queuing for
//! the database's write lock one by one; with a single sender it is one position per
//! transaction, as before. A sender's positions (one message, or a field-app batch) are
//! committed together or not at all.

use std::sync::Arc;

use ronda_store::Store;
use ronda_store::tracking::NewPosition;
use tokio::sync::{mpsc, oneshot};

use super::cache::IngestCache;

/// Positions above which the writer stops adding senders to one transaction.
const MAX_BATCH: usize = 4096;
/// Senders that may wait for the writer before further senders wait to enqueue.
const QUEUE: usize = 8192;

type Reply = oneshot::Sender<Result<Vec<StoredPosition>, String>>;

/// A committed position and the id of its row.
#[derive(Debug)]
pub struct StoredPosition {
    pub id: i64,
    pub position: NewPosition,
}

struct Pending {
    positions: Vec<NewPosition>,
    reply: Reply,
}

/// Handle to the writer task. The task ends when the last handle is dropped.
pub struct PositionWriter {
    sender: mpsc::Sender<Pending>,
}

impl PositionWriter {
    /// Starts the writer task on the current Tokio runtime. It records every committed
    /// position in `cache` before replying.
    pub fn start(store: Arc<dyn Store>, cache: Arc<IngestCache>) -> Self {
        let (sender, receiver) = mpsc::channel(QUEUE);
        tokio::spawn(write_batches(store, cache, receiver));
        Self { sender }
    }

    /// Stores `positions` in one transaction and returns them once committed, in the
    /// same order. An error means none was stored.
    pub async fn store(&self, positions: Vec<NewPosition>) -> anyhow::Result<Vec<StoredPosition>> {
        if positions.is_empty() {
            return Ok(Vec::new());
        }
        let (reply, answer) = oneshot::channel();
        self.sender
            .send(Pending { positions, reply })
            .await
            .map_err(|_| anyhow::anyhow!("position writer stopped"))?;
        answer
            .await
            .map_err(|_| anyhow::anyhow!("position writer stopped before replying"))?
            .map_err(|message| anyhow::anyhow!(message))
    }
}

async fn write_batches(
    store: Arc<dyn Store>,
    cache: Arc<IngestCache>,
    mut receiver: mpsc::Receiver<Pending>,
) {
    let mut group: Vec<Pending> = Vec::new();
    while let Some(first) = receiver.recv().await {
        let mut count = first.positions.len();
        group.push(first);
        while count < MAX_BATCH {
            match receiver.try_recv() {
                Ok(pending) => {
                    count += pending.positions.len();
                    group.push(pending);
                }
                Err(_) => break,
            }
        }
        write_group(store.as_ref(), &cache, std::mem::take(&mut group)).await;
    }
}

async fn write_group(store: &dyn Store, cache: &IngestCache, group: Vec<Pending>) {
    let mut all = Vec::new();
    let mut senders = Vec::with_capacity(group.len());
    for pending in group {
        senders.push((pending.positions.len(), pending.reply));
        all.extend(pending.positions);
    }
    match store.store_positions(&all).await {
        Ok(ids) => {
            let stored = with_ids(all, ids);
            cache.record_stored(&stored);
            let mut stored = stored.into_iter();
            for (count, reply) in senders {
                let mine: Vec<StoredPosition> = stored.by_ref().take(count).collect();
                // A sender that gave up no longer needs the reply, and the rows are stored.
                let _ = reply.send(Ok(mine));
            }
        }
        // The whole transaction rolled back. Each sender's positions are tried on their
        // own, so one that the store refuses does not take the others down with it.
        Err(error) if senders.len() > 1 => {
            tracing::warn!(
                error = format!("{error:#}"),
                count = all.len(),
                "storing a group of positions failed; storing each sender's apart"
            );
            let mut all = all.into_iter();
            for (count, reply) in senders {
                let mine: Vec<NewPosition> = all.by_ref().take(count).collect();
                let result = match store.store_positions(&mine).await {
                    Ok(ids) => {
                        let stored = with_ids(mine, ids);
                        cache.record_stored(&stored);
                        Ok(stored)
                    }
                    Err(error) => Err(format!("{error:#}")),
                };
                let _ = reply.send(result);
            }
        }
        Err(error) => {
            for (_, reply) in senders {
                let _ = reply.send(Err(format!("{error:#}")));
            }
        }
    }
}

/// Pairs positions with the ids the store returned for them, one each, in order.
fn with_ids(positions: Vec<NewPosition>, ids: Vec<i64>) -> Vec<StoredPosition> {
    positions
        .into_iter()
        .zip(ids)
        .map(|(position, id)| StoredPosition { id, position })
        .collect()
}
