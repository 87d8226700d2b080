//! Any sequence of actions, by anyone, at any time: nothing panics, a refusal changes nothing,
//! phases only move forward, no ballot is taken outside voting, each voter has at most one
//! counted ballot per category, and a secret box never shows names.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;
use vigie_awards::campaign::rules::{Quorum, Secrecy};
use vigie_awards::campaign::{
    Action, Campaign, Deadline, Effect, Method, Phase, Reminder, RuleChange, Schedule, Transition, Vote,
};
use vigie_awards::eligibility::{Actor, Eligibility, RecusalRules, Role};
use vigie_awards::nomination::{NominationId, Nominee};
use vigie_awards::tie::TieBreak;

use super::SEED;

const USERS: [&str; 5] = ["@admin", "@ana", "@bo", "@cy", "@dee"];
const CATEGORIES: [&str; 3] = ["champion", "reformer", "nope"];

fn actor(i: usize) -> Actor {
    match i % USERS.len() {
        0 => Actor::new(USERS[0], Role::Admin),
        1 => Actor::new(USERS[1], Role::Peer)
            .in_region("africa")
            .from_country("KE")
            .at_organisation("Mzalendo"),
        2 => Actor::new(USERS[2], Role::Peer)
            .in_region("europe")
            .from_country("NO"),
        3 => Actor::new(USERS[3], Role::Anyone),
        _ => Actor::new(USERS[4], Role::Peer)
            .from_country("NG")
            .at_organisation("Budget Office"),
    }
}

fn nominee(i: usize) -> Nominee {
    match i % 8 {
        0 => Nominee::person("Jane Doe", "KE").with_organisation("Mzalendo"),
        1 => Nominee::person("doe, JANE", "KE-30"),
        2 => Nominee::person("Ola Nordmann", "NO").with_user("@bo"),
        3 => Nominee::institution("Budget Office", "NG"),
        4 => Nominee::person("", "Kenya"),
        5 => Nominee::person("Amina Yusuf", "TZ"),
        6 => Nominee::person("Carlos Ruiz", "MX"),
        _ => Nominee::institution("Open Data Lab", "ID"),
    }
}

fn method(i: usize) -> Method {
    match i % 6 {
        0 => Method::Plurality,
        1 => Method::Approval {
            max_approvals: Some(2),
        },
        2 => Method::Score { max: 5 },
        3 => Method::Irv {
            batch_elimination: false,
        },
        4 => Method::Schulze {
            strength: Default::default(),
        },
        _ => Method::StvScottish,
    }
}

fn ids() -> impl Strategy<Value = Vec<NominationId>> {
    prop::collection::vec((1u32..5).prop_map(NominationId), 0..4)
}

fn a_vote() -> impl Strategy<Value = Vote> {
    let one = (1u32..5).prop_map(NominationId);
    prop_oneof![
        4 => one.clone().prop_map(Vote::Single),
        4 => prop::collection::vec(one.clone().prop_map(|id| vec![id]), 1..4).prop_map(Vote::Ranked),
        1 => prop::collection::vec(ids(), 0..4).prop_map(Vote::Ranked),
        1 => ids().prop_map(Vote::Approve),
        1 => prop::collection::vec((one, 0u32..8), 0..4).prop_map(Vote::Score),
    ]
}

/// A plurality vote and a one-per-rank ranked vote.
fn a_fitting_vote() -> impl Strategy<Value = (Vote, Vote)> {
    let one = (1u32..5).prop_map(NominationId);
    let ranked = prop::collection::vec(one.clone(), 1..4).prop_map(|mut ids| {
        ids.dedup();
        Vote::Ranked(ids.into_iter().map(|id| vec![id]).collect())
    });
    (one.prop_map(Vote::Single), ranked)
}

