use vigie_storage::{NewSilence, SilenceRow, Unsilence};

use crate::support::{TestDb, at};

const ALICE: &str = "matrix:@alice:example.org";
const BOB: &str = "matrix:@bob:example.org";

fn new_silence(matchers: &[&str], starts: &str, ends: &str) -> NewSilence {
    NewSilence {
        matchers: matchers.iter().map(|m| (*m).to_owned()).collect(),
        starts_at: at(starts),
        ends_at: at(ends),
        author: ALICE.to_owned(),
        comment: "known, handled by the chair".to_owned(),
    }
}

/// (actor, action, detail) of the audit entries about a silence, newest first.
async fn audit_of(db: &TestDb, silence: &SilenceRow) -> Vec<(String, String, Option<String>)> {
    let entries = db
        .store
        .audit_log(Some(&silence.audit_target()), 100)
        .await
        .unwrap();
    entries
        .into_iter()
        .map(|e| (e.actor, e.action, e.detail))
        .collect()
}

pub async fn a_created_silence_reads_back_and_is_audited(db: TestDb) {
    let now = at("2026-03-01T10:00:00Z");
    let new = new_silence(
        &["country=\"KE\"", "region=~\"africa|europe\""],
        "2026-03-01T10:00:00Z",
        "2026-03-08T10:00:00Z",
    );
    let created = db.store.create_silence(&new, now).await.unwrap();
    assert_eq!(created.audit_target(), format!("silence:{}", created.id));
    assert_eq!(
        created,
        SilenceRow {
            id: created.id,
            matchers: new.matchers.clone(),
            starts_at: new.starts_at,
            ends_at: new.ends_at,
            author: ALICE.to_owned(),
            comment: new.comment.clone(),
            created_at: now,
            expired_at: None,
            expired_by: None,
        }
    );
    assert_eq!(db.store.silence(created.id).await.unwrap(), Some(created.clone()));
    assert_eq!(db.store.silence(created.id + 1).await.unwrap(), None);
    assert_eq!(
        audit_of(&db, &created).await,
        [(
            ALICE.to_owned(),
            "silence.add".to_owned(),
            Some(
                "country=\"KE\" region=~\"africa|europe\" until 2026-03-08T10:00:00.000000000Z: \
                 known, handled by the chair"
                    .to_owned()
            )
        )]
    );
    let second = db.store.create_silence(&new, now).await.unwrap();
    assert!(second.id > created.id);
    assert_eq!(db.store.silences().await.unwrap(), [created, second]);
}

pub async fn active_silences_leave_out_ended_and_expired_ones(db: TestDb) {
    let now = at("2026-03-05T12:00:00Z");
    let create = |matcher: &'static str, starts: &'static str, ends: &'static str| {
        let store = db.store.clone();
        async move {
            store
                .create_silence(&new_silence(&[matcher], starts, ends), at("2026-03-01T00:00:00Z"))
                .await
                .unwrap()
        }
    };
    let ended = create("country=\"FR\"", "2026-03-01T00:00:00Z", "2026-03-05T12:00:00Z").await;
    let current = create("country=\"KE\"", "2026-03-01T00:00:00Z", "2026-03-06T00:00:00Z").await;
    let later = create("country=\"BR\"", "2026-03-10T00:00:00Z", "2026-03-11T00:00:00Z").await;
    let expired = create("country=\"US\"", "2026-03-01T00:00:00Z", "2026-03-09T00:00:00Z").await;
    assert_eq!(
        db.store
            .expire_silence(expired.id, BOB, at("2026-03-04T00:00:00Z"))
            .await
            .unwrap(),
        Unsilence::Expired
    );

    let active = db.store.active_silences(now).await.unwrap();
    assert_eq!(
        active.iter().map(|s| s.id).collect::<Vec<_>>(),
        [current.id, later.id]
    );
    assert!(active[0].is_active(now));
    assert!(!active[1].is_active(now), "starts later");
    assert!(!ended.is_active(now));
    let expired = db.store.silence(expired.id).await.unwrap().unwrap();
    assert!(!expired.is_active(at("2026-03-05T00:00:00Z")));
    assert_eq!(db.store.silences().await.unwrap().len(), 4);
}

pub async fn expiring_a_silence_is_audited_once_and_reports_unknown_or_already_over(db: TestDb) {
    let silence = db
        .store
        .create_silence(
            &new_silence(
                &["country=\"KE\""],
                "2026-03-01T00:00:00Z",
                "2026-03-08T00:00:00Z",
            ),
            at("2026-03-01T00:00:00Z"),
        )
        .await
        .unwrap();
    let now = at("2026-03-02T00:00:00Z");
    assert_eq!(
        db.store.expire_silence(silence.id, BOB, now).await.unwrap(),
        Unsilence::Expired
    );
    let stored = db.store.silence(silence.id).await.unwrap().unwrap();
    assert_eq!(
        (stored.expired_at, stored.expired_by.as_deref()),
        (Some(now), Some(BOB))
    );
    assert_eq!(stored.ends_at, silence.ends_at, "the planned end is kept");
    assert_eq!(
        db.store
            .expire_silence(silence.id, ALICE, at("2026-03-03T00:00:00Z"))
            .await
            .unwrap(),
        Unsilence::AlreadyOver
    );
    assert_eq!(
        db.store.expire_silence(silence.id + 1, ALICE, now).await.unwrap(),
        Unsilence::Unknown
    );
    let actions: Vec<(String, String)> = audit_of(&db, &silence)
        .await
        .into_iter()
        .map(|(actor, action, _)| (actor, action))
        .collect();
    assert_eq!(
        actions,
        [
            (BOB.to_owned(), "silence.expire".to_owned()),
            (ALICE.to_owned(), "silence.add".to_owned())
        ]
    );

    // A silence that ended by itself is already over too.
    let ended = db
        .store
        .create_silence(
            &new_silence(
                &["country=\"FR\""],
                "2026-03-01T00:00:00Z",
                "2026-03-02T00:00:00Z",
            ),
            at("2026-03-01T00:00:00Z"),
        )
        .await
        .unwrap();
    assert_eq!(
        db.store.expire_silence(ended.id, BOB, now).await.unwrap(),
        Unsilence::AlreadyOver
    );
    assert_eq!(audit_of(&db, &ended).await.len(), 1);
}
