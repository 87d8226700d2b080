//! The alert commands as every platform sees them: `silence`, `silences`, `unsilence`, `why`,
//! `digest now` and `audit`, on a real SQLite store with the bundled data and default rules.

use std::sync::Arc;

use vigie::alert::Alerts;
use vigie::chat::{Caller, Chat, Platform};
use vigie::metrics::Outcome;

use crate::chat::{World, world};
use vigie_storage::{Peer, Role};

const ROOM: &str = "matrix:!room:example.org";

/// A world whose chat has the alert side, as `vigie run` gives it.
async fn world_with_alerts() -> (World, Arc<Alerts>) {
    let w = world().await;
    let alerts = Alerts::from_engine(w.chat.engine());
    let chat = w.chat.clone().with_alerts(alerts.clone());
    (World { chat, ..w }, alerts)
}

fn matrix(user: &str, room_admin: bool) -> Caller {
    Caller {
        platform: Platform::Matrix,
        user: format!("matrix:{user}"),
        room: ROOM.into(),
        room_admin,
        direct: false,
    }
}

async fn peer(chat: &Chat, user: &str) -> Caller {
    chat.store()
        .put_peer(&Peer {
            user: format!("matrix:{user}"),
            role: Role::Peer,
            region: None,
            country: None,
            organisation: None,
            added_by: "test".into(),
            added_at: chrono::Utc::now(),
        })
        .await
        .unwrap();
    matrix(user, false)
}

/// Asserts the reply is one sentence (one line ending with a full stop) and returns it.
fn one_sentence(reply: &vigie::chat::Reply) -> &str {
    let text = reply.markdown.as_str();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.ends_with('.'), "{text}");
    text
}

