use vigie_storage::{Claim, FollowUp, Release};

use crate::support::{TestDb, at};

const WINDOW: &str = "w-2aa8f74113a8";
const ALICE: &str = "matrix:@alice:example.org";
const BOB: &str = "matrix:@bob:example.org";
const ZOE: &str = "matrix:@zoe:example.org";

/// (actor, action, detail) of the audit entries about `window`, newest first.
async fn audit_of(db: &TestDb, window: &str) -> Vec<(String, String, Option<String>)> {
    let entries = db.store.audit_log(Some(window), 100).await.unwrap();
    entries
        .into_iter()
        .map(|e| (e.actor, e.action, e.detail))
        .collect()
}

fn entry(actor: &str, action: &str, detail: Option<&str>) -> (String, String, Option<String>) {
    (actor.to_owned(), action.to_owned(), detail.map(str::to_owned))
}

fn nothing_yet(window: &str) -> FollowUp {
    FollowUp {
        window: window.to_owned(),
        claimed_by: None,
        claimed_at: None,
        snoozed_until: None,
        snoozed_by: None,
        done_by: None,
        done_at: None,
    }
}

pub async fn a_first_claim_takes_the_window_even_before_it_is_stored(db: TestDb) {
    // No window was ever synced: a claim from an alert must still work.
    let claim = db
        .store
        .claim_window(WINDOW, ALICE, at("2026-02-01T10:00:00Z"))
        .await
        .unwrap();
    assert_eq!(claim, Claim::Claimed);
    assert_eq!(
        db.store.follow_up(WINDOW).await.unwrap(),
        Some(FollowUp {
            claimed_by: Some(ALICE.to_owned()),
            claimed_at: Some(at("2026-02-01T10:00:00Z")),
            ..nothing_yet(WINDOW)
        })
    );
    assert_eq!(audit_of(&db, WINDOW).await, [entry(ALICE, "window.claim", None)]);
}

pub async fn a_second_claim_by_the_same_peer_is_already_theirs(db: TestDb) {
    db.store
        .claim_window(WINDOW, ALICE, at("2026-02-01T10:00:00Z"))
        .await
        .unwrap();
    let again = db
        .store
        .claim_window(WINDOW, ALICE, at("2026-02-02T10:00:00Z"))
        .await
        .unwrap();
    assert_eq!(again, Claim::AlreadyYours);
    let follow_up = db.store.follow_up(WINDOW).await.unwrap().unwrap();
    assert_eq!(follow_up.claimed_at, Some(at("2026-02-01T10:00:00Z")));
    assert_eq!(audit_of(&db, WINDOW).await.len(), 1);
}

pub async fn a_second_claim_by_another_peer_reports_who_holds_it(db: TestDb) {
    db.store
        .claim_window(WINDOW, ALICE, at("2026-02-01T10:00:00Z"))
        .await
        .unwrap();
    let claim = db
        .store
        .claim_window(WINDOW, BOB, at("2026-02-01T10:05:00Z"))
        .await
        .unwrap();
    assert_eq!(claim, Claim::ClaimedBy(ALICE.to_owned()));
    let follow_up = db.store.follow_up(WINDOW).await.unwrap().unwrap();
    assert_eq!(follow_up.claimed_by.as_deref(), Some(ALICE));
    assert_eq!(audit_of(&db, WINDOW).await.len(), 1);
}

pub async fn concurrent_claims_of_one_window_let_exactly_one_peer_win(db: TestDb) {
    for round in 0..10 {
        let window = format!("w-race{round:08}");
        let tasks: Vec<_> = (0..4)
            .map(|i| {
                let store = db.store.clone();
                let window = window.clone();
                tokio::spawn(async move {
                    let user = format!("matrix:@peer{i}:example.org");
                    let claim = store
                        .claim_window(&window, &user, at("2026-02-01T10:00:00Z"))
                        .await
                        .unwrap();
                    (user, claim)
                })
            })
            .collect();
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.unwrap());
        }
        let winners: Vec<&str> = results
            .iter()
            .filter(|(_, claim)| *claim == Claim::Claimed)
            .map(|(user, _)| user.as_str())
            .collect();
        let [winner] = winners[..] else {
            panic!("{window}: not exactly one winner: {results:?}");
        };
        for (user, claim) in &results {
            if user != winner {
                assert_eq!(claim, &Claim::ClaimedBy(winner.to_owned()), "{window} {user}");
            }
        }
        let follow_up = db.store.follow_up(&window).await.unwrap().unwrap();
        assert_eq!(follow_up.claimed_by.as_deref(), Some(winner));
        assert_eq!(
            audit_of(&db, &window).await,
            [entry(winner, "window.claim", None)]
        );
    }
}

