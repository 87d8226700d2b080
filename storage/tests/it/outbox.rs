use std::collections::BTreeSet;
use std::time::Duration;

use chrono::{DateTime, Utc};
use vigie_storage::{NewOutbox, OutboxImage, OutboxState, Store};

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

pub async fn leasing_takes_a_run_of_a_receivers_oldest_due_messages_of_one_platform(db: TestDb) {
    let matrix = queue(&db.store, "matrix", &["a", "b", "c"], t0()).await;
    let discord = queue(&db.store, "discord", &["d"], t0()).await;
    // Not due before it was queued.
    let early = db
        .store
        .lease_outbox("s1", "matrix", 10, 10, LEASE, at("2026-03-01T09:59:59Z"))
        .await
        .unwrap();
    assert_eq!(early, []);

    let first = db
        .store
        .lease_outbox("s1", "matrix", 10, 2, LEASE, t0())
        .await
        .unwrap();
    assert_eq!(ids(&first), matrix[..2]);
    for row in &first {
        assert_eq!(row.state, OutboxState::Leased);
        assert_eq!(row.lease_owner.as_deref(), Some("s1"));
        assert_eq!(row.lease_until, Some(at("2026-03-01T10:05:00Z")));
        assert_eq!(row.attempts, 1);
        assert_eq!(row.first_attempt_at, Some(t0()));
        assert!(!row.in_doubt);
    }
    // The third waits behind the two held: the room's messages go out in order.
    assert_eq!(
        db.store
            .lease_outbox("s2", "matrix", 10, 10, LEASE, t0())
            .await
            .unwrap(),
        []
    );
    for id in &matrix[..2] {
        assert!(db.store.outbox_sent(*id, "s1", None, t0()).await.unwrap());
    }
    let rest = db
        .store
        .lease_outbox("s2", "matrix", 10, 10, LEASE, t0())
        .await
        .unwrap();
    assert_eq!(ids(&rest), matrix[2..]);
    let other = db
        .store
        .lease_outbox("s3", "discord", 10, 10, LEASE, t0())
        .await
        .unwrap();
    assert_eq!(ids(&other), discord);
    assert_eq!(db.store.outbox_pending_count().await.unwrap(), 2);
}

/// Queues one message per `(receiver, body)`, in that order, returning their ids.
async fn queue_to(store: &Store, messages: &[(&str, &str)], now: DateTime<Utc>) -> Vec<i64> {
    let messages: Vec<NewOutbox> = messages
        .iter()
        .map(|(receiver, body)| message(receiver, body))
        .collect();
    store
        .commit_notifications(&[], &[], &messages, now)
        .await
        .unwrap()
}

pub async fn receivers_take_turns_and_a_waiting_receiver_holds_back_only_itself(db: TestDb) {
    let (a, b, c) = (
        "matrix:!a:example.org",
        "matrix:!b:example.org",
        "matrix:!c:example.org",
    );
    let q = queue_to(
        &db.store,
        &[(a, "a1"), (a, "a2"), (a, "a3"), (b, "b1"), (c, "c1"), (b, "b2")],
        t0(),
    )
    .await;
    let (a1, a2, a3, b1, c1, b2) = (q[0], q[1], q[2], q[3], q[4], q[5]);
    // The oldest message of each receiver before the second of any; two receivers at most.
    let first = db
        .store
        .lease_outbox("s1", "matrix", 2, 1, LEASE, t0())
        .await
        .unwrap();
    assert_eq!(ids(&first), [a1, b1]);
    // a and b are held: only c is left to lease.
    let second = db
        .store
        .lease_outbox("s1", "matrix", 10, 10, LEASE, t0())
        .await
        .unwrap();
    assert_eq!(ids(&second), [c1]);
    // a is rate-limited for ten minutes; b's first message went out: b goes on, a waits.
    let later = at("2026-03-01T10:10:00Z");
    assert!(
        db.store
            .outbox_retry(a1, "s1", later, "rate-limited", t0())
            .await
            .unwrap()
    );
    assert!(db.store.outbox_sent(b1, "s1", None, t0()).await.unwrap());
    let third = db
        .store
        .lease_outbox("s1", "matrix", 10, 10, LEASE, t0())
        .await
        .unwrap();
    assert_eq!(ids(&third), [b2]);
    for id in [b2, c1] {
        assert!(db.store.outbox_sent(id, "s1", None, t0()).await.unwrap());
    }
    // Once a's first message is due, its whole run comes, in order.
    let fourth = db
        .store
        .lease_outbox("s1", "matrix", 10, 10, LEASE, later)
        .await
        .unwrap();
    assert_eq!(ids(&fourth), [a1, a2, a3]);
    assert_eq!(fourth.iter().map(|r| r.attempts).collect::<Vec<_>>(), [2, 1, 1]);
}