async fn actions(chat: &Chat, target: &str) -> Vec<String> {
    chat.store()
        .audit_log(Some(target), 20)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

#[tokio::test]
async fn a_peers_silence_is_listed_audited_and_ended_by_unsilence() {
    let w = world().await;
    let amina = peer(&w.chat, "@amina:example.org").await;
    let stranger = matrix("@stranger:example.org", false);

    let made = w
        .chat
        .handle(&amina, "silence country=KE 7d \"campaign pause\"")
        .await;
    assert_eq!(made.outcome, Outcome::Ok, "{}", made.markdown);
    assert!(
        made.markdown.starts_with("Silence #1 is on until ")
            && made.markdown.contains("`country=\"KE\"`")
            && made.markdown.contains("`unsilence 1`"),
        "{}",
        made.markdown
    );
    let stored = w.chat.store().silence(1).await.unwrap().expect("silence 1");
    assert_eq!(stored.matchers, ["country=\"KE\""]);
    assert_eq!(stored.author, "matrix:@amina:example.org");
    assert_eq!(stored.comment, "campaign pause");
    let days = (stored.ends_at - stored.starts_at).num_days();
    assert_eq!(days, 7);

    // Anyone may list the silences.
    let listed = w.chat.handle(&stranger, "silences").await;
    assert_eq!(listed.outcome, Outcome::Ok, "{}", listed.markdown);
    assert!(
        listed.markdown.starts_with("One silence is active:")
            && listed.markdown.contains("`#1` `country=\"KE\"` until ")
            && listed.markdown.contains("by @amina:example.org: campaign pause"),
        "{}",
        listed.markdown
    );
    assert_eq!(actions(&w.chat, "silence:1").await, ["silence.add"]);

    let ended = w.chat.handle(&amina, "unsilence 1").await;
    assert_eq!(
        ended.markdown,
        "Silence #1 is ended: the alerts it muted are notified again."
    );
    assert_eq!(ended.outcome, Outcome::Ok);
    let none = w.chat.handle(&stranger, "silences").await;
    assert!(
        none.markdown.starts_with("No silence is active"),
        "{}",
        none.markdown
    );
    assert_eq!(
        actions(&w.chat, "silence:1").await,
        ["silence.expire", "silence.add"]
    );
    // Ending it again changes nothing and says so.
    let again = w.chat.handle(&amina, "unsilence #1").await;
    assert_eq!(again.outcome, Outcome::UserError);
    assert_eq!(
        one_sentence(&again),
        "Silence #1 has already ended; nothing changed."
    );
    assert_eq!(actions(&w.chat, "silence:1").await.len(), 2);
    let unknown = w.chat.handle(&amina, "unsilence 42").await;
    assert_eq!(
        one_sentence(&unknown),
        "There is no silence #42; `silences` lists the active ones."
    );
}

#[tokio::test]
async fn a_person_who_is_not_a_peer_cannot_silence_unsilence_digest_or_audit() {
    let w = world().await;
    let amina = peer(&w.chat, "@amina:example.org").await;
    let made = w.chat.handle(&amina, "silence country=KE 7d pause").await;
    assert_eq!(made.outcome, Outcome::Ok, "{}", made.markdown);
    let stranger = matrix("@stranger:example.org", false);
    for line in [
        "silence country=TZ 7d pause",
        "unsilence 1",
        "digest now",
        "audit",
    ] {
        let reply = w.chat.handle(&stranger, line).await;
        assert_eq!(reply.outcome, Outcome::Refused, "{line}: {}", reply.markdown);
        assert!(
            one_sentence(&reply).contains("ask an admin to add you with `peers add`"),
            "{line}: {}",
            reply.markdown
        );
    }
    // The audit log is for admins, not peers.
    let audit = w.chat.handle(&amina, "audit").await;
    assert_eq!(audit.outcome, Outcome::Refused, "{}", audit.markdown);
    assert!(audit.markdown.contains("is for admins"), "{}", audit.markdown);
    let silences = w.chat.store().silences().await.unwrap();
    assert_eq!(silences.len(), 1);
    assert!(silences[0].expired_at.is_none());
}

#[tokio::test]
async fn malformed_or_too_wide_matchers_get_one_sentence_in_the_callers_language() {
    let w = world().await;
    let amina = peer(&w.chat, "@amina:example.org").await;
    let cases = [
        (
            "silence KE 7d pause",
            "“KE” is not valid here; expected label matchers such as country=KE, priority!=low or region=~\"europe|americas\".",
        ),
        (
            "silence region=~\"europe|(\" 7d pause",
            "“region=~\"europe|(\"” is not valid here; expected label matchers such as country=KE, priority!=low or region=~\"europe|americas\".",
        ),
        (
            "silence country=KE 7d",
            "`silence` needs REASON; expected `silence MATCHERS… DURATION REASON…`.",
        ),
        (
            "silence theme!=climate 7d would catch everything",
            "`theme!=\"climate\"` would silence every alert; expected at least one matcher that alerts must have, such as country=KE or window=w-2aa8f74113a8.",
        ),
    ];
    for (line, expected) in cases {
        let reply = w.chat.handle(&amina, line).await;
        assert_eq!(reply.outcome, Outcome::UserError, "{line}");
        assert_eq!(one_sentence(&reply), expected, "{line}");
    }
    w.chat.handle(&amina, "language fr").await;
    let reply = w.chat.handle(&amina, "silence KE 7d pause").await;
    assert!(
        one_sentence(&reply).contains("attendu\u{202f}: des filtres d'étiquettes"),
        "{}",
        reply.markdown
    );
    assert!(w.chat.store().silences().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_audit_log_shows_the_latest_changes_newest_first_to_admins() {
    let w = world().await;
    let amina = peer(&w.chat, "@amina:example.org").await;
    let secretariat = matrix("@sec:example.org", true);
    assert_eq!(
        w.chat.handle(&amina, "silence country=KE 7d first").await.outcome,
        Outcome::Ok
    );
    assert_eq!(w.chat.handle(&amina, "unsilence 1").await.outcome, Outcome::Ok);

    let about = w.chat.handle(&secretariat, "audit silence:1").await;
    assert_eq!(about.outcome, Outcome::Ok, "{}", about.markdown);
    let lines: Vec<&str> = about.markdown.lines().collect();
    assert_eq!(
        lines[0], "The latest changes to `silence:1`, newest first:",
        "{}",
        about.markdown
    );
    assert_eq!(lines.len(), 3, "{}", about.markdown);
    assert!(
        lines[1].contains("@amina:example.org: `silence.expire` silence:1"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].contains("`silence.add` silence:1: country=\"KE\" until ") && lines[2].ends_with(": first"),
        "{}",
        lines[2]
    );
    let everything = w.chat.handle(&secretariat, "audit").await;
    assert!(
        everything
            .markdown
            .starts_with("The latest changes, newest first:"),
        "{}",
        everything.markdown
    );
    let nothing = w.chat.handle(&secretariat, "audit w-2aa8f74113a8").await;
    assert_eq!(
        nothing.markdown,
        "The audit log has nothing about `w-2aa8f74113a8` yet."
    );
    let bad = w.chat.handle(&secretariat, "audit everything").await;
    assert_eq!(bad.outcome, Outcome::UserError);
    one_sentence(&bad);
}

/// An open window of the bundled data, and its country.
fn open_window(chat: &Chat) -> (String, String) {
    let snapshot = chat.engine().snapshot();
    let w = snapshot
        .windows
        .iter()
        .find(|w| w.state.is_open())
        .expect("an open window in the bundled data");
    (w.id.to_string(), w.jurisdiction.country().to_string())
}

#[tokio::test]
async fn why_says_whether_a_window_is_notified_here_and_what_mutes_it() {
    let (w, alerts) = world_with_alerts().await;
    let (id, country) = open_window(&w.chat);
    let amina = peer(&w.chat, "@amina:example.org").await;
    let stranger = matrix("@stranger:example.org", false);
    let why = format!("why {id}");

    // Before the first step there is no alert yet.
    let early = w.chat.handle(&stranger, &why).await;
    assert_eq!(early.outcome, Outcome::Ok, "{}", early.markdown);
    assert!(early.markdown.contains("has no alert yet"), "{}", early.markdown);

    alerts.step_at(chrono::Utc::now()).await.unwrap();
    let not_here = w.chat.handle(&stranger, &why).await;
    assert_eq!(
        not_here.markdown.lines().next(),
        Some(format!("`{id}` is not sent to this room: no route or subscription there matches it.").as_str()),
        "{}",
        not_here.markdown
    );

    let subscribed = w
        .chat
        .handle(&amina, &format!("subscribe country:{country}"))
        .await;
    assert_eq!(subscribed.outcome, Outcome::Ok, "{}", subscribed.markdown);
    alerts.step_at(chrono::Utc::now()).await.unwrap();
    let routed = w.chat.handle(&stranger, &why).await;
    assert_eq!(routed.outcome, Outcome::Ok, "{}", routed.markdown);
    let first = routed.markdown.lines().next().unwrap_or_default();
    assert!(
        first.starts_with(&format!("`{id}` will be notified in this room at "))
            || first.starts_with(&format!("this room was told about `{id}` on ")),
        "{}",
        routed.markdown
    );
    assert!(
        routed.markdown.contains(&format!("(`country=\"{country}\"`)")),
        "the route is named: {}",
        routed.markdown
    );
    assert!(!routed.markdown.contains("mutes"), "{}", routed.markdown);

    // A peer silences the window: `why` says so, and by whom.
    let made = w
        .chat
        .handle(
            &amina,
            &format!("silence window={id} 7d met the minister already"),
        )
        .await;
    assert_eq!(made.outcome, Outcome::Ok, "{}", made.markdown);
    let muted = w.chat.handle(&stranger, &why).await;
    let lines: Vec<&str> = muted.markdown.lines().collect();
    assert_eq!(
        lines[0],
        format!("`{id}` is muted, so this room is not told about it."),
        "{}",
        muted.markdown
    );
    assert!(
        lines.contains(&"What mutes or delays it:")
            && lines
                .iter()
                .any(|l| l.starts_with("- silence `#1` by @amina:example.org until ")
                    && l.ends_with(": met the minister already")),
        "{}",
        muted.markdown
    );

    // Asked about another room, the answer is about that room.
    let other = w
        .chat
        .handle(&stranger, &format!("why {id} !elsewhere:example.org"))
        .await;
    assert!(
        other
            .markdown
            .starts_with(&format!("`{id}` is not sent to `!elsewhere:example.org`")),
        "{}",
        other.markdown
    );

    // Ended, the silence no longer mutes.
    assert_eq!(w.chat.handle(&amina, "unsilence 1").await.outcome, Outcome::Ok);
    let again = w.chat.handle(&stranger, &why).await;
    assert!(!again.markdown.contains("is muted"), "{}", again.markdown);

    let unknown = w.chat.handle(&stranger, "why w-000000000000").await;
    assert_eq!(unknown.outcome, Outcome::UserError);
    assert!(
        one_sentence(&unknown).starts_with("There is no window w-000000000000"),
        "{}",
        unknown.markdown
    );

    // In the caller's language.
    w.chat.handle(&stranger, "language es").await;
    let spanish = w.chat.handle(&stranger, &why).await;
    assert!(
        spanish.markdown.contains("esta sala") && spanish.markdown.contains("Rutas:"),
        "{}",
        spanish.markdown
    );
}

#[tokio::test]
async fn digest_now_answers_with_the_rooms_digest_and_both_commands_say_when_alerts_are_off() {
    let (w, _alerts) = world_with_alerts().await;
    let amina = peer(&w.chat, "@amina:example.org").await;
    let digest = w.chat.handle(&amina, "digest now").await;
    assert_eq!(digest.outcome, Outcome::Ok, "{}", digest.markdown);
    assert!(!digest.markdown.trim().is_empty());

    let plain = world().await;
    let amina = peer(&plain.chat, "@amina:example.org").await;
    let (id, _) = open_window(&plain.chat);
    for line in ["digest now".to_owned(), format!("why {id}")] {
        let reply = plain.chat.handle(&amina, &line).await;
        assert_eq!(reply.outcome, Outcome::UserError, "{line}");
        assert_eq!(
            one_sentence(&reply),
            "Alerts are not running in this Vigie; an admin turns them on in the [alerts] section of config.toml.",
            "{line}"
        );
    }
}
