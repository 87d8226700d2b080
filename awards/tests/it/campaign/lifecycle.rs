//! The lifecycle, the schedule, the rules lock and the tie-break seed.

use std::collections::BTreeSet;

use vigie_awards::campaign::rules::{Quorum, Secrecy, TieRule};
use vigie_awards::campaign::{
    Action, AwardError, Campaign, Deadline, Effect, Method, Phase, Reminder, RuleChange, Schedule, Transition,
};
use vigie_awards::eligibility::{Eligibility, RecusalRules, Role};
use vigie_awards::tie::TieBreak;

use super::*;

fn nominations_closed() -> Campaign {
    let mut c = with_nominees();
    step(&mut c, Transition::CloseNominations, nominations_close());
    c
}

fn closed_with_seed() -> Campaign {
    let mut c = closed();
    ok(
        &mut c,
        &admin(),
        Action::RevealSeed { seed: SEED.into() },
        voting_close(),
    );
    c
}

fn certified() -> Campaign {
    let mut c = closed_with_seed();
    step(&mut c, Transition::Certify, voting_close());
    c
}

const STEPS: [Transition; 5] = [
    Transition::OpenNominations,
    Transition::CloseNominations,
    Transition::OpenVoting,
    Transition::CloseVoting,
    Transition::Certify,
];

#[test]
fn each_step_of_the_lifecycle_is_legal_only_from_the_phase_before_it() {
    let phases: [(Phase, Build); 6] = [
        (Phase::Draft, draft),
        (Phase::NominationsOpen, with_nominees),
        (Phase::NominationsClosed, nominations_closed),
        (Phase::VotingOpen, voting),
        (Phase::VotingClosed, closed_with_seed),
        (Phase::Certified, certified),
    ];
    for (phase, build) in phases {
        for t in STEPS {
            let mut c = build();
            assert_eq!(c.phase(), phase);
            let (from, to) = t.phases();
            let result = c.apply(&admin(), Action::Transition { transition: t }, voting_close());
            if from == phase {
                let effects = result.unwrap_or_else(|e| panic!("{t:?} from {phase:?} was refused: {e}"));
                assert_eq!(effects.first(), Some(&Effect::PhaseChanged { from, to }));
                assert_eq!(c.phase(), to);
                assert_eq!(c.history().last().map(|h| h.phase), Some(to));
            } else {
                let err = result.expect_err("an illegal step");
                assert!(
                    matches!(err, AwardError::IllegalTransition { .. }),
                    "{t:?} from {phase:?}: {err}"
                );
                assert_eq!(c.phase(), phase);
            }
        }
    }
}

#[test]
fn an_illegal_step_says_what_the_next_step_is() {
    let mut c = draft();
    let err = refused(
        &mut c,
        &admin(),
        Action::Transition {
            transition: Transition::OpenVoting,
        },
        created(),
    );
    assert_eq!(
        err.to_string(),
        "“Open Gov Champion 2027” is in draft, so it cannot open voting; the next step is to open nominations"
    );
}

#[test]
fn the_schedule_says_which_steps_and_reminders_are_due() {
    let hours = |n: i64| chrono::TimeDelta::hours(n);
    let before_noms = Reminder {
        deadline: Deadline::NominationsClose,
        hours_before: 72,
    };
    let before_vote = Reminder {
        deadline: Deadline::VotingClose,
        hours_before: 48,
    };
    let cases: Vec<(&str, Build, Time, Vec<Transition>)> = vec![
        ("nothing before the opening", draft, created(), vec![]),
        (
            "opening at its time",
            draft,
            nominations_open(),
            vec![Transition::OpenNominations],
        ),
        (
            "every missed step after downtime, in order",
            draft,
            voting_open() + hours(1),
            vec![
                Transition::OpenNominations,
                Transition::CloseNominations,
                Transition::OpenVoting,
            ],
        ),
        (
            "no reminder too early",
            open_for_nominations,
            nominations_close() - hours(73),
            vec![],
        ),
        (
            "the reminder once its time has come",
            open_for_nominations,
            nominations_close() - hours(71),
            vec![Transition::Remind(before_noms)],
        ),
        (
            "no reminder once the deadline passed",
            open_for_nominations,
            nominations_close(),
            vec![Transition::CloseNominations],
        ),
        (
            "the voting reminder",
            voting,
            voting_close() - hours(1),
            vec![Transition::Remind(before_vote)],
        ),
        (
            "closing voting at its time",
            voting,
            voting_close(),
            vec![Transition::CloseVoting],
        ),
        ("never certification", closed, at("2030-01-01"), vec![]),
    ];
    for (what, build, now, expected) in cases {
        assert_eq!(build().due(now), expected, "{what}");
    }
    let unscheduled = Campaign::new("c2", "Unscheduled", created()).expect("a campaign");
    assert_eq!(
        unscheduled.due(at("2030-01-01")),
        vec![],
        "a campaign without a schedule waits for an admin"
    );
}

