//! Secret ballots as private Discord forms, end to end against the fake Discord: `/vote
//! campaign:N` without a ballot answers privately with menus for the category's method, each
//! choice redraws the form from the draft its components carry, and **Cast ballot** runs the
//! typed `vote` through the chat (same eligibility, storage, last ballot counts). The forms keep
//! nothing in memory: a Vigie restarted between two choices takes the next one. Every body is
//! checked against Discord's OpenAPI description (`fake.violations()`).

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Value, json};
use vigie::chat::{Caller, Chat, Platform};
use vigie::metrics::Outcome;
use vigie_awards::campaign::Vote;
use vigie_awards::nomination::NominationId;
use vigie_storage::{Peer, Role};

use crate::discord::{Bot, WAIT, chat_with};
use crate::discord_fake::{FakeDiscord, MEMBER_PERMISSIONS};

const EPHEMERAL: u64 = 1 << 6;

/// Peers who nominate and second.
const ANA: u64 = 410_000_000_000_000_001;
const BO: u64 = 410_000_000_000_000_002;
/// Peers who vote.
const VOTER: u64 = 410_000_000_000_000_003;
const OTHER_VOTER: u64 = 410_000_000_000_000_004;
/// A member who is no peer: not on the voter roll.
const STRANGER: u64 = 410_000_000_000_000_005;

/// Interaction ids, distinct across the tests of this binary.
static NEXT_ID: AtomicU64 = AtomicU64::new(930_000_000_000_000_000);

fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// A chat over a fresh store in `dir`, its windows evaluated.
async fn chat(dir: &Path, fake: &FakeDiscord) -> Chat {
    chat_with(dir, fake, "").await
}

fn discord_caller(user: u64) -> Caller {
    Caller {
        platform: Platform::Discord,
        user: format!("discord:{user}"),
        room: format!("discord:{}", FakeDiscord::CHANNEL_ID),
        room_admin: false,
        direct: false,
    }
}

/// Runs `line` as `user` typed it in the channel, through the chat alone.
async fn say(chat: &Chat, user: Option<u64>, line: &str) -> String {
    let caller = user.map_or_else(Caller::console, discord_caller);
    let reply = chat.handle(&caller, line).await;
    assert_eq!(reply.outcome, Outcome::Ok, "{line}: {}", reply.markdown);
    reply.markdown
}

/// A secret campaign (1) counted by instant-runoff, with three nominees (#1 Jane Doe, #2 Musa
/// Bello, #3 Marie Curie), voting open; ANA, BO, VOTER and OTHER_VOTER are peers.
async fn open_voting(chat: &Chat) {
    let now = chrono::Utc::now();
    for user in [ANA, BO, VOTER, OTHER_VOTER] {
        chat.store()
            .put_peer(&Peer {
                user: format!("discord:{user}"),
                role: Role::Peer,
                region: None,
                country: None,
                organisation: None,
                added_by: "test".into(),
                added_at: now,
            })
            .await
            .unwrap();
    }
    say(
        chat,
        None,
        r#"award open --categories "champion=Open Gov Champion" --method irv Open Gov Awards 2027"#,
    )
    .await;
    for nominee in [r#"KE "Jane Doe""#, r#"NG "Musa Bello""#, r#"FR "Marie Curie""#] {
        say(
            chat,
            Some(ANA),
            &format!("nominate 1 champion {nominee} For the reform."),
        )
        .await;
    }
    for n in 1..=3 {
        say(chat, Some(BO), &format!("second 1#{n}")).await;
    }
    let voting = say(chat, None, "award close 1").await;
    assert!(voting.contains("Voting is open"), "{voting}");
}

/// A fake Discord where the voters and the stranger are ordinary members (no admins).
async fn fake() -> FakeDiscord {
    let fake = FakeDiscord::start().await;
    for user in [ANA, BO, VOTER, OTHER_VOTER, STRANGER] {
        fake.set_permissions(user, MEMBER_PERMISSIONS);
    }
    fake
}

