//! Group commit of positions. Every position goes through one writer task, which stores
//! all the positions waiting at that moment in one transaction and replies to each sender
//! after the commit. Under load, many positions share one commit instead of queuing for
//! the database's write lock one by one; with a single sender it is one position per
//! transaction, as before.

use std::sync::Arc;

use ronda_store::Store;
use ronda_store::tracking::{NewPosition, Position};
use tokio::sync::{mpsc, oneshot};

/// Most positions stored in one transaction.
const MAX_BATCH: usize = 1024;
/// Positions that may wait for the writer before senders wait to enqueue.
const QUEUE: usize = 8192;

type Reply = oneshot::Sender<Result<Position, String>>;

struct Pending {
    position: NewPosition,
    reply: Reply,
}

/// Handle to the writer task. The task ends when the last handle is dropped.
pub struct PositionWriter {
    sender: mpsc::Sender<Pending>,
}

impl PositionWriter {
    /// Starts the writer task on the current Tokio runtime.
    pub fn start(store: Arc<dyn Store>) -> Self {
        let (sender, receiver) = mpsc::channel(QUEUE);
        tokio::spawn(write_batches(store, receiver));
        Self { sender }
    }

    /// Stores `position` and returns it once committed. An error means it was not stored.
    pub async fn store(&self, position: NewPosition) -> anyhow::Result<Position> {
        let (reply, answer) = oneshot::channel();
        self.sender
            .send(Pending { position, reply })
            .await
            .map_err(|_| anyhow::anyhow!("position writer stopped"))?;
        answer
            .await
            .map_err(|_| anyhow::anyhow!("position writer stopped before replying"))?
            .map_err(|message| anyhow::anyhow!(message))
    }
}

async fn write_batches(store: Arc<dyn Store>, mut receiver: mpsc::Receiver<Pending>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while receiver.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let (positions, replies): (Vec<NewPosition>, Vec<Reply>) = batch
            .drain(..)
            .map(|pending| (pending.position, pending.reply))
            .unzip();
        match store.store_positions(&positions).await {
            Ok(stored) => {
                for (reply, position) in replies.into_iter().zip(stored) {
                    // A sender that gave up no longer needs the reply, and the row is stored.
                    let _ = reply.send(Ok(position));
                }
            }
            // The whole transaction rolled back. Each position is tried on its own, so
            // one that the store refuses does not take the others down with it.
            Err(error) if positions.len() > 1 => {
                tracing::warn!(
                    error = format!("{error:#}"),
                    count = positions.len(),
                    "storing a batch of positions failed; storing them one by one"
                );
                for (reply, position) in replies.into_iter().zip(positions) {
                    let result = store
                        .store_position(&position)
                        .await
                        .map_err(|error| format!("{error:#}"));
                    let _ = reply.send(result);
                }
            }
            Err(error) => {
                for reply in replies {
                    let _ = reply.send(Err(format!("{error:#}")));
                }
            }
        }
    }
}