#[test]
fn a_reminder_is_sent_once_and_only_in_its_phase() {
    let mut c = open_for_nominations();
    let now = nominations_close() - chrono::TimeDelta::hours(1);
    let reminder = Reminder {
        deadline: Deadline::NominationsClose,
        hours_before: 72,
    };
    assert_eq!(
        step(&mut c, Transition::Remind(reminder), now),
        vec![Effect::Remind {
            deadline: Deadline::NominationsClose,
            due_at: nominations_close()
        }]
    );
    assert_eq!(c.due(now), vec![]);
    assert!(matches!(
        c.transition(Transition::Remind(reminder), now),
        Err(AwardError::IllegalTransition { .. })
    ));
    let voting_reminder = Reminder {
        deadline: Deadline::VotingClose,
        hours_before: 48,
    };
    assert!(
        c.transition(Transition::Remind(voting_reminder), now).is_err(),
        "not while nominations are open"
    );
    let unknown = Reminder {
        deadline: Deadline::NominationsClose,
        hours_before: 5,
    };
    assert!(
        c.transition(Transition::Remind(unknown), now).is_err(),
        "not a scheduled reminder"
    );
}

#[test]
fn a_due_step_that_cannot_be_taken_is_refused_and_stays_due() {
    let mut c = draft();
    configure(
        &mut c,
        RuleChange::AddCategory {
            slug: "newcomer".into(),
            title: "Newcomer".into(),
        },
    );
    step(&mut c, Transition::OpenNominations, nominations_open());
    step(&mut c, Transition::CloseNominations, nominations_close());
    assert_eq!(c.due(voting_open()), vec![Transition::OpenVoting]);
    let before = c.clone();
    let err = c
        .transition(Transition::OpenVoting, voting_open())
        .expect_err("no method for newcomer");
    assert_eq!(c, before);
    assert!(
        err.to_string()
            .starts_with("category “newcomer” has no counting method; declare one"),
        "{err}"
    );
    assert_eq!(c.due(voting_open()), vec![Transition::OpenVoting]);
}

#[test]
fn voting_opens_only_with_methods_a_commitment_and_a_roll_for_a_share_quorum() {
    let mut no_commitment = Campaign::new("c3", "No seed", created()).expect("a campaign");
    configure(
        &mut no_commitment,
        RuleChange::AddCategory {
            slug: "a".into(),
            title: "A".into(),
        },
    );
    configure(
        &mut no_commitment,
        RuleChange::DeclareMethod {
            category: "a".into(),
            method: Method::Plurality,
            seats: 1,
        },
    );
    step(
        &mut no_commitment,
        Transition::OpenNominations,
        nominations_open(),
    );
    step(
        &mut no_commitment,
        Transition::CloseNominations,
        nominations_close(),
    );
    let err = no_commitment
        .transition(Transition::OpenVoting, voting_open())
        .expect_err("no commitment");
    assert!(matches!(err, AwardError::NoCommitment { .. }), "{err}");

    let mut share = with_nominees();
    ok(
        &mut share,
        &admin(),
        Action::Configure {
            change: RuleChange::Quorum(Quorum {
                min_ballots: 0,
                min_percent_of_roll: 20,
            }),
        },
        during_nominations(),
    );
    step(&mut share, Transition::CloseNominations, nominations_close());
    let err = share
        .transition(Transition::OpenVoting, voting_open())
        .expect_err("no roll");
    assert_eq!(
        err.to_string(),
        "a quorum of 20% of the voter roll needs a voter roll; set a roll, or use a minimum number of ballots"
    );

    let mut c = open_for_nominations();
    step(&mut c, Transition::CloseNominations, nominations_close());
    let effects = step(&mut c, Transition::OpenVoting, voting_open());
    assert!(effects.contains(&Effect::CommitmentPublished {
        commitment: TieBreak::commitment(SEED.as_bytes())
    }));
    assert!(effects.contains(&Effect::EmptyCategory {
        category: "champion".into()
    }));
    let err = refused(
        &mut c,
        &peer("@ana"),
        vote(
            "champion",
            vigie_awards::campaign::Vote::Single(vigie_awards::nomination::NominationId(1)),
        ),
        during_voting(),
    );
    assert!(matches!(err, AwardError::EmptyBallot { .. }), "{err}");
}