/// `/vote campaign:1` by `user`: the answer, and the token of the interaction (whose original
/// message is the form).
async fn vote_form(fake: &FakeDiscord, user: u64) -> (Value, String) {
    let id = next_id();
    let options = json!([{"name": "campaign", "type": 3, "value": "1"}]);
    fake.send_interaction(fake.command_interaction(id, user, "vote", options))
        .await;
    let answer = fake.wait_interaction_response(id, WAIT).await;
    (answer, format!("itoken-{id}"))
}

/// The form as Discord keeps it now.
fn form(fake: &FakeDiscord, token: &str) -> Value {
    fake.original(token).expect("the form is the original response")
}

/// The `custom_id` of the form's component whose id ends with `suffix` (`:r0`, `:cast`).
#[track_caller]
fn component(message: &Value, suffix: &str) -> String {
    let rows = message["components"].as_array().expect("a form has components");
    rows.iter()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|c| c["custom_id"].as_str().map(str::to_owned))
        .find(|id| id.ends_with(suffix))
        .unwrap_or_else(|| panic!("no component ending in {suffix} in {message:#}"))
}

/// `user` uses the component `custom_id` of `message` (choosing `values` in a menu); the answer.
async fn press(fake: &FakeDiscord, user: u64, message: &Value, custom_id: &str, values: &[&str]) -> Value {
    let id = next_id();
    let values = values.iter().map(|v| (*v).to_owned()).collect();
    fake.send_interaction(fake.component_interaction(id, user, custom_id, values, message.clone()))
        .await;
    fake.wait_interaction_response(id, WAIT).await
}

/// Chooses `nominee` (its place on the ballot) as the `rank`-th choice (from 0) in the form.
async fn rank(fake: &FakeDiscord, user: u64, token: &str, rank: usize, nominee: &str) -> Value {
    let message = form(fake, token);
    let menu = component(&message, &format!(":r{rank}"));
    let answer = press(fake, user, &message, &menu, &[nominee]).await;
    assert_eq!(answer["type"], 7, "a choice redraws the form: {answer:#}");
    answer
}

fn content(answer: &Value) -> &str {
    answer["data"]["content"].as_str().unwrap_or_default()
}

fn is_ephemeral(answer: &Value) -> bool {
    answer["data"]["flags"].as_u64().unwrap_or(0) & EPHEMERAL != 0
}

/// A private answer of one sentence, with no form.
#[track_caller]
fn one_private_sentence(answer: &Value) -> String {
    assert_eq!(answer["type"], 4, "{answer:#}");
    assert!(is_ephemeral(answer), "private: {answer:#}");
    assert!(
        answer["data"]["components"].as_array().is_none_or(Vec::is_empty),
        "no form: {answer:#}"
    );
    let text = content(answer).to_owned();
    assert_eq!(text.lines().count(), 1, "one sentence: {text}");
    assert!(text.ends_with('.'), "a sentence: {text}");
    text
}

async fn own_ballot(chat: &Chat, user: u64) -> Option<Vote> {
    ballot_in(chat, user, "champion").await
}

async fn ballot_in(chat: &Chat, user: u64, category: &str) -> Option<Vote> {
    chat.store()
        .own_ballot("1", &format!("discord:{user}"), category)
        .await
        .unwrap()
}

fn ranking(ids: &[u32]) -> Vote {
    Vote::Ranked(ids.iter().map(|id| vec![NominationId(*id)]).collect())
}

#[track_caller]
fn assert_no_violations(fake: &FakeDiscord) {
    let violations = fake.violations();
    assert!(violations.is_empty(), "OpenAPI violations: {violations:#?}");
}