pub async fn a_release_depends_on_who_holds_the_claim_and_on_force(db: TestDb) {
    struct Case {
        holder: Option<&'static str>,
        releaser: &'static str,
        force: bool,
        expected: Release,
        /// The audit detail when released.
        audited: Option<Option<&'static str>>,
    }
    let cases = [
        Case {
            holder: Some(ALICE),
            releaser: ALICE,
            force: false,
            expected: Release::Released,
            audited: Some(None),
        },
        Case {
            holder: Some(ALICE),
            releaser: ALICE,
            force: true,
            expected: Release::Released,
            audited: Some(None),
        },
        Case {
            holder: Some(ALICE),
            releaser: BOB,
            force: false,
            expected: Release::ClaimedBy(ALICE.to_owned()),
            audited: None,
        },
        Case {
            holder: Some(ALICE),
            releaser: ZOE,
            force: true,
            expected: Release::Released,
            audited: Some(Some("claim of matrix:@alice:example.org")),
        },
        Case {
            holder: None,
            releaser: BOB,
            force: false,
            expected: Release::NotClaimed,
            audited: None,
        },
        Case {
            holder: None,
            releaser: ZOE,
            force: true,
            expected: Release::NotClaimed,
            audited: None,
        },
    ];
    for (i, case) in cases.into_iter().enumerate() {
        let window = format!("w-release{i:06}");
        if let Some(holder) = case.holder {
            db.store
                .claim_window(&window, holder, at("2026-02-01T10:00:00Z"))
                .await
                .unwrap();
        }
        let before = audit_of(&db, &window).await.len();
        let release = db
            .store
            .release_window(&window, case.releaser, case.force, at("2026-02-01T11:00:00Z"))
            .await
            .unwrap();
        assert_eq!(release, case.expected, "case {i}");
        let holder = db
            .store
            .follow_up(&window)
            .await
            .unwrap()
            .and_then(|f| f.claimed_by);
        let audit = audit_of(&db, &window).await;
        match case.audited {
            Some(detail) => {
                assert_eq!(holder, None, "case {i}");
                assert_eq!(audit.len(), before + 1, "case {i}");
                assert_eq!(
                    audit[0],
                    entry(case.releaser, "window.release", detail),
                    "case {i}"
                );
            }
            None => {
                assert_eq!(holder.as_deref(), case.holder, "case {i}");
                assert_eq!(audit.len(), before, "case {i}");
            }
        }
    }
}

pub async fn a_released_window_can_be_claimed_by_another_peer(db: TestDb) {
    let t = at("2026-02-01T10:00:00Z");
    db.store.claim_window(WINDOW, ALICE, t).await.unwrap();
    db.store.release_window(WINDOW, ALICE, false, t).await.unwrap();
    assert_eq!(
        db.store.follow_up(WINDOW).await.unwrap(),
        Some(nothing_yet(WINDOW))
    );
    assert_eq!(
        db.store.claim_window(WINDOW, BOB, t).await.unwrap(),
        Claim::Claimed
    );
}

pub async fn snoozing_records_until_when_and_by_whom_and_a_repeat_changes_nothing(db: TestDb) {
    // (who, until, whether audited)
    let snoozes = [
        (ALICE, "2026-02-08T09:00:00Z", true),
        (ALICE, "2026-02-08T09:00:00Z", false),
        (BOB, "2026-02-08T09:00:00Z", true),
        (BOB, "2026-02-10T09:00:00.5Z", true),
    ];
    for (n, (who, until, audited)) in snoozes.into_iter().enumerate() {
        let before = audit_of(&db, WINDOW).await.len();
        db.store
            .snooze_window(WINDOW, who, at(until), at("2026-02-01T10:00:00Z"))
            .await
            .unwrap();
        let follow_up = db.store.follow_up(WINDOW).await.unwrap().unwrap();
        assert_eq!(
            (follow_up.snoozed_by.as_deref(), follow_up.snoozed_until),
            (Some(who), Some(at(until))),
            "snooze {n}"
        );
        assert_eq!(
            audit_of(&db, WINDOW).await.len(),
            before + usize::from(audited),
            "snooze {n}"
        );
    }
    let latest = &audit_of(&db, WINDOW).await[0];
    assert_eq!(
        latest,
        &entry(BOB, "window.snooze", Some("2026-02-10T09:00:00.500000000Z"))
    );
    // A snooze leaves the claim alone.
    assert_eq!(
        db.store.follow_up(WINDOW).await.unwrap().unwrap().claimed_by,
        None
    );
}

