//! Quick polls in chat, as people run them through `Chat::handle` (the console and Matrix both go
//! through it): a poll asked, answered with `vote`, an answer changed, closed by its creator and
//! counted; approval with `--multiple`; bad input refused with one sentence and nothing changed;
//! and the counts still there after a restart. Real SQLite store, default configuration.

use std::sync::Arc;

use chrono::Utc;
use vigie::chat::{Caller, Chat, Platform};
use vigie::config::{ConfigSource, load};
use vigie::engine::Engine;
use vigie::metrics::{Metrics, Outcome};
use vigie_storage::{Peer, Role, Store};

const ROOM: &str = "matrix:!polls:example.org";

struct World {
    dir: tempfile::TempDir,
    chat: Chat,
}

async fn chat_on(dir: &std::path::Path) -> Chat {
    let config = load(ConfigSource::Default, Vec::new()).expect("the default configuration");
    let url = format!("sqlite:{}", dir.join("vigie.db").display());
    let store = Store::open(&url).await.expect("the store opens");
    let engine: Arc<Engine> = Engine::new(config, store).await.expect("the engine starts");
    engine
        .evaluate(Utc::now().date_naive())
        .await
        .expect("windows are evaluated");
    Chat::new(engine, Metrics::new())
}

impl World {
    async fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let chat = chat_on(dir.path()).await;
        for (name, role) in [("admin", Role::Admin), ("ana", Role::Peer), ("bo", Role::Peer)] {
            chat.store()
                .put_peer(&Peer {
                    user: format!("matrix:@{name}:example.org"),
                    role,
                    region: None,
                    country: None,
                    organisation: None,
                    added_by: "test".into(),
                    added_at: Utc::now(),
                })
                .await
                .expect("a peer is added");
        }
        Self { dir, chat }
    }

    /// `line` run by `who` in the room; asserts the outcome and returns the reply.
    async fn say(&self, who: &str, line: &str, expected: Outcome) -> String {
        let caller = Caller {
            platform: Platform::Matrix,
            user: format!("matrix:@{who}:example.org"),
            room: ROOM.into(),
            room_admin: false,
            ..Caller::console()
        };
        let reply = self.chat.handle(&caller, line).await;
        assert_eq!(reply.outcome, expected, "{who}: {line}\n{}", reply.markdown);
        reply.markdown
    }

    async fn ok(&self, who: &str, line: &str) -> String {
        self.say(who, line, Outcome::Ok).await
    }

    /// Refused as bad input, in one sentence, with nothing changed.
    async fn refused(&self, who: &str, line: &str) -> String {
        let before = self.snapshot().await;
        let reply = self.say(who, line, Outcome::UserError).await;
        assert_eq!(reply.lines().count(), 1, "one sentence: {reply}");
        assert!(reply.trim_end().ends_with('.'), "a sentence: {reply}");
        assert_eq!(self.snapshot().await, before, "{line} changed something");
        reply
    }

    async fn snapshot(&self) -> String {
        let store = self.chat.store();
        let campaigns = store.award_campaigns().await.expect("campaigns");
        let mut ballots = String::new();
        for c in &campaigns {
            ballots.push_str(&format!("{:?}", store.open_ballots(c.id(), "poll").await.ok()));
        }
        let audit = store.audit_log(None, 1000).await.expect("audit").len();
        format!("{campaigns:?}\n{ballots}\n{audit}")
    }
}

#[tokio::test]
async fn a_poll_is_asked_answered_changed_closed_and_counted() {
    let w = World::new().await;
    let asked = w
        .ok("ana", "poll Where do we meet? | Nairobi | Lima | Paris")
        .await;
    assert!(asked.contains("Poll 1: Where do we meet?"), "{asked}");
    assert!(
        asked.contains("1. Nairobi\n2. Lima\n3. Paris"),
        "numbered options: {asked}"
    );
    assert!(asked.contains("vote 1 1`"), "how to answer: {asked}");
    assert!(asked.contains("poll close 1"), "{asked}");
    let poll = w
        .chat
        .store()
        .poll("1")
        .await
        .expect("read")
        .expect("a poll is stored");
    assert_eq!(poll.room, ROOM);
    assert!(poll.is_open());
    assert_eq!(poll.start_event, None);

    // Anyone in the room answers, peers or not; the last answer counts.
    let first = w.ok("bo", "vote 1 2").await;
    assert!(first.contains("is recorded"), "{first}");
    w.ok("zed", "vote 1 #1").await;
    let changed = w.ok("bo", "vote 1 1").await;
    assert!(changed.contains("replacing your earlier one"), "{changed}");
    let two = w.refused("bo", "vote 1 1 2").await;
    assert!(two.contains("plurality"), "one choice only: {two}");

    let so_far = w.ok("zed", "poll results 1").await;
    assert!(so_far.contains("so far (2 answers)"), "{so_far}");
    assert!(so_far.contains("1. Nairobi: 2 (leading)"), "{so_far}");
    assert!(so_far.contains("2. Lima: 0\n"), "{so_far}");

    let not_yours = w.refused("bo", "poll close 1").await;
    assert!(not_yours.contains("asked by someone else"), "{not_yours}");
    let closed = w.ok("ana", "poll close 1").await;
    assert!(closed.contains("is closed (2 answers)"), "{closed}");
    assert!(closed.contains("1. Nairobi: 2 (leading)"), "{closed}");
    assert!(closed.contains("3. Paris: 0"), "{closed}");
    let late = w.refused("zed", "vote 1 3").await;
    assert!(late.contains("closed for voting"), "{late}");
    let again = w.refused("admin", "poll close 1").await;
    assert!(again.contains("closed already"), "{again}");

    // A restart reads the same poll and counts from the database.
    let after = chat_on(w.dir.path()).await;
    let caller = Caller {
        room: ROOM.into(),
        ..Caller::console()
    };
    let results = after.handle(&caller, "poll results 1").await;
    assert_eq!(results.outcome, Outcome::Ok, "{}", results.markdown);
    assert!(
        results.markdown.contains("1. Nairobi: 2 (leading)"),
        "{}",
        results.markdown
    );
}

