//! The command layer as every platform sees it: who may do what, in which language, and that a
//! refused command changes nothing. Real SQLite store, bundled data, default rules.

use std::sync::Arc;

use vigie::chat::{Caller, Chat, Platform};
use vigie::config::{ConfigSource, load};
use vigie::engine::Engine;
use vigie::metrics::{Metrics, Outcome};
use vigie_storage::{Peer, Role};

/// A store synced with the bundled feeds, windows evaluated, and a chat over it.
pub struct World {
    pub _dir: tempfile::TempDir,
    pub chat: Chat,
}

pub async fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let config = load(ConfigSource::Default, Vec::new()).unwrap();
    let url = format!("sqlite:{}", dir.path().join("vigie.db").display());
    let store = vigie_storage::Store::open(&url).await.unwrap();
    let engine: Arc<Engine> = Engine::new(config.clone(), store).await.unwrap();
    for feed in &config.feeds {
        engine.sync(feed).await.unwrap();
    }
    engine.evaluate(chrono::Utc::now().date_naive()).await.unwrap();
    World {
        _dir: dir,
        chat: Chat::new(engine, Metrics::new()),
    }
}

fn matrix(user: &str, room_admin: bool) -> Caller {
    Caller {
        platform: Platform::Matrix,
        user: format!("matrix:{user}"),
        room: "matrix:!room:example.org".into(),
        room_admin,
        direct: false,
    }
}

fn open_window(chat: &Chat) -> String {
    chat.engine()
        .snapshot()
        .windows
        .iter()
        .find(|w| w.state.is_open())
        .expect("an open window in the bundled data")
        .id
        .to_string()
}

#[tokio::test]
async fn a_person_who_is_not_a_peer_is_refused_peer_commands_and_nothing_changes() {
    let w = world().await;
    let id = open_window(&w.chat);
    let stranger = matrix("@stranger:example.org", false);
    for line in [
        format!("window claim {id}"),
        format!("window note {id} hello"),
        "subscribe country:KE".to_owned(),
        "peers add @x:example.org".to_owned(),
        "feeds sync".to_owned(),
    ] {
        let reply = w.chat.handle(&stranger, &line).await;
        assert_eq!(reply.outcome, Outcome::Refused, "{line}: {}", reply.markdown);
        assert!(
            reply
                .markdown
                .contains("ask an admin to add you with `peers add`"),
            "{}",
            reply.markdown
        );
    }
    let store = w.chat.store();
    assert!(
        store
            .audit_log(None, 100)
            .await
            .unwrap()
            .iter()
            .all(|e| e.actor == "config")
    );
    assert_eq!(store.follow_up(&id).await.unwrap(), None);
    assert!(store.subscriptions(None).await.unwrap().is_empty());
    // Reading is for anyone.
    let reply = w.chat.handle(&stranger, &format!("window show {id}")).await;
    assert_eq!(reply.outcome, Outcome::Ok, "{}", reply.markdown);
}

#[tokio::test]
async fn a_peer_claims_and_another_peer_is_told_who_holds_the_window() {
    let w = world().await;
    let id = open_window(&w.chat);
    let now = chrono::Utc::now();
    for user in ["matrix:@amina:example.org", "matrix:@bruno:example.org"] {
        w.chat
            .store()
            .put_peer(&Peer {
                user: user.into(),
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
    let amina = matrix("@amina:example.org", false);
    let bruno = matrix("@bruno:example.org", false);
    let claimed = w.chat.handle(&amina, &format!("window claim {id}")).await;
    assert_eq!(claimed.outcome, Outcome::Ok, "{}", claimed.markdown);
    let taken = w.chat.handle(&bruno, &format!("window claim {id}")).await;
    assert_eq!(taken.outcome, Outcome::UserError);
    assert_eq!(
        taken.markdown,
        format!(
            "`{id}` is already claimed by @amina:example.org; ask them, or an admin, to release it first."
        )
    );
    let not_yours = w.chat.handle(&bruno, &format!("window release {id}")).await;
    assert!(
        not_yours.markdown.contains("not by you"),
        "{}",
        not_yours.markdown
    );
    // A room admin (power level) may release anyone's claim.
    let moderator = matrix("@mod:example.org", true);
    let released = w.chat.handle(&moderator, &format!("window release {id}")).await;
    assert_eq!(released.outcome, Outcome::Ok, "{}", released.markdown);
    let log = w.chat.store().audit_log(Some(&id), 10).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["window.release", "window.claim"]);
}

#[tokio::test]
async fn the_language_is_the_persons_then_the_rooms_then_the_default() {
    let w = world().await;
    let admin = matrix("@sec:example.org", true);
    let other = matrix("@other:example.org", false);
    assert_eq!(
        w.chat.handle(&admin, "language es --room").await.markdown,
        "Desde ahora, en esta sala, respondo en español."
    );
    let help = w.chat.handle(&other, "help").await.markdown;
    assert!(help.starts_with("**Comandos de Vigie**"), "{help}");
    assert_eq!(
        w.chat.handle(&other, "language fr").await.markdown,
        "Désormais je vous réponds en français."
    );
    let help = w.chat.handle(&other, "help").await.markdown;
    assert!(help.starts_with("**Commandes de Vigie**"), "{help}");
    // A person who is not an admin cannot set the room's language.
    let refused = w.chat.handle(&other, "language en --room").await;
    assert_eq!(refused.outcome, Outcome::UserError, "{}", refused.markdown);
    let bad = w.chat.handle(&other, "windows --at 2021-02-30").await;
    assert_eq!(bad.outcome, Outcome::UserError);
    assert!(
        bad.markdown.contains("2021-02-30") && bad.markdown.contains("AAAA-MM-JJ"),
        "{}",
        bad.markdown
    );
    assert_eq!(bad.markdown.lines().count(), 1);
}
