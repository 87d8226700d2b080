use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use sqlx::{Connection, PgConnection, SqliteConnection};
use vigie_awards::campaign::{
    Action, AwardError, Campaign, Deadline, Effect, Method, Phase, Reminder, RuleChange, Schedule, Secrecy,
    Transition, Vote,
};
use vigie_awards::eligibility::{Actor, Role};
use vigie_awards::nomination::{NominationId, Nominee};
use vigie_awards::tie::TieBreak;
use vigie_storage::{AWARD_SCHEDULE_ACTOR, Advance, AwardStoreError, Backend, award_target};

use crate::support::{TestDb, at};

const TITLE: &str = "Open Gov Champion 2027";
const SEED: &str = "correct horse battery staple";
const CHAMPION: &str = "champion";
const REFORMER: &str = "reformer";
const N1: NominationId = NominationId(1);
const N2: NominationId = NominationId(2);
const N3: NominationId = NominationId(3);
const N4: NominationId = NominationId(4);

fn created() -> DateTime<Utc> {
    at("2026-12-01T09:00:00Z")
}
fn during_nominations() -> DateTime<Utc> {
    at("2027-02-01T09:00:00Z")
}
fn during_voting() -> DateTime<Utc> {
    at("2027-03-15T09:00:00Z")
}
fn after_voting() -> DateTime<Utc> {
    at("2027-04-01T09:00:00Z")
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
fn step(transition: Transition) -> Action {
    Action::Transition { transition }
}
fn nominate(category: &str, nominee: Nominee) -> Action {
    Action::Nominate {
        category: category.into(),
        nominee,
        citation: "Opened the budget to everyone.".into(),
    }
}
fn vote(category: &str, vote: Vote) -> Action {
    Action::Vote {
        category: category.into(),
        vote,
    }
}

/// Applies an action that must be accepted.
async fn ok(db: &TestDb, id: &str, actor: &Actor, action: Action, now: DateTime<Utc>) -> Vec<Effect> {
    let shown = format!("{action:?}");
    db.store
        .apply_award_action(id, actor, action, now)
        .await
        .unwrap_or_else(|e| panic!("{shown} by {} was refused: {e}", actor.user))
}

/// Applies an action that must be refused by the campaign, and returns the refusal.
async fn refused(db: &TestDb, id: &str, actor: &Actor, action: Action, now: DateTime<Utc>) -> AwardError {
    let shown = format!("{action:?}");
    match db.store.apply_award_action(id, actor, action, now).await {
        Err(AwardStoreError::Refused(e)) => e,
        other => panic!("{shown} by {}: expected a refusal, got {other:?}", actor.user),
    }
}

/// A campaign open for voting with two categories: champion (plurality) with #1 Jane Doe and
/// #2 Ola Nordmann; reformer (approval) with #3 Ana Lopez and #4 Budget Office. No seconds
/// are required; nominations are made by `nominator`s, never by the voters of the tests.
async fn voting_campaign(db: &TestDb, secrecy: Secrecy) -> String {
    let campaign = db
        .store
        .create_award_campaign(TITLE, &admin().user, created())
        .await
        .unwrap();
    let id = campaign.id().to_owned();
    let setup = [
        RuleChange::AddCategory {
            slug: CHAMPION.into(),
            title: "Open Gov Champion".into(),
        },
        RuleChange::AddCategory {
            slug: REFORMER.into(),
            title: "Local Reformer".into(),
        },
        RuleChange::DeclareMethod {
            category: CHAMPION.into(),
            method: Method::Plurality,
            seats: 1,
        },
        RuleChange::DeclareMethod {
            category: REFORMER.into(),
            method: Method::Approval { max_approvals: None },
            seats: 1,
        },
        RuleChange::TieCommitment(TieBreak::commitment(SEED.as_bytes())),
        RuleChange::SecondsRequired(0),
        RuleChange::Secrecy(secrecy),
    ];
    for change in setup {
        ok(db, &id, &admin(), configure(change), created()).await;
    }
    ok(db, &id, &admin(), step(Transition::OpenNominations), created()).await;
    let nominees = [
        (CHAMPION, Nominee::person("Jane Doe", "KE")),
        (CHAMPION, Nominee::person("Ola Nordmann", "NO")),
        (REFORMER, Nominee::person("Ana Lopez", "ES")),
        (REFORMER, Nominee::institution("Budget Office", "NG")),
    ];
    for (category, nominee) in nominees {
        ok(
            db,
            &id,
            &peer("nominator"),
            nominate(category, nominee),
            during_nominations(),
        )
        .await;
    }
    ok(
        db,
        &id,
        &admin(),
        step(Transition::CloseNominations),
        during_nominations(),
    )
    .await;
    ok(
        db,
        &id,
        &admin(),
        step(Transition::OpenVoting),
        during_nominations(),
    )
    .await;
    id
}

/// The first column of every row `sql` returns, read past the store on a connection of its own.
async fn raw(db: &TestDb, sql: &'static str) -> Vec<String> {
    let rows: Vec<(String,)> = match db.store.backend() {
        Backend::Sqlite => {
            let mut conn = SqliteConnection::connect(&db.url).await.unwrap();
            let rows = sqlx::query_as(sql).fetch_all(&mut conn).await.unwrap();
            conn.close().await.unwrap();
            rows
        }
        Backend::Postgres => {
            let mut conn = PgConnection::connect(&db.url).await.unwrap();
            let rows = sqlx::query_as(sql).fetch_all(&mut conn).await.unwrap();
            conn.close().await.unwrap();
            rows
        }
    };
    rows.into_iter().map(|(text,)| text).collect()
}

/// (actor, action, detail) of the campaign's audit entries, oldest first.
async fn audit_of(db: &TestDb, id: &str) -> Vec<(String, String, Option<String>)> {
    let mut entries = db.store.audit_log(Some(&award_target(id)), 5000).await.unwrap();
    entries.reverse();
    entries
        .into_iter()
        .map(|e| (e.actor, e.action, e.detail))
        .collect()
}

pub async fn a_campaign_round_trips_through_every_phase_as_the_pure_campaign_does(db: TestDb) {
    let stored = db
        .store
        .create_award_campaign(TITLE, &admin().user, created())
        .await
        .unwrap();
    let id = stored.id().to_owned();
    let mut pure = Campaign::new(id.as_str(), TITLE, created()).unwrap();
    assert_eq!(stored, pure);

    let ana = peer("ana");
    let bo = peer("bo");
    let cy = peer("cy");
    let dee = peer("dee");
    let eve = peer("eve");
    let steps: Vec<(Actor, Action, DateTime<Utc>)> = vec![
        (
            admin(),
            configure(RuleChange::AddCategory {
                slug: CHAMPION.into(),
                title: "Open Gov Champion".into(),
            }),
            created(),
        ),
        (
            admin(),
            configure(RuleChange::AddCategory {
                slug: REFORMER.into(),
                title: "Local Reformer".into(),
            }),
            created(),
        ),
        (
            admin(),
            configure(RuleChange::DeclareMethod {
                category: CHAMPION.into(),
                method: Method::Plurality,
                seats: 1,
            }),
            created(),
        ),
        (
            admin(),
            configure(RuleChange::DeclareMethod {
                category: REFORMER.into(),
                method: Method::Irv {
                    batch_elimination: false,
                },
                seats: 1,
            }),
            created(),
        ),
        (
            admin(),
            configure(RuleChange::TieCommitment(TieBreak::commitment(SEED.as_bytes()))),
            created(),
        ),
        (admin(), step(Transition::OpenNominations), created()),
        (
            ana.clone(),
            nominate(
                CHAMPION,
                Nominee::person("Jane Doe", "KE").with_organisation("Mzalendo Trust"),
            ),
            during_nominations(),
        ),
        (
            bo.clone(),
            nominate(CHAMPION, Nominee::person("Ola Nordmann", "NO")),
            during_nominations(),
        ),
        (
            cy.clone(),
            nominate(REFORMER, Nominee::person("Ana Lopez", "ES")),
            during_nominations(),
        ),
        // Never seconded: it lapses when nominations close.
        (
            cy.clone(),
            nominate(CHAMPION, Nominee::institution("Budget Office", "NG")),
            during_nominations(),
        ),
        (
            cy.clone(),
            nominate(REFORMER, Nominee::person("Zed Withdrawn", "FR")),
            during_nominations(),
        ),
        (dee.clone(), Action::Second { id: N1 }, during_nominations()),
        (dee.clone(), Action::Second { id: N2 }, during_nominations()),
        (ana.clone(), Action::Second { id: N3 }, during_nominations()),
        (
            ana.clone(),
            Action::EditNomination {
                id: N1,
                category: None,
                nominee: None,
                citation: Some("Opened every budget line to the public.".into()),
            },
            during_nominations(),
        ),
        (
            cy.clone(),
            Action::Withdraw { id: NominationId(5) },
            during_nominations(),
        ),
        (admin(), step(Transition::CloseNominations), during_nominations()),
        (admin(), step(Transition::OpenVoting), during_nominations()),
        (eve.clone(), Action::DeclareRecusal { id: N1 }, during_voting()),
        (ana.clone(), vote(CHAMPION, Vote::Single(N2)), during_voting()),
        (bo.clone(), vote(CHAMPION, Vote::Single(N1)), during_voting()),
        (bo.clone(), vote(CHAMPION, Vote::Single(N2)), during_voting()),
        (
            dee.clone(),
            vote(REFORMER, Vote::Ranked(vec![vec![N3]])),
            during_voting(),
        ),
        (
            ana.clone(),
            vote(REFORMER, Vote::Ranked(vec![vec![N3]])),
            during_voting(),
        ),
        (admin(), step(Transition::CloseVoting), after_voting()),
        (admin(), Action::RevealSeed { seed: SEED.into() }, after_voting()),
        (admin(), step(Transition::Certify), after_voting()),
    ];
    let count = steps.len();
    for (actor, action, now) in steps {
        let shown = format!("{action:?}");
        let expected = pure.apply(&actor, action.clone(), now).unwrap();
        assert_eq!(ok(&db, &id, &actor, action, now).await, expected, "{shown}");
        let stored = db.store.award_campaign(&id).await.unwrap().unwrap();
        if pure.phase() == Phase::VotingOpen {
            // The stored box is returned without its voters until it is sealed.
            assert_eq!(stored.nominations(), pure.nominations(), "{shown}");
            assert_eq!(stored.recusals(), pure.recusals(), "{shown}");
            assert_eq!(stored.ballot_box().map(|b| b.is_sealed()), Some(false));
            assert_eq!(
                db.store.award_turnout(&id).await.unwrap(),
                pure.turnout(),
                "{shown}"
            );
        } else {
            assert_eq!(stored, pure, "{shown}");
        }
    }
    assert_eq!(pure.phase(), Phase::Certified);
    assert_eq!(db.store.award_campaigns().await.unwrap(), [pure.clone()]);
    assert_eq!(
        db.store.award_nominations(&id, None).await.unwrap(),
        pure.nominations()
    );
    assert_eq!(
        db.store.sealed_ballots(&id, CHAMPION).await.unwrap(),
        Some(vec![Vote::Single(N2), Vote::Single(N2)])
    );
    // Counting reads the stored campaign alone.
    let stored = db.store.award_campaign(&id).await.unwrap().unwrap();
    assert_eq!(
        stored.tally_input(REFORMER).unwrap(),
        pure.tally_input(REFORMER).unwrap()
    );
    // One audit entry for the creation and one for each action.
    let audit = audit_of(&db, &id).await;
    assert_eq!(audit.len(), count + 1, "{audit:#?}");
    assert_eq!(
        audit[0],
        (admin().user, "award.create".to_owned(), Some(TITLE.to_owned()))
    );
}

pub async fn campaigns_are_numbered_in_order_and_a_bad_title_is_refused(db: TestDb) {
    let first = db
        .store
        .create_award_campaign("First", "console", created())
        .await
        .unwrap();
    let second = db
        .store
        .create_award_campaign("  Second   awards ", "console", created())
        .await
        .unwrap();
    assert_eq!((first.id(), second.id()), ("1", "2"));
    assert_eq!(second.title(), "Second awards");
    let err = db
        .store
        .create_award_campaign("   ", "console", created())
        .await
        .unwrap_err();
    assert!(
        matches!(err, AwardStoreError::Refused(AwardError::InvalidTitle { .. })),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "the campaign title is empty; expected 1 to 200 characters"
    );
    let listed: Vec<String> = db
        .store
        .award_campaigns()
        .await
        .unwrap()
        .iter()
        .map(|c| c.id().to_owned())
        .collect();
    assert_eq!(listed, ["1", "2"]);
    assert_eq!(db.store.award_campaign("3").await.unwrap(), None);
}

pub async fn an_unknown_campaign_is_refused_by_its_id(db: TestDb) {
    let err = db
        .store
        .apply_award_action("7", &admin(), step(Transition::OpenNominations), created())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AwardStoreError::UnknownCampaign { id } if id == "7"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "there is no award campaign “7”; expected the id of an existing campaign"
    );
    assert!(matches!(
        db.store.award_turnout("7").await,
        Err(AwardStoreError::UnknownCampaign { .. })
    ));
    assert!(matches!(
        db.store.advance_award_campaign("7", created()).await,
        Err(AwardStoreError::UnknownCampaign { .. })
    ));
    assert!(matches!(
        db.store.award_nominations("7", None).await,
        Err(AwardStoreError::UnknownCampaign { .. })
    ));
    assert!(db.store.audit_log(None, 10).await.unwrap().is_empty());
}

