//! Eligibility, recusal, ballots, turnout, secrecy, quorum and what the count receives.

use std::collections::BTreeSet;

use vigie_awards::ballot::{Ballot, ScoreBallot};
use vigie_awards::campaign::rules::{Quorum, Secrecy};
use vigie_awards::campaign::{Action, AwardError, Campaign, Effect, Method, RuleChange, Transition, Vote};
use vigie_awards::eligibility::{Actor, Eligibility, RecusalReason, RecusalRules, Role};
use vigie_awards::nomination::{NominationId, Nominee};

use super::*;

const JANE: NominationId = NominationId(1);
const OLA: NominationId = NominationId(2);
const BUDGET: NominationId = NominationId(3);
const LOPEZ: NominationId = NominationId(4);

/// [`with_nominees`] with these rule changes, then voting opened.
fn voting_with(changes: &[RuleChange]) -> Campaign {
    let mut c = with_nominees();
    for change in changes {
        ok(
            &mut c,
            &admin(),
            Action::Configure {
                change: change.clone(),
            },
            during_nominations(),
        );
    }
    step(&mut c, Transition::CloseNominations, nominations_close());
    step(&mut c, Transition::OpenVoting, voting_open());
    c
}

fn set(items: &[&str]) -> Option<BTreeSet<String>> {
    Some(items.iter().map(|s| (*s).to_owned()).collect())
}

#[test]
fn eligibility_by_role_region_and_roll_decides_who_may_nominate_and_vote() {
    let admins = Eligibility {
        min_role: Role::Admin,
        regions: None,
        roll: None,
    };
    let africa = Eligibility {
        min_role: Role::Peer,
        regions: set(&["africa"]),
        roll: None,
    };
    let roll = Eligibility {
        min_role: Role::Anyone,
        regions: None,
        roll: set(&["@ana"]),
    };
    let cases: Vec<(Eligibility, Actor, Result<(), &str>)> = vec![
        (
            Eligibility::default(),
            Actor::new("@x", Role::Anyone),
            Err("it needs the role peer or higher, and you are anyone"),
        ),
        (Eligibility::default(), peer("@x"), Ok(())),
        (
            admins.clone(),
            peer("@x"),
            Err("it needs the role admin or higher, and you are peer"),
        ),
        (admins, admin(), Ok(())),
        (africa.clone(), peer("@x").in_region("Africa"), Ok(())),
        (
            africa.clone(),
            peer("@x").in_region("europe"),
            Err("it is open to the regions africa, and your region is europe"),
        ),
        (
            africa,
            peer("@x"),
            Err("it is open to the regions africa, and your region is not set"),
        ),
        (roll.clone(), Actor::new("@ana", Role::Anyone), Ok(())),
        (
            roll,
            Actor::new("@bo", Role::Admin),
            Err("it is open only to the people on its roll, and you are not on it; ask an admin to add you"),
        ),
    ];
    for (rule, actor, expected) in cases {
        let mut noms = open_for_nominations();
        configure(&mut noms, RuleChange::Nominators(rule.clone()));
        let nominating = noms.apply(
            &actor,
            nominate("champion", Nominee::person("Jane Doe", "KE")),
            during_nominations(),
        );
        let mut c = voting_with(&[RuleChange::Voters(rule.clone())]);
        let voting = c.apply(&actor, vote("champion", Vote::Single(OLA)), during_voting());
        for (activity, result) in [("nominate", nominating.map(drop)), ("vote", voting.map(drop))] {
            match (result, expected) {
                (Ok(()), Ok(())) => {}
                (Err(e), Err(reason)) => assert_eq!(
                    e.to_string(),
                    format!("you may not {activity} in “Open Gov Champion 2027”: {reason}")
                ),
                (got, _) => {
                    panic!("{activity} by {actor:?} under {rule:?}: got {got:?}, expected {expected:?}")
                }
            }
        }
    }
}