fn every_rule_change() -> Vec<RuleChange> {
    vec![
        RuleChange::AddCategory {
            slug: "newcomer".into(),
            title: "Newcomer".into(),
        },
        RuleChange::DeclareMethod {
            category: "reformer".into(),
            method: Method::StvScottish,
            seats: 2,
        },
        RuleChange::Nominators(Eligibility::anyone()),
        RuleChange::Voters(Eligibility {
            min_role: Role::Admin,
            regions: None,
            roll: None,
        }),
        RuleChange::Recusal(RecusalRules {
            same_country: true,
            same_organisation: true,
        }),
        RuleChange::Secrecy(Secrecy::Open),
        RuleChange::Quorum(Quorum {
            min_ballots: 3,
            min_percent_of_roll: 0,
        }),
        RuleChange::TieCommitment(TieBreak::commitment(b"another seed")),
        RuleChange::TieRule(TieRule::Jury {
            members: BTreeSet::from(["@jury".to_owned()]),
        }),
        RuleChange::Schedule(Schedule {
            voting_close: Some(at("2027-04-30")),
            ..schedule()
        }),
    ]
}

#[test]
fn the_rules_can_change_until_voting_opens_and_are_locked_from_then_on() {
    for change in every_rule_change() {
        for build in [draft, with_nominees, nominations_closed] {
            let mut c = build();
            let phase = c.phase();
            let effects = c
                .apply(
                    &admin(),
                    Action::Configure {
                        change: change.clone(),
                    },
                    during_nominations(),
                )
                .unwrap_or_else(|e| panic!("{change:?} while {phase:?} was refused: {e}"));
            assert_eq!(effects, vec![Effect::RulesChanged]);
        }
        for build in [voting, closed, certified] {
            let mut c = build();
            let err = refused(
                &mut c,
                &admin(),
                Action::Configure {
                    change: change.clone(),
                },
                during_voting(),
            );
            assert_eq!(
                err.to_string(),
                "the rules of “Open Gov Champion 2027” are locked since voting opened; rules can change only before voting opens"
            );
        }
    }
    let mut c = nominations_closed();
    let err = refused(
        &mut c,
        &admin(),
        Action::Configure {
            change: RuleChange::SecondsRequired(0),
        },
        voting_open(),
    );
    assert!(
        err.to_string()
            .contains("the seconds required can change only until they close"),
        "{err}"
    );
}