pub async fn a_refused_action_changes_nothing_and_is_not_audited(db: TestDb) {
    let id = voting_campaign(&db, Secrecy::Secret).await;
    ok(
        &db,
        &id,
        &peer("ana"),
        vote(CHAMPION, Vote::Single(N1)),
        during_voting(),
    )
    .await;
    let campaign = db.store.award_campaign(&id).await.unwrap();
    let nominations = db.store.award_nominations(&id, None).await.unwrap();
    let turnout = db.store.award_turnout(&id).await.unwrap();
    let audit = audit_of(&db, &id).await;
    let ballots = raw(&db, "SELECT voter || ' ' || vote || ' ' || seq FROM ballots").await;

    let outsider = Actor::new("matrix:@outsider:example.org", Role::Anyone);
    let refusals = [
        (
            peer("ana"),
            configure(RuleChange::SecondsRequired(2)),
            during_voting(),
        ),
        (
            admin(),
            configure(RuleChange::SecondsRequired(2)),
            during_voting(),
        ),
        (
            peer("ana"),
            nominate(CHAMPION, Nominee::person("Late Entry", "KE")),
            during_voting(),
        ),
        (
            outsider.clone(),
            vote(CHAMPION, Vote::Single(N2)),
            during_voting(),
        ),
        (peer("ana"), vote(CHAMPION, Vote::Single(N3)), during_voting()),
        (peer("ana"), vote("nowhere", Vote::Single(N1)), during_voting()),
        (
            peer("ana"),
            vote(CHAMPION, Vote::Approve(vec![N1])),
            during_voting(),
        ),
        (admin(), step(Transition::Certify), during_voting()),
        (admin(), Action::RevealSeed { seed: SEED.into() }, during_voting()),
    ];
    for (actor, action, now) in refusals {
        let shown = format!("{action:?}");
        let refusal = refused(&db, &id, &actor, action, now).await;
        assert!(!refusal.to_string().is_empty());
        assert_eq!(db.store.award_campaign(&id).await.unwrap(), campaign, "{shown}");
        assert_eq!(
            db.store.award_nominations(&id, None).await.unwrap(),
            nominations,
            "{shown}"
        );
        assert_eq!(db.store.award_turnout(&id).await.unwrap(), turnout, "{shown}");
        assert_eq!(audit_of(&db, &id).await, audit, "{shown}");
        assert_eq!(
            raw(&db, "SELECT voter || ' ' || vote || ' ' || seq FROM ballots").await,
            ballots,
            "{shown}"
        );
    }
    assert_eq!(
        db.store
            .own_ballot(&id, &peer("ana").user, CHAMPION)
            .await
            .unwrap(),
        Some(Vote::Single(N1))
    );
}