fn a_change() -> impl Strategy<Value = RuleChange> {
    prop_oneof![
        (0usize..3).prop_map(|i| RuleChange::AddCategory {
            slug: CATEGORIES[i].into(),
            title: "T".into()
        }),
        (0usize..3).prop_map(|i| RuleChange::RemoveCategory {
            slug: CATEGORIES[i].into()
        }),
        (0usize..3, 0usize..6, 0u32..4).prop_map(|(c, m, seats)| RuleChange::DeclareMethod {
            category: CATEGORIES[c].into(),
            method: method(m),
            seats,
        }),
        (0u32..3).prop_map(RuleChange::SecondsRequired),
        any::<bool>().prop_map(|open| RuleChange::Secrecy(if open {
            Secrecy::Open
        } else {
            Secrecy::Secret
        })),
        (any::<bool>(), any::<bool>()).prop_map(|(same_country, same_organisation)| RuleChange::Recusal(
            RecusalRules {
                same_country,
                same_organisation
            }
        )),
        (0u32..3, 0u8..120).prop_map(|(min_ballots, p)| RuleChange::Quorum(Quorum {
            min_ballots,
            min_percent_of_roll: p
        })),
        any::<bool>().prop_map(|roll| RuleChange::Voters(Eligibility {
            min_role: Role::Anyone,
            regions: None,
            roll: roll.then(|| USERS[1..4].iter().map(|u| (*u).to_owned()).collect()),
        })),
        Just(RuleChange::TieCommitment(TieBreak::commitment(SEED.as_bytes()))),
        Just(RuleChange::Schedule(short_schedule())),
    ]
}

fn a_transition() -> impl Strategy<Value = Transition> {
    prop_oneof![
        Just(Transition::OpenNominations),
        Just(Transition::CloseNominations),
        Just(Transition::OpenVoting),
        Just(Transition::CloseVoting),
        Just(Transition::Certify),
        Just(Transition::Remind(Reminder {
            deadline: Deadline::VotingClose,
            hours_before: 48
        })),
    ]
}

fn an_action() -> impl Strategy<Value = Action> {
    let id = (0u32..6).prop_map(NominationId);
    let category = prop_oneof![4 => Just(0usize), 4 => Just(1usize), 1 => Just(2usize)];
    prop_oneof![
        2 => a_change().prop_map(|change| Action::Configure { change }),
        1 => a_transition().prop_map(|transition| Action::Transition { transition }),
        1 => any::<bool>().prop_map(|right| Action::RevealSeed { seed: if right { SEED.into() } else { "guess".into() } }),
        6 => (category.clone(), 0usize..8).prop_map(|(c, n)| Action::Nominate {
            category: CATEGORIES[c].into(),
            nominee: nominee(n),
            citation: "Did well.".into(),
        }),
        1 => (id.clone(), 0usize..8).prop_map(|(id, n)| Action::EditNomination {
            id,
            category: None,
            nominee: Some(nominee(n)),
            citation: None,
        }),
        1 => id.clone().prop_map(|id| Action::Withdraw { id }),
        3 => id.clone().prop_map(|id| Action::Second { id }),
        1 => id.prop_map(|id| Action::DeclareRecusal { id }),
        10 => (category, a_vote(), a_fitting_vote(), prop::bool::weighted(0.8)).prop_map(|(c, any, fitting, fit)| {
            // Mostly a vote of the form the configured start declares, so that many are accepted.
            let vote = match (fit, c, fitting) {
                (true, 0, (single, _)) => single,
                (true, 1, (_, ranked)) => ranked,
                _ => any,
            };
            Action::Vote { category: CATEGORIES[c].into(), vote }
        }),
    ]
}

/// A move: an action by someone, or a scheduler tick; then time passes.
#[derive(Debug, Clone)]
enum Move {
    Act(usize, Action),
    Tick,
}

fn a_move() -> impl Strategy<Value = (Move, u32)> {
    let m = prop_oneof![4 => (0usize..5, an_action()).prop_map(|(who, a)| Move::Act(who, a)), 1 => Just(Move::Tick)];
    (m, 0u32..5)
}

/// Checks everything that must hold whatever happened.
fn check(c: &Campaign, held: &BTreeMap<String, BTreeSet<String>>) -> Result<(), TestCaseError> {
    if let Some(t) = c.turnout() {
        let shown = serde_json::to_string(&t).expect("json");
        prop_assert!(
            USERS.iter().all(|u| !shown.contains(u)),
            "turnout names a voter: {}",
            shown
        );
        let voters: BTreeSet<&String> = held.values().flatten().collect();
        prop_assert_eq!(t.voters, voters.len());
        for (category, holders) in held {
            prop_assert_eq!(t.by_category.get(category).copied().unwrap_or(0), holders.len());
        }
        prop_assert!(t.by_category.values().all(|&n| n <= USERS.len()));
    }
    if let Some(bx) = c.ballot_box().filter(|b| b.is_sealed()) {
        for (category, holders) in held {
            prop_assert_eq!(
                bx.sealed_ballots(category).map_or(0, <[Vote]>::len),
                holders.len()
            );
        }
        if bx.secrecy() == Secrecy::Secret {
            let shown = serde_json::to_string(bx).expect("json");
            prop_assert!(
                USERS.iter().all(|u| !shown.contains(u)),
                "a sealed secret box names a voter"
            );
        }
    }
    let phases: Vec<Phase> = c.history().iter().map(|h| h.phase).collect();
    prop_assert!(
        phases.windows(2).all(|w| w[0] < w[1]),
        "phases went back: {:?}",
        phases
    );
    Ok(())
}

