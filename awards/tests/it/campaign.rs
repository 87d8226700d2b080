//! Campaigns: lifecycle, schedule, rules lock, nominations, eligibility, recusal, ballots,
//! turnout, quorum and the tie-break seed, driven through the public API with a fixed clock.
//! The shared fixture lives here; each file below tests one part.

mod lifecycle;
mod nominating;
mod property;
mod voting;

use chrono::{DateTime, Utc};
use vigie_awards::campaign::{
    Action, AwardError, Campaign, Deadline, Effect, Method, Reminder, RuleChange, Schedule, Transition, Vote,
};
use vigie_awards::eligibility::{Actor, Role};
use vigie_awards::nomination::{NominationId, Nominee};
use vigie_awards::tie::TieBreak;

/// A fixture that builds a campaign in some phase.
pub type Build = fn() -> Campaign;
pub type Time = DateTime<Utc>;

pub const TITLE: &str = "Open Gov Champion 2027";
pub const SEED: &str = "correct horse battery staple";

/// A time: `"2027-03-01"` is midnight UTC, or give a full RFC 3339 time.
pub fn at(s: &str) -> DateTime<Utc> {
    let full = if s.len() == 10 {
        format!("{s}T00:00:00Z")
    } else {
        s.to_owned()
    };
    full.parse()
        .unwrap_or_else(|e| panic!("{s:?} is not a time: {e}"))
}

pub fn created() -> DateTime<Utc> {
    at("2026-12-01")
}
pub fn nominations_open() -> DateTime<Utc> {
    at("2027-01-01")
}
pub fn nominations_close() -> DateTime<Utc> {
    at("2027-03-01")
}
pub fn voting_open() -> DateTime<Utc> {
    at("2027-03-08")
}
pub fn voting_close() -> DateTime<Utc> {
    at("2027-03-31")
}
/// A moment while nominations are open.
pub fn during_nominations() -> DateTime<Utc> {
    at("2027-02-01")
}
/// A moment while voting is open.
pub fn during_voting() -> DateTime<Utc> {
    at("2027-03-15")
}

pub fn admin() -> Actor {
    Actor::new("@admin", Role::Admin)
}
pub fn peer(user: &str) -> Actor {
    Actor::new(user, Role::Peer)
}

pub fn schedule() -> Schedule {
    Schedule {
        nominations_open: Some(nominations_open()),
        nominations_close: Some(nominations_close()),
        voting_open: Some(voting_open()),
        voting_close: Some(voting_close()),
        reminders: vec![
            Reminder {
                deadline: Deadline::NominationsClose,
                hours_before: 72,
            },
            Reminder {
                deadline: Deadline::VotingClose,
                hours_before: 48,
            },
        ],
    }
}

/// Applies `action` and expects it to be accepted.
#[track_caller]
pub fn ok(c: &mut Campaign, actor: &Actor, action: Action, now: DateTime<Utc>) -> Vec<Effect> {
    let shown = format!("{action:?}");
    c.apply(actor, action, now)
        .unwrap_or_else(|e| panic!("{shown} by {} was refused: {e}", actor.user))
}

/// Applies `action`, expects a refusal, and checks that the refusal changed nothing.
#[track_caller]
pub fn refused(c: &mut Campaign, actor: &Actor, action: Action, now: DateTime<Utc>) -> AwardError {
    let before = c.clone();
    let shown = format!("{action:?}");
    let err = c
        .apply(actor, action, now)
        .err()
        .unwrap_or_else(|| panic!("{shown} was accepted"));
    assert_eq!(*c, before, "refusing {shown} changed the campaign");
    err
}

#[track_caller]
pub fn configure(c: &mut Campaign, change: RuleChange) {
    ok(c, &admin(), Action::Configure { change }, created());
}

#[track_caller]
pub fn step(c: &mut Campaign, transition: Transition, now: DateTime<Utc>) -> Vec<Effect> {
    c.transition(transition, now)
        .unwrap_or_else(|e| panic!("{transition:?} was refused: {e}"))
}

/// A draft with two categories (champion: plurality; reformer: instant-runoff), one second
/// required, a tie-break commitment and the full schedule.
pub fn draft() -> Campaign {
    let mut c = Campaign::new("c1", TITLE, created()).expect("a campaign");
    for (slug, title) in [("champion", "Open Gov Champion"), ("reformer", "Local Reformer")] {
        configure(
            &mut c,
            RuleChange::AddCategory {
                slug: slug.into(),
                title: title.into(),
            },
        );
    }
    configure(
        &mut c,
        RuleChange::DeclareMethod {
            category: "champion".into(),
            method: Method::Plurality,
            seats: 1,
        },
    );
    configure(
        &mut c,
        RuleChange::DeclareMethod {
            category: "reformer".into(),
            method: Method::Irv {
                batch_elimination: false,
            },
            seats: 1,
        },
    );
    configure(
        &mut c,
        RuleChange::TieCommitment(TieBreak::commitment(SEED.as_bytes())),
    );
    configure(&mut c, RuleChange::Schedule(schedule()));
    c
}

pub fn open_for_nominations() -> Campaign {
    let mut c = draft();
    step(&mut c, Transition::OpenNominations, nominations_open());
    c
}

pub fn nominate(category: &str, nominee: Nominee) -> Action {
    Action::Nominate {
        category: category.into(),
        nominee,
        citation: "Opened the budget to everyone.".into(),
    }
}

/// Nominations open with four seconded nominees: #1 Jane Doe (KE, Mzalendo Trust) and
/// #2 Ola Nordmann (NO) and #3 Budget Office (NG, an institution) in champion; #4 Ana
/// Lopez (ES) in reformer.
pub fn with_nominees() -> Campaign {
    let mut c = open_for_nominations();
    let now = during_nominations();
    let nominees = [
        (
            "@ana",
            "champion",
            Nominee::person("Jane Doe", "KE").with_organisation("Mzalendo Trust"),
        ),
        ("@bo", "champion", Nominee::person("Ola Nordmann", "NO")),
        ("@cy", "champion", Nominee::institution("Budget Office", "NG")),
        ("@ana", "reformer", Nominee::person("Ana Lopez", "ES")),
    ];
    for (i, (by, category, nominee)) in nominees.into_iter().enumerate() {
        ok(&mut c, &peer(by), nominate(category, nominee), now);
        let id = NominationId(i as u32 + 1);
        ok(&mut c, &peer("@dee"), Action::Second { id }, now);
    }
    c
}

pub fn voting() -> Campaign {
    let mut c = with_nominees();
    step(&mut c, Transition::CloseNominations, nominations_close());
    step(&mut c, Transition::OpenVoting, voting_open());
    c
}

pub fn vote(category: &str, vote: Vote) -> Action {
    Action::Vote {
        category: category.into(),
        vote,
    }
}

pub fn closed() -> Campaign {
    let mut c = voting();
    step(&mut c, Transition::CloseVoting, voting_close());
    c
}