pub async fn concurrent_leasers_never_lease_the_same_message_and_deliver_each_receiver_in_order(db: TestDb) {
    let receivers: Vec<String> = (0..25).map(|i| format!("matrix:!room{i}:example.org")).collect();
    let bodies: Vec<String> = (0..500).map(|i| format!("message {i}")).collect();
    let messages: Vec<(&str, &str)> = bodies
        .iter()
        .enumerate()
        .map(|(i, body)| (receivers[(i * 7) % 25].as_str(), body.as_str()))
        .collect();
    let queued: BTreeSet<i64> = queue_to(&db.store, &messages, t0()).await.into_iter().collect();
    assert_eq!(queued.len(), 500);

    // Each receiver's message ids in the order they were leased.
    let order: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, Vec<i64>>>> =
        std::sync::Arc::default();
    // All four start together.
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(4));
    let leasers: Vec<_> = (0..4)
        .map(|i| {
            let store = db.store.clone();
            let start = start.clone();
            let order = order.clone();
            tokio::spawn(async move {
                let owner = format!("sender-{i}");
                let mut leased = Vec::new();
                start.wait().await;
                while store.outbox_pending_count().await.unwrap() > 0 {
                    let batch = store
                        .lease_outbox(&owner, "matrix", 3, 2, LEASE, t0())
                        .await
                        .unwrap();
                    {
                        let mut order = order.lock().unwrap();
                        for row in &batch {
                            order.entry(row.receiver.clone()).or_default().push(row.id);
                        }
                    }
                    for row in batch {
                        assert_eq!(row.lease_owner.as_deref(), Some(owner.as_str()));
                        assert_eq!(row.attempts, 1);
                        assert!(store.outbox_sent(row.id, &owner, None, t0()).await.unwrap());
                        leased.push(row.id);
                    }
                    tokio::task::yield_now().await;
                }
                (owner, leased)
            })
        })
        .collect();
    let mut all = Vec::new();
    for leaser in leasers {
        let (owner, leased) = leaser.await.unwrap();
        for id in leased {
            all.push((id, owner.clone()));
        }
    }
    let distinct: BTreeSet<i64> = all.iter().map(|(id, _)| *id).collect();
    assert_eq!(distinct.len(), all.len(), "a message was leased twice");
    assert_eq!(distinct, queued, "not every message was leased");
    let order = order.lock().unwrap().clone();
    assert_eq!(order.len(), 25);
    for (receiver, ids) in order.iter() {
        assert!(
            ids.windows(2).all(|w| w[0] < w[1]),
            "{receiver} out of order: {ids:?}"
        );
    }
    // Every message was sent by the leaser that got it.
    for (id, owner) in all.iter().step_by(37) {
        let row = db.store.outbox_message(*id).await.unwrap().unwrap();
        assert_eq!(
            (row.state, row.lease_owner.as_deref()),
            (OutboxState::Sent, Some(owner.as_str()))
        );
    }
}