fn start() -> DateTime<Utc> {
    super::created()
}

/// Nominations for a week, voting for a week, so a sequence of moves lives through them all.
fn short_schedule() -> Schedule {
    let day = |n| Some(start() + TimeDelta::days(n));
    Schedule {
        nominations_open: day(1),
        nominations_close: day(8),
        voting_open: day(9),
        voting_close: day(16),
        reminders: vec![
            Reminder {
                deadline: Deadline::NominationsClose,
                hours_before: 24,
            },
            Reminder {
                deadline: Deadline::VotingClose,
                hours_before: 48,
            },
        ],
    }
}

/// A blank campaign, or one ready to run on the short schedule.
fn campaign(configured: bool) -> Campaign {
    let mut c = Campaign::new("p", "Property", start()).expect("a campaign");
    if configured {
        let admin = actor(0);
        let changes = [
            RuleChange::AddCategory {
                slug: "champion".into(),
                title: "Champion".into(),
            },
            RuleChange::AddCategory {
                slug: "reformer".into(),
                title: "Reformer".into(),
            },
            RuleChange::DeclareMethod {
                category: "champion".into(),
                method: Method::Plurality,
                seats: 1,
            },
            RuleChange::DeclareMethod {
                category: "reformer".into(),
                method: Method::StvScottish,
                seats: 2,
            },
            RuleChange::TieCommitment(TieBreak::commitment(SEED.as_bytes())),
            RuleChange::SecondsRequired(0),
            RuleChange::Schedule(short_schedule()),
        ];
        for change in changes {
            c.apply(&admin, Action::Configure { change }, start())
                .expect("a valid rule");
        }
    }
    c
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_sequence_of_actions_never_panics_and_keeps_the_invariants(
        configured in prop::bool::weighted(0.8),
        moves in prop::collection::vec(a_move(), 60..220),
    ) {
        let mut c = campaign(configured);
        let mut now = start();
        // Who holds a counted ballot, per category, as the effects say.
        let mut held: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (m, hours) in moves {
            match m {
                Move::Tick => {
                    for t in c.due(now) {
                        let before = c.clone();
                        if c.transition(t, now).is_err() {
                            prop_assert_eq!(&c, &before);
                            break;
                        }
                    }
                }
                Move::Act(who, action) => {
                    let actor = actor(who);
                    let before = c.clone();
                    match c.apply(&actor, action.clone(), now) {
                        Err(_) => prop_assert_eq!(&c, &before, "a refusal changed the campaign"),
                        Ok(effects) => {
                            for effect in effects {
                                match effect {
                                    Effect::BallotRecorded { category, replaced } => {
                                        prop_assert_eq!(before.phase(), Phase::VotingOpen);
                                        prop_assert!(before.schedule().voting_close.is_none_or(|close| now < close));
                                        let fresh = held.entry(category).or_default().insert(actor.user.clone());
                                        prop_assert_eq!(fresh, !replaced, "replaced says whether a ballot was there");
                                    }
                                    Effect::RecusalDeclared { id, ballot_removed } => {
                                        let category = c.nomination(id).map(|n| n.category.clone()).unwrap_or_default();
                                        let had = held.get_mut(&category).is_some_and(|s| s.remove(&actor.user));
                                        prop_assert_eq!(had, ballot_removed);
                                    }
                                    _ => {}
                                }
                            }
                        }
                    }
                }
            }
            check(&c, &held)?;
            let json = serde_json::to_string(&c).expect("json");
            prop_assert_eq!(&serde_json::from_str::<Campaign>(&json).expect("back"), &c);
            now += TimeDelta::hours(i64::from(hours));
        }
        if c.phase() >= Phase::VotingClosed {
            for category in CATEGORIES {
                if let Ok(input) = c.tally_input(category) {
                    let holders = held.get(category).map_or(0, BTreeSet::len) as u64;
                    let weight = input.profile.total_weight()
                        + input.scores.iter().map(|b| b.weight).sum::<u64>();
                    prop_assert_eq!(weight, holders, "one counted ballot per voter");
                }
            }
        }
    }
}
