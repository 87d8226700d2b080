//! Vigie on Matrix, end to end: the real `vigie` binary (`vigie run` with a `[matrix]` section)
//! on a real Synapse, driven by people who are matrix-sdk clients doing what a person does:
//! create rooms (encrypted or not), invite Vigie, type commands, read the replies.
//!
//! Every wait is on a condition with a deadline; replies are recognised by their relation to the
//! command event, and checked on stable facts (a notice, a window id, who claimed a window, a
//! French word), not on whole sentences.

use matrix_sdk::RoomState;
use matrix_sdk::ruma::events::relation::Thread;
use matrix_sdk::ruma::events::room::message::{Relation, ReplacementMetadata, RoomMessageEventContent};

use crate::matrix_harness::{Vigie, window_id, write_config};
use crate::synapse::{PASSWORD, Person, Synapse, user};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn vigie_answers_in_an_encrypted_room_survives_a_kill_as_the_same_device_and_a_logout_as_a_new_one() {
    let synapse = tokio::task::spawn_blocking(Synapse::shared).await.unwrap();
    let bot = synapse.register(&synapse.unique("vigie"));
    let peer = Person::new(synapse, "peer").await;
    let other = Person::new(synapse, "other").await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), synapse, &bot, &[peer.id.as_str()]);
    let vigie = Vigie::start(dir.path(), ("VIGIE_MATRIX__PASSWORD", PASSWORD));
    vigie.listening().await;

    let room = peer.create_room(true, &[&bot, other.id.as_str()]).await;
    other.join(&room).await;
    vigie.sees_member(&peer, &room, &bot, RoomState::Joined).await;
    let mut commands = Vec::new();

    // `windows` lists windows once Vigie has evaluated them (it may just be starting).
    let (command, reply) = vigie
        .eventually("a list of windows with an id", || async {
            let command = peer.say(&room, "!vigie windows").await;
            let reply = vigie.reply(&peer, &room, &command, &bot).await;
            window_id(reply.body()).map(|_| (command, reply))
        })
        .await;
    commands.push(command.clone());
    assert_eq!(reply.msgtype(), "m.notice", "{reply:?}");
    assert_eq!(reply.content()["format"], "org.matrix.custom.html", "{reply:?}");
    assert!(
        reply.content()["formatted_body"]
            .as_str()
            .is_some_and(|h| h.contains("<code>")),
        "{reply:?}"
    );
    assert_eq!(
        reply.content()["m.mentions"],
        serde_json::json!({"user_ids": [peer.id.as_str()]})
    );
    assert!(
        reply.event["type"] == "m.room.message" && reply.encrypted,
        "the reply is encrypted: {reply:?}"
    );
    let id = window_id(reply.body()).unwrap();

    let claim = peer.say(&room, &format!("!vigie window claim {id}")).await;
    let reply = vigie.reply(&peer, &room, &claim, &bot).await;
    assert!(reply.body().contains(&id), "{reply:?}");
    commands.push(claim);

    let subscribe = peer.say(&room, "!vigie subscribe country:KE").await;
    vigie.reply(&peer, &room, &subscribe, &bot).await;
    let subscriptions = peer.say(&room, "!vigie subscriptions").await;
    let reply = vigie.reply(&peer, &room, &subscriptions, &bot).await;
    assert!(reply.body().contains("KE"), "{reply:?}");
    commands.extend([subscribe, subscriptions]);

    // Bad input: one sentence naming the problem; nothing changes.
    let malformed = peer.say(&room, "!vigie window claim not-a-window").await;
    let reply = vigie.reply(&peer, &room, &malformed, &bot).await;
    assert!(
        reply.body().contains("not-a-window") && !reply.body().trim().contains('\n'),
        "{reply:?}"
    );
    commands.push(malformed);

    // A claim is for peers: someone else in the room is refused, and the claim stays the peer's.
    let refused = other.say(&room, &format!("!vigie window claim {id}")).await;
    vigie.reply(&other, &room, &refused, &bot).await;
    let show = peer.say(&room, &format!("!vigie window show {id}")).await;
    let reply = vigie.reply(&peer, &room, &show, &bot).await;
    assert!(reply.body().contains(peer.id.as_str()), "{reply:?}");
    assert!(!reply.body().contains(other.id.as_str()), "{reply:?}");
    commands.extend([refused, show]);

    let language = peer.say(&room, "!vigie language fr").await;
    vigie.reply(&peer, &room, &language, &bot).await;
    let help = peer.say(&room, "!vigie help").await;
    let reply = vigie.reply(&peer, &room, &help, &bot).await;
    assert!(reply.body().contains("Commandes"), "help in French: {reply:?}");
    commands.extend([language, help]);

    let devices = peer.devices_of(&bot).await;
    assert_eq!(devices.len(), 1, "{devices:?}");
    vigie.kill();
    drop(vigie);

    let vigie = Vigie::start(dir.path(), ("VIGIE_MATRIX__PASSWORD", PASSWORD));
    vigie.listening().await;
    assert_eq!(
        peer.devices_of(&bot).await,
        devices,
        "Vigie came back as another device"
    );
    let again = peer.say(&room, "!vigie windows").await;
    let reply = vigie.reply(&peer, &room, &again, &bot).await;
    assert!(reply.encrypted && window_id(reply.body()).is_some(), "{reply:?}");
    commands.push(again);

    // The homeserver logs Vigie's device out (an admin did, or the password changed): the device
    // and its keys are gone. Vigie comes back on its own as a new device, and still answers.
    let session: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("matrix-store/session.json")).unwrap())
            .unwrap();
    let token = session["access_token"].as_str().unwrap();
    let (status, answer) = synapse
        .request_as(
            Some(token),
            "POST",
            "/_matrix/client/v3/logout",
            Some(&serde_json::json!({})),
        )
        .unwrap();
    assert_eq!(status, 200, "{answer}");
    vigie
        .eventually("Vigie to log in again", || async {
            (vigie.logs().matches("Matrix: listening for commands").count() == 2).then_some(())
        })
        .await;
    let kept_aside = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("matrix-store.logged-out-")
        });
    assert!(kept_aside, "the old store is kept aside");
    let new_devices = peer.devices_of(&bot).await;
    assert!(
        new_devices.len() == 1 && new_devices != devices,
        "{new_devices:?} after {devices:?}"
    );
    let after_logout = peer.say(&room, "!vigie windows").await;
    let reply = vigie.reply(&peer, &room, &after_logout, &bot).await;
    assert!(reply.encrypted && window_id(reply.body()).is_some(), "{reply:?}");
    commands.push(after_logout);

    let answered = peer.replies_in_history(&room, &bot).await;
    for command in &commands {
        assert_eq!(
            answered.get(command),
            Some(&1),
            "replies to {command}: {answered:?}"
        );
    }
    assert!(
        answered.values().all(|n| *n == 1),
        "a command was answered twice: {answered:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn vigie_on_an_access_token_declines_strangers_honours_room_creators_and_answers_in_threads() {
    let synapse = tokio::task::spawn_blocking(Synapse::shared).await.unwrap();
    let localpart = synapse.unique("vigie");
    let bot = synapse.register(&localpart);
    let (token, device) = synapse.login(&localpart);
    let peer = Person::new(synapse, "peer").await;
    let creator = Person::new(synapse, "creator").await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), synapse, &bot, &[peer.id.as_str()]);
    let vigie = Vigie::start(dir.path(), ("VIGIE_MATRIX__ACCESS_TOKEN", &token));
    vigie.listening().await;
    assert_eq!(
        peer.devices_of(&bot).await,
        [device],
        "Vigie uses the device of its token"
    );

    // A stranger's invitation is declined.
    let stranger_room = creator.create_room(false, &[&bot]).await;
    vigie
        .sees_member(&creator, &stranger_room, &bot, RoomState::Left)
        .await;

    // The same stranger's room, when a peer invites Vigie: the creator of a version 12 room has
    // infinite power there, so is an admin of the room and may claim.
    let room = creator.create_room(false, &[peer.id.as_str()]).await;
    peer.join(&room).await;
    peer.client
        .get_room(&room)
        .unwrap()
        .invite_user_by_id(&user(&bot))
        .await
        .unwrap();
    vigie.sees_member(&creator, &room, &bot, RoomState::Joined).await;

    let (_, reply) = vigie
        .eventually("a list of windows with an id", || async {
            let command = creator.say(&room, "/windows").await;
            let reply = vigie.reply(&creator, &room, &command, &bot).await;
            window_id(reply.body()).map(|_| (command, reply))
        })
        .await;
    assert!(!reply.encrypted, "{reply:?}");
    let id = window_id(reply.body()).unwrap();
    let claim = creator.say(&room, &format!("/window claim {id}")).await;
    vigie.reply(&creator, &room, &claim, &bot).await;
    let show = creator.say(&room, &format!("!vigie window show {id}")).await;
    let reply = vigie.reply(&creator, &room, &show, &bot).await;
    assert!(reply.body().contains(creator.id.as_str()), "{reply:?}");

    // A command in a thread is answered in that thread, as a reply to the command.
    let root = creator.say(&room, "Who follows the elections?").await;
    let mut in_thread = RoomMessageEventContent::text_plain("!vigie help");
    in_thread.relates_to = Some(Relation::Thread(Thread::plain(root.clone(), root.clone())));
    let command = creator.send(&room, in_thread).await;
    let reply = vigie.reply(&creator, &room, &command, &bot).await;
    let relation = &reply.content()["m.relates_to"];
    assert_eq!(relation["rel_type"], "m.thread", "{reply:?}");
    assert_eq!(relation["event_id"], root.as_str(), "{reply:?}");
    assert_ne!(relation["is_falling_back"], true, "{reply:?}");

    // An encrypted message Vigie cannot decrypt gets one sentence saying so.
    let undecryptable = creator.send_undecryptable(&room).await;
    let reply = vigie.reply(&creator, &room, &undecryptable, &bot).await;
    assert!(reply.body().contains("decrypt"), "{reply:?}");
    assert_eq!(reply.msgtype(), "m.notice");

    // Chat, notices and edits are not commands: nothing answers them, and the command sent
    // after them (answered in order) shows they were passed over.
    let chat = creator.say(&room, "windows are nice").await;
    let notice = creator
        .send(&room, RoomMessageEventContent::notice_plain("!vigie windows"))
        .await;
    let edit = creator
        .send(
            &room,
            RoomMessageEventContent::text_plain("!vigie windows")
                .make_replacement(ReplacementMetadata::new(chat.clone(), None)),
        )
        .await;
    let last = creator.say(&room, "!vigie help").await;
    vigie.reply(&creator, &room, &last, &bot).await;
    let answered = creator.replies_in_history(&room, &bot).await;
    for ignored in [&chat, &notice, &edit] {
        assert_eq!(answered.get(ignored), None, "{answered:?}");
    }
    assert!(answered.values().all(|n| *n == 1), "{answered:?}");

    // Stopped as a service manager does, Vigie leaves Matrix cleanly and exits with success.
    assert!(vigie.terminate().await.success(), "{}", vigie.logs());
}