#[tokio::test]
async fn a_ranked_ballot_is_filled_in_privately_cast_and_replaced_by_a_changed_one() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let chat = chat(dir.path(), &fake).await;
    open_voting(&chat).await;
    let bot = Bot::start(chat.clone(), &fake).await;

    let (shown, token) = vote_form(&fake, VOTER).await;
    assert_eq!(shown["type"], 4, "{shown:#}");
    assert!(is_ephemeral(&shown), "the ballot is private: {shown:#}");
    assert!(content(&shown).contains("Open Gov Awards 2027"), "{shown:#}");
    let first = &shown["data"]["components"][0]["components"][0];
    assert_eq!(first["type"], 3, "a string select: {first:#}");
    assert_eq!(first["placeholder"], "1st choice");
    assert_eq!(first["options"].as_array().map(Vec::len), Some(3), "{first:#}");
    assert!(
        first["options"][1]["label"]
            .as_str()
            .unwrap()
            .contains("Musa Bello")
    );
    let message = form(&fake, &token);
    assert_ne!(message["flags"].as_u64().unwrap_or(0) & EPHEMERAL, 0);

    // #3 first, then #1; the form follows, the second menu without the first choice.
    let answer = rank(&fake, VOTER, &token, 0, "2").await;
    let second = &answer["data"]["components"][1]["components"][0];
    assert_eq!(second["placeholder"], "2nd choice");
    assert_eq!(second["options"].as_array().map(Vec::len), Some(2), "{second:#}");
    rank(&fake, VOTER, &token, 1, "0").await;
    assert!(content(&answer).contains("1. #3 “Marie Curie”"), "{answer:#}");
    assert_eq!(
        own_ballot(&chat, VOTER).await,
        None,
        "nothing is cast before the button"
    );

    let message = form(&fake, &token);
    let cast = press(&fake, VOTER, &message, &component(&message, ":cast"), &[]).await;
    assert_eq!(cast["type"], 7, "{cast:#}");
    assert!(content(&cast).contains("is recorded"), "{cast:#}");
    assert!(!content(&cast).contains("replacing"), "{cast:#}");
    assert_eq!(own_ballot(&chat, VOTER).await, Some(ranking(&[3, 1])));

    // Changed from the same form: #2 takes the first place, and only the last ballot counts.
    rank(&fake, VOTER, &token, 0, "1").await;
    let message = form(&fake, &token);
    let again = press(&fake, VOTER, &message, &component(&message, ":cast"), &[]).await;
    assert!(
        content(&again).contains("replacing your earlier one"),
        "{again:#}"
    );
    assert_eq!(own_ballot(&chat, VOTER).await, Some(ranking(&[2, 1])));

    // Another voter, from a form of their own: #2 alone.
    let (_, other) = vote_form(&fake, OTHER_VOTER).await;
    rank(&fake, OTHER_VOTER, &other, 0, "1").await;
    let message = form(&fake, &other);
    let cast = component(&message, ":cast");
    // Delivered twice: answered once, cast once.
    let id = next_id();
    let delivery = fake.component_interaction(id, OTHER_VOTER, &cast, Vec::new(), message.clone());
    fake.send_interaction(delivery.clone()).await;
    fake.wait_interaction_response(id, WAIT).await;
    fake.send_interaction(delivery).await;
    let later = press(&fake, OTHER_VOTER, &message, &component(&message, ":x"), &[]).await;
    assert_eq!(later["type"], 7, "{later:#}");
    assert_eq!(fake.interaction_responses(id).len(), 1, "answered once");
    assert_eq!(own_ballot(&chat, OTHER_VOTER).await, Some(ranking(&[2])));
    let turnout = say(&chat, Some(ANA), "turnout 1").await;
    assert!(turnout.contains("2 people have voted"), "{turnout}");
    bot.stop().await;

    // #2 > #1 and #2: Musa Bello by a majority of first choices. VOTER's first ballot, had it
    // counted, would have tied #3 with #2.
    let results = say(&chat, None, "award close 1").await;
    assert!(results.contains("Elected: Musa Bello (#2)"), "{results}");
    let export = say(&chat, None, "award export 1").await;
    let blt = export.split("```").nth(1).expect("a BLT block");
    let mut ballots: Vec<&str> = blt.lines().filter(|l| l.ends_with(" 0") && l.len() > 2).collect();
    ballots.sort_unstable();
    assert_eq!(ballots, ["1 2 0", "1 2 1 0"], "{blt}");
    assert_no_violations(&fake);
}

