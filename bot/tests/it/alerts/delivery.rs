//! The sender against a fake platform: receivers delivered side by side, each in order; a rate
//! limit holds every receiver back; a message whose attempt ended in doubt reaches the platform
//! marked so.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use vigie::alert::sender::{Delivery, SenderSettings, deliver_loop_with};
use vigie_storage::{NewOutbox, OutboxRow, Store};

use super::support::{Kind, db};

on_every_backend! {
    a_slow_room_holds_back_no_other_and_each_room_gets_its_messages_in_order,
    a_rate_limit_holds_every_room_back_then_the_same_message_goes_out_once,
    a_message_whose_attempt_ended_in_doubt_is_tried_again_marked_in_doubt,
}

/// One call of the fake platform: which message, when, and whether it came marked in doubt.
#[derive(Debug, Clone)]
struct Call {
    id: i64,
    receiver: String,
    at: Instant,
    in_doubt: bool,
}

/// Queues `per_room` messages to each of `rooms` rooms, interleaved (room 0, 1, …, 0, 1, …).
async fn queue(store: &Store, rooms: usize, per_room: usize) -> Vec<i64> {
    let messages: Vec<NewOutbox> = (0..rooms * per_room)
        .map(|i| NewOutbox {
            receiver: format!("matrix:!room{}:example.org", i % rooms),
            platform: "matrix".into(),
            body_markdown: format!("message {i}"),
            reason: "new".into(),
            group_key: format!("0|room{}|", i % rooms),
            image: None,
        })
        .collect();
    store
        .commit_notifications(&[], &[], &messages, Utc::now())
        .await
        .unwrap()
}

fn settings() -> SenderSettings {
    SenderSettings {
        pace: Duration::from_millis(5),
        poll: Duration::from_millis(20),
        backoff: Duration::from_millis(50),
        lead: false,
        ..SenderSettings::default()
    }
}