/// The console and Matrix share one command layer: the same lines get the same answers, word
/// for word (the Matrix `body` is the Markdown the console prints).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_console_and_matrix_give_the_same_answers_to_the_same_commands() {
    let synapse = tokio::task::spawn_blocking(Synapse::shared).await.unwrap();
    let bot = synapse.register(&synapse.unique("vigie"));
    let peer = Person::new(synapse, "peer").await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), synapse, &bot, &[peer.id.as_str()]);
    let vigie = Vigie::start(dir.path(), ("VIGIE_MATRIX__PASSWORD", PASSWORD));
    vigie.listening().await;
    let room = peer.create_room(false, &[&bot]).await;
    vigie.sees_member(&peer, &room, &bot, RoomState::Joined).await;

    let (_, windows) = vigie
        .eventually("a list of windows with an id", || async {
            let command = peer.say(&room, "!vigie windows").await;
            let reply = vigie.reply(&peer, &room, &command, &bot).await;
            window_id(reply.body()).map(|_| (command, reply))
        })
        .await;
    let id = window_id(windows.body()).unwrap();
    let lines = [
        "help".to_owned(),
        "help window claim".to_owned(),
        "windows".to_owned(),
        "windows europe --within 365d".to_owned(),
        format!("window show {id}"),
        "calendar KE --from 2026-01-01 --to 2029-12-31".to_owned(),
        "member KE".to_owned(),
        "windows NL --at 2021-01-01".to_owned(),
        "windwos".to_owned(),
        "window claim 12345".to_owned(),
        "subscribe planet:mars".to_owned(),
    ];
    let mut on_matrix = Vec::new();
    for line in &lines {
        let command = peer.say(&room, &format!("!vigie {line}")).await;
        on_matrix.push(vigie.reply(&peer, &room, &command, &bot).await.body().to_owned());
    }
    vigie.kill();

    let sandbox = crate::Sandbox::new("");
    std::fs::remove_file(sandbox.path("config.toml")).unwrap(); // the built-in default feeds
    let mut console = tokio::task::block_in_place(|| crate::console::Console::start(&sandbox, &[]));
    for (line, matrix) in lines.iter().zip(&on_matrix) {
        let answer = tokio::task::block_in_place(|| console.ask(line));
        assert_eq!(
            &answer, matrix,
            "`{line}` is answered differently on the console and on Matrix"
        );
    }
    tokio::task::block_in_place(|| console.stop());
}