pub async fn an_expired_lease_is_leased_again_and_only_the_new_holder_may_finish_it(db: TestDb) {
    let [id] = queue(&db.store, "matrix", &["hello"], t0()).await[..] else {
        panic!("one message");
    };
    let first = db
        .store
        .lease_outbox("crashed", "matrix", 10, 10, LEASE, t0())
        .await
        .unwrap();
    assert_eq!(ids(&first), [id]);
    // Still held a minute later…
    let during = db
        .store
        .lease_outbox("s2", "matrix", 10, 10, LEASE, at("2026-03-01T10:01:00Z"))
        .await
        .unwrap();
    assert_eq!(during, []);
    // …and free again once the lease ran out.
    let after = db
        .store
        .lease_outbox("s2", "matrix", 10, 10, LEASE, at("2026-03-01T10:05:00Z"))
        .await
        .unwrap();
    assert_eq!(ids(&after), [id]);
    assert_eq!(after[0].attempts, 2);
    assert_eq!(after[0].lease_owner.as_deref(), Some("s2"));
    // The crashed sender may have delivered it: the new holder must look before sending.
    assert!(after[0].in_doubt);
    assert_eq!(after[0].first_attempt_at, Some(t0()));

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
        .lease_outbox("s1", "matrix", 1, 10, LEASE, t0())
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
            .lease_outbox("s1", "matrix", 10, 10, LEASE, much_later)
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
        .lease_outbox("s1", "matrix", 1, 10, LEASE, t0())
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
            .lease_outbox("s2", "matrix", 10, 10, LEASE, before)
            .await
            .unwrap(),
        []
    );
    let again = db
        .store
        .lease_outbox("s2", "matrix", 10, 10, LEASE, next)
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
        .lease_outbox("s1", "matrix", 10, 10, LEASE, t0())
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
            .lease_outbox("s1", "matrix", 10, 10, LEASE, much_later)
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
        .lease_outbox("s1", "matrix", 1, 10, LEASE, t0())
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

pub async fn a_message_given_back_untried_does_not_count_as_an_attempt(db: TestDb) {
    let queued = queue(&db.store, "matrix", &["first", "second"], t0()).await;
    let leased = db
        .store
        .lease_outbox("s1", "matrix", 10, 10, LEASE, t0())
        .await
        .unwrap();
    assert_eq!(ids(&leased), queued);
    // Only the holder gives it back.
    assert!(!db.store.outbox_release(queued[1], "s2").await.unwrap());
    assert!(db.store.outbox_release(queued[1], "s1").await.unwrap());
    assert!(!db.store.outbox_release(queued[1], "s1").await.unwrap());
    let row = db.store.outbox_message(queued[1]).await.unwrap().unwrap();
    assert_eq!(
        (row.state, row.attempts, row.lease_owner, row.in_doubt),
        (OutboxState::Pending, 0, None, false)
    );
    // It stays behind the first, still held.
    assert_eq!(
        db.store
            .lease_outbox("s2", "matrix", 10, 10, LEASE, t0())
            .await
            .unwrap(),
        []
    );
}

pub async fn releasing_every_lease_puts_the_messages_back_in_doubt_at_once(db: TestDb) {
    let queued = queue(&db.store, "matrix", &["held", "waiting"], t0()).await;
    db.store
        .lease_outbox("dead", "matrix", 10, 1, LEASE, t0())
        .await
        .unwrap();
    assert_eq!(db.store.outbox_release_all().await.unwrap(), 1);
    assert_eq!(db.store.outbox_release_all().await.unwrap(), 0);
    // Leased again long before the dead sender's lease would have ended.
    let soon = at("2026-03-01T10:00:01Z");
    let again = db
        .store
        .lease_outbox("next", "matrix", 10, 10, LEASE, soon)
        .await
        .unwrap();
    assert_eq!(ids(&again), queued);
    assert_eq!(
        again.iter().map(|r| (r.attempts, r.in_doubt)).collect::<Vec<_>>(),
        [(2, true), (1, false)]
    );
    assert_eq!(again[0].first_attempt_at, Some(t0()));
    assert_eq!(again[1].first_attempt_at, Some(soon));
    // The dead sender's word no longer counts.
    assert!(!db.store.outbox_sent(queued[0], "dead", None, soon).await.unwrap());
}

pub async fn a_message_retried_in_doubt_stays_in_doubt_until_sent(db: TestDb) {
    let [id] = queue(&db.store, "matrix", &["hello"], t0()).await[..] else {
        panic!("one message");
    };
    db.store
        .lease_outbox("s1", "matrix", 1, 1, LEASE, t0())
        .await
        .unwrap();
    let next = at("2026-03-01T10:01:00Z");
    assert!(
        db.store
            .outbox_retry_in_doubt(id, "s1", next, "the connection broke", t0())
            .await
            .unwrap()
    );
    let row = db.store.outbox_message(id).await.unwrap().unwrap();
    assert!(row.in_doubt);
    assert_eq!(row.last_error.as_deref(), Some("the connection broke"));
    // A later plain retry (rate-limited) does not clear the doubt.
    db.store
        .lease_outbox("s1", "matrix", 1, 1, LEASE, next)
        .await
        .unwrap();
    let later = at("2026-03-01T10:02:00Z");
    assert!(
        db.store
            .outbox_retry(id, "s1", later, "rate-limited", next)
            .await
            .unwrap()
    );
    let again = db
        .store
        .lease_outbox("s2", "matrix", 1, 1, LEASE, later)
        .await
        .unwrap();
    assert_eq!(ids(&again), [id]);
    assert!(again[0].in_doubt);
    assert_eq!(again[0].attempts, 3);
    assert_eq!(again[0].first_attempt_at, Some(t0()));
}