#[tokio::test]
async fn a_poll_with_multiple_counts_every_option_chosen_and_an_admin_closes_it() {
    let w = World::new().await;
    let asked = w
        .ok(
            "ana",
            "poll --multiple --closes 2d Which topics? | Budgets | Contracts | Courts",
        )
        .await;
    assert!(asked.contains("as many options as you like"), "{asked}");
    assert!(asked.contains("It closes at"), "{asked}");
    w.ok("bo", "vote 1 1 3").await;
    w.ok("zed", "vote 1 3").await;
    let closed = w.ok("admin", "poll close 1").await;
    assert!(closed.contains("1. Budgets: 1\n"), "{closed}");
    assert!(closed.contains("2. Contracts: 0\n"), "{closed}");
    assert!(closed.contains("3. Courts: 2 (leading)"), "{closed}");
}

#[tokio::test]
async fn bad_polls_are_refused_in_one_sentence_and_change_nothing() {
    let w = World::new().await;
    let form = w.refused("ana", "poll Lunch? | Pizza").await;
    assert!(form.contains("at least two options"), "{form}");
    let empty = w.refused("ana", "poll Lunch? | Pizza | | Soup").await;
    assert!(empty.contains("at least two options"), "{empty}");
    let twice = w.refused("ana", "poll Lunch? | Pizza | pizza").await;
    assert!(twice.contains("given twice"), "{twice}");
    let past = w
        .refused("ana", "poll --closes 2020-01-01 Lunch? | Pizza | Soup")
        .await;
    assert!(past.contains("--closes is already past"), "{past}");
    let unknown = w.refused("ana", "poll results 7").await;
    assert!(unknown.contains("There is no poll 7"), "{unknown}");
    let refused = w.say("zed", "poll Lunch? | Pizza | Soup", Outcome::Refused).await;
    assert!(refused.contains("peer"), "only peers ask polls: {refused}");
    assert!(
        w.chat
            .store()
            .award_campaigns()
            .await
            .expect("campaigns")
            .is_empty()
    );

    // An award campaign is not a poll.
    w.ok("admin", "award open --seconds 0 Open Gov Awards").await;
    let not_poll = w.refused("admin", "poll close 1").await;
    assert!(not_poll.contains("There is no poll 1"), "{not_poll}");
}

/// What platforms with native polls hand over: answer ids, as MSC3381 counts them.
#[tokio::test]
async fn native_poll_answers_count_only_options_of_the_poll_and_one_in_a_one_choice_poll() {
    use vigie::chat::poll::{Responded, respond};
    use vigie_awards::campaign::Vote;
    use vigie_awards::nomination::NominationId;

    let w = World::new().await;
    w.ok("ana", "poll Lunch? | Pizza | Soup | Salad").await;
    w.ok("ana", "poll --multiple Topics? | Budgets | Courts").await;
    let at = Utc::now();
    let answers = |list: &[&str]| list.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
    let voter = "matrix:@zed:example.org";

    // Unknown answers are dropped; of the rest, a one-choice poll takes the first.
    let first = respond(&w.chat, "1", voter, &answers(&["9", "x", "3", "1"]), at)
        .await
        .expect("recorded");
    assert_eq!(first, Responded::Counted { replaced: false });
    let nothing = respond(&w.chat, "1", voter, &answers(&["0", "9"]), at)
        .await
        .expect("read");
    assert_eq!(nothing, Responded::Empty, "no option of the poll: ignored");
    let ballots = w.chat.store().open_ballots("1", "poll").await.expect("read");
    assert_eq!(
        ballots,
        Some(vec![(voter.to_owned(), Vote::Single(NominationId(3)))])
    );

    // With --multiple every option chosen counts, each once.
    respond(&w.chat, "2", voter, &answers(&["2", "1", "2"]), at)
        .await
        .expect("recorded");
    let ballots = w.chat.store().open_ballots("2", "poll").await.expect("read");
    assert_eq!(
        ballots,
        Some(vec![(
            voter.to_owned(),
            Vote::Approve(vec![NominationId(1), NominationId(2)])
        )])
    );

    // A closed poll refuses, and says why.
    w.ok("ana", "poll close 1").await;
    let late = respond(&w.chat, "1", voter, &answers(&["1"]), Utc::now())
        .await
        .expect("read");
    assert!(matches!(late, Responded::Refused(_)), "{late:?}");
}