#[tokio::test]
async fn a_voter_not_on_the_roll_is_refused_privately_and_nothing_is_cast() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let chat = chat(dir.path(), &fake).await;
    open_voting(&chat).await;
    let bot = Bot::start(chat.clone(), &fake).await;

    let (refused, _) = vote_form(&fake, STRANGER).await;
    let sentence = one_private_sentence(&refused);
    assert!(sentence.contains("role peer"), "{sentence}");

    // A form's cast button pressed by someone else (its custom_id names no voter): the chat
    // decides, as for a typed ballot.
    let (_, token) = vote_form(&fake, VOTER).await;
    rank(&fake, VOTER, &token, 0, "0").await;
    let message = form(&fake, &token);
    let answer = press(&fake, STRANGER, &message, &component(&message, ":cast"), &[]).await;
    let sentence = one_private_sentence(&answer);
    assert!(sentence.contains("role peer"), "{sentence}");
    assert_eq!(own_ballot(&chat, STRANGER).await, None);
    assert_eq!(own_ballot(&chat, VOTER).await, None);
    assert_eq!(form(&fake, &token), message, "the voter's form is untouched");
    bot.stop().await;
    assert_no_violations(&fake);
}

#[tokio::test]
async fn a_form_shown_before_a_restart_is_filled_in_and_cast_after_it() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let first = chat(dir.path(), &fake).await;
    open_voting(&first).await;
    let bot = Bot::start(first.clone(), &fake).await;
    let (_, token) = vote_form(&fake, VOTER).await;
    rank(&fake, VOTER, &token, 0, "1").await;
    bot.stop().await;
    drop(first);

    // A new Vigie over the same database, nothing else carried over.
    let chat = chat(dir.path(), &fake).await;
    let bot = Bot::start(chat.clone(), &fake).await;
    let answer = rank(&fake, VOTER, &token, 1, "2").await;
    assert!(content(&answer).contains("2. #3 “Marie Curie”"), "{answer:#}");
    let message = form(&fake, &token);
    let cast = press(&fake, VOTER, &message, &component(&message, ":cast"), &[]).await;
    assert!(content(&cast).contains("is recorded"), "{cast:#}");
    assert_eq!(own_ballot(&chat, VOTER).await, Some(ranking(&[2, 3])));
    bot.stop().await;
    assert_no_violations(&fake);
}

#[tokio::test]
async fn bad_ballot_custom_ids_get_one_sentence_and_change_nothing() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let chat = chat(dir.path(), &fake).await;
    open_voting(&chat).await;
    let bot = Bot::start(chat.clone(), &fake).await;
    let (_, token) = vote_form(&fake, VOTER).await;
    rank(&fake, VOTER, &token, 0, "0").await;
    let message = form(&fake, &token);
    let turnout = say(&chat, Some(ANA), "turnout 1").await;
    let long = format!("ballot:1:0:3::{}", "r".repeat(120));
    let cases: Vec<(String, Vec<&str>)> = vec![
        ("ballot:".into(), vec![]),
        ("ballot:1".into(), vec![]),
        ("ballot:1:0:3:0:explode".into(), vec![]),
        ("ballot:1:0:3:00:cast".into(), vec![]),
        ("ballot:1:0:3:9:cast".into(), vec![]),
        ("ballot:1:5:3::r0".into(), vec!["0"]),
        ("ballot:1:0:3:0:r1".into(), vec!["7"]),
        ("ballot:1:0:3:0:r1".into(), vec!["#1"]),
        ("ballot:1:0:3:0:r1".into(), vec!["0", "1"]),
        ("ballot:1:cat".into(), vec!["9"]),
        ("ballot:42:0:3:0:cast".into(), vec![]),
        // Drawn when the ballot had two nominees: stale, whatever it says.
        ("ballot:1:0:2:0:cast".into(), vec![]),
        ("ballot:1:0:3:0:cast\u{202e}".into(), vec![]),
        ("ballot:é:€:🎉".into(), vec![]),
        (long, vec![]),
    ];
    for (custom_id, values) in &cases {
        let answer = press(&fake, VOTER, &message, custom_id, values).await;
        let sentence = one_private_sentence(&answer);
        assert!(!sentence.contains("recorded"), "{custom_id}: {sentence}");
    }
    assert_eq!(form(&fake, &token), message, "the form is untouched");
    assert_eq!(own_ballot(&chat, VOTER).await, None, "nothing was cast");
    assert_eq!(say(&chat, Some(ANA), "turnout 1").await, turnout);
    bot.stop().await;
    assert_no_violations(&fake);
}