#[test]
fn a_voter_is_recused_automatically_by_the_configured_rules() {
    let country = RecusalRules {
        same_country: true,
        same_organisation: false,
    };
    let neither = RecusalRules {
        same_country: false,
        same_organisation: false,
    };
    type Recused = Option<(NominationId, RecusalReason)>;
    let cases: Vec<(RecusalRules, Actor, Recused)> = vec![
        (RecusalRules::default(), peer("@ke").from_country("KE"), None),
        (
            country,
            peer("@ke").from_country("ke"),
            Some((JANE, RecusalReason::SameCountry { country: "KE".into() })),
        ),
        (
            RecusalRules::default(),
            peer("@mz").at_organisation("MZALENDO trust"),
            Some((
                JANE,
                RecusalReason::SameOrganisation {
                    organisation: "Mzalendo Trust".into(),
                },
            )),
        ),
        (
            RecusalRules::default(),
            peer("@bud").at_organisation("The Budget Office"),
            Some((
                BUDGET,
                RecusalReason::SameOrganisation {
                    organisation: "Budget Office".into(),
                },
            )),
        ),
        (
            neither,
            peer("@mz").at_organisation("Mzalendo Trust").from_country("KE"),
            None,
        ),
    ];
    for (rules, actor, expected) in cases {
        let mut c = voting_with(&[RuleChange::Recusal(rules)]);
        assert_eq!(
            c.recusal_in(&actor, "champion"),
            expected,
            "{actor:?} under {rules:?}"
        );
        let result = c.apply(&actor, vote("champion", Vote::Single(OLA)), during_voting());
        match (&expected, result) {
            (None, Ok(_)) => {}
            (
                Some((id, reason)),
                Err(AwardError::Recused {
                    id: got, reason: why, ..
                }),
            ) => {
                assert_eq!((&got, &why), (id, reason));
            }
            (_, got) => panic!("{actor:?} under {rules:?}: got {got:?}, expected recusal {expected:?}"),
        }
        ok(
            &mut c,
            &actor,
            vote("reformer", Vote::Ranked(vec![vec![LOPEZ]])),
            during_voting(),
        );
    }
    let mut c = voting_with(&[RuleChange::Recusal(country)]);
    let err = refused(
        &mut c,
        &peer("@ke").from_country("KE"),
        vote("champion", Vote::Single(OLA)),
        during_voting(),
    );
    assert_eq!(
        err.to_string(),
        "you are recused from #1 in “champion” because you and the nominee are both from KE; a recused voter does not vote in that category"
    );
}