/// A burst larger than one sync brings (Synapse then marks the room's timeline "limited"):
/// Vigie fetches the missing stretch from the room's history and answers every command once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_larger_than_one_sync_is_answered_in_full_from_the_rooms_history() {
    let synapse = tokio::task::spawn_blocking(Synapse::shared).await.unwrap();
    let bot = synapse.register(&synapse.unique("vigie"));
    let peer = Person::new(synapse, "peer").await;
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path(), synapse, &bot, &[peer.id.as_str()]);
    let vigie = Vigie::start(dir.path(), ("VIGIE_MATRIX__PASSWORD", PASSWORD));
    vigie.listening().await;
    let room = peer.create_room(false, &[&bot]).await;
    vigie.sees_member(&peer, &room, &bot, RoomState::Joined).await;
    let first = peer.say(&room, "!vigie help").await;
    vigie.reply(&peer, &room, &first, &bot).await;

    // Frozen, Vigie misses the burst; thawed, its next sync holds only the last events.
    vigie.signal("STOP");
    let burst = 230; // more than the 200 events one sync asks for
    let mut commands = vec![first];
    for i in 0..burst {
        commands.push(
            peer.say(&room, &format!("!vigie help window claim {}", ["", "x"][i % 2]))
                .await,
        );
    }
    vigie.signal("CONT");
    let last = commands.last().unwrap().clone();
    vigie.reply(&peer, &room, &last, &bot).await;
    let replies = vigie
        .eventually("a reply to every command of the burst", || async {
            let replies = peer.replies_in_history(&room, &bot).await;
            (commands.iter().all(|c| replies.contains_key(c))).then_some(replies)
        })
        .await;
    for command in &commands {
        assert_eq!(
            replies[command], 1,
            "{command} was answered {} times",
            replies[command]
        );
    }
}
