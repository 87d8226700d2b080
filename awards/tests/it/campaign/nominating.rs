//! Nominations: duplicates, seconds, edits and withdrawals, deadlines.

use vigie_awards::campaign::{Action, AwardError, Effect, Phase, RuleChange, Transition};
use vigie_awards::eligibility::{Actor, Role};
use vigie_awards::nomination::{NominationId, NominationStatus, Nominee};

use super::*;

const JANE: NominationId = NominationId(1);

#[test]
fn the_same_nominee_in_the_same_category_is_refused_as_a_duplicate() {
    let cases: Vec<(&str, Nominee, Option<NominationId>)> = vec![
        ("champion", Nominee::person("jane  DOE", "KE"), Some(JANE)),
        ("champion", Nominee::person("Doe, Jane", "KE-30"), Some(JANE)),
        ("Champion", Nominee::person("Jané Doe", "ke"), Some(JANE)),
        (
            "champion",
            Nominee::institution("The Budget Office", "NG"),
            Some(NominationId(3)),
        ),
        ("champion", Nominee::person("Jane Doe", "UG"), None),
        ("champion", Nominee::person("Jane Dough", "KE"), None),
        ("reformer", Nominee::person("Jane Doe", "KE"), None),
    ];
    for (category, nominee, duplicate_of) in cases {
        let mut c = with_nominees();
        let shown = format!("{nominee:?} in {category}");
        match duplicate_of {
            Some(existing) => {
                let err = refused(
                    &mut c,
                    &peer("@eve"),
                    nominate(category, nominee),
                    during_nominations(),
                );
                assert!(
                    matches!(err, AwardError::DuplicateNomination { existing: e, .. } if e == existing),
                    "{shown}: {err}"
                );
            }
            None => {
                ok(
                    &mut c,
                    &peer("@eve"),
                    nominate(category, nominee),
                    during_nominations(),
                );
            }
        }
    }
    let mut c = with_nominees();
    let err = refused(
        &mut c,
        &peer("@eve"),
        nominate("champion", Nominee::person("Doe Jane", "KE")),
        during_nominations(),
    );
    assert_eq!(
        err.to_string(),
        "“Jane Doe” (KE) is already nominated in “champion” as #1; second #1 instead of nominating again"
    );
    ok(
        &mut c,
        &peer("@ana"),
        Action::Withdraw { id: JANE },
        during_nominations(),
    );
    ok(
        &mut c,
        &peer("@eve"),
        nominate("champion", Nominee::person("Doe Jane", "KE")),
        during_nominations(),
    );
}

#[test]
fn a_nomination_without_its_seconds_by_the_close_lapses_and_is_not_on_the_ballot() {
    let mut c = open_for_nominations();
    let now = during_nominations();
    ok(
        &mut c,
        &admin(),
        Action::Configure {
            change: RuleChange::SecondsRequired(2),
        },
        now,
    );
    ok(
        &mut c,
        &peer("@ana"),
        nominate("champion", Nominee::person("Jane Doe", "KE")),
        now,
    );
    ok(
        &mut c,
        &peer("@ana"),
        nominate("champion", Nominee::person("Ola Nordmann", "NO")),
        now,
    );
    ok(&mut c, &peer("@bo"), Action::Second { id: NominationId(1) }, now);
    let effects = ok(&mut c, &peer("@cy"), Action::Second { id: NominationId(1) }, now);
    assert_eq!(
        effects,
        vec![Effect::Seconded {
            id: NominationId(1),
            seconds: 2,
            required: 2
        }]
    );
    ok(&mut c, &peer("@bo"), Action::Second { id: NominationId(2) }, now);
    let effects = step(&mut c, Transition::CloseNominations, nominations_close());
    assert!(
        effects.contains(&Effect::NominationLapsed { id: NominationId(2) }),
        "{effects:?}"
    );
    assert!(
        !effects.contains(&Effect::NominationLapsed { id: NominationId(1) }),
        "{effects:?}"
    );
    assert_eq!(
        c.nomination(NominationId(2)).map(|n| n.status.clone()),
        Some(NominationStatus::Lapsed {
            seconds: 1,
            required: 2
        })
    );
    step(&mut c, Transition::OpenVoting, voting_open());
    assert_eq!(c.ballot("champion"), &[NominationId(1)]);
}