#[tokio::test]
async fn a_campaign_of_several_categories_asks_which_then_takes_approvals_and_scores() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let chat = chat(dir.path(), &fake).await;
    for user in [ANA, VOTER] {
        chat.store()
            .put_peer(&Peer {
                user: format!("discord:{user}"),
                role: Role::Peer,
                region: None,
                country: None,
                organisation: None,
                added_by: "test".into(),
                added_at: chrono::Utc::now(),
            })
            .await
            .unwrap();
    }
    say(
        &chat,
        None,
        r#"award open --seconds 0 --categories "best:score:5=Best Idea, fans:approval=Fan Favourite" Two awards"#,
    )
    .await;
    for (category, nominee) in [
        ("best", r#"KE "Jane Doe""#),
        ("best", r#"NG "Musa Bello""#),
        ("fans", r#"FR "Marie Curie""#),
        ("fans", r#"DE "Ada Lovelace""#),
    ] {
        say(
            &chat,
            Some(ANA),
            &format!("nominate 1 {category} {nominee} For the reform."),
        )
        .await;
    }
    say(&chat, None, "award close 1").await;
    let bot = Bot::start(chat.clone(), &fake).await;

    // Which category first; then the approvals, both at once.
    let (shown, token) = vote_form(&fake, VOTER).await;
    assert!(is_ephemeral(&shown), "{shown:#}");
    assert!(content(&shown).contains("several categories"), "{shown:#}");
    let message = form(&fake, &token);
    let fans = press(&fake, VOTER, &message, "ballot:1:cat", &["1"]).await;
    assert_eq!(fans["type"], 7, "{fans:#}");
    let menu = &fans["data"]["components"][0]["components"][0];
    assert_eq!(menu["max_values"], 2, "{menu:#}");
    let message = form(&fake, &token);
    press(&fake, VOTER, &message, &component(&message, ":a"), &["1", "0"]).await;
    let message = form(&fake, &token);
    let cast = press(&fake, VOTER, &message, &component(&message, ":cast"), &[]).await;
    assert!(content(&cast).contains("is recorded"), "{cast:#}");
    assert_eq!(
        ballot_in(&chat, VOTER, "fans").await,
        Some(Vote::Approve(vec![NominationId(3), NominationId(4)]))
    );

    // A score for one nominee of the other category; the other left blank.
    let (_, token) = vote_form(&fake, VOTER).await;
    let message = form(&fake, &token);
    let best = press(&fake, VOTER, &message, "ballot:1:cat", &["0"]).await;
    let score = &best["data"]["components"][1]["components"][0];
    assert!(
        score["placeholder"].as_str().unwrap().contains("Musa Bello"),
        "{score:#}"
    );
    assert_eq!(
        score["options"].as_array().map(Vec::len),
        Some(6),
        "0 to 5: {score:#}"
    );
    let message = form(&fake, &token);
    press(&fake, VOTER, &message, &component(&message, ":s1"), &["4"]).await;
    let message = form(&fake, &token);
    let cast = press(&fake, VOTER, &message, &component(&message, ":cast"), &[]).await;
    assert!(content(&cast).contains("is recorded"), "{cast:#}");
    assert_eq!(
        ballot_in(&chat, VOTER, "best").await,
        Some(Vote::Score(vec![(NominationId(2), 4)]))
    );
    bot.stop().await;
    assert_no_violations(&fake);
}
