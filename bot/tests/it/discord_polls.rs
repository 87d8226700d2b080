//! Quick polls as native Discord polls, against the fake Discord: `/poll` posts a native poll
//! (question, answers in option order, one or several choices, with its nonce), votes added and
//! removed through the gateway become ballots, votes given while Vigie was stopped are read back
//! from the answers' voters at the next start, and `/poll close` ends the Discord poll early and
//! posts the results once, in reply to it. With `native_polls = false` a poll stays text.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use vigie::chat::Chat;
use vigie_awards::campaign::Vote;
use vigie_awards::nomination::NominationId;

use crate::discord::{Bot, WAIT, chat_with};
use crate::discord_fake::{FakeDiscord, MEMBER_PERMISSIONS};

const CHANNEL: u64 = FakeDiscord::CHANNEL_ID;

/// Who asks the polls: a server admin (the fake's default permissions).
const CHAIR: u64 = 420_000_000_000_000_001;
/// Members who vote.
const ANA: u64 = 420_000_000_000_000_002;
const BO: u64 = 420_000_000_000_000_003;

/// Interaction ids, distinct across the tests of this binary.
static NEXT_ID: AtomicU64 = AtomicU64::new(940_000_000_000_000_000);

fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// A chat over a fresh store in `dir`, its windows evaluated, with native polls or not.
async fn chat(dir: &Path, fake: &FakeDiscord, native_polls: bool) -> Chat {
    chat_with(dir, fake, &format!("native_polls = {native_polls}\n")).await
}

async fn fake() -> FakeDiscord {
    let fake = FakeDiscord::start().await;
    for user in [ANA, BO] {
        fake.set_permissions(user, MEMBER_PERMISSIONS);
    }
    fake
}