pub async fn a_new_leader_shortens_the_leases_of_the_senders_before_it_and_keeps_its_own(db: TestDb) {
    let q = queue_to(
        &db.store,
        &[
            ("matrix:!a:example.org", "held by the dead leader"),
            ("matrix:!b:example.org", "held by the new leader"),
        ],
        t0(),
    )
    .await;
    db.store
        .lease_outbox("dead", "matrix", 1, 1, LEASE, t0())
        .await
        .unwrap();
    db.store
        .lease_outbox("new", "matrix", 1, 1, LEASE, t0())
        .await
        .unwrap();
    let discord = queue(&db.store, "discord", &["elsewhere"], t0()).await;
    db.store
        .lease_outbox("dead", "discord", 1, 1, LEASE, t0())
        .await
        .unwrap();
    let soon = at("2026-03-01T10:00:20Z");
    assert_eq!(
        db.store
            .outbox_shorten_leases("matrix", "new", soon)
            .await
            .unwrap(),
        1
    );
    // Never lengthened: a second call changes nothing.
    assert_eq!(
        db.store
            .outbox_shorten_leases("matrix", "new", at("2026-03-01T10:01:00Z"))
            .await
            .unwrap(),
        0
    );
    let dead = db.store.outbox_message(q[0]).await.unwrap().unwrap();
    let own = db.store.outbox_message(q[1]).await.unwrap().unwrap();
    let other = db.store.outbox_message(discord[0]).await.unwrap().unwrap();
    assert_eq!(dead.lease_until, Some(soon));
    assert_eq!(own.lease_until, Some(at("2026-03-01T10:05:00Z")));
    assert_eq!(other.lease_until, Some(at("2026-03-01T10:05:00Z")));
    // Once the short lease ends the message comes back, in doubt.
    let again = db
        .store
        .lease_outbox("new", "matrix", 10, 10, LEASE, soon)
        .await
        .unwrap();
    assert_eq!(ids(&again), [q[0]]);
    assert!(again[0].in_doubt);
}

pub async fn a_message_keeps_its_image_until_delivered_and_one_without_has_none(db: TestDb) {
    // Every byte value survives, zeros included.
    let image = OutboxImage {
        name: "results-7.png".into(),
        png: (0..=255u8).chain([0, 0, 255]).collect(),
        alt: "Résultats : Ada 3 voix, élue".into(),
    };
    let messages = [
        NewOutbox {
            image: Some(image.clone()),
            ..message(ROOM, "**Results**")
        },
        message(ROOM, "plain"),
    ];
    let queued = db
        .store
        .commit_notifications(&[], &[], &messages, t0())
        .await
        .unwrap();
    let leased = db
        .store
        .lease_outbox("s1", "matrix", 10, 10, LEASE, t0())
        .await
        .unwrap();
    assert_eq!(
        leased.iter().map(|r| r.image.clone()).collect::<Vec<_>>(),
        [Some(image.clone()), None]
    );
    assert_eq!(leased[0].body_markdown, "**Results**");
    // A message in doubt comes back with its image too.
    db.store.outbox_release_all().await.unwrap();
    let again = db
        .store
        .lease_outbox("s2", "matrix", 10, 1, LEASE, t0())
        .await
        .unwrap();
    assert_eq!(ids(&again), queued[..1]);
    assert!(again[0].in_doubt);
    assert_eq!(again[0].image.as_ref(), Some(&image));
    assert!(
        db.store
            .outbox_sent(queued[0], "s2", Some("$text"), t0())
            .await
            .unwrap()
    );
    let sent = db.store.outbox_message(queued[0]).await.unwrap().unwrap();
    assert_eq!(sent.state, OutboxState::Sent);
    assert_eq!(sent.image, Some(image));
    assert_eq!(
        db.store.outbox_message(queued[1]).await.unwrap().unwrap().image,
        None
    );
}
