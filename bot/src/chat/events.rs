//! Taking platform events for processing, once each, many at a time.
//!
//! A platform records every event id before it acts on it, so that a re-delivered event (a sync
//! replayed after a crash, an interaction delivered twice) never runs twice. One commit per event
//! would queue the room workers of a busy sync one behind the other on the database's write lock:
//! a sync of 100 commands would answer its last one 100 commits later. So the ids go to one task,
//! which records everything waiting in one transaction (group commit): when idle, an id is
//! recorded alone, as soon as it comes; under load, a batch waits at most for the commit before
//! it.

use std::sync::Arc;

use chrono::Utc;
use tokio::sync::{mpsc, oneshot};
use vigie_storage::Store;

/// The most ids recorded in one transaction.
const MAX_BATCH: usize = 256;

/// A handle on the recording task of one platform. Cheap to clone; the task ends when the last
/// handle is dropped.
#[derive(Clone)]
pub struct EventLog {
    pending: mpsc::UnboundedSender<Pending>,
}

struct Pending {
    event_id: String,
    taken: oneshot::Sender<Result<bool, Arc<anyhow::Error>>>,
}

impl EventLog {
    /// Starts the task recording `platform`'s events in `store` (on the current Tokio runtime).
    pub fn start(store: Store, platform: &'static str) -> Self {
        let (pending, queue) = mpsc::unbounded_channel();
        tokio::spawn(record(store, platform, queue));
        Self { pending }
    }

    /// Records `event_id`: true the first time, false if it was taken before (skip it). An
    /// error means it is not known whether it was: the caller must not act on it.
    pub async fn take(&self, event_id: &str) -> anyhow::Result<bool> {
        self.begin(event_id).taken().await
    }

    /// Starts recording `event_id` without waiting: a platform begins every event of a sync as
    /// soon as it has it, so that they are recorded together while the earlier ones run, and
    /// waits on [`Taking::taken`] only when it comes to acting on the event.
    pub fn begin(&self, event_id: &str) -> Taking {
        let (taken, answer) = oneshot::channel();
        let pending = Pending {
            event_id: event_id.to_owned(),
            taken,
        };
        // A send fails only once the task has stopped: the answer then says so.
        let _ = self.pending.send(pending);
        Taking { answer }
    }
}

/// An event id on its way to the store (see [`EventLog::begin`]).
#[derive(Debug)]
pub struct Taking {
    answer: oneshot::Receiver<Result<bool, Arc<anyhow::Error>>>,
}

impl Taking {
    /// True if this is the first time the event is taken, false if it was taken before (skip
    /// it). An error means it is not known whether it was: the caller must not act on it.
    pub async fn taken(self) -> anyhow::Result<bool> {
        match self.answer.await {
            Ok(Ok(taken)) => Ok(taken),
            Ok(Err(e)) => Err(anyhow::anyhow!("{e:#}")),
            Err(_) => anyhow::bail!("the event log stopped before recording the event"),
        }
    }
}

async fn record(store: Store, platform: &'static str, mut queue: mpsc::UnboundedReceiver<Pending>) {
    let mut batch = Vec::new();
    while let Some(first) = queue.recv().await {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let ids: Vec<&str> = batch.iter().map(|p| p.event_id.as_str()).collect();
        let recorded = store.record_events(platform, &ids, Utc::now()).await;
        match recorded {
            Ok(taken) => {
                for (pending, taken) in batch.drain(..).zip(taken) {
                    // A caller that stopped waiting has nothing to act on.
                    let _ = pending.taken.send(Ok(taken));
                }
            }
            Err(e) => {
                let e = Arc::new(
                    anyhow::Error::new(e)
                        .context(format!("recording {} {platform} event(s) failed", batch.len())),
                );
                for pending in batch.drain(..) {
                    let _ = pending.taken.send(Err(e.clone()));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn store() -> Store {
        Store::open("sqlite::memory:").await.expect("an in-memory store")
    }

    #[tokio::test]
    async fn an_event_is_taken_once_whether_alone_or_in_a_crowd() {
        let log = EventLog::start(store().await, "matrix");
        assert!(log.take("$one").await.unwrap());
        assert!(!log.take("$one").await.unwrap());
        // 500 takes at once, each id twice: every id taken exactly once.
        let takes: Vec<_> = (0..1000)
            .map(|i| {
                let log = log.clone();
                tokio::spawn(async move { (i % 500, log.take(&format!("$e{}", i % 500)).await.unwrap()) })
            })
            .collect();
        let mut taken = vec![0; 500];
        for take in takes {
            let (id, was_taken) = take.await.unwrap();
            taken[id] += usize::from(was_taken);
        }
        assert!(taken.iter().all(|&n| n == 1), "{taken:?}");
    }

    #[tokio::test]
    async fn events_begun_together_are_taken_in_order_of_asking() {
        let log = EventLog::start(store().await, "matrix");
        let begun: Vec<Taking> = ["$a", "$b", "$a", "$c", "$b"]
            .iter()
            .map(|id| log.begin(id))
            .collect();
        let mut taken = Vec::new();
        for taking in begun {
            taken.push(taking.taken().await.unwrap());
        }
        // The first of each id is taken; a repeat, even in the same batch, is not.
        assert_eq!(taken, [true, true, false, true, false]);
        assert!(!log.take("$c").await.unwrap());
    }

    #[tokio::test]
    async fn a_failed_recording_is_an_error_not_a_yes() {
        let store = store().await;
        let log = EventLog::start(store.clone(), "matrix");
        store.close().await;
        assert!(log.take("$lost").await.is_err());
    }
}