#[test]
fn a_second_must_come_from_an_eligible_person_other_than_the_nominator_or_the_nominee() {
    let setup = || {
        let mut c = open_for_nominations();
        let nominee = Nominee::person("Jane Doe", "KE").with_user("@jane");
        ok(
            &mut c,
            &peer("@ana"),
            nominate("champion", nominee),
            during_nominations(),
        );
        ok(
            &mut c,
            &peer("@bo"),
            Action::Second { id: JANE },
            during_nominations(),
        );
        c
    };
    let cases: Vec<(Actor, &str)> = vec![
        (peer("@ana"), "you made #1; a second must come from someone else"),
        (
            peer("@jane"),
            "you are the nominee of #1; a second must come from someone else",
        ),
        (
            peer("@bo"),
            "you have already seconded #1; each person seconds a nomination once",
        ),
        (
            Actor::new("@cy", Role::Anyone),
            "you may not second nominations in “Open Gov Champion 2027”: it needs the role peer or higher, and you are anyone",
        ),
    ];
    for (actor, expected) in cases {
        let mut c = setup();
        let err = refused(&mut c, &actor, Action::Second { id: JANE }, during_nominations());
        assert_eq!(err.to_string(), expected);
    }
    let mut c = setup();
    let err = refused(
        &mut c,
        &peer("@cy"),
        Action::Second { id: NominationId(9) },
        during_nominations(),
    );
    assert_eq!(
        err.to_string(),
        "“Open Gov Champion 2027” has no nomination #9; expected the number of one listed by `nominations`"
    );
    ok(
        &mut c,
        &peer("@ana"),
        Action::Withdraw { id: JANE },
        during_nominations(),
    );
    let err = refused(
        &mut c,
        &peer("@cy"),
        Action::Second { id: JANE },
        during_nominations(),
    );
    assert!(
        err.to_string()
            .starts_with("nomination #1 is withdrawn on 2027-02-01 00:00 UTC; only an active"),
        "{err}"
    );
}

#[derive(Debug, Clone, Copy)]
enum Change {
    Edit,
    Withdraw,
    Second,
}

#[test]
fn nominations_can_be_edited_withdrawn_and_seconded_only_until_the_deadline() {
    let late = nominations_close() + chrono::TimeDelta::minutes(1);
    let last_minute = nominations_close() - chrono::TimeDelta::minutes(1);
    // (who, change, phase reached, now, accepted?)
    let cases: Vec<(&str, Change, Build, Time, bool)> = vec![
        ("@ana", Change::Edit, with_nominees, last_minute, true),
        ("@ana", Change::Edit, with_nominees, nominations_close(), false),
        ("@ana", Change::Edit, voting, during_voting(), false),
        ("@admin", Change::Edit, with_nominees, during_nominations(), true),
        ("@bo", Change::Edit, with_nominees, during_nominations(), false),
        ("@ana", Change::Withdraw, with_nominees, last_minute, true),
        ("@ana", Change::Withdraw, with_nominees, late, false),
        ("@ana", Change::Withdraw, voting, during_voting(), false),
        (
            "@bo",
            Change::Withdraw,
            with_nominees,
            during_nominations(),
            false,
        ),
        ("@admin", Change::Withdraw, voting, during_voting(), true),
        ("@admin", Change::Withdraw, voting, voting_close(), false),
        ("@eve", Change::Second, with_nominees, last_minute, true),
        ("@eve", Change::Second, with_nominees, late, false),
    ];
    for (who, change, build, now, accepted) in cases {
        let mut c = build();
        let actor = if who == "@admin" { admin() } else { peer(who) };
        let action = match change {
            Change::Edit => Action::EditNomination {
                id: JANE,
                category: None,
                nominee: None,
                citation: Some("Published every contract.".into()),
            },
            Change::Withdraw => Action::Withdraw { id: JANE },
            Change::Second => Action::Second { id: JANE },
        };
        let shown = format!("{change:?} by {who} while {:?} at {now}", c.phase());
        let before = c.clone();
        match (c.apply(&actor, action, now), accepted) {
            (Ok(_), true) => {}
            (Err(_), false) => assert_eq!(c, before, "{shown}: the refusal changed the campaign"),
            (result, _) => panic!(
                "{shown}: expected {}, got {result:?}",
                if accepted { "acceptance" } else { "a refusal" }
            ),
        }
    }
}

#[test]
fn a_late_withdrawal_names_the_day_nominations_closed() {
    let mut c = with_nominees();
    let now = nominations_close() + chrono::TimeDelta::hours(2);
    let err = refused(&mut c, &peer("@ana"), Action::Withdraw { id: JANE }, now);
    assert_eq!(
        err.to_string(),
        "nominations for “Open Gov Champion 2027” closed on 2027-03-01 00:00 UTC; nominations can be withdrawn only before they close"
    );
    step(&mut c, Transition::CloseNominations, now);
    let err = refused(&mut c, &peer("@ana"), Action::Withdraw { id: JANE }, now);
    assert!(
        err.to_string().contains("closed on 2027-03-01 02:00 UTC"),
        "{err}"
    );
}

