//! Award campaigns in chat, as people run them through `Chat::handle` (the console and Matrix
//! both go through it): a campaign opened, nominations and seconds, a recusal, ballots changed,
//! the close, results checked against an independent count of the same ballots, turnout without
//! names, bad input refused with one sentence and nothing changed; and the schedule, which opens
//! and closes voting, reminds those who have not voted and posts the results once, across a
//! restart. Real SQLite store, default configuration.

use std::sync::Arc;
use std::time::Duration;

use chrono::{TimeDelta, Utc};
use vigie::award::Awards;
use vigie::chat::{Caller, Chat, Platform, Reply};
use vigie::config::{ConfigSource, load};
use vigie::engine::Engine;
use vigie::metrics::{Metrics, Outcome};
use vigie_awards::blt;
use vigie_awards::method::irv::{self, IrvOptions};
use vigie_awards::tie::TieBreak;
use vigie_storage::{OutboxRow, Peer, Role, Store};

const ROOM: &str = "matrix:!awards:example.org";

struct World {
    _dir: tempfile::TempDir,
    chat: Chat,
}

impl World {
    async fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let config = load(ConfigSource::Default, Vec::new()).expect("the default configuration");
        let url = format!("sqlite:{}", dir.path().join("vigie.db").display());
        let store = Store::open(&url).await.expect("the store opens");
        let engine: Arc<Engine> = Engine::new(config, store).await.expect("the engine starts");
        engine
            .evaluate(Utc::now().date_naive())
            .await
            .expect("windows are evaluated");
        let now = Utc::now();
        for (name, role) in [
            ("admin", Role::Admin),
            ("ana", Role::Peer),
            ("bo", Role::Peer),
            ("chi", Role::Peer),
            ("dee", Role::Peer),
            ("eve", Role::Peer),
            ("fay", Role::Peer),
        ] {
            engine
                .store()
                .put_peer(&Peer {
                    user: format!("matrix:@{name}:example.org"),
                    role,
                    region: None,
                    country: None,
                    organisation: None,
                    added_by: "test".into(),
                    added_at: now,
                })
                .await
                .expect("a peer is added");
        }
        Self {
            _dir: dir,
            chat: Chat::new(engine, Metrics::new()),
        }
    }

    fn store(&self) -> &Store {
        self.chat.store()
    }

    /// `line` run by `who`: a ballot in their direct chat with Vigie (where secret ballots are
    /// cast), anything else in the awards room; asserts the outcome and returns the reply.
    async fn say(&self, who: &str, line: &str, expected: Outcome) -> String {
        let direct = line.starts_with("vote ");
        self.reply(who, line, direct, expected).await.markdown
    }

    /// `line` run by `who` in their direct chat with Vigie (`direct`) or in the awards room.
    async fn reply(&self, who: &str, line: &str, direct: bool, expected: Outcome) -> Reply {
        let caller = Caller {
            platform: Platform::Matrix,
            user: format!("matrix:@{who}:example.org"),
            room: if direct {
                format!("matrix:!direct-{who}:example.org")
            } else {
                ROOM.into()
            },
            room_admin: false,
            direct,
        };
        let reply = self.chat.handle(&caller, line).await;
        assert_eq!(reply.outcome, expected, "{who}: {line}\n{}", reply.markdown);
        reply
    }

    async fn ok(&self, who: &str, line: &str) -> String {
        self.say(who, line, Outcome::Ok).await
    }

    /// Refused as bad input, in one sentence, with nothing changed in the campaign.
    async fn refused(&self, who: &str, line: &str) -> String {
        let before = self.snapshot().await;
        let reply = self.say(who, line, Outcome::UserError).await;
        assert_eq!(reply.lines().count(), 1, "one sentence: {reply}");
        assert!(reply.trim_end().ends_with('.'), "a sentence: {reply}");
        assert_eq!(self.snapshot().await, before, "{line} changed something");
        reply
    }

    /// Everything a refusal must not change: the campaigns, the turnout and the audit log.
    async fn snapshot(&self) -> String {
        let campaigns = self.store().award_campaigns().await.expect("campaigns");
        let turnout = match campaigns.first() {
            Some(c) => format!("{:?}", self.store().award_turnout(c.id()).await.expect("turnout")),
            None => String::new(),
        };
        let audit = self.store().audit_log(None, 1000).await.expect("audit").len();
        format!("{campaigns:?}\n{turnout}\n{audit}")
    }
}

