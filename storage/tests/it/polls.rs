//! Quick polls: opened whole (campaign, options, poll row) or not at all, found by their start
//! event, listed until ended on their platform, and each voter's response counted last kept.

use vigie_awards::campaign::{Action, Method, Phase, RuleChange, Secrecy, Transition, Vote};
use vigie_awards::eligibility::{Actor, Eligibility, Role};
use vigie_awards::nomination::{NominationId, Nominee};
use vigie_awards::tie::TieBreak;

use crate::support::{TestDb, at};

const ROOM: &str = "matrix:!polls:example.org";

fn poll_actions(options: &[&str]) -> Vec<Action> {
    let configure = |change| Action::Configure { change };
    let mut actions = vec![
        configure(RuleChange::AddCategory {
            slug: "poll".into(),
            title: "Lunch?".into(),
        }),
        configure(RuleChange::DeclareMethod {
            category: "poll".into(),
            method: Method::Plurality,
            seats: 1,
        }),
        configure(RuleChange::SecondsRequired(0)),
        configure(RuleChange::Secrecy(Secrecy::Open)),
        configure(RuleChange::Voters(Eligibility::anyone())),
        configure(RuleChange::TieCommitment(TieBreak::commitment(b"seed"))),
        Action::Transition {
            transition: Transition::OpenNominations,
        },
    ];
    for option in options {
        actions.push(Action::Nominate {
            category: "poll".into(),
            nominee: Nominee::institution(*option, "ZZ"),
            citation: "Lunch?".into(),
        });
    }
    actions.push(Action::Transition {
        transition: Transition::CloseNominations,
    });
    actions.push(Action::Transition {
        transition: Transition::OpenVoting,
    });
    actions
}

fn creator() -> Actor {
    Actor::new("matrix:@ana:example.org", Role::Admin)
}

pub async fn a_poll_opens_whole_with_its_options_or_not_at_all(db: TestDb) {
    let store = &db.store;
    let now = at("2027-01-01T09:00:00Z");
    let duplicate = poll_actions(&["Pizza", "pizza"]);
    assert!(
        store
            .open_poll("Lunch?", &creator(), ROOM, "seed", &duplicate, now)
            .await
            .is_err()
    );
    assert!(
        store.award_campaigns().await.unwrap().is_empty(),
        "nothing written"
    );
    assert_eq!(store.unended_polls("matrix:").await.unwrap(), []);

    let c = store
        .open_poll(
            "Lunch?",
            &creator(),
            ROOM,
            "seed",
            &poll_actions(&["Pizza", "Soup"]),
            now,
        )
        .await
        .unwrap();
    assert_eq!(c.id(), "1");
    let stored = store.award_campaign("1").await.unwrap().unwrap();
    assert_eq!(stored.phase(), Phase::VotingOpen);
    assert_eq!(stored.standing("poll"), [NominationId(1), NominationId(2)]);
    let poll = store.poll("1").await.unwrap().unwrap();
    assert_eq!(poll.room, ROOM);
    assert!(poll.is_open());
    assert_eq!((poll.start_event, poll.end_event), (None, None));
    assert_eq!(store.poll("2").await.unwrap(), None);

    let voter = Actor::new("matrix:@bo:example.org", Role::Anyone);
    store
        .cast_ballot("1", &voter, "poll", Vote::Single(NominationId(2)), now)
        .await
        .unwrap();
    let ballots = store.open_ballots("1", "poll").await.unwrap().unwrap();
    assert_eq!(ballots, [(voter.user.clone(), Vote::Single(NominationId(2)))]);
}

pub async fn poll_events_and_the_last_counted_response_are_kept(db: TestDb) {
    let store = &db.store;
    let now = at("2027-01-01T09:00:00Z");
    store
        .open_poll(
            "Lunch?",
            &creator(),
            ROOM,
            "seed",
            &poll_actions(&["Pizza", "Soup"]),
            now,
        )
        .await
        .unwrap();
    store
        .open_poll(
            "Lunch?",
            &creator(),
            "console",
            "seed",
            &poll_actions(&["Tea", "Coffee"]),
            now,
        )
        .await
        .unwrap();
    let unended: Vec<String> = store
        .unended_polls("matrix:")
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.campaign)
        .collect();
    assert_eq!(unended, ["1"], "only the Matrix room's poll");

    store.set_poll_start("1", "$start").await.unwrap();
    let found = store.poll_by_start("$start").await.unwrap().unwrap();
    assert_eq!(found.campaign, "1");
    assert_eq!(found.start_event.as_deref(), Some("$start"));
    assert_eq!(store.poll_by_start("$other").await.unwrap(), None);

    let voter = "matrix:@bo:example.org";
    assert_eq!(store.poll_response_time("1", voter).await.unwrap(), None);
    store.set_poll_response("1", voter, "$r2", 2_000).await.unwrap();
    store.set_poll_response("1", voter, "$r1", 1_000).await.unwrap();
    assert_eq!(
        store.poll_response_time("1", voter).await.unwrap(),
        Some(2_000),
        "an earlier response never replaces a later one"
    );
    store.set_poll_response("1", voter, "$r3", 3_000).await.unwrap();
    assert_eq!(store.poll_response_time("1", voter).await.unwrap(), Some(3_000));

    store.set_poll_end("1", "$end").await.unwrap();
    assert_eq!(store.unended_polls("matrix:").await.unwrap(), []);
    assert_eq!(
        store.poll("1").await.unwrap().unwrap().end_event.as_deref(),
        Some("$end")
    );
}
