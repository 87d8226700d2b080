use std::time::Duration;

use vigie_storage::ScheduleRow;

use crate::support::{TestDb, at};

const WEEKLY: &str = "0 9 * * MON Europe/Paris";
const LEASE: Duration = Duration::from_secs(10 * 60);

pub async fn a_schedule_keeps_its_next_run_until_its_spec_changes(db: TestDb) {
    let first = at("2026-03-02T08:00:00Z");
    assert_eq!(
        db.store.upsert_schedule("digest", WEEKLY, first).await.unwrap(),
        first
    );
    assert_eq!(
        db.store.schedule("digest").await.unwrap(),
        Some(ScheduleRow {
            name: "digest".to_owned(),
            spec: WEEKLY.to_owned(),
            next_run: first,
            last_run: None,
            leased_by: None,
            lease_until: None,
        })
    );
    // A restart with the same spec keeps the stored run, even one already missed.
    let restart = at("2026-03-09T08:00:00Z");
    assert_eq!(
        db.store.upsert_schedule("digest", WEEKLY, restart).await.unwrap(),
        first
    );
    // A changed spec takes its own next run.
    let daily = at("2026-03-03T08:00:00Z");
    assert_eq!(
        db.store
            .upsert_schedule("digest", "0 9 * * * Europe/Paris", daily)
            .await
            .unwrap(),
        daily
    );
    db.store.upsert_schedule("audit", WEEKLY, first).await.unwrap();
    let names: Vec<String> = db
        .store
        .schedules()
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect();
    assert_eq!(names, ["audit", "digest"]);
    assert_eq!(db.store.schedule("nope").await.unwrap(), None);
}

pub async fn a_due_schedule_is_claimed_by_exactly_one_of_five_concurrent_claimers(db: TestDb) {
    for round in 0..5 {
        let name = format!("digest-{round}");
        let due = at("2026-03-02T08:00:00Z");
        db.store.upsert_schedule(&name, WEEKLY, due).await.unwrap();
        let claimers: Vec<_> = (0..5)
            .map(|i| {
                let store = db.store.clone();
                let name = name.clone();
                tokio::spawn(async move {
                    let owner = format!("replica-{i}");
                    let won = store
                        .claim_due_schedule(&name, &owner, at("2026-03-02T08:00:01Z"), LEASE)
                        .await
                        .unwrap();
                    (owner, won)
                })
            })
            .collect();
        let mut winners = Vec::new();
        for claimer in claimers {
            let (owner, won) = claimer.await.unwrap();
            if let Some(run) = won {
                assert_eq!(run, due);
                winners.push(owner);
            }
        }
        let [winner] = &winners[..] else {
            panic!("{name}: not exactly one winner: {winners:?}");
        };
        let row = db.store.schedule(&name).await.unwrap().unwrap();
        assert_eq!(row.leased_by.as_deref(), Some(winner.as_str()));
        assert_eq!(row.lease_until, Some(at("2026-03-02T08:10:01Z")));
    }
}

pub async fn a_schedule_not_due_or_held_is_not_claimed_and_an_expired_claim_is_taken_over(db: TestDb) {
    let due = at("2026-03-02T08:00:00Z");
    db.store.upsert_schedule("digest", WEEKLY, due).await.unwrap();
    let early = at("2026-03-02T07:59:59Z");
    assert_eq!(
        db.store
            .claim_due_schedule("digest", "a", early, LEASE)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        db.store
            .claim_due_schedule("nope", "a", due, LEASE)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        db.store
            .claim_due_schedule("digest", "a", due, LEASE)
            .await
            .unwrap(),
        Some(due)
    );
    // Held, even by the same owner, until the lease ends.
    let held = at("2026-03-02T08:09:59Z");
    assert_eq!(
        db.store
            .claim_due_schedule("digest", "b", held, LEASE)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        db.store
            .claim_due_schedule("digest", "a", held, LEASE)
            .await
            .unwrap(),
        None
    );
    // The runner died: the run is due again once its lease ends.
    let expired = at("2026-03-02T08:10:00Z");
    assert_eq!(
        db.store
            .claim_due_schedule("digest", "b", expired, LEASE)
            .await
            .unwrap(),
        Some(due)
    );
    let next = at("2026-03-09T08:00:00Z");
    assert!(
        !db.store
            .finish_schedule("digest", "a", expired, next)
            .await
            .unwrap()
    );
    assert_eq!(db.store.schedule("digest").await.unwrap().unwrap().last_run, None);
}

pub async fn finishing_a_schedule_sets_its_next_run_and_frees_it(db: TestDb) {
    let due = at("2026-03-02T08:00:00Z");
    db.store.upsert_schedule("digest", WEEKLY, due).await.unwrap();
    db.store
        .claim_due_schedule("digest", "a", due, LEASE)
        .await
        .unwrap();
    let ran = at("2026-03-02T08:00:03Z");
    let next = at("2026-03-09T08:00:00Z");
    assert!(db.store.finish_schedule("digest", "a", ran, next).await.unwrap());
    assert_eq!(
        db.store.schedule("digest").await.unwrap().unwrap(),
        ScheduleRow {
            name: "digest".to_owned(),
            spec: WEEKLY.to_owned(),
            next_run: next,
            last_run: Some(ran),
            leased_by: None,
            lease_until: None,
        }
    );
    // Finished runs are not claimed again; the next one is, when due.
    assert_eq!(
        db.store
            .claim_due_schedule("digest", "b", ran, LEASE)
            .await
            .unwrap(),
        None
    );
    assert!(!db.store.finish_schedule("digest", "a", ran, next).await.unwrap());
    assert_eq!(
        db.store
            .claim_due_schedule("digest", "b", next, LEASE)
            .await
            .unwrap(),
        Some(next)
    );
}
