//! Campaigns run from a room: opened whole or not at all, and moved by the schedule in one
//! transaction with the messages that announce each step, once, with the seed revealed when
//! voting closes.

use chrono::{DateTime, TimeDelta, Utc};
use vigie_awards::campaign::{
    Action, AwardError, Effect, Method, Phase, Reminder, RuleChange, Schedule, Transition, Vote,
};
use vigie_awards::eligibility::{Actor, Eligibility, Role};
use vigie_awards::nomination::{NominationId, Nominee};
use vigie_awards::tie::TieBreak;
use vigie_storage::{
    AwardStep, AwardStepped, AwardStoreError, NewOutbox, OutboxImage, OutboxRow, award_target,
};

use crate::support::{TestDb, at};

const ROOM: &str = "matrix:!awards:example.org";
const SEED: &str = "a seed nobody guesses";

fn created() -> DateTime<Utc> {
    at("2027-01-01T09:00:00Z")
}
fn nominations_close() -> DateTime<Utc> {
    at("2027-02-01T00:00:00Z")
}
fn voting_close() -> DateTime<Utc> {
    at("2027-03-01T00:00:00Z")
}

fn admin() -> Actor {
    Actor::new("matrix:@admin:example.org", Role::Admin)
}
fn peer(name: &str) -> Actor {
    Actor::new(format!("matrix:@{name}:example.org"), Role::Peer)
}
fn configure(change: RuleChange) -> Action {
    Action::Configure { change }
}

/// A campaign with one category and a schedule, opened for nominations.
fn opening(roll: &[&str]) -> Vec<Action> {
    vec![
        configure(RuleChange::AddCategory {
            slug: "champion".into(),
            title: "Open Gov Champion".into(),
        }),
        configure(RuleChange::DeclareMethod {
            category: "champion".into(),
            method: Method::Plurality,
            seats: 1,
        }),
        configure(RuleChange::Voters(Eligibility {
            min_role: Role::Anyone,
            regions: None,
            roll: Some(roll.iter().map(|u| format!("matrix:@{u}:example.org")).collect()),
        })),
        configure(RuleChange::Schedule(Schedule {
            nominations_open: None,
            nominations_close: Some(nominations_close()),
            voting_open: Some(nominations_close()),
            voting_close: Some(voting_close()),
            reminders: vec![Reminder {
                deadline: vigie_awards::campaign::Deadline::VotingClose,
                hours_before: 48,
            }],
        })),
        configure(RuleChange::TieCommitment(TieBreak::commitment(SEED.as_bytes()))),
        Action::Transition {
            transition: Transition::OpenNominations,
        },
    ]
}

/// The picture that goes with the results.
fn chart(s: &AwardStepped) -> OutboxImage {
    OutboxImage {
        name: format!("results-{}.png", s.campaign.id()),
        png: vec![0x89, b'P', b'N', b'G', 0, 0xFF, 0],
        alt: "Ada 2 votes, elected".into(),
    }
}

/// One message to the room saying which phase the campaign reached (with the chart once voting
/// closed), and one to each person who has not voted.
fn announce(s: &AwardStepped) -> Vec<NewOutbox> {
    let mut out = vec![NewOutbox {
        receiver: s.room.clone().unwrap_or_default(),
        platform: "matrix".into(),
        body_markdown: format!(
            "{:?} with {:?} voters",
            s.campaign.phase(),
            s.turnout.as_ref().map(|t| t.voters)
        ),
        reason: "award".into(),
        group_key: format!("award|{}", s.campaign.id()),
        image: (s.campaign.phase() == Phase::VotingClosed).then(|| chart(s)),
    }];
    for person in &s.not_voted {
        out.push(NewOutbox {
            receiver: person.clone(),
            platform: "matrix".into(),
            body_markdown: "you have not voted".into(),
            reason: "award-reminder".into(),
            group_key: format!("award|{}", s.campaign.id()),
            image: None,
        });
    }
    out
}

