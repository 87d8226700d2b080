use std::collections::BTreeSet;
use std::time::Duration;

use chrono::{DateTime, Utc};
use vigie_storage::{NewOutbox, OutboxState, Store};

use crate::alerts::message;
use crate::support::{TestDb, at};

const ROOM: &str = "matrix:!europe:example.org";
const LEASE: Duration = Duration::from_secs(5 * 60);

fn t0() -> DateTime<Utc> {
    at("2026-03-01T10:00:00Z")
}

/// Queues `bodies` as messages to ROOM on `platform`, returning their ids.
async fn queue(store: &Store, platform: &str, bodies: &[&str], now: DateTime<Utc>) -> Vec<i64> {
    let messages: Vec<NewOutbox> = bodies
        .iter()
        .map(|body| NewOutbox {
            platform: platform.to_owned(),
            ..message(ROOM, body)
        })
        .collect();
    store
        .commit_notifications(&[], &[], &messages, now)
        .await
        .unwrap()
}

fn ids(rows: &[vigie_storage::OutboxRow]) -> Vec<i64> {
    rows.iter().map(|r| r.id).collect()
}

pub async fn leasing_takes_due_messages_of_one_platform_in_id_order_up_to_the_limit(db: TestDb) {
    let matrix = queue(&db.store, "matrix", &["a", "b", "c"], t0()).await;
    let discord = queue(&db.store, "discord", &["d"], t0()).await;
    // Not due before it was queued.
    let early = db
        .store
        .lease_outbox("s1", "matrix", 10, LEASE, at("2026-03-01T09:59:59Z"))
        .await
        .unwrap();
    assert_eq!(early, []);

    let first = db
        .store
        .lease_outbox("s1", "matrix", 2, LEASE, t0())
        .await
        .unwrap();
    assert_eq!(ids(&first), matrix[..2]);
    for row in &first {
        assert_eq!(row.state, OutboxState::Leased);
        assert_eq!(row.lease_owner.as_deref(), Some("s1"));
        assert_eq!(row.lease_until, Some(at("2026-03-01T10:05:00Z")));
        assert_eq!(row.attempts, 1);
    }
    let rest = db
        .store
        .lease_outbox("s2", "matrix", 10, LEASE, t0())
        .await
        .unwrap();
    assert_eq!(ids(&rest), matrix[2..]);
    assert_eq!(
        db.store
            .lease_outbox("s2", "matrix", 10, LEASE, t0())
            .await
            .unwrap(),
        []
    );
    let other = db
        .store
        .lease_outbox("s3", "discord", 10, LEASE, t0())
        .await
        .unwrap();
    assert_eq!(ids(&other), discord);
    assert_eq!(db.store.outbox_pending_count().await.unwrap(), 4);
}

pub async fn concurrent_leasers_never_lease_the_same_message_and_together_lease_all(db: TestDb) {
    let bodies: Vec<String> = (0..500).map(|i| format!("message {i}")).collect();
    let bodies: Vec<&str> = bodies.iter().map(String::as_str).collect();
    let queued: BTreeSet<i64> = queue(&db.store, "matrix", &bodies, t0())
        .await
        .into_iter()
        .collect();
    assert_eq!(queued.len(), 500);

    // All four start together.
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(4));
    let leasers: Vec<_> = (0..4)
        .map(|i| {
            let store = db.store.clone();
            let start = start.clone();
            tokio::spawn(async move {
                let owner = format!("sender-{i}");
                let mut leased = Vec::new();
                start.wait().await;
                loop {
                    let batch = store
                        .lease_outbox(&owner, "matrix", 7, LEASE, t0())
                        .await
                        .unwrap();
                    if batch.is_empty() {
                        break;
                    }
                    for row in batch {
                        assert_eq!(row.lease_owner.as_deref(), Some(owner.as_str()));
                        leased.push(row.id);
                    }
                    tokio::task::yield_now().await;
                }
                (owner, leased)
            })
        })
        .collect();
    let mut all = Vec::new();
    let mut busy = 0;
    for leaser in leasers {
        let (owner, leased) = leaser.await.unwrap();
        busy += usize::from(!leased.is_empty());
        for id in leased {
            all.push((id, owner.clone()));
        }
    }
    let distinct: BTreeSet<i64> = all.iter().map(|(id, _)| *id).collect();
    assert_eq!(distinct.len(), all.len(), "a message was leased twice");
    assert_eq!(distinct, queued, "not every message was leased");
    assert!(busy >= 1);
    // Every message is held by the leaser that got it, leased once.
    for (id, owner) in all.iter().step_by(37) {
        let row = db.store.outbox_message(*id).await.unwrap().unwrap();
        assert_eq!(
            (row.lease_owner.as_deref(), row.attempts),
            (Some(owner.as_str()), 1)
        );
    }
}