/// The ballots in BLT, counted by instant-runoff with candidate order as the tie-break: an
/// independent count of the same ballots, by the counting function alone.
fn irv_winners(names: &[&str], ballots: &[&[usize]]) -> Vec<String> {
    let mut text = format!("{} 1\n", names.len());
    for b in ballots {
        let ranks: Vec<String> = b.iter().map(ToString::to_string).collect();
        text.push_str(&format!("1 {} 0\n", ranks.join(" ")));
    }
    text.push_str("0\n");
    for n in names {
        text.push_str(&format!("\"{n}\"\n"));
    }
    text.push_str("\"independent count\"\n");
    let profile = blt::parse(&text).expect("the test's BLT parses");
    let t = irv::count(
        &profile,
        &IrvOptions::default(),
        &TieBreak::candidate_order(names.len()),
    )
    .expect("the ballots count");
    t.winner_names()
}

#[tokio::test]
async fn a_campaign_runs_from_nominations_to_results_that_match_an_independent_count() {
    let w = World::new().await;
    let opened = w
        .ok(
            "admin",
            r#"award open --categories "champion=Open Gov Champion" --method irv Open Gov Awards 2027"#,
        )
        .await;
    assert!(opened.contains("Nominations are open"), "{opened}");
    assert!(opened.contains("campaign 1"), "{opened}");
    assert!(opened.contains("Tie-break commitment"), "{opened}");
    // Only admins open campaigns.
    let refused = w.say("ana", "award open Mine", Outcome::Refused).await;
    assert!(refused.contains("award open"), "{refused}");

    let first = w
        .ok(
            "ana",
            r#"nominate 1 champion KE "Jane Doe" Led the open contracting reform."#,
        )
        .await;
    assert!(first.contains("1#1"), "{first}");
    w.ok(
        "bo",
        r#"nominate 1 champion NG "Musa Bello" --user @dee:example.org Opened the budget to everyone."#,
    )
    .await;
    w.ok("chi", r#"nominate 1 champion FR "Marie Curie" Opened the data."#)
        .await;
    // The same person again, written differently, is a duplicate of #1.
    let duplicate = w
        .refused("eve", r#"nominate 1 champion KE "DOE, Jane" Again."#)
        .await;
    assert!(duplicate.contains("#1"), "{duplicate}");
    // Seconds: with the campaign written out, or the only campaign open.
    w.ok("bo", "second 1#1").await;
    w.ok("chi", "second #2").await;
    w.ok("ana", "second #3").await;
    let own = w.refused("ana", "second #1").await;
    assert!(own.contains("someone else"), "{own}");
    let twice = w.refused("bo", "second #1").await;
    assert!(twice.contains("already seconded"), "{twice}");
    w.refused("ana", "second #9").await;
    let listed = w.ok("fay", "nominations 1").await;
    for name in ["Jane Doe", "Musa Bello", "Marie Curie", "1/1"] {
        assert!(listed.contains(name), "{name} in {listed}");
    }

    // eve declares a conflict; dee is the nominee of #2 (automatic).
    let recused = w.ok("eve", "recuse 1 #3").await;
    assert!(recused.contains("champion"), "{recused}");
    w.refused("eve", "recuse 1 #3").await;

    let voting = w.ok("admin", "award close 1").await;
    assert!(voting.contains("Voting is open"), "{voting}");
    assert!(voting.contains("#2 Musa Bello"), "{voting}");

    // Ballots; ana changes hers, and only the last counts.
    let mut said = Vec::new();
    for (who, ballot) in [
        ("ana", "vote 1 #1 > #2"),
        ("bo", "vote 1 #2 > #1"),
        ("chi", "vote 1 champion: #3 > #2"),
        ("admin", "vote 1 1 3"),
        ("fay", "vote 1 #1 > #2"),
        ("ana", "vote 1 #2 > #3"),
    ] {
        said.push(w.ok(who, ballot).await);
    }
    assert!(said[5].contains("replacing your earlier one"), "{}", said[5]);
    assert!(!said[0].contains("replacing"), "{}", said[0]);
    for reply in &said {
        assert!(
            !reply.contains('#') && !reply.contains('>'),
            "a ballot's content is not echoed: {reply}"
        );
    }
    let recused_vote = w.refused("eve", "vote 1 #1").await;
    assert!(recused_vote.contains("declared a conflict"), "{recused_vote}");
    let nominee_vote = w.refused("dee", "vote 1 #1").await;
    assert!(nominee_vote.contains("you are the nominee"), "{nominee_vote}");
    w.refused("fay", "vote 1 #2 > #9").await;
    w.refused("fay", "vote 1 #2 = #1").await;
    w.refused("fay", "vote 1 Jane").await;
    w.refused("fay", "vote 1 #2 > #2").await;
    let stranger = w.refused("zed", "vote 1 #1").await;
    assert!(stranger.contains("role peer"), "{stranger}");
    let bad = w.refused("fay", "turnout one").await;
    assert!(bad.contains("campaign"), "{bad}");

    let turnout = w.ok("fay", "turnout 1").await;
    assert!(turnout.contains("5 people have voted"), "{turnout}");
    assert!(!turnout.contains('@'), "no names in the turnout: {turnout}");

    w.refused("ana", "award results 1").await;
    let closed = w.ok("admin", "award close 1").await;
    assert!(closed.contains("Results of **"), "{closed}");
    w.refused("ana", "vote 1 #1").await;
    w.refused("admin", "award close 1").await;

    // The same ballots, counted independently: the last ballot of each voter.
    let names = ["Jane Doe", "Musa Bello", "Marie Curie"];
    let expected = irv_winners(&names, &[&[2, 3], &[2, 1], &[3, 2], &[1, 3], &[1, 2]]);
    assert_eq!(expected, ["Musa Bello"]);
    let results = w.ok("eve", "award results 1").await;
    assert!(
        results.contains(&format!("Elected: {} (#2)", expected[0])),
        "{results}"
    );
    assert!(
        results.contains("Round 1:") && results.contains("Round 2:"),
        "{results}"
    );
    assert!(results.contains("Tie-break seed revealed"), "{results}");
    // ana's first ballot, had it counted, would have elected someone else.
    assert_ne!(
        irv_winners(&names, &[&[1, 2], &[2, 1], &[3, 2], &[1, 3], &[1, 2]]),
        expected
    );

    // The BLT export recounts to the same winners.
    let export = w.ok("eve", "award export 1").await;
    let text = export
        .split("```")
        .nth(1)
        .expect("a BLT block in the export")
        .trim_start_matches('\n');
    let profile = blt::parse(text).expect("the export is BLT");
    let recount = irv::count(&profile, &IrvOptions::default(), &TieBreak::candidate_order(3))
        .expect("the export counts");
    assert_eq!(recount.winner_names(), expected);

    // Secret ballots: no voter is linked to a ballot any more, and the audit log never held a vote.
    let store = w.store();
    assert_eq!(
        store
            .own_ballot("1", "matrix:@ana:example.org", "champion")
            .await
            .expect("read"),
        None
    );
    let audit = store.audit_log(Some("award:1"), 1000).await.expect("audit");
    let votes: Vec<_> = audit.iter().filter(|e| e.action == "award.vote").collect();
    assert_eq!(votes.len(), 6, "{audit:?}");
    for e in votes {
        let detail = e.detail.as_deref().unwrap_or_default();
        assert!(
            [
                "ballot in champion",
                "ballot in champion, replacing the earlier one"
            ]
            .contains(&detail),
            "{e:?}"
        );
    }
}

#[tokio::test]
async fn bad_award_input_gets_one_sentence_in_the_callers_language_and_changes_nothing() {
    let w = World::new().await;
    let missing = w.refused("admin", "award show 4").await;
    assert!(missing.contains("no award campaign 4"), "{missing}");
    w.refused("admin", "award open --method condorcet Awards").await;
    w.refused("admin", "award open --voting-close 2001-01-01 Awards")
        .await;
    w.refused("admin", "award open --remind 24h Awards").await;
    w.refused(
        "admin",
        "award open --nominations-close 5d --voting-close 2d Awards",
    )
    .await;
    w.refused("admin", "award open --method irv --seats 2 Awards")
        .await;
    assert!(w.store().award_campaigns().await.expect("campaigns").is_empty());

    w.ok(
        "admin",
        "award open --method score:5 --categories a,b Two categories",
    )
    .await;
    w.ok("admin", "language fr --room").await;
    let french = w.refused("ana", "nominate 1 zzz KE \"Jane Doe\" Why.").await;
    assert!(french.contains("n'a pas de catégorie"), "{french}");
    w.ok("admin", "language es --room").await;
    // In the room (its language is Spanish now): nominations are open, so no ballot is taken.
    let spanish = w
        .reply("ana", "vote 1 a #1=3", false, Outcome::UserError)
        .await
        .markdown;
    assert!(spanish.contains("abierta a nominaciones"), "{spanish}");
    let help = w.ok("ana", "help vote").await;
    assert!(help.contains("#1=5 #2=3"), "{help}");
}

/// Every message of the outbox for `platform`, by id.
async fn outbox(store: &Store, platform: &str) -> Vec<OutboxRow> {
    let far = Utc::now() + TimeDelta::days(30);
    let rows = store
        .lease_outbox("test", platform, 100, 100, Duration::from_secs(1), far)
        .await
        .expect("the outbox leases");
    for row in &rows {
        store
            .outbox_sent(row.id, "test", None, far)
            .await
            .expect("marked sent");
    }
    rows
}

#[tokio::test]
async fn the_schedule_opens_reminds_and_closes_once_across_a_restart() {
    let w = World::new().await;
    let start = Utc::now();
    w.ok(
        "admin",
        "award open --nominations-close 1d --voting-close 3d --remind 24h --roll @ana:example.org,@bo:example.org,@chi:example.org Scheduled",
    )
    .await;
    w.ok("ana", r#"nominate 1 award KE "Jane Doe" Why."#).await;
    w.ok("admin", r#"nominate 1 award NG "Musa Bello" Why."#).await;
    w.ok("bo", "second 1#1").await;
    w.ok("chi", "second 1#2").await;
    let config = load(ConfigSource::Default, Vec::new()).expect("configuration");
    let store = w.store().clone();
    let awards = Awards::new(store.clone(), &config);
    assert!(awards.run_due(start).await.expect("a tick").is_empty());

    // Nominations close and voting opens on time, announced once in the campaign's room.
    let opened_at = start + TimeDelta::days(1) + TimeDelta::minutes(1);
    assert_eq!(awards.run_due(opened_at).await.expect("a tick"), ["1"]);
    assert!(awards.run_due(opened_at).await.expect("a tick").is_empty());
    let sent = outbox(&store, "matrix").await;
    let receivers: Vec<&str> = sent.iter().map(|r| r.receiver.as_str()).collect();
    assert_eq!(
        receivers,
        [
            ROOM,
            "matrix:@ana:example.org",
            "matrix:@bo:example.org",
            "matrix:@chi:example.org"
        ],
        "the room hears it, and each person on the roll gets the secret ballot in their own chat"
    );
    assert!(
        sent[0].body_markdown.contains("Voting is open"),
        "{}",
        sent[0].body_markdown
    );
    for ballot in &sent[1..] {
        let text = &ballot.body_markdown;
        assert!(text.contains("Vote here"), "{text}");
        assert!(text.contains("`vote 1 …`"), "no prefix in a direct chat: {text}");
        assert!(text.contains("#1 Jane Doe · #2 Musa Bello"), "{text}");
    }

    // Voting is open now (by the schedule); ana votes, the others do not.
    w.ok("ana", "vote 1 #1 > #2").await;

    // The reminder goes to the room with counts and to each person on the roll who has not voted.
    let remind_at = start + TimeDelta::days(2) + TimeDelta::minutes(1);
    assert_eq!(awards.run_due(remind_at).await.expect("a tick"), ["1"]);
    let reminded = outbox(&store, "matrix").await;
    let receivers: Vec<&str> = reminded.iter().map(|r| r.receiver.as_str()).collect();
    assert_eq!(
        receivers,
        [ROOM, "matrix:@bo:example.org", "matrix:@chi:example.org"],
        "{reminded:?}"
    );
    assert!(
        reminded[0].body_markdown.contains("one person has voted"),
        "{}",
        reminded[0].body_markdown
    );
    assert!(
        !reminded[0].body_markdown.contains("@ana"),
        "no names in the room"
    );

    // A restart: a new schedule over the same database closes voting and posts the results once.
    drop(awards);
    let awards = Awards::new(store.clone(), &config);
    let close_at = start + TimeDelta::days(3) + TimeDelta::minutes(1);
    let (a, b) = tokio::join!(awards.run_due(close_at), awards.run_due(close_at));
    let moved = [a.expect("a tick"), b.expect("a tick")].concat();
    assert_eq!(moved, ["1"], "exactly one of two ticks at once takes the step");
    let results = outbox(&store, "matrix").await;
    assert_eq!(results.len(), 1, "{results:?}");
    assert!(
        results[0].body_markdown.contains("Elected: Jane Doe (#1)"),
        "{}",
        results[0].body_markdown
    );
    assert!(
        awards
            .run_due(close_at + TimeDelta::days(1))
            .await
            .expect("a tick")
            .is_empty()
    );
    assert!(outbox(&store, "matrix").await.is_empty());
    let turnout = w.ok("fay", "turnout 1").await;
    assert!(turnout.contains("1 of the 3 people on the roll"), "{turnout}");
}

#[tokio::test]
async fn a_nomination_is_edited_and_withdrawn_by_its_nominator_until_nominations_close() {
    let w = World::new().await;
    w.ok("admin", "award open Edits").await;
    w.ok("ana", r#"nominate 1 award KE "Jane Doe" First citation."#)
        .await;
    w.ok("bo", "second 1#1").await;
    let edited = w
        .ok(
            "ana",
            r#"nominate 1 award KE "Jane Doe" --replaces #1 A better citation."#,
        )
        .await;
    assert!(
        edited.contains("now reads") && !edited.contains("cleared"),
        "{edited}"
    );
    let listed = w.ok("ana", "nominations 1").await;
    assert!(
        listed.contains("A better citation") && listed.contains("1/1"),
        "{listed}"
    );
    let someone_else = w
        .refused("bo", r#"nominate 1 award KE "Jane Doe" --replaces #1 Mine now."#)
        .await;
    assert!(someone_else.contains("Only the nominator"), "{someone_else}");
    let renamed = w
        .ok(
            "ana",
            r#"nominate 1 award KE "Jane Roe" --replaces #1 Another person."#,
        )
        .await;
    assert!(renamed.contains("seconds were cleared"), "{renamed}");
    w.refused("bo", "withdraw 1#1").await;
    assert!(w.ok("ana", "withdraw #1").await.contains("withdrawn"));
    w.refused("ana", "withdraw 1#1").await;
    let closed = w.ok("admin", "award close 1").await;
    assert!(closed.contains("no nomination stands"), "{closed}");
    assert!(closed.contains("nobody on its ballot"), "{closed}");
    let late = w
        .refused("ana", r#"nominate 1 award KE "Late Entry" Too late."#)
        .await;
    assert!(late.contains("closed on"), "{late}");
}

/// The pixels of a PNG, as RGB triples, decoded independently of the encoder.
fn pixels(png: &[u8]) -> Vec<[u8; 3]> {
    use zune_png::PngDecoder;
    let mut decoder = PngDecoder::new(std::io::Cursor::new(png));
    let raw = decoder.decode_raw().expect("the chart decodes as a PNG");
    raw.chunks_exact(3).map(|p| [p[0], p[1], p[2]]).collect()
}

#[tokio::test]
async fn a_secret_ballot_typed_in_a_shared_room_is_refused_unread_and_sent_to_the_voters_direct_chat() {
    let w = World::new().await;
    w.ok("admin", "award open --seconds 0 Secret Awards").await;
    w.ok("ana", r#"nominate 1 award KE "Jane Doe" Why."#).await;
    w.ok("bo", r#"nominate 1 award NG "Musa Bello" Why."#).await;
    w.ok("admin", "award close 1").await;
    let store = w.store().clone();
    // Voting opened: every peer got the ballot in their own chat.
    let opened = outbox(&store, "matrix").await;
    assert!(
        opened
            .iter()
            .any(|r| r.receiver == "matrix:@chi:example.org" && r.body_markdown.contains("Vote here")),
        "{opened:?}"
    );

    // Typed in the shared room: refused in one sentence, nothing recorded, the ballot not echoed.
    let before = w.snapshot().await;
    let refused = w
        .reply("chi", "vote 1 #2 > #1", false, Outcome::UserError)
        .await
        .markdown;
    assert!(refused.contains("secret ballot"), "{refused}");
    assert!(refused.contains("direct chat"), "{refused}");
    assert!(!refused.contains('#') && !refused.contains('>'), "{refused}");
    assert_eq!(refused.lines().count(), 1, "{refused}");
    assert_eq!(w.snapshot().await, before, "nothing changed");
    let turnout = w.ok("chi", "turnout 1").await;
    assert!(turnout.contains("0 people have voted"), "{turnout}");

    // …and the ballot goes to chi's direct chat, with no trace of what was typed.
    let sent = outbox(&store, "matrix").await;
    assert_eq!(sent.len(), 1, "{sent:?}");
    assert_eq!(sent[0].receiver, "matrix:@chi:example.org");
    assert!(
        sent[0].body_markdown.contains("Vote here"),
        "{}",
        sent[0].body_markdown
    );
    assert!(!sent[0].body_markdown.contains('>'), "{}", sent[0].body_markdown);
    // Someone who may not vote hears why, and gets no ballot.
    let stranger = w
        .reply("zed", "vote 1 #2 > #1", false, Outcome::UserError)
        .await
        .markdown;
    assert!(stranger.contains("role peer"), "{stranger}");
    assert!(outbox(&store, "matrix").await.is_empty());
    let audit = store.audit_log(None, 1000).await.expect("audit");
    assert!(
        audit.iter().all(|e| !format!("{e:?}").contains("#2 > #1")),
        "no ballot in the audit log"
    );

    // In the direct chat the ballot is taken; on the console nothing changed (one operator).
    let cast = w.reply("chi", "vote 1 #2 > #1", true, Outcome::Ok).await.markdown;
    assert!(cast.contains("is recorded"), "{cast}");
    let turnout = w.ok("chi", "turnout 1").await;
    assert!(turnout.contains("one person has voted"), "{turnout}");
    let console = w.chat.handle(&Caller::console(), "vote 1 #1").await;
    assert_eq!(console.outcome, Outcome::Ok, "{}", console.markdown);
    assert!(console.markdown.contains("is recorded"), "{}", console.markdown);

    // The results come with their chart: a PNG with a bar per nominee, the elected one in its
    // colour; Schulze's bars are head-to-head wins, and the note says so.
    w.reply("ana", "vote 1 #2", true, Outcome::Ok).await;
    w.ok("admin", "award close 1").await;
    let results = w.reply("dee", "award results 1", false, Outcome::Ok).await;
    assert!(
        results.markdown.contains("Elected: Musa Bello (#2)"),
        "{}",
        results.markdown
    );
    let image = results.image.expect("the results have a chart");
    assert_eq!(image.name, "results-1.png");
    assert!(
        image.alt.contains("Musa Bello (#2) one win, elected"),
        "{}",
        image.alt
    );
    assert!(image.alt.contains("Jane Doe (#1) 0 wins"), "{}", image.alt);
    assert!(image.alt.contains("head-to-head"), "{}", image.alt);
    let (width, height) = vigie::chart::png_size(&image.png).expect("a PNG");
    assert_eq!(width, vigie::chart::WIDTH);
    assert!(height > 2 * vigie::chart::ROW, "{height}");
    let pixels = pixels(&image.png);
    assert!(
        pixels.iter().filter(|p| **p == vigie::chart::ELECTED).count()
            >= (vigie::chart::BAR_HEIGHT * 10) as usize,
        "the elected nominee's bar is drawn in its colour"
    );
    // The other nominee beat nobody: no bar, only its value.
    assert_eq!(pixels.iter().filter(|p| **p == vigie::chart::OTHER).count(), 0);
}

#[tokio::test]
async fn an_open_ballot_is_cast_in_the_room_and_its_chart_shows_the_last_rounds_votes() {
    let w = World::new().await;
    w.ok(
        "admin",
        "award open --public --seconds 0 --method irv Open Awards",
    )
    .await;
    for (who, name) in [("ana", "Jane Doe"), ("bo", "Musa Bello"), ("chi", "Marie Curie")] {
        w.ok(who, &format!(r#"nominate 1 award KE "{name}" Why."#)).await;
    }
    w.ok("admin", "award close 1").await;
    assert!(
        outbox(w.store(), "matrix").await.is_empty(),
        "no personal ballots for an open vote"
    );
    for (who, ballot) in [
        ("ana", "vote 1 #1 > #3"),
        ("bo", "vote 1 #2 > #3"),
        ("dee", "vote 1 #2"),
        ("eve", "vote 1 #3 > #1"),
        ("fay", "vote 1 #1"),
    ] {
        w.reply(who, ballot, false, Outcome::Ok).await;
    }
    w.ok("admin", "award close 1").await;
    let results = w.reply("ana", "award results 1", false, Outcome::Ok).await;
    let image = results.image.expect("a chart");
    // IRV: Marie Curie (1 vote) is excluded first, her ballot goes to Jane Doe: 3 to 2.
    assert!(image.alt.contains("last round"), "{}", image.alt);
    assert!(image.alt.contains("Jane Doe (#1) 3, elected"), "{}", image.alt);
    assert!(image.alt.contains("Musa Bello (#2) 2"), "{}", image.alt);
    assert!(image.alt.contains("Marie Curie (#3) 1"), "{}", image.alt);
    let pixels = pixels(&image.png);
    let elected = pixels.iter().filter(|p| **p == vigie::chart::ELECTED).count();
    let other = pixels.iter().filter(|p| **p == vigie::chart::OTHER).count();
    // Bars in proportion: 3 for the elected, 2 + 1 for the others.
    let ratio = other as f64 / elected as f64;
    assert!(
        (ratio - 1.0).abs() < 0.05,
        "{elected} elected pixels, {other} others"
    );
}

#[tokio::test]
async fn a_chart_of_several_categories_names_each_and_scales_each_to_its_own_leader() {
    let w = World::new().await;
    w.ok(
        "admin",
        "award open --public --seconds 0 --method plurality --categories a,b Two categories",
    )
    .await;
    for (who, line) in [
        ("ana", r#"nominate 1 a KE "Jane Doe" Why."#),
        ("bo", r#"nominate 1 a NG "Musa Bello" Why."#),
        ("chi", r#"nominate 1 b FR "Marie Curie" Why."#),
        ("dee", r#"nominate 1 b BR "Ana Souza" Why."#),
    ] {
        w.ok(who, line).await;
    }
    w.ok("admin", "award close 1").await;
    // a: Jane Doe 4 to 1; b: Ana Souza 2 to 1.
    for (who, line) in [
        ("ana", "vote 1 a #1"),
        ("bo", "vote 1 a #1"),
        ("chi", "vote 1 a #1"),
        ("dee", "vote 1 a #1"),
        ("eve", "vote 1 a #2"),
        ("ana", "vote 1 b #4"),
        ("bo", "vote 1 b #4"),
        ("eve", "vote 1 b #3"),
    ] {
        w.reply(who, line, false, Outcome::Ok).await;
    }
    w.ok("admin", "award close 1").await;
    let image = w
        .reply("fay", "award results 1", false, Outcome::Ok)
        .await
        .image
        .expect("a chart");
    for expected in [
        "a: Jane Doe (#1) 4, elected",
        "a: Musa Bello (#2) 1",
        "b: Ana Souza (#4) 2, elected",
        "b: Marie Curie (#3) 1",
        "a: plurality · bars: votes; b: plurality · bars: votes",
    ] {
        assert!(image.alt.contains(expected), "{expected}: {}", image.alt);
    }
    // Highest first within each category.
    let jane = image.alt.find("Jane Doe").expect("Jane Doe");
    let musa = image.alt.find("Musa Bello").expect("Musa Bello");
    assert!(jane < musa, "{}", image.alt);
    // Each leader's bar is full length, whatever its count: two elected bars of one size.
    let pixels = pixels(&image.png);
    let elected = pixels.iter().filter(|p| **p == vigie::chart::ELECTED).count();
    let one_bar = elected / 2;
    assert_eq!(elected % 2, 0, "{elected}");
    let other = pixels.iter().filter(|p| **p == vigie::chart::OTHER).count();
    // Musa Bello at 1/4 of a bar, Marie Curie at 1/2.
    let expected = one_bar as f64 * 0.75;
    assert!(
        (other as f64 - expected).abs() / expected < 0.05,
        "{other} pixels for the others, {one_bar} per full bar"
    );
}

#[tokio::test]
async fn a_peer_from_kenya_sits_out_a_category_with_a_kenyan_nominee_when_the_rules_recuse_by_country() {
    let w = World::new().await;
    let added = w
        .ok(
            "admin",
            r#"peers add @ana:example.org --region africa --country ke --organisation "Open Data Kenya""#,
        )
        .await;
    assert!(
        added.contains("country KE, organisation Open Data Kenya"),
        "{added}"
    );
    let listed = w.ok("bo", "peers list").await;
    assert!(
        listed
            .contains("ana:example.org: peer, africa-middle-east, country KE, organisation Open Data Kenya"),
        "{listed}"
    );
    // A subdivision is not a peer's country; a recusal rule must be one Vigie knows.
    let subdivision = w
        .refused("admin", "peers add @bo:example.org --country KE-30")
        .await;
    assert!(
        subdivision.contains("KE-30") && subdivision.contains("KE."),
        "{subdivision}"
    );
    let unknown = w.refused("admin", "award open --recuse-same region Awards").await;
    assert!(unknown.contains("country,organisation"), "{unknown}");

    let opened = w
        .ok(
            "admin",
            r#"award open --recuse-same country --categories "champion,local" Open Gov Awards"#,
        )
        .await;
    assert!(
        opened.contains("Automatic recusal: a voter sits out a category with a nominee of their country"),
        "{opened}"
    );
    w.ok("bo", r#"nominate 1 champion KE "Jane Doe" Led the reform."#)
        .await;
    w.ok("chi", r#"nominate 1 champion NG "Musa Bello" Opened the budget."#)
        .await;
    w.ok("bo", r#"nominate 1 local FR "Marie Curie" Opened the data."#)
        .await;
    w.ok("chi", "second 1#1").await;
    w.ok("bo", "second 1#2").await;
    w.ok("chi", "second 1#3").await;
    w.ok("admin", "award close 1").await;

    // Ana is from KE like the nominee of #1: she sits out champion, and only champion.
    let recused = w.refused("ana", "vote 1 champion #2 > #1").await;
    assert!(
        recused.contains("recused from #1") && recused.contains("you and the nominee are both from KE"),
        "{recused}"
    );
    w.ok("ana", "vote 1 local #3").await;
    w.ok("bo", "vote 1 champion #1 > #2").await;

    // The default rules recuse by organisation only: Ana votes on a Kenyan nominee, but not on
    // one of her own organisation (written differently).
    w.ok("admin", "award open Second Awards").await;
    let shown = w.ok("ana", "award show 2").await;
    assert!(shown.contains("a nominee of their organisation"), "{shown}");
    w.ok("bo", r#"nominate 2 award KE "Jane Doe" Led the reform."#)
        .await;
    w.ok(
        "chi",
        r#"nominate 2 award KE "Amina Odhiambo" --organisation "open data  kenya" Built the portal."#,
    )
    .await;
    w.ok("chi", "second 2#1").await;
    w.ok("bo", "second 2#2").await;
    w.ok("admin", "award close 2").await;
    let recused = w.refused("ana", "vote 2 #1 > #2").await;
    assert!(
        recused.contains("recused from #2") && recused.contains("both with open data kenya"),
        "{recused}"
    );
}

#[tokio::test]
async fn a_category_short_of_its_quorum_has_no_result_and_only_an_admin_certifies_the_campaign() {
    let w = World::new().await;
    // A share of the roll needs a roll; a quorum is a number, a share or both.
    let share = w.refused("admin", "award open --quorum 30% Awards").await;
    assert!(share.contains("30%") && share.contains("roll"), "{share}");
    w.refused("admin", "award open --quorum lots Awards").await;
    w.refused("admin", r#"award open --categories "a:irv:2" Awards"#)
        .await;
    assert!(w.store().award_campaigns().await.expect("campaigns").is_empty());

    let opened = w
        .ok(
            "admin",
            r#"award open --quorum 3 --categories "champion:irv=Open Gov Champion, local:stv:2" Quorum Awards"#,
        )
        .await;
    assert!(
        opened.contains("`champion` “Open Gov Champion”: irv, 1 seat(s)"),
        "{opened}"
    );
    assert!(
        opened.contains("`local` “local”: stv-scottish, 2 seat(s)"),
        "{opened}"
    );
    assert!(
        opened.contains("Quorum: 3 ballot(s) in each category"),
        "{opened}"
    );
    for (who, line) in [
        ("ana", r#"nominate 1 champion KE "Jane Doe" Why."#),
        ("bo", r#"nominate 1 champion NG "Musa Bello" Why."#),
        ("ana", r#"nominate 1 local FR "Marie Curie" Why."#),
        ("bo", r#"nominate 1 local ES "Ada Lovelace" Why."#),
        ("bo", r#"nominate 1 local PT "Rosa Parks" Why."#),
        ("chi", "second 1#1"),
        ("chi", "second 1#2"),
        ("chi", "second 1#3"),
        ("chi", "second 1#4"),
        ("chi", "second 1#5"),
    ] {
        w.ok(who, line).await;
    }
    w.ok("admin", "award close 1").await;
    // Certifying needs a closed vote.
    let early = w.refused("admin", "award certify 1").await;
    assert!(early.contains("cannot be certified"), "{early}");
    for who in ["ana", "bo", "chi"] {
        w.ok(who, "vote 1 champion #1 > #2").await;
    }
    w.ok("dee", "vote 1 local #3 > #4").await;
    let closed = w.ok("admin", "award close 1").await;
    assert!(closed.contains("Provisional"), "{closed}");

    let results = w.ok("eve", "award results 1").await;
    assert!(
        results.contains("Quorum met: 3 ballot(s), 3 needed.") && results.contains("Elected: Jane Doe (#1)"),
        "{results}"
    );
    assert!(
        results.contains("Category “local” had 1 ballot(s), short of its quorum of 3; it has no result."),
        "{results}"
    );
    assert_eq!(
        results.matches("short of its quorum").count(),
        1,
        "said once: {results}"
    );

    // Only an admin certifies, once; the step is in the audit log like the others.
    let refused = w.say("ana", "award certify 1", Outcome::Refused).await;
    assert!(refused.contains("award certify"), "{refused}");
    let certified = w.ok("admin", "award certify 1").await;
    assert!(
        certified.contains("is certified: its results are final"),
        "{certified}"
    );
    let audit = w.store().audit_log(Some("award:1"), 1000).await.expect("audit");
    assert!(
        audit.iter().any(|e| e.action == "award.transition"
            && e.actor == "matrix:@admin:example.org"
            && e.detail.as_deref() == Some("be certified")),
        "{audit:?}"
    );
    let results = w.ok("eve", "award results 1").await;
    assert!(results.contains("Certified on "), "{results}");
    assert!(!results.contains("Provisional"), "{results}");
    let shown = w.ok("eve", "award show 1").await;
    assert!(shown.contains("certified"), "{shown}");
    let again = w.refused("admin", "award certify 1").await;
    assert!(again.contains("certified"), "{again}");
    w.refused("admin", "award close 1").await;
}