#[test]
fn editing_the_nominee_clears_the_seconds_but_editing_the_citation_keeps_them() {
    let mut c = with_nominees();
    let now = during_nominations();
    let citation = Action::EditNomination {
        id: JANE,
        category: None,
        nominee: None,
        citation: Some("New words.".into()),
    };
    assert_eq!(
        ok(&mut c, &peer("@ana"), citation, now),
        vec![Effect::NominationEdited {
            id: JANE,
            seconds_cleared: false
        }]
    );
    assert_eq!(c.nomination(JANE).map(|n| n.seconds.len()), Some(1));
    let renamed = Action::EditNomination {
        id: JANE,
        category: None,
        nominee: Some(Nominee::person("Janet Doe", "KE")),
        citation: None,
    };
    assert_eq!(
        ok(&mut c, &peer("@ana"), renamed, now),
        vec![Effect::NominationEdited {
            id: JANE,
            seconds_cleared: true
        }]
    );
    let n = c.nomination(JANE).expect("#1");
    assert!(n.seconds.is_empty());
    assert_eq!(
        (n.nominee.name.as_str(), n.citation.as_str()),
        ("Janet Doe", "New words.")
    );
    let onto_duplicate = Action::EditNomination {
        id: JANE,
        category: None,
        nominee: Some(Nominee::person("Ola Nordmann", "NO")),
        citation: None,
    };
    let err = refused(&mut c, &peer("@ana"), onto_duplicate, now);
    assert!(
        matches!(
            err,
            AwardError::DuplicateNomination {
                existing: NominationId(2),
                ..
            }
        ),
        "{err}"
    );
    let moved = Action::EditNomination {
        id: JANE,
        category: Some("reformer".into()),
        nominee: None,
        citation: None,
    };
    ok(&mut c, &peer("@ana"), moved, now);
    assert_eq!(c.nomination(JANE).map(|n| n.category.as_str()), Some("reformer"));
}

#[test]
fn nominations_are_refused_before_they_open_and_when_malformed() {
    let mut c = draft();
    let err = refused(
        &mut c,
        &peer("@ana"),
        nominate("champion", Nominee::person("Jane Doe", "KE")),
        created(),
    );
    assert_eq!(
        err.to_string(),
        "“Open Gov Champion 2027” is in draft; nominations can be made only while nominations are open"
    );
    let mut c = open_for_nominations();
    let now = during_nominations();
    let cases: Vec<(Action, &str)> = vec![
        (
            nominate("nope", Nominee::person("Jane Doe", "KE")),
            "has no category “nope”; expected one of: champion, reformer",
        ),
        (
            nominate("champion", Nominee::person("", "KE")),
            "the nominee's name is empty; expected a name of 1 to 200 characters",
        ),
        (
            nominate("champion", Nominee::person("Jane Doe", "Kenya")),
            "“Kenya” is not a jurisdiction code; expected a country (KE)",
        ),
        (
            Action::Nominate {
                category: "champion".into(),
                nominee: Nominee::person("Jane Doe", "KE"),
                citation: "  ".into(),
            },
            "the citation is empty; expected 1 to 4000 characters",
        ),
    ];
    for (action, expected) in cases {
        let err = refused(&mut c, &peer("@ana"), action, now).to_string();
        assert!(err.contains(expected), "{err:?} should contain {expected:?}");
    }
}

#[test]
fn a_nomination_an_admin_withdraws_during_voting_stays_on_the_ballot_as_withdrawn() {
    let mut c = voting();
    ok(
        &mut c,
        &peer("@bo"),
        vote("champion", vigie_awards::campaign::Vote::Single(JANE)),
        during_voting(),
    );
    ok(&mut c, &admin(), Action::Withdraw { id: JANE }, during_voting());
    assert_eq!(
        c.ballot("champion"),
        &[NominationId(1), NominationId(2), NominationId(3)]
    );
    assert_eq!(c.standing("champion"), vec![NominationId(2), NominationId(3)]);
    let err = refused(
        &mut c,
        &peer("@cy"),
        vote("champion", vigie_awards::campaign::Vote::Single(JANE)),
        during_voting(),
    );
    assert!(
        err.to_string().contains("#1, which is not on this ballot"),
        "{err}"
    );
    step(&mut c, Transition::CloseVoting, voting_close());
    assert_eq!(c.phase(), Phase::VotingClosed);
    let input = c.tally_input("champion").expect("counted");
    assert_eq!(input.profile.withdrawn, vec![0]);
    assert_eq!(
        input.profile.ballots.len(),
        1,
        "the ballot cast before stays, and the count skips #1"
    );
}