/// Runs `/poll <sub> …` as `user` and returns the reply's text.
async fn poll_command(fake: &FakeDiscord, user: u64, sub: &str, options: Value) -> String {
    let id = next_id();
    let data = json!([{"name": sub, "type": 1, "options": options}]);
    fake.send_interaction(fake.command_interaction(id, user, "poll", data))
        .await;
    let response = fake.wait_interaction_response(id, WAIT).await;
    assert_eq!(response["type"], 4, "{response}");
    response["data"]["content"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Asks a poll in the channel; its native poll message, as soon as it is posted (votes may come
/// before Vigie has recorded its id).
async fn ask(fake: &FakeDiscord, question: &str, multiple: bool) -> Value {
    let mut options = vec![json!({"name": "question", "type": 3, "value": question})];
    if multiple {
        options.push(json!({"name": "multiple", "type": 5, "value": true}));
    }
    let before = fake.messages(CHANNEL).len();
    let reply = poll_command(fake, CHAIR, "show", json!(options)).await;
    assert!(reply.contains("1."), "{reply}");
    let messages = fake.wait_messages(CHANNEL, before + 1, WAIT).await;
    messages[before].clone()
}

fn id_of(message: &Value) -> u64 {
    message["id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .expect("a message id")
}

/// Waits until the ballots of poll `poll` are `expected` (voter → vote).
async fn wait_ballots(chat: &Chat, poll: &str, expected: &[(u64, Vote)]) {
    let mut expected: Vec<(String, Vote)> = expected
        .iter()
        .map(|(user, vote)| (format!("discord:{user}"), vote.clone()))
        .collect();
    expected.sort();
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let mut ballots = chat
            .store()
            .open_ballots(poll, "poll")
            .await
            .expect("the ballots are read")
            .unwrap_or_default();
        ballots.sort();
        if ballots == expected {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "ballots of poll {poll}: {ballots:?}, expected {expected:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn single(n: u32) -> Vote {
    Vote::Single(NominationId(n))
}

fn approve(ns: &[u32]) -> Vote {
    Vote::Approve(ns.iter().copied().map(NominationId).collect())
}

#[track_caller]
fn assert_no_violations(fake: &FakeDiscord) {
    let violations = fake.violations();
    assert!(violations.is_empty(), "OpenAPI violations: {violations:#?}");
}

const POLLS_INTENT: u64 = 1 << 24;

#[tokio::test]
async fn a_poll_is_a_native_discord_poll_whose_votes_are_ballots_and_whose_close_posts_the_results_once() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let chat = chat(dir.path(), &fake, true).await;
    let bot = Bot::start(chat.clone(), &fake).await;
    let intents = fake.last_identify().expect("an IDENTIFY")["intents"]
        .as_u64()
        .unwrap_or(0);
    assert_ne!(intents & POLLS_INTENT, 0, "GUILD_MESSAGE_POLLS is asked for");

    let message = ask(&fake, "Lunch? | Pizza | Soup | Salad", false).await;
    let poll = &message["poll"];
    assert_eq!(poll["question"]["text"], "Lunch?", "{message}");
    let answers: Vec<&str> = poll["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .map(|a| a["poll_media"]["text"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(answers, ["Pizza", "Soup", "Salad"]);
    assert_eq!(poll["allow_multiselect"], false);
    let path = format!("/channels/{CHANNEL}/messages");
    let post = fake.wait_for_request("POST", &path, WAIT).await;
    assert_eq!(post.body["nonce"], "vigie-poll-1", "{}", post.body);
    assert_eq!(post.body["enforce_nonce"], true);
    assert_eq!(post.body["poll"]["duration"], 24);
    let start = id_of(&message);

    // Ana chooses Soup; Bo chooses Pizza, then changes to Salad (Discord takes the old answer
    // out first).
    fake.poll_vote(ANA, CHANNEL, start, 2, true).await;
    fake.poll_vote(BO, CHANNEL, start, 1, true).await;
    wait_ballots(&chat, "1", &[(ANA, single(2)), (BO, single(1))]).await;
    assert_eq!(
        chat.store().poll("1").await.unwrap().unwrap().start_event,
        Some(start.to_string())
    );
    fake.poll_vote(BO, CHANNEL, start, 1, false).await;
    fake.poll_vote(BO, CHANNEL, start, 3, true).await;
    wait_ballots(&chat, "1", &[(ANA, single(2)), (BO, single(3))]).await;
    // A vote on an answer the poll does not have changes nothing.
    fake.poll_vote(ANA, CHANNEL, start, 9, true).await;
    let results = poll_command(
        &fake,
        ANA,
        "results",
        json!([{"name": "poll", "type": 3, "value": "1"}]),
    )
    .await;
    assert!(results.contains("Soup"), "{results}");
    wait_ballots(&chat, "1", &[(ANA, single(2)), (BO, single(3))]).await;

    // The close ends the Discord poll and posts the results in reply to it.
    let closed = poll_command(
        &fake,
        CHAIR,
        "close",
        json!([{"name": "poll", "type": 3, "value": "1"}]),
    )
    .await;
    assert!(closed.contains("Salad"), "{closed}");
    fake.wait_for_request("POST", &format!("/channels/{CHANNEL}/polls/{start}/expire"), WAIT)
        .await;
    let messages = fake.wait_messages(CHANNEL, 2, WAIT).await;
    let end = &messages[1];
    let reply = fake.wait_for_request("POST", &path, WAIT).await;
    assert_eq!(reply.body["nonce"], "vigie-poll-end-1", "{}", reply.body);
    assert_eq!(
        reply.body["message_reference"]["message_id"],
        start.to_string(),
        "{}",
        reply.body
    );
    assert!(
        end["content"].as_str().unwrap_or_default().contains("Soup"),
        "{end}"
    );
    assert_eq!(messages[0]["poll"]["results"]["is_finalized"], true);
    // A vote after the close is not counted.
    fake.poll_vote(ANA, CHANNEL, start, 1, true).await;
    bot.stop().await;
    let stored = chat.store().poll("1").await.unwrap().unwrap();
    assert_eq!(stored.end_event, Some(id_of(end).to_string()));
    assert_eq!(fake.messages(CHANNEL).len(), 2, "the results are posted once");
    let sealed = chat
        .store()
        .sealed_ballots("1", "poll")
        .await
        .unwrap()
        .unwrap_or_default();
    assert_eq!(sealed.len(), 2, "{sealed:?}");
    assert_no_violations(&fake);
}

#[tokio::test]
async fn votes_on_a_several_choice_poll_given_while_vigie_was_stopped_count_after_a_restart() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let chat = chat(dir.path(), &fake, true).await;
    let bot = Bot::start(chat.clone(), &fake).await;
    let message = ask(&fake, "Which days? | Monday | Tuesday | Wednesday", true).await;
    assert_eq!(message["poll"]["allow_multiselect"], true, "{message}");
    let start = id_of(&message);
    fake.poll_vote(ANA, CHANNEL, start, 1, true).await;
    fake.poll_vote(ANA, CHANNEL, start, 3, true).await;
    wait_ballots(&chat, "1", &[(ANA, approve(&[1, 3]))]).await;
    fake.poll_vote(ANA, CHANNEL, start, 1, false).await;
    wait_ballots(&chat, "1", &[(ANA, approve(&[3]))]).await;
    bot.stop().await;

    // While Vigie is stopped: Bo chooses Monday and Tuesday, Ana adds Tuesday.
    fake.set_poll_vote(BO, start, 1, true);
    fake.set_poll_vote(BO, start, 2, true);
    fake.set_poll_vote(ANA, start, 2, true);
    let bot = Bot::start(chat.clone(), &fake).await;
    wait_ballots(&chat, "1", &[(ANA, approve(&[2, 3])), (BO, approve(&[1, 2]))]).await;
    let read = fake
        .wait_for_request(
            "GET",
            &format!("/channels/{CHANNEL}/polls/{start}/answers/"),
            WAIT,
        )
        .await;
    assert!(
        read.query.as_deref().unwrap_or_default().contains("limit=100"),
        "{:?}",
        read.query
    );
    assert_eq!(fake.messages(CHANNEL).len(), 1, "the poll is not posted again");
    bot.stop().await;
    assert_no_violations(&fake);
}

#[tokio::test]
async fn with_native_polls_off_a_poll_stays_text_answered_with_vote() {
    let fake = fake().await;
    let dir = tempfile::tempdir().unwrap();
    let chat = chat(dir.path(), &fake, false).await;
    let bot = Bot::start(chat.clone(), &fake).await;
    let intents = fake.last_identify().expect("an IDENTIFY")["intents"]
        .as_u64()
        .unwrap_or(0);
    assert_eq!(intents & POLLS_INTENT, 0, "no poll votes asked for");
    let reply = poll_command(
        &fake,
        CHAIR,
        "show",
        json!([{"name": "question", "type": 3, "value": "Lunch? | Pizza | Soup"}]),
    )
    .await;
    assert!(reply.contains("1. Pizza"), "{reply}");
    let closed = poll_command(
        &fake,
        CHAIR,
        "close",
        json!([{"name": "poll", "type": 3, "value": "1"}]),
    )
    .await;
    assert!(closed.contains("Pizza"), "{closed}");
    bot.stop().await;
    assert!(fake.messages(CHANNEL).is_empty(), "{:?}", fake.messages(CHANNEL));
    assert!(
        !fake.requests().iter().any(|r| r.path.contains("/polls/")),
        "no native poll was touched"
    );
    let stored = chat.store().poll("1").await.unwrap().unwrap();
    assert_eq!((stored.start_event, stored.end_event), (None, None));
    assert_no_violations(&fake);
}