pub async fn an_expired_lease_is_leased_again_and_only_the_new_holder_may_finish_it(db: TestDb) {
    let [id] = queue(&db.store, "matrix", &["hello"], t0()).await[..] else {
        panic!("one message");
    };
    let first = db
        .store
        .lease_outbox("crashed", "matrix", 10, LEASE, t0())
        .await
        .unwrap();
    assert_eq!(ids(&first), [id]);
    // Still held a minute later…
    let during = db
        .store
        .lease_outbox("s2", "matrix", 10, LEASE, at("2026-03-01T10:01:00Z"))
        .await
        .unwrap();
    assert_eq!(during, []);
    // …and free again once the lease ran out.
    let after = db
        .store
        .lease_outbox("s2", "matrix", 10, LEASE, at("2026-03-01T10:05:00Z"))
        .await
        .unwrap();
    assert_eq!(ids(&after), [id]);
    assert_eq!(after[0].attempts, 2);
    assert_eq!(after[0].lease_owner.as_deref(), Some("s2"));

    let late = at("2026-03-01T10:06:00Z");
    assert!(
        !db.store
            .outbox_sent(id, "crashed", Some("$old"), late)
            .await
            .unwrap()
    );
    assert!(
        !db.store
            .outbox_retry(id, "crashed", late, "late", late)
            .await
            .unwrap()
    );
    assert!(!db.store.outbox_failed(id, "crashed", "late", late).await.unwrap());
    assert!(
        db.store
            .outbox_sent(id, "s2", Some("$event"), late)
            .await
            .unwrap()
    );
    let row = db.store.outbox_message(id).await.unwrap().unwrap();
    assert_eq!(row.state, OutboxState::Sent);
    assert_eq!(row.sent_at, Some(late));
    assert_eq!(row.platform_id.as_deref(), Some("$event"));
    assert_eq!(row.lease_owner.as_deref(), Some("s2"));
    assert_eq!(db.store.outbox_pending_count().await.unwrap(), 0);
}

pub async fn only_the_lease_owner_marks_a_message_sent_and_only_once(db: TestDb) {
    let [id] = queue(&db.store, "matrix", &["hello"], t0()).await[..] else {
        panic!("one message");
    };
    let now = at("2026-03-01T10:00:30Z");
    // Not leased yet: nobody may finish it.
    assert!(!db.store.outbox_sent(id, "s1", None, now).await.unwrap());
    db.store
        .lease_outbox("s1", "matrix", 1, LEASE, t0())
        .await
        .unwrap();
    assert!(!db.store.outbox_sent(id, "s2", None, now).await.unwrap());
    assert!(db.store.outbox_sent(id, "s1", None, now).await.unwrap());
    assert!(!db.store.outbox_sent(id, "s1", None, now).await.unwrap());
    assert!(!db.store.outbox_sent(id + 1, "s1", None, now).await.unwrap());
    // Sent messages are never leased again.
    let much_later = at("2026-04-01T00:00:00Z");
    assert_eq!(
        db.store
            .lease_outbox("s1", "matrix", 10, LEASE, much_later)
            .await
            .unwrap(),
        []
    );
    let row = db.store.outbox_message(id).await.unwrap().unwrap();
    assert_eq!((row.state, row.platform_id), (OutboxState::Sent, None));
}

