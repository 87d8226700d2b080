use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use vigie_storage::{AlertRow, NewOutbox, OutboxState, SentAlert, SentRow};

use crate::support::{TestDb, at};

const ROOM: &str = "matrix:!europe:example.org";
const OTHER_ROOM: &str = "matrix:!africa:example.org";

pub fn alert(fingerprint: &str, state: &str, version: u64) -> AlertRow {
    let labels: BTreeMap<String, String> = [
        ("alertname", "window"),
        ("country", "FR"),
        ("region", "europe"),
        ("rule", "legislative-before"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    AlertRow {
        fingerprint: fingerprint.to_owned(),
        state: state.to_owned(),
        labels,
        summary: format!("France: legislative election window ({fingerprint})"),
        window: Some("w-2aa8f74113a8".to_owned()),
        active_since: at("2026-03-01T09:00:00Z"),
        firing_since: (state != "pending").then(|| at("2026-03-01T09:30:00Z")),
        resolved_at: (state == "resolved").then(|| at("2026-03-02T09:00:00Z")),
        updated_at: at("2026-03-01T09:30:00.123456789Z"),
        version,
    }
}

pub fn sent(
    receiver: &str,
    group_key: &str,
    alerts: &[(&str, &str, u64)],
    last_sent: DateTime<Utc>,
) -> SentRow {
    SentRow {
        receiver: receiver.to_owned(),
        group_key: group_key.to_owned(),
        last_sent,
        alerts: alerts
            .iter()
            .map(|(fp, state, version)| {
                (
                    (*fp).to_owned(),
                    SentAlert {
                        state: (*state).to_owned(),
                        version: *version,
                    },
                )
            })
            .collect(),
        first_seen: at("2026-03-01T09:31:00Z"),
    }
}

pub fn message(receiver: &str, body: &str) -> NewOutbox {
    NewOutbox {
        receiver: receiver.to_owned(),
        platform: "matrix".to_owned(),
        body_markdown: body.to_owned(),
        reason: "new".to_owned(),
        group_key: "0.1/matrix:!europe:example.org/region=europe".to_owned(),
        image: None,
    }
}

pub async fn alerts_and_sent_records_round_trip_and_are_replaced_by_key(db: TestDb) {
    let now = at("2026-03-01T10:00:00Z");
    let mut no_window = alert("b2", "pending", 1);
    no_window.window = None;
    no_window
        .labels
        .insert("alertname".to_owned(), "member-status".to_owned());
    let records = [
        sent(ROOM, "g1", &[("a1", "firing", 1)], now),
        sent(
            OTHER_ROOM,
            "g1",
            &[("a1", "firing", 1), ("b2", "pending", 1)],
            now,
        ),
    ];
    db.store
        .commit_notifications(&[alert("a1", "firing", 1), no_window.clone()], &records, &[], now)
        .await
        .unwrap();
    assert_eq!(
        db.store.alerts().await.unwrap(),
        [alert("a1", "firing", 1), no_window]
    );
    // Listed by receiver, then group key.
    assert_eq!(
        db.store.sent_records().await.unwrap(),
        [records[1].clone(), records[0].clone()]
    );

    let later = at("2026-03-02T10:00:00Z");
    let resolved = alert("a1", "resolved", 2);
    let told = sent(ROOM, "g1", &[("a1", "resolved", 2)], later);
    db.store
        .commit_notifications(
            std::slice::from_ref(&resolved),
            std::slice::from_ref(&told),
            &[],
            later,
        )
        .await
        .unwrap();
    assert_eq!(db.store.alert("a1").await.unwrap(), Some(resolved));
    assert_eq!(db.store.alert("nope").await.unwrap(), None);
    assert_eq!(db.store.alerts().await.unwrap().len(), 2);
    assert_eq!(db.store.sent_records().await.unwrap(), [records[1].clone(), told]);
}

pub async fn commit_notifications_queues_pending_messages_and_returns_their_ids_in_order(db: TestDb) {
    let now = at("2026-03-01T10:00:00Z");
    let messages = [
        message(ROOM, "**France**: window open"),
        message(OTHER_ROOM, "second"),
    ];
    let ids = db
        .store
        .commit_notifications(&[alert("a1", "firing", 1)], &[], &messages, now)
        .await
        .unwrap();
    assert_eq!(ids.len(), 2);
    assert!(ids[0] < ids[1], "{ids:?}");
    for (id, sent) in ids.iter().zip(&messages) {
        let row = db.store.outbox_message(*id).await.unwrap().unwrap();
        assert_eq!(
            (
                row.receiver.as_str(),
                row.platform.as_str(),
                row.body_markdown.as_str(),
                row.reason.as_str(),
                row.group_key.as_str(),
            ),
            (
                sent.receiver.as_str(),
                "matrix",
                sent.body_markdown.as_str(),
                "new",
                sent.group_key.as_str()
            )
        );
        assert_eq!(row.state, OutboxState::Pending);
        assert_eq!(row.attempts, 0);
        assert_eq!((row.created_at, row.next_attempt_at), (now, now));
        assert_eq!((row.lease_owner, row.sent_at, row.last_error), (None, None, None));
    }
    assert_eq!(db.store.outbox_pending_count().await.unwrap(), 2);
    assert_eq!(db.store.outbox_message(ids[1] + 100).await.unwrap(), None);
}

pub async fn a_failure_mid_way_through_commit_notifications_writes_nothing(db: TestDb) {
    let now = at("2026-03-01T10:00:00Z");
    // The alerts and the log are written first; the second message has no receiver and is
    // refused by the database, after everything else was written in the transaction.
    let broken = message("", "to nobody");
    let result = db
        .store
        .commit_notifications(
            &[alert("a1", "firing", 1), alert("b2", "pending", 1)],
            &[sent(ROOM, "g1", &[("a1", "firing", 1)], now)],
            &[message(ROOM, "first"), broken],
            now,
        )
        .await;
    assert!(result.is_err(), "{result:?}");
    assert_eq!(db.store.alerts().await.unwrap(), []);
    assert_eq!(db.store.sent_records().await.unwrap(), []);
    assert_eq!(db.store.outbox_pending_count().await.unwrap(), 0);

    // The store is still usable, and a good commit writes all three.
    db.store
        .commit_notifications(
            &[alert("a1", "firing", 1)],
            &[sent(ROOM, "g1", &[("a1", "firing", 1)], now)],
            &[message(ROOM, "first")],
            now,
        )
        .await
        .unwrap();
    assert_eq!(db.store.alerts().await.unwrap().len(), 1);
    assert_eq!(db.store.sent_records().await.unwrap().len(), 1);
    assert_eq!(db.store.outbox_pending_count().await.unwrap(), 1);
}

pub async fn pruning_removes_only_old_resolved_alerts_and_old_log_rows(db: TestDb) {
    let now = at("2026-03-10T10:00:00Z");
    db.store
        .commit_notifications(
            &[
                alert("old", "resolved", 2),
                alert("firing", "firing", 1),
                alert("stale", "stale", 1),
            ],
            &[
                sent(ROOM, "old", &[("old", "resolved", 2)], at("2026-03-02T09:00:00Z")),
                sent(ROOM, "recent", &[("firing", "firing", 1)], now),
            ],
            &[],
            now,
        )
        .await
        .unwrap();
    // Resolved on 2026-03-02.
    assert_eq!(
        db.store.prune_alerts(at("2026-03-02T09:00:00Z")).await.unwrap(),
        0
    );
    assert_eq!(
        db.store.prune_alerts(at("2026-03-05T00:00:00Z")).await.unwrap(),
        1
    );
    let left: Vec<String> = db
        .store
        .alerts()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.fingerprint)
        .collect();
    assert_eq!(left, ["firing", "stale"]);
    assert_eq!(
        db.store
            .prune_notification_log(at("2026-03-05T00:00:00Z"))
            .await
            .unwrap(),
        1
    );
    let left: Vec<String> = db
        .store
        .sent_records()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.group_key)
        .collect();
    assert_eq!(left, ["recent"]);
}