#[test]
fn a_nominee_is_recused_from_their_own_category() {
    let mut c = open_for_nominations();
    let now = during_nominations();
    ok(
        &mut c,
        &peer("@ana"),
        nominate("champion", Nominee::person("Jane Doe", "KE").with_user("@jane")),
        now,
    );
    ok(&mut c, &peer("@bo"), Action::Second { id: JANE }, now);
    step(&mut c, Transition::CloseNominations, nominations_close());
    step(&mut c, Transition::OpenVoting, voting_open());
    let err = refused(
        &mut c,
        &peer("@jane"),
        vote("champion", Vote::Single(JANE)),
        during_voting(),
    );
    assert!(
        matches!(
            err,
            AwardError::Recused {
                reason: RecusalReason::Nominee,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_declared_recusal_takes_out_the_ballot_already_cast_in_that_category() {
    let mut c = voting();
    let ana = peer("@ana");
    let now = during_voting();
    ok(&mut c, &ana, vote("champion", Vote::Single(OLA)), now);
    ok(
        &mut c,
        &ana,
        vote("reformer", Vote::Ranked(vec![vec![LOPEZ]])),
        now,
    );
    let effects = ok(&mut c, &ana, Action::DeclareRecusal { id: JANE }, now);
    assert_eq!(
        effects,
        vec![Effect::RecusalDeclared {
            id: JANE,
            ballot_removed: true
        }]
    );
    let turnout = c.turnout().expect("voting is open");
    assert_eq!(turnout.by_category.get("champion"), None);
    assert_eq!(turnout.by_category.get("reformer"), Some(&1));
    let err = refused(&mut c, &ana, vote("champion", Vote::Single(OLA)), now);
    assert!(
        matches!(
            err,
            AwardError::Recused {
                reason: RecusalReason::Declared,
                ..
            }
        ),
        "{err}"
    );
    let err = refused(&mut c, &ana, Action::DeclareRecusal { id: JANE }, now);
    assert!(matches!(err, AwardError::AlreadyRecused { .. }), "{err}");

    let mut early = with_nominees();
    let effects = ok(
        &mut early,
        &peer("@bo"),
        Action::DeclareRecusal { id: LOPEZ },
        during_nominations(),
    );
    assert_eq!(
        effects,
        vec![Effect::RecusalDeclared {
            id: LOPEZ,
            ballot_removed: false
        }]
    );
    let mut late = closed();
    let err = refused(
        &mut late,
        &peer("@bo"),
        Action::DeclareRecusal { id: LOPEZ },
        voting_close(),
    );
    assert!(
        err.to_string()
            .ends_with("declaring a conflict is possible only before voting closes"),
        "{err}"
    );
}

#[test]
fn a_changed_ballot_replaces_the_old_one_and_only_the_last_counts() {
    let mut c = voting();
    let now = during_voting();
    let first = ok(&mut c, &peer("@ana"), vote("champion", Vote::Single(JANE)), now);
    assert_eq!(
        first,
        vec![Effect::BallotRecorded {
            category: "champion".into(),
            replaced: false
        }]
    );
    let second = ok(&mut c, &peer("@ana"), vote("champion", Vote::Single(OLA)), now);
    assert_eq!(
        second,
        vec![Effect::BallotRecorded {
            category: "champion".into(),
            replaced: true
        }]
    );
    ok(&mut c, &peer("@bo"), vote("champion", Vote::Single(OLA)), now);
    let bx = c.ballot_box().expect("a box");
    assert_eq!(bx.own_vote("@ana", "champion"), Some(&Vote::Single(OLA)));
    assert_eq!(
        c.turnout().map(|t| t.by_category.get("champion").copied()),
        Some(Some(2))
    );
    step(&mut c, Transition::CloseVoting, voting_close());
    let input = c.tally_input("champion").expect("counted");
    assert_eq!(
        input.profile.ballots.to_vec(),
        vec![Ballot {
            weight: 2,
            ranks: vec![vec![1]]
        }]
    );
}

#[test]
fn ballots_are_refused_outside_voting_even_when_the_scheduler_is_late() {
    let cases: Vec<(Build, Time, &str)> = vec![
        (
            with_nominees,
            during_nominations(),
            "“Open Gov Champion 2027” is open for nominations; ballots can be cast only while voting is open",
        ),
        (
            voting,
            voting_close(),
            "voting in “Open Gov Champion 2027” closed on 2027-03-31 00:00 UTC; ballots can be cast or changed only before it closes",
        ),
        (
            closed,
            voting_close(),
            "“Open Gov Champion 2027” is closed for voting; ballots can be cast only while voting is open",
        ),
    ];
    for (build, now, expected) in cases {
        let mut c = build();
        let err = refused(&mut c, &peer("@ana"), vote("champion", Vote::Single(OLA)), now);
        assert_eq!(err.to_string(), expected);
    }
}

#[test]
fn ballots_of_the_wrong_form_are_refused_with_the_form_expected() {
    let cases: Vec<(Action, &str)> = vec![
        (
            vote("champion", Vote::Ranked(vec![vec![OLA]])),
            "the ballot for “champion” has the wrong form; expected one nominee",
        ),
        (
            vote("reformer", Vote::Ranked(vec![vec![LOPEZ], vec![LOPEZ]])),
            "the ballot for “reformer” ranks #4 twice; expected each nominee at most once",
        ),
        (
            vote("reformer", Vote::Ranked(vec![vec![JANE]])),
            "the ballot for “reformer” names #1, which is not on this ballot; expected nominees among #4",
        ),
        (
            vote("reformer", Vote::Ranked(vec![])),
            "the ballot for “reformer” chooses nobody; expected nominees in order of preference",
        ),
        (
            vote("best", Vote::Single(OLA)),
            "“Open Gov Champion 2027” has no category “best”; expected one of: champion, reformer",
        ),
    ];
    for (action, expected) in cases {
        let mut c = voting();
        assert_eq!(
            refused(&mut c, &peer("@ana"), action, during_voting()).to_string(),
            expected
        );
    }
}

#[test]
fn turnout_counts_voters_by_category_and_region_without_names() {
    let mut c = voting();
    let now = during_voting();
    let voters = [
        (peer("@ana").in_region("africa"), vec!["champion", "reformer"]),
        (peer("@bo").in_region("Europe"), vec!["champion"]),
        (peer("@cy").in_region("africa"), vec!["champion", "champion"]),
        (peer("@dee"), vec!["reformer"]),
    ];
    for (voter, categories) in &voters {
        for category in categories {
            let ballot = if *category == "champion" {
                Vote::Single(OLA)
            } else {
                Vote::Ranked(vec![vec![LOPEZ]])
            };
            ok(&mut c, voter, vote(category, ballot), now);
        }
    }
    let t = c.turnout().expect("voting is open");
    assert_eq!((t.voters, t.eligible, t.without_region), (4, None, 1));
    assert_eq!(t.by_category.get("champion"), Some(&3));
    assert_eq!(t.by_category.get("reformer"), Some(&2));
    assert_eq!(t.by_region.get("africa"), Some(&2));
    assert_eq!(t.by_region.get("europe"), Some(&1));
    let names = ["@ana", "@bo", "@cy", "@dee"];
    let shown = serde_json::to_string(&t).expect("json");
    assert!(names.iter().all(|n| !shown.contains(n)), "{shown}");
    step(&mut c, Transition::CloseVoting, voting_close());
    assert_eq!(c.turnout(), Some(t), "sealing keeps the turnout");
    let sealed = serde_json::to_string(c.ballot_box().expect("a box")).expect("json");
    assert!(
        names.iter().all(|n| !sealed.contains(n)),
        "a sealed secret box still names voters: {sealed}"
    );
}

#[test]
fn an_open_box_shows_votes_with_their_voters_and_a_secret_one_never_does() {
    for secrecy in [Secrecy::Open, Secrecy::Secret] {
        let mut c = voting_with(&[RuleChange::Secrecy(secrecy)]);
        ok(
            &mut c,
            &peer("@ana"),
            vote("champion", Vote::Single(OLA)),
            during_voting(),
        );
        for moment in ["open", "closed"] {
            let shown = c.ballot_box().and_then(|b| b.open_votes("champion"));
            match secrecy {
                Secrecy::Open => assert_eq!(shown, Some(vec![("@ana", &Vote::Single(OLA))]), "{moment}"),
                Secrecy::Secret => assert_eq!(shown, None, "{moment}"),
            }
            if moment == "open" {
                step(&mut c, Transition::CloseVoting, voting_close());
            }
        }
    }
}

#[test]
fn a_category_short_of_its_quorum_has_no_result() {
    let mut c = voting_with(&[RuleChange::Quorum(Quorum {
        min_ballots: 2,
        min_percent_of_roll: 0,
    })]);
    ok(
        &mut c,
        &peer("@ana"),
        vote("champion", Vote::Single(OLA)),
        during_voting(),
    );
    for voter in ["@ana", "@bo"] {
        ok(
            &mut c,
            &peer(voter),
            vote("reformer", Vote::Ranked(vec![vec![LOPEZ]])),
            during_voting(),
        );
    }
    let effects = step(&mut c, Transition::CloseVoting, voting_close());
    assert!(effects.contains(&Effect::QuorumNotMet {
        category: "champion".into(),
        ballots: 1,
        required: 2
    }));
    assert_eq!(c.quorum("reformer"), Some((2, 2)));
    let err = c.tally_input("champion").expect_err("no quorum");
    assert_eq!(
        err.to_string(),
        "category “champion” had 1 ballot(s), short of its quorum of 2; it has no result"
    );
    assert!(c.tally_input("reformer").is_ok());

    let roll: Vec<String> = (0..10).map(|i| format!("@v{i}")).collect();
    let voters = Eligibility {
        min_role: Role::Anyone,
        regions: None,
        roll: Some(roll.into_iter().collect()),
    };
    let share = Quorum {
        min_ballots: 1,
        min_percent_of_roll: 30,
    };
    let c = voting_with(&[RuleChange::Voters(voters), RuleChange::Quorum(share)]);
    assert_eq!(c.turnout().map(|t| t.eligible), Some(Some(10)));
    assert_eq!(c.rules().quorum.required(Some(10)), 3);
}

#[test]
fn the_tally_input_turns_each_ballot_type_into_weighted_anonymous_ballots() {
    let mut c = open_for_nominations();
    let now = during_nominations();
    configure(
        &mut c,
        RuleChange::AddCategory {
            slug: "scored".into(),
            title: "Scored".into(),
        },
    );
    configure(
        &mut c,
        RuleChange::AddCategory {
            slug: "pairwise".into(),
            title: "Pairwise".into(),
        },
    );
    let methods = [
        ("champion", Method::Approval { max_approvals: None }),
        ("scored", Method::Score { max: 5 }),
        (
            "pairwise",
            Method::Schulze {
                strength: Default::default(),
            },
        ),
    ];
    for (category, method) in methods {
        ok(
            &mut c,
            &admin(),
            Action::Configure {
                change: RuleChange::DeclareMethod {
                    category: category.into(),
                    method,
                    seats: 1,
                },
            },
            now,
        );
        for name in ["Alpha", "Beta"] {
            ok(
                &mut c,
                &peer("@ana"),
                nominate(category, Nominee::person(name, "FR")),
                now,
            );
        }
    }
    ok(
        &mut c,
        &admin(),
        Action::Configure {
            change: RuleChange::SecondsRequired(0),
        },
        now,
    );
    step(&mut c, Transition::CloseNominations, nominations_close());
    step(&mut c, Transition::OpenVoting, voting_open());
    let (a, b) = (NominationId(1), NominationId(2));
    let (sa, sb) = (NominationId(3), NominationId(4));
    let (pa, pb) = (NominationId(5), NominationId(6));
    let ballots = [
        ("@ana", vote("champion", Vote::Approve(vec![b, a]))),
        ("@bo", vote("champion", Vote::Approve(vec![a, b]))),
        ("@ana", vote("scored", Vote::Score(vec![(sb, 5), (sa, 2)]))),
        ("@ana", vote("pairwise", Vote::Ranked(vec![vec![pb, pa]]))),
        ("@bo", vote("pairwise", Vote::Ranked(vec![vec![pa], vec![pb]]))),
    ];
    for (voter, action) in ballots {
        ok(&mut c, &peer(voter), action, during_voting());
    }
    step(&mut c, Transition::CloseVoting, voting_close());
    let approval = c.tally_input("champion").expect("approval");
    assert_eq!(approval.nominations, vec![a, b]);
    assert_eq!(
        approval.profile.candidates,
        vec!["Alpha".to_owned(), "Beta".to_owned()]
    );
    assert_eq!(approval.scores, vec![ScoreBallot::approving(2, &[0, 1])]);
    assert_eq!(
        (approval.election_id.as_str(), approval.seed.as_deref()),
        ("c1/champion", None)
    );
    let scored = c.tally_input("scored").expect("score");
    assert_eq!(
        scored.scores,
        vec![ScoreBallot {
            weight: 1,
            scores: vec![(0, 2), (1, 5)]
        }]
    );
    assert!(scored.profile.ballots.is_empty());
    let pairwise = c.tally_input("pairwise").expect("schulze");
    assert_eq!(
        pairwise.profile.ballots.to_vec(),
        vec![
            Ballot {
                weight: 1,
                ranks: vec![vec![0], vec![1]]
            },
            Ballot {
                weight: 1,
                ranks: vec![vec![0, 1]]
            },
        ]
    );
    assert_eq!(pairwise.method.name(), "schulze");
}