async fn outbox_bodies(db: &TestDb) -> Vec<(String, String)> {
    outbox_rows(db)
        .await
        .into_iter()
        .map(|r| (r.receiver, r.body_markdown))
        .collect()
}

/// The messages queued since the last look, marked sent.
async fn outbox_rows(db: &TestDb) -> Vec<OutboxRow> {
    let far = voting_close() + TimeDelta::days(400);
    let rows = db
        .store
        .lease_outbox("test", "matrix", 100, 100, std::time::Duration::from_secs(1), far)
        .await
        .unwrap();
    for row in &rows {
        db.store.outbox_sent(row.id, "test", None, far).await.unwrap();
    }
    rows
}

pub async fn a_campaign_opens_whole_or_not_at_all(db: TestDb) {
    let mut broken = opening(&["ana"]);
    broken.insert(
        2,
        configure(RuleChange::AddCategory {
            slug: "Not A Slug".into(),
            title: "x".into(),
        }),
    );
    let refused = db
        .store
        .open_award_campaign("Awards", &admin(), ROOM, SEED, &broken, created())
        .await;
    assert!(
        matches!(refused, Err(AwardStoreError::Refused(AwardError::InvalidRule(_)))),
        "{refused:?}"
    );
    assert!(db.store.award_campaigns().await.unwrap().is_empty());
    assert!(db.store.audit_log(None, 100).await.unwrap().is_empty());

    let c = db
        .store
        .open_award_campaign("Awards", &admin(), ROOM, SEED, &opening(&["ana"]), created())
        .await
        .unwrap();
    assert_eq!(c.id(), "1");
    assert_eq!(c.phase(), Phase::NominationsOpen);
    assert_eq!(db.store.award_room("1").await.unwrap().as_deref(), Some(ROOM));
    let stored = db.store.award_campaign("1").await.unwrap().unwrap();
    assert_eq!(stored, c);
    assert_eq!(stored.seed(), None, "the seed stays secret until voting closes");
    let audit = db.store.audit_log(Some(&award_target("1")), 100).await.unwrap();
    assert_eq!(audit.len(), 1 + opening(&["ana"]).len());
    assert!(
        audit
            .iter()
            .all(|e| !e.detail.as_deref().unwrap_or_default().contains(SEED))
    );
    assert!(matches!(
        db.store.award_room("9").await,
        Err(AwardStoreError::UnknownCampaign { .. })
    ));
}