/// Runs one sender with `platform` (given each message and the calls so far) until the outbox
/// is empty; returns every call in order.
async fn deliver<P>(store: &Store, platform: P) -> Vec<Call>
where
    P: Fn(&OutboxRow, &[Call]) -> (Duration, Delivery) + Send + Sync + 'static,
{
    let calls: Arc<Mutex<Vec<Call>>> = Arc::default();
    let platform = Arc::new(platform);
    let cancel = CancellationToken::new();
    let recorded = calls.clone();
    let sender = tokio::spawn(deliver_loop_with(
        store.clone(),
        "matrix",
        "sender".to_owned(),
        move |row: OutboxRow| {
            let calls = recorded.clone();
            let platform = platform.clone();
            async move {
                let (takes, outcome) = {
                    let mut calls = calls.lock().unwrap();
                    let answer = platform(&row, &calls);
                    calls.push(Call {
                        id: row.id,
                        receiver: row.receiver.clone(),
                        at: Instant::now(),
                        in_doubt: row.in_doubt,
                    });
                    answer
                };
                tokio::time::sleep(takes).await;
                outcome
            }
        },
        settings(),
        cancel.clone(),
    ));
    let deadline = Instant::now() + Duration::from_secs(60);
    while store.outbox_pending_count().await.unwrap() > 0 {
        assert!(Instant::now() < deadline, "the outbox was not delivered in time");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    cancel.cancel();
    sender.await.unwrap();
    calls.lock().unwrap().clone()
}

fn sent(row: &OutboxRow) -> Delivery {
    Delivery::Sent(Some(format!("$event{}", row.id)))
}

/// Every queued message was delivered once, recorded as sent.
async fn each_sent_once(store: &Store, ids: &[i64], calls: &[Call]) {
    for id in ids {
        let row = store.outbox_message(*id).await.unwrap().unwrap();
        assert_eq!(row.state, vigie_storage::OutboxState::Sent, "message {id}");
        assert_eq!(row.platform_id, Some(format!("$event{id}")));
    }
    assert!(calls.iter().all(|c| ids.contains(&c.id)));
}

/// Each receiver's calls are in id order (a message tried again repeats in place).
fn in_order_per_receiver(calls: &[Call]) {
    let mut by_receiver: HashMap<&str, Vec<i64>> = HashMap::new();
    for call in calls {
        by_receiver.entry(&call.receiver).or_default().push(call.id);
    }
    for (receiver, ids) in by_receiver {
        assert!(ids.windows(2).all(|w| w[0] <= w[1]), "{receiver}: {ids:?}");
    }
}

async fn a_slow_room_holds_back_no_other_and_each_room_gets_its_messages_in_order(kind: Kind) {
    let db = db(kind).await;
    let ids = queue(&db.store, 10, 10).await;
    let slow = "matrix:!room0:example.org";
    // Room 0's platform takes half a second per message; the others answer at once.
    let calls = deliver(&db.store, move |row, _| {
        let takes = if row.receiver == slow { 500 } else { 0 };
        (Duration::from_millis(takes), sent(row))
    })
    .await;
    assert_eq!(calls.len(), 100);
    each_sent_once(&db.store, &ids, &calls).await;
    in_order_per_receiver(&calls);
    // The nine other rooms were done before the slow one got its fourth message.
    let fourth_slow = calls.iter().filter(|c| c.receiver == slow).nth(3).unwrap().at;
    let others_done = calls
        .iter()
        .filter(|c| c.receiver != slow)
        .map(|c| c.at)
        .max()
        .unwrap();
    assert!(
        others_done < fourth_slow,
        "the other rooms waited for the slow one"
    );
}

async fn a_rate_limit_holds_every_room_back_then_the_same_message_goes_out_once(kind: Kind) {
    let db = db(kind).await;
    let ids = queue(&db.store, 5, 4).await;
    let limited = ids[7];
    let wait = Duration::from_millis(400);
    // The platform rate-limits the account once, at the first attempt of one message.
    let calls = deliver(&db.store, move |row, calls| {
        if row.id == limited && !calls.iter().any(|c| c.id == limited) {
            let error = "M_LIMIT_EXCEEDED".to_owned();
            (Duration::ZERO, Delivery::RateLimited { after: wait, error })
        } else {
            (Duration::ZERO, sent(row))
        }
    })
    .await;
    each_sent_once(&db.store, &ids, &calls).await;
    in_order_per_receiver(&calls);
    assert_eq!(calls.len(), ids.len() + 1);
    let refused = calls.iter().find(|c| c.id == limited).unwrap().at;
    // Nothing was tried while the platform said to wait (a call already under way when the
    // answer came may land just after it).
    let margin = Duration::from_millis(30);
    let during: Vec<&Call> = calls
        .iter()
        .filter(|c| c.at > refused + margin && c.at < refused + wait - margin)
        .collect();
    assert!(during.is_empty(), "sent while rate-limited: {during:?}");
    // The message was tried again within its lease: one attempt on the books.
    let row = db.store.outbox_message(limited).await.unwrap().unwrap();
    assert_eq!(row.attempts, 1);
    assert!(!row.in_doubt);
}

async fn a_message_whose_attempt_ended_in_doubt_is_tried_again_marked_in_doubt(kind: Kind) {
    let db = db(kind).await;
    let ids = queue(&db.store, 3, 3).await;
    let doubtful = ids[4];
    let calls = deliver(&db.store, move |row, calls| {
        if row.id == doubtful && !calls.iter().any(|c| c.id == doubtful) {
            let error = "the connection broke".to_owned();
            (
                Duration::ZERO,
                Delivery::InDoubt {
                    after: Duration::ZERO,
                    error,
                },
            )
        } else {
            (Duration::ZERO, sent(row))
        }
    })
    .await;
    each_sent_once(&db.store, &ids, &calls).await;
    in_order_per_receiver(&calls);
    let tries: Vec<bool> = calls
        .iter()
        .filter(|c| c.id == doubtful)
        .map(|c| c.in_doubt)
        .collect();
    assert_eq!(
        tries,
        [false, true],
        "the second attempt must look before sending"
    );
    assert!(calls.iter().filter(|c| c.id != doubtful).all(|c| !c.in_doubt));
    let row = db.store.outbox_message(doubtful).await.unwrap().unwrap();
    assert_eq!(row.attempts, 2);
}