pub async fn a_secret_ballot_is_never_revealed_and_the_seal_forgets_the_voters(db: TestDb) {
    let id = voting_campaign(&db, Secrecy::Secret).await;
    let (ana, bo, cy) = (peer("ana"), peer("bo"), peer("cy"));
    ok(&db, &id, &ana, vote(CHAMPION, Vote::Single(N1)), during_voting()).await;
    ok(&db, &id, &bo, vote(CHAMPION, Vote::Single(N2)), during_voting()).await;
    let effects = ok(&db, &id, &bo, vote(CHAMPION, Vote::Single(N1)), during_voting()).await;
    assert_eq!(
        effects,
        [Effect::BallotRecorded {
            category: CHAMPION.into(),
            replaced: true
        }]
    );
    ok(
        &db,
        &id,
        &cy,
        vote(REFORMER, Vote::Approve(vec![N4, N3])),
        during_voting(),
    )
    .await;
    let voters = [&ana.user, &bo.user, &cy.user];
    let votes = [r#""choice":1"#, r#""choice":2"#, r#""choice":[3,4]"#];

    // Before the close: counts, and each voter's own ballot for that voter alone.
    let turnout = db.store.award_turnout(&id).await.unwrap().unwrap();
    assert_eq!(turnout.voters, 3);
    assert_eq!(turnout.by_category[CHAMPION], 2);
    assert_eq!(turnout.by_category[REFORMER], 1);
    assert_eq!(db.store.open_ballots(&id, CHAMPION).await.unwrap(), None);
    assert_eq!(db.store.sealed_ballots(&id, CHAMPION).await.unwrap(), None);
    assert_eq!(
        db.store.own_ballot(&id, &bo.user, CHAMPION).await.unwrap(),
        Some(Vote::Single(N1))
    );
    assert_eq!(db.store.own_ballot(&id, &cy.user, CHAMPION).await.unwrap(), None);
    let campaign = db.store.award_campaign(&id).await.unwrap().unwrap();
    let shown = serde_json::to_string(&campaign).unwrap();
    for voter in voters {
        assert!(!shown.contains(voter.as_str()), "{shown}");
        assert_eq!(campaign.ballot_box().unwrap().own_vote(voter, CHAMPION), None);
    }
    for state in raw(&db, "SELECT state FROM campaigns").await {
        for voter in voters {
            assert!(!state.contains(voter.as_str()), "{state}");
        }
    }

    ok(&db, &id, &admin(), step(Transition::CloseVoting), after_voting()).await;

    // After the close: the anonymous ballots, and nothing that links them to a voter.
    assert_eq!(
        db.store.sealed_ballots(&id, CHAMPION).await.unwrap(),
        Some(vec![Vote::Single(N1), Vote::Single(N1)])
    );
    assert_eq!(
        db.store.sealed_ballots(&id, REFORMER).await.unwrap(),
        Some(vec![Vote::Approve(vec![N3, N4])])
    );
    assert_eq!(db.store.award_turnout(&id).await.unwrap(), Some(turnout));
    assert_eq!(db.store.own_ballot(&id, &bo.user, CHAMPION).await.unwrap(), None);
    assert_eq!(db.store.open_ballots(&id, CHAMPION).await.unwrap(), None);
    assert!(raw(&db, "SELECT voter FROM ballots").await.is_empty());
    for state in raw(&db, "SELECT state FROM campaigns").await {
        for voter in voters {
            assert!(!state.contains(voter.as_str()), "{state}");
        }
    }
    let reloaded = db.store.award_campaign(&id).await.unwrap().unwrap();
    assert!(reloaded.ballot_box().unwrap().is_sealed());
    assert_eq!(reloaded.quorum(CHAMPION), Some((2, 0)));

    // The audit log says who voted and when, and in which category; never how.
    let audit = audit_of(&db, &id).await;
    let ballots: Vec<(&str, Option<&str>)> = audit
        .iter()
        .filter(|(_, action, _)| action == "award.vote")
        .map(|(actor, _, detail)| (actor.as_str(), detail.as_deref()))
        .collect();
    assert_eq!(
        ballots,
        [
            (ana.user.as_str(), Some("ballot in champion")),
            (bo.user.as_str(), Some("ballot in champion")),
            (
                bo.user.as_str(),
                Some("ballot in champion, replacing the earlier one")
            ),
            (cy.user.as_str(), Some("ballot in reformer")),
        ]
    );
    for (_, _, detail) in &audit {
        let detail = detail.as_deref().unwrap_or("");
        for vote in votes {
            assert!(!detail.contains(vote), "{detail}");
        }
    }
}

pub async fn an_open_campaign_shows_each_voters_last_ballot_with_the_voter(db: TestDb) {
    let id = voting_campaign(&db, Secrecy::Open).await;
    let ana = peer("ana").in_region("Africa");
    let bo = peer("bo");
    ok(&db, &id, &ana, vote(CHAMPION, Vote::Single(N2)), during_voting()).await;
    ok(&db, &id, &bo, vote(CHAMPION, Vote::Single(N2)), during_voting()).await;
    // Casting the same ballot again is still the latest ballot.
    let again = ok(&db, &id, &bo, vote(CHAMPION, Vote::Single(N2)), during_voting()).await;
    assert_eq!(
        again,
        [Effect::BallotRecorded {
            category: CHAMPION.into(),
            replaced: true
        }]
    );
    ok(&db, &id, &ana, vote(CHAMPION, Vote::Single(N1)), during_voting()).await;
    // The region is the voter's as of their last ballot, in every category.
    let ana_in_europe = peer("ana").in_region("Europe");
    ok(
        &db,
        &id,
        &ana_in_europe,
        vote(REFORMER, Vote::Approve(vec![N3])),
        during_voting(),
    )
    .await;

    let expected = vec![
        (ana.user.clone(), Vote::Single(N1)),
        (bo.user.clone(), Vote::Single(N2)),
    ];
    assert_eq!(
        db.store.open_ballots(&id, CHAMPION).await.unwrap(),
        Some(expected.clone())
    );
    let turnout = db.store.award_turnout(&id).await.unwrap().unwrap();
    assert_eq!(turnout.voters, 2);
    assert_eq!(turnout.by_region.get("europe"), Some(&1));
    assert_eq!(turnout.by_region.get("africa"), None);
    assert_eq!(turnout.without_region, 1);
    assert_eq!(
        raw(&db, "SELECT region FROM ballots WHERE region IS NOT NULL").await,
        ["europe", "europe"]
    );

    ok(&db, &id, &admin(), step(Transition::CloseVoting), after_voting()).await;
    assert_eq!(
        db.store.open_ballots(&id, CHAMPION).await.unwrap(),
        Some(expected)
    );
    assert_eq!(
        db.store.sealed_ballots(&id, CHAMPION).await.unwrap(),
        Some(vec![Vote::Single(N1), Vote::Single(N2)])
    );
    let refusal = refused(&db, &id, &bo, vote(CHAMPION, Vote::Single(N1)), after_voting()).await;
    assert!(matches!(refusal, AwardError::VotingNotOpen { .. }), "{refusal:?}");
    assert!(matches!(
        db.store.open_ballots(&id, "nowhere").await,
        Err(AwardStoreError::Refused(AwardError::UnknownCategory { .. }))
    ));
}

pub async fn a_declared_recusal_takes_the_voters_ballot_out(db: TestDb) {
    let id = voting_campaign(&db, Secrecy::Open).await;
    let ana = peer("ana");
    ok(&db, &id, &ana, vote(CHAMPION, Vote::Single(N2)), during_voting()).await;
    ok(
        &db,
        &id,
        &ana,
        vote(REFORMER, Vote::Approve(vec![N3])),
        during_voting(),
    )
    .await;
    let effects = ok(&db, &id, &ana, Action::DeclareRecusal { id: N1 }, during_voting()).await;
    assert_eq!(
        effects,
        [Effect::RecusalDeclared {
            id: N1,
            ballot_removed: true
        }]
    );
    assert_eq!(db.store.own_ballot(&id, &ana.user, CHAMPION).await.unwrap(), None);
    assert_eq!(
        db.store.own_ballot(&id, &ana.user, REFORMER).await.unwrap(),
        Some(Vote::Approve(vec![N3]))
    );
    assert_eq!(db.store.open_ballots(&id, CHAMPION).await.unwrap(), Some(vec![]));
    let refusal = refused(&db, &id, &ana, vote(CHAMPION, Vote::Single(N2)), during_voting()).await;
    assert!(matches!(refusal, AwardError::Recused { .. }), "{refusal:?}");
    let audit = audit_of(&db, &id).await;
    assert_eq!(
        audit.last().unwrap(),
        &(
            ana.user.clone(),
            "award.recuse".to_owned(),
            Some("#1; the ballot cast in its category was taken out".to_owned())
        )
    );
}

pub async fn nominations_are_listed_by_number_and_filtered_by_category(db: TestDb) {
    let id = voting_campaign(&db, Secrecy::Secret).await;
    let names = |list: Vec<vigie_awards::nomination::Nomination>| -> Vec<(u32, String)> {
        list.into_iter().map(|n| (n.id.0, n.nominee.name)).collect()
    };
    assert_eq!(
        names(db.store.award_nominations(&id, None).await.unwrap()),
        [
            (1, "Jane Doe".to_owned()),
            (2, "Ola Nordmann".to_owned()),
            (3, "Ana Lopez".to_owned()),
            (4, "Budget Office".to_owned()),
        ]
    );
    assert_eq!(
        names(db.store.award_nominations(&id, Some(" Reformer ")).await.unwrap()),
        [(3, "Ana Lopez".to_owned()), (4, "Budget Office".to_owned())]
    );
    assert_eq!(
        raw(&db, "SELECT status FROM nominations ORDER BY number").await,
        ["active"; 4]
    );
    let audit = audit_of(&db, &id).await;
    let nominated: Vec<&str> = audit
        .iter()
        .filter(|(_, action, _)| action == "award.nominate")
        .filter_map(|(_, _, detail)| detail.as_deref())
        .collect();
    assert_eq!(nominated[0], "#1 in champion: “Jane Doe” (KE)");
}

pub async fn the_schedule_takes_due_steps_in_order_and_stops_at_a_refusal(db: TestDb) {
    let id = db
        .store
        .create_award_campaign(TITLE, &admin().user, created())
        .await
        .unwrap()
        .id()
        .to_owned();
    let schedule = Schedule {
        nominations_open: Some(at("2027-01-01T00:00:00Z")),
        nominations_close: Some(at("2027-03-01T00:00:00Z")),
        voting_open: Some(at("2027-03-08T00:00:00Z")),
        voting_close: Some(at("2027-03-31T00:00:00Z")),
        reminders: vec![Reminder {
            deadline: Deadline::VotingClose,
            hours_before: 48,
        }],
    };
    for change in [
        RuleChange::AddCategory {
            slug: CHAMPION.into(),
            title: "Open Gov Champion".into(),
        },
        RuleChange::DeclareMethod {
            category: CHAMPION.into(),
            method: Method::Plurality,
            seats: 1,
        },
        RuleChange::SecondsRequired(0),
        RuleChange::Schedule(schedule),
    ] {
        ok(&db, &id, &admin(), configure(change), created()).await;
    }
    let before = audit_of(&db, &id).await.len();
    assert_eq!(
        db.store.advance_award_campaign(&id, created()).await.unwrap(),
        Advance::default()
    );
    assert_eq!(audit_of(&db, &id).await.len(), before);

    let advance = db
        .store
        .advance_award_campaign(&id, during_nominations())
        .await
        .unwrap();
    assert_eq!(
        advance.effects,
        [Effect::PhaseChanged {
            from: Phase::Draft,
            to: Phase::NominationsOpen
        }]
    );
    ok(
        &db,
        &id,
        &peer("ana"),
        nominate(CHAMPION, Nominee::person("Jane Doe", "KE")),
        during_nominations(),
    )
    .await;

    // No tie-break commitment: nominations close, then opening the vote is refused.
    let advance = db
        .store
        .advance_award_campaign(&id, during_voting())
        .await
        .unwrap();
    assert_eq!(
        advance.effects,
        [Effect::PhaseChanged {
            from: Phase::NominationsOpen,
            to: Phase::NominationsClosed
        }]
    );
    assert!(
        matches!(
            advance.refused,
            Some((Transition::OpenVoting, AwardError::NoCommitment { .. }))
        ),
        "{advance:?}"
    );
    let campaign = db.store.award_campaign(&id).await.unwrap().unwrap();
    assert_eq!(campaign.phase(), Phase::NominationsClosed);

    ok(
        &db,
        &id,
        &admin(),
        configure(RuleChange::TieCommitment(TieBreak::commitment(SEED.as_bytes()))),
        during_voting(),
    )
    .await;
    let advance = db
        .store
        .advance_award_campaign(&id, during_voting())
        .await
        .unwrap();
    assert_eq!(advance.refused, None);
    assert_eq!(
        advance.effects[0],
        Effect::PhaseChanged {
            from: Phase::NominationsClosed,
            to: Phase::VotingOpen
        }
    );
    ok(
        &db,
        &id,
        &peer("bo"),
        vote(CHAMPION, Vote::Single(N1)),
        during_voting(),
    )
    .await;

    let reminder = db
        .store
        .advance_award_campaign(&id, at("2027-03-30T00:00:00Z"))
        .await
        .unwrap();
    assert_eq!(
        reminder.effects,
        [Effect::Remind {
            deadline: Deadline::VotingClose,
            due_at: at("2027-03-31T00:00:00Z")
        }]
    );
    let close = db
        .store
        .advance_award_campaign(&id, after_voting())
        .await
        .unwrap();
    assert_eq!(
        close.effects,
        [Effect::PhaseChanged {
            from: Phase::VotingOpen,
            to: Phase::VotingClosed
        }]
    );
    assert_eq!(
        db.store.sealed_ballots(&id, CHAMPION).await.unwrap(),
        Some(vec![Vote::Single(N1)])
    );
    assert!(raw(&db, "SELECT voter FROM ballots").await.is_empty());

    let by_schedule: Vec<Option<String>> = audit_of(&db, &id)
        .await
        .into_iter()
        .filter(|(actor, _, _)| actor == AWARD_SCHEDULE_ACTOR)
        .map(|(_, action, detail)| {
            assert_eq!(action, "award.transition");
            detail
        })
        .collect();
    assert_eq!(
        by_schedule,
        [
            Some("open nominations".to_owned()),
            Some("close nominations".to_owned()),
            Some("open voting".to_owned()),
            Some("send the reminder 48 hours before the close of voting".to_owned()),
            Some("close voting".to_owned()),
        ]
    );
}

/// 500 voters each cast two ballots: 1,000 tasks started at once. A voter's second ballot is
/// sent as soon as the first is answered, so it is well defined as their last, while every
/// other voter's ballots are in flight.
pub async fn concurrent_ballots_from_500_voters_count_each_voters_last_ballot(db: TestDb) {
    const VOTERS: usize = 500;
    let id = voting_campaign(&db, Secrecy::Open).await;
    let mut expected = BTreeMap::new();
    let mut tasks = Vec::with_capacity(2 * VOTERS);
    for i in 0..VOTERS {
        let voter = Actor::new(format!("matrix:@voter{i:03}:example.org"), Role::Peer);
        let (first, last) = if i % 2 == 0 { (N1, N2) } else { (N2, N1) };
        expected.insert(voter.user.clone(), Vote::Single(last));
        let (answered, wait_for_first) = tokio::sync::oneshot::channel::<()>();
        let (store, id_, voter_) = (db.store.clone(), id.clone(), voter.clone());
        tasks.push((
            true,
            tokio::spawn(async move {
                wait_for_first.await.expect("the first ballot is answered");
                let now = during_voting() + TimeDelta::minutes(1);
                store
                    .cast_ballot(&id_, &voter_, CHAMPION, Vote::Single(last), now)
                    .await
            }),
        ));
        let (store, id_) = (db.store.clone(), id.clone());
        tasks.push((
            false,
            tokio::spawn(async move {
                let cast = store
                    .cast_ballot(&id_, &voter, CHAMPION, Vote::Single(first), during_voting())
                    .await;
                answered.send(()).expect("the second ballot waits");
                cast
            }),
        ));
    }
    for (second, task) in tasks {
        let effects = task.await.expect("the task ran").expect("the ballot was taken");
        assert_eq!(
            effects,
            [Effect::BallotRecorded {
                category: CHAMPION.into(),
                replaced: second
            }]
        );
    }

    let counted: BTreeMap<String, Vote> = db
        .store
        .open_ballots(&id, CHAMPION)
        .await
        .unwrap()
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(counted.len(), VOTERS);
    assert_eq!(counted, expected);
    assert_eq!(raw(&db, "SELECT voter FROM ballots").await.len(), VOTERS);
    let turnout = db.store.award_turnout(&id).await.unwrap().unwrap();
    assert_eq!((turnout.voters, turnout.by_category[CHAMPION]), (VOTERS, VOTERS));
    let votes = audit_of(&db, &id)
        .await
        .into_iter()
        .filter(|(_, action, _)| action == "award.vote")
        .count();
    assert_eq!(votes, 2 * VOTERS);

    ok(&db, &id, &admin(), step(Transition::CloseVoting), after_voting()).await;
    let sealed = db.store.sealed_ballots(&id, CHAMPION).await.unwrap().unwrap();
    assert_eq!(sealed.len(), VOTERS);
    let for_n1 = sealed.iter().filter(|v| **v == Vote::Single(N1)).count();
    assert_eq!((for_n1, VOTERS - for_n1), (VOTERS / 2, VOTERS / 2));
}