pub async fn scheduled_steps_are_announced_once_and_the_seed_is_revealed_at_the_close(db: TestDb) {
    let store = &db.store;
    let roll = ["ana", "bo", "chi"];
    let eligible: Vec<String> = roll.iter().map(|u| format!("matrix:@{u}:example.org")).collect();
    store
        .open_award_campaign("Awards", &admin(), ROOM, SEED, &opening(&roll), created())
        .await
        .unwrap();
    let during = created() + TimeDelta::days(1);
    for (who, name) in [("ana", "Jane Doe"), ("bo", "Musa Bello")] {
        let nominate = Action::Nominate {
            category: "champion".into(),
            nominee: Nominee::person(name, "KE"),
            citation: "Opened the budget.".into(),
        };
        store
            .apply_award_action("1", &peer(who), nominate, during)
            .await
            .unwrap();
    }
    for (who, id) in [("chi", 1), ("ana", 2)] {
        let second = Action::Second { id: NominationId(id) };
        store
            .apply_award_action("1", &peer(who), second, during)
            .await
            .unwrap();
    }
    // Nothing due: nothing written, nothing announced.
    let idle = store
        .step_award_campaign("1", AwardStep::Due, &eligible, during, announce)
        .await
        .unwrap();
    assert!(!idle.changed());
    assert!(outbox_bodies(&db).await.is_empty());

    let open_at = nominations_close() + TimeDelta::minutes(1);
    let (a, b) = tokio::join!(
        store.step_award_campaign("1", AwardStep::Due, &eligible, open_at, announce),
        store.step_award_campaign("1", AwardStep::Due, &eligible, open_at, announce),
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(
        usize::from(a.changed()) + usize::from(b.changed()),
        1,
        "two schedulers at once take the step once"
    );
    let opened = outbox_rows(&db).await;
    assert_eq!(
        opened
            .iter()
            .map(|r| (r.receiver.as_str(), r.body_markdown.as_str(), r.image.is_none()))
            .collect::<Vec<_>>(),
        [(ROOM, "VotingOpen with Some(0) voters", true)]
    );

    let vote = |id| Action::Vote {
        category: "champion".into(),
        vote: Vote::Single(NominationId(id)),
    };
    store
        .apply_award_action("1", &peer("ana"), vote(1), open_at)
        .await
        .unwrap();
    store
        .apply_award_action("1", &peer("bo"), vote(2), open_at)
        .await
        .unwrap();
    store
        .apply_award_action("1", &peer("bo"), vote(1), open_at)
        .await
        .unwrap();

    let remind_at = voting_close() - TimeDelta::hours(47);
    let reminded = store
        .step_award_campaign("1", AwardStep::Due, &eligible, remind_at, announce)
        .await
        .unwrap();
    assert!(
        reminded
            .effects
            .iter()
            .any(|e| matches!(e, Effect::Remind { .. }))
    );
    assert!(
        reminded.not_voted.is_empty(),
        "who has not voted goes to the announcer only"
    );
    assert_eq!(
        outbox_bodies(&db).await,
        [
            (ROOM.to_owned(), "VotingOpen with Some(2) voters".to_owned()),
            (
                "matrix:@chi:example.org".to_owned(),
                "you have not voted".to_owned()
            ),
        ]
    );

    // A refused admin step writes nothing.
    let early = store
        .step_award_campaign(
            "1",
            AwardStep::Admin {
                actor: peer("ana"),
                transition: Transition::CloseVoting,
            },
            &eligible,
            remind_at,
            announce,
        )
        .await;
    assert!(matches!(
        early,
        Err(AwardStoreError::Refused(AwardError::AdminOnly { .. }))
    ));

    let close_at = voting_close() + TimeDelta::minutes(1);
    let closed = store
        .step_award_campaign("1", AwardStep::Due, &eligible, close_at, announce)
        .await
        .unwrap();
    assert_eq!(closed.campaign.phase(), Phase::VotingClosed);
    assert_eq!(closed.campaign.seed(), Some(SEED));
    assert!(
        closed
            .effects
            .contains(&Effect::SeedRevealed { seed: SEED.into() })
    );
    let stored = store.award_campaign("1").await.unwrap().unwrap();
    assert_eq!(stored.seed(), Some(SEED));
    assert_eq!(
        store.sealed_ballots("1", "champion").await.unwrap(),
        Some(vec![Vote::Single(NominationId(1)), Vote::Single(NominationId(1))]),
        "each voter's last ballot"
    );
    assert_eq!(
        store
            .own_ballot("1", "matrix:@bo:example.org", "champion")
            .await
            .unwrap(),
        None
    );
    let results = outbox_rows(&db).await;
    assert_eq!(results.len(), 1);
    assert_eq!(
        results[0].image.as_ref(),
        Some(&chart(&closed)),
        "the results carry their chart"
    );
    let again = store
        .step_award_campaign(
            "1",
            AwardStep::Due,
            &eligible,
            close_at + TimeDelta::days(1),
            announce,
        )
        .await
        .unwrap();
    assert!(!again.changed());
    assert!(outbox_bodies(&db).await.is_empty());
    let audit = store.audit_log(Some(&award_target("1")), 100).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "award.reveal-seed" && e.detail.is_none())
    );
}