#[test]
fn malformed_rules_are_refused_with_the_form_expected() {
    let cases: Vec<(RuleChange, &str)> = vec![
        (
            RuleChange::AddCategory {
                slug: "Open Gov!".into(),
                title: "x".into(),
            },
            "“Open Gov!” is not a category slug; expected 1 to 60",
        ),
        (
            RuleChange::AddCategory {
                slug: "champion".into(),
                title: "Again".into(),
            },
            "already has a category “champion”",
        ),
        (
            RuleChange::AddCategory {
                slug: "x".into(),
                title: " ".into(),
            },
            "the title of category “x” is empty",
        ),
        (
            RuleChange::RemoveCategory {
                slug: "champion".into(),
            },
            "category “champion” has 3 nomination(s); only a category with none can be removed",
        ),
        (
            RuleChange::RemoveCategory { slug: "nope".into() },
            "has no category “nope”; expected one of: champion, reformer",
        ),
        (
            RuleChange::DeclareMethod {
                category: "champion".into(),
                method: Method::Irv {
                    batch_elimination: false,
                },
                seats: 2,
            },
            "category “champion” has 2 seats, but irv elects one",
        ),
        (
            RuleChange::DeclareMethod {
                category: "champion".into(),
                method: Method::Score { max: 0 },
                seats: 1,
            },
            "expected a highest score from 1 to 100",
        ),
        (
            RuleChange::Quorum(Quorum {
                min_ballots: 0,
                min_percent_of_roll: 150,
            }),
            "expected a share from 0 to 100",
        ),
        (RuleChange::SecondsRequired(1000), "expected 0 to 100"),
        (
            RuleChange::TieCommitment("abc".into()),
            "“abc” is not a tie-break commitment; expected the SHA-256",
        ),
        (
            RuleChange::TieRule(TieRule::Jury {
                members: BTreeSet::new(),
            }),
            "a tie jury has no members",
        ),
        (
            RuleChange::Schedule(Schedule {
                voting_open: Some(at("2027-02-01")),
                ..schedule()
            }),
            "expected open, close, voting open and voting close in that order",
        ),
    ];
    for (change, expected) in cases {
        let mut c = with_nominees();
        let err = refused(
            &mut c,
            &admin(),
            Action::Configure { change },
            during_nominations(),
        )
        .to_string();
        assert!(err.contains(expected), "{err:?} should contain {expected:?}");
    }
    assert_eq!(
        Campaign::new("c", "  ", created())
            .expect_err("no title")
            .to_string(),
        "the campaign title is empty; expected 1 to 200 characters"
    );
}

#[test]
fn only_an_admin_changes_the_rules_takes_a_step_or_reveals_the_seed() {
    let actions = [
        Action::Configure {
            change: RuleChange::SecondsRequired(0),
        },
        Action::Transition {
            transition: Transition::CloseNominations,
        },
        Action::RevealSeed { seed: SEED.into() },
    ];
    for action in actions {
        let mut c = with_nominees();
        let err = refused(&mut c, &peer("@ana"), action, during_nominations());
        assert!(matches!(err, AwardError::AdminOnly { .. }), "{err}");
        assert!(err.to_string().starts_with("only an admin may "), "{err}");
    }
}

#[test]
fn certification_needs_the_revealed_seed_to_match_the_published_commitment() {
    let mut open = voting();
    let err = refused(
        &mut open,
        &admin(),
        Action::RevealSeed { seed: SEED.into() },
        during_voting(),
    );
    assert!(
        matches!(err, AwardError::NotClosed { .. }),
        "the seed stays secret while voting is open: {err}"
    );

    let mut c = closed();
    let certify = Action::Transition {
        transition: Transition::Certify,
    };
    let err = refused(&mut c, &admin(), certify.clone(), voting_close());
    assert!(matches!(err, AwardError::SeedNotRevealed { .. }), "{err}");
    let err = refused(
        &mut c,
        &admin(),
        Action::RevealSeed { seed: "wrong".into() },
        voting_close(),
    );
    assert!(
        err.to_string()
            .starts_with("the seed does not match the commitment "),
        "{err}"
    );
    assert_eq!(
        ok(
            &mut c,
            &admin(),
            Action::RevealSeed { seed: SEED.into() },
            voting_close()
        ),
        vec![Effect::SeedRevealed { seed: SEED.into() }]
    );
    let err = refused(
        &mut c,
        &admin(),
        Action::RevealSeed { seed: SEED.into() },
        voting_close(),
    );
    assert!(matches!(err, AwardError::SeedAlreadyRevealed { .. }), "{err}");
    ok(&mut c, &admin(), certify, voting_close());
    assert_eq!(c.phase(), Phase::Certified);
    assert_eq!(c.seed(), Some(SEED));
}

#[test]
fn a_campaign_reads_back_from_json_unchanged_in_every_phase() {
    for build in [
        draft,
        with_nominees,
        nominations_closed,
        voting,
        closed,
        certified,
    ] {
        let c = build();
        let json = serde_json::to_string(&c).expect("json");
        let back: Campaign = serde_json::from_str(&json).expect("back");
        assert_eq!(back, c, "{:?}", c.phase());
    }
}