pub async fn marking_a_window_done_twice_reports_false_the_second_time(db: TestDb) {
    db.store
        .claim_window(WINDOW, ALICE, at("2026-02-01T10:00:00Z"))
        .await
        .unwrap();
    assert!(
        db.store
            .done_window(WINDOW, ALICE, at("2026-02-03T10:00:00Z"))
            .await
            .unwrap()
    );
    assert!(
        !db.store
            .done_window(WINDOW, BOB, at("2026-02-04T10:00:00Z"))
            .await
            .unwrap()
    );
    let follow_up = db.store.follow_up(WINDOW).await.unwrap().unwrap();
    assert_eq!(
        (follow_up.done_by.as_deref(), follow_up.done_at),
        (Some(ALICE), Some(at("2026-02-03T10:00:00Z")))
    );
    // The claim says who followed the window up.
    assert_eq!(follow_up.claimed_by.as_deref(), Some(ALICE));
    assert_eq!(
        audit_of(&db, WINDOW).await,
        [
            entry(ALICE, "window.done", None),
            entry(ALICE, "window.claim", None)
        ]
    );
}

pub async fn notes_are_listed_oldest_first_for_their_window_only(db: TestDb) {
    let other = "w-0000000000ff";
    let first = db
        .store
        .add_note(
            WINDOW,
            ALICE,
            "Called the ministry; call back Monday.",
            at("2026-02-01T10:00:00Z"),
        )
        .await
        .unwrap();
    db.store
        .add_note(other, BOB, "Not ours.", at("2026-02-01T10:30:00Z"))
        .await
        .unwrap();
    let second = db
        .store
        .add_note(WINDOW, BOB, "Draft sent — «relu».", at("2026-02-01T11:00:00Z"))
        .await
        .unwrap();
    assert!(first.id < second.id);
    assert_eq!(
        (first.window.as_str(), first.author.as_str(), first.at),
        (WINDOW, ALICE, at("2026-02-01T10:00:00Z"))
    );
    assert_eq!(
        db.store.notes(WINDOW).await.unwrap(),
        [first.clone(), second.clone()]
    );
    assert_eq!(
        audit_of(&db, WINDOW).await,
        [
            entry(BOB, "window.note", Some(&format!("note {}", second.id))),
            entry(ALICE, "window.note", Some(&format!("note {}", first.id))),
        ]
    );
    // A note is not a follow-up.
    assert_eq!(db.store.follow_up(WINDOW).await.unwrap(), None);
}

pub async fn an_unknown_window_has_no_follow_up_and_no_notes(db: TestDb) {
    assert_eq!(db.store.follow_up(WINDOW).await.unwrap(), None);
    assert!(db.store.notes(WINDOW).await.unwrap().is_empty());
    assert!(db.store.follow_ups().await.unwrap().is_empty());
}

pub async fn follow_ups_lists_every_window_acted_on_by_id(db: TestDb) {
    let t = at("2026-02-01T10:00:00Z");
    db.store.snooze_window("w-cc", ALICE, t, t).await.unwrap();
    db.store.claim_window("w-aa", BOB, t).await.unwrap();
    db.store.done_window("w-bb", ALICE, t).await.unwrap();
    let all = db.store.follow_ups().await.unwrap();
    let windows: Vec<_> = all.iter().map(|f| f.window.as_str()).collect();
    assert_eq!(windows, ["w-aa", "w-bb", "w-cc"]);
    assert_eq!(
        all[1],
        FollowUp {
            done_by: Some(ALICE.to_owned()),
            done_at: Some(t),
            ..nothing_yet("w-bb")
        }
    );
}