pub async fn a_retry_schedules_the_next_attempt_and_keeps_the_error(db: TestDb) {
    let [id] = queue(&db.store, "matrix", &["hello"], t0()).await[..] else {
        panic!("one message");
    };
    db.store
        .lease_outbox("s1", "matrix", 1, LEASE, t0())
        .await
        .unwrap();
    let failed_at = at("2026-03-01T10:00:10Z");
    let next = at("2026-03-01T10:10:00Z");
    assert!(
        db.store
            .outbox_retry(id, "s1", next, "timed out", failed_at)
            .await
            .unwrap()
    );
    let row = db.store.outbox_message(id).await.unwrap().unwrap();
    assert_eq!(row.state, OutboxState::Pending);
    assert_eq!(row.next_attempt_at, next);
    assert_eq!((row.lease_owner, row.lease_until), (None, None));
    assert_eq!(row.last_error.as_deref(), Some("timed out"));
    assert_eq!(row.last_error_at, Some(failed_at));
    // Reported to admins while undelivered.
    assert_eq!(ids(&db.store.outbox_failures(t0()).await.unwrap()), [id]);
    assert_eq!(db.store.outbox_pending_count().await.unwrap(), 1);

    // Not before its next attempt.
    let before = at("2026-03-01T10:09:59Z");
    assert_eq!(
        db.store
            .lease_outbox("s2", "matrix", 10, LEASE, before)
            .await
            .unwrap(),
        []
    );
    let again = db
        .store
        .lease_outbox("s2", "matrix", 10, LEASE, next)
        .await
        .unwrap();
    assert_eq!(ids(&again), [id]);
    assert_eq!(again[0].attempts, 2);
    assert_eq!(again[0].last_error.as_deref(), Some("timed out"));
    assert!(db.store.outbox_sent(id, "s2", Some("$e"), next).await.unwrap());
    // Delivered in the end: no longer a failure to report.
    assert_eq!(db.store.outbox_failures(t0()).await.unwrap(), []);
}

pub async fn a_permanent_failure_is_reported_and_never_leased_again(db: TestDb) {
    let queued = queue(&db.store, "matrix", &["forbidden", "ok"], t0()).await;
    db.store
        .lease_outbox("s1", "matrix", 10, LEASE, t0())
        .await
        .unwrap();
    let failed_at = at("2026-03-01T10:00:05Z");
    assert!(
        db.store
            .outbox_failed(queued[0], "s1", "M_FORBIDDEN: not in the room", failed_at)
            .await
            .unwrap()
    );
    assert!(
        !db.store
            .outbox_failed(queued[0], "s1", "again", failed_at)
            .await
            .unwrap()
    );
    assert!(
        db.store
            .outbox_sent(queued[1], "s1", Some("$x"), failed_at)
            .await
            .unwrap()
    );
    let much_later = at("2026-04-01T00:00:00Z");
    assert_eq!(
        db.store
            .lease_outbox("s1", "matrix", 10, LEASE, much_later)
            .await
            .unwrap(),
        []
    );
    assert_eq!(db.store.outbox_pending_count().await.unwrap(), 0);

    let failures = db.store.outbox_failures(failed_at).await.unwrap();
    assert_eq!(ids(&failures), [queued[0]]);
    assert_eq!(failures[0].state, OutboxState::Failed);
    assert_eq!(
        failures[0].last_error.as_deref(),
        Some("M_FORBIDDEN: not in the room")
    );
    assert_eq!(
        db.store
            .outbox_failures(at("2026-03-01T10:00:06Z"))
            .await
            .unwrap(),
        []
    );

    // Delivered and given-up messages are pruned by their creation time.
    assert_eq!(db.store.prune_outbox(t0()).await.unwrap(), 0);
    assert_eq!(db.store.prune_outbox(much_later).await.unwrap(), 2);
    assert_eq!(db.store.outbox_message(queued[0]).await.unwrap(), None);
}

pub async fn undelivered_messages_are_never_pruned(db: TestDb) {
    let queued = queue(&db.store, "matrix", &["held", "waiting"], t0()).await;
    db.store
        .lease_outbox("s1", "matrix", 1, LEASE, t0())
        .await
        .unwrap();
    assert_eq!(
        db.store.prune_outbox(at("2027-01-01T00:00:00Z")).await.unwrap(),
        0
    );
    assert_eq!(db.store.outbox_pending_count().await.unwrap(), 2);
    for id in queued {
        assert!(db.store.outbox_message(id).await.unwrap().is_some());
    }
}
