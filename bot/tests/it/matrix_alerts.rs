//! Alerts on Matrix, end to end: `vigie run` with an `[alerts]` section routes the windows of a
//! local calendar to rooms and people on a real Synapse, and the people see them as they would in
//! their Matrix client: each alert once, as a notice, in encrypted rooms; a ✋ on an alert claims
//! its window. The homeserver's rate limit on Vigie delays messages but loses or doubles none.
//!
//! Every message is counted from the room's history as the homeserver gives it, not only from
//! what a client happened to receive.

use std::collections::HashMap;
use std::path::Path;

use chrono::{Duration as Days, Utc};
use matrix_sdk::RoomState;
use matrix_sdk::room::MessagesOptions;
use matrix_sdk::ruma::events::reaction::ReactionEventContent;
use matrix_sdk::ruma::events::relation::Annotation;
use matrix_sdk::ruma::{OwnedEventId, OwnedRoomId};
use serde_json::Value;

use crate::matrix_harness::{Vigie, window_id, write_config_with};
use crate::synapse::{PASSWORD, Person, Seen, Synapse};

/// OGP members of the test calendar: code, name, region.
const COUNTRIES: [(&str, &str, &str); 5] = [
    ("KE", "Kenya", "africa-middle-east"),
    ("FR", "France", "europe"),
    ("BR", "Brazil", "americas"),
    ("ID", "Indonesia", "asia-pacific"),
    ("GH", "Ghana", "africa-middle-east"),
];

/// Writes a members file and a calendar with a presidential election ~60 days ahead in each of
/// the first `elections` countries (a pre-election window is open for each, and nothing else),
/// and returns the feeds' configuration.
fn calendar(dir: &Path, elections: usize) -> String {
    let mut members = String::from(
        "code,name,level,country,region,status,status_since,joined,action_plan,cohort,plan_start,plan_end,notes\n",
    );
    let mut events =
        String::from("id,jurisdiction,kind,title,date,date_end,precision,status,caretaker,source,notes\n");
    for (i, (code, name, region)) in COUNTRIES.iter().enumerate() {
        members.push_str(&format!(
            "{code},{name},national,{code},{region},active,,2012,,,,,\n"
        ));
        if i < elections {
            let day = (Utc::now() + Days::days(60 + i as i64)).date_naive();
            events.push_str(&format!(
                "{code}-pres-test,{code},presidential,{name} presidential election,{day},,,scheduled,,test,\n",
                code = code.to_lowercase()
            ));
        }
    }
    std::fs::write(dir.join("members.csv"), members).unwrap();
    std::fs::write(dir.join("elections.csv"), events).unwrap();
    r#"
[[feeds]]
name = "members"
kind = "members-csv"
source = "members.csv"

[[feeds]]
name = "elections"
kind = "events-csv"
source = "elections.csv"
"#
    .to_owned()
}

/// An `[alerts]` section sending every window to `receivers`, one message per window, at once.
fn alerts(receivers: &[&str]) -> String {
    let receivers: Vec<String> = receivers.iter().map(|r| format!("\"matrix:{r}\"")).collect();
    format!(
        r#"
[alerts]
route = {{ receivers = [{}], group_by = ["window"], group_wait = "0s", group_interval = "1h", repeat_interval = "7d" }}
"#,
        receivers.join(", ")
    )
}

/// Whether `seen` is a message of `bot` in `room` that names a window and relates to nothing
/// (an alert, not a reply).
fn is_alert(seen: &Seen, room: &OwnedRoomId, bot: &str) -> bool {
    seen.room == *room
        && seen.sender() == bot
        && seen.content().get("m.relates_to").is_none()
        && window_id(seen.body()).is_some()
}

/// `bot`'s messages that relate to nothing, in `room`'s history as the homeserver
/// gives it (decrypted by `person`'s client), oldest first.
async fn alerts_in_history(person: &Person, room: &OwnedRoomId, bot: &str) -> Vec<Value> {
    let room = person.client.get_room(room).expect("a room of this person");
    let mut found = Vec::new();
    let mut from: Option<String> = None;
    loop {
        let page = room
            .messages(MessagesOptions::backward().from(from.as_deref()))
            .await
            .expect("the room's history");
        for event in &page.chunk {
            let Ok(event) = event.raw().deserialize_as_unchecked::<Value>() else {
                continue;
            };
            let message = matches!(
                event["type"].as_str(),
                Some("m.room.message" | "m.room.encrypted")
            );
            if message && event["sender"] == bot && event["content"].get("m.relates_to").is_none() {
                found.push(event);
            }
        }
        match page.end {
            Some(end) if !page.chunk.is_empty() => from = Some(end),
            _ => break,
        }
    }
    found.reverse();
    found
}

/// How many of `bot`'s alerts in `room`'s history name each window id, once `person` can read
/// them all (`None` while a room key is still on its way).
async fn alert_counts(person: &Person, room: &OwnedRoomId, bot: &str) -> Option<HashMap<String, usize>> {
    let mut counts = HashMap::new();
    for event in alerts_in_history(person, room, bot).await {
        if event["type"] != "m.room.message" {
            return None;
        }
        let body = event["content"]["body"].as_str().unwrap_or("");
        if let Some(id) = window_id(body) {
            *counts.entry(id).or_default() += 1;
        }
    }
    Some(counts)
}

async fn react(person: &Person, room: &OwnedRoomId, to: &OwnedEventId, key: &str) -> OwnedEventId {
    let room = person.client.get_room(room).expect("a room of this person");
    let content = ReactionEventContent::new(Annotation::new(to.clone(), key.to_owned()));
    room.send(content)
        .await
        .expect("the reaction is sent")
        .response
        .event_id
}

fn event_id(seen: &Seen) -> OwnedEventId {
    OwnedEventId::try_from(seen.event["event_id"].as_str().unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_alert_reaches_an_encrypted_room_once_as_a_notice_and_a_raised_hand_claims_its_window() {
    let synapse = tokio::task::spawn_blocking(Synapse::shared).await.unwrap();
    let bot = synapse.register(&synapse.unique("vigie"));
    let peer = Person::new(synapse, "peer").await;
    // The room exists, with Vigie invited, before Vigie starts: the route names it.
    let room = peer.create_room(true, &[&bot]).await;
    let dir = tempfile::tempdir().unwrap();
    let feeds = calendar(dir.path(), 1);
    let more = format!("{feeds}{}", alerts(&[room.as_str()]));
    write_config_with(dir.path(), synapse, &bot, &[peer.id.as_str()], &more);
    let vigie = Vigie::start(dir.path(), ("VIGIE_MATRIX__PASSWORD", PASSWORD));
    vigie.listening().await;
    vigie.sees_member(&peer, &room, &bot, RoomState::Joined).await;

    let alert = vigie
        .eventually("the alert in the room", || async {
            peer.received(|s| is_alert(s, &room, &bot))
        })
        .await;
    assert_eq!(alert.msgtype(), "m.notice", "{alert:?}");
    assert!(alert.encrypted, "the alert is encrypted: {alert:?}");
    assert_eq!(alert.content()["format"], "org.matrix.custom.html", "{alert:?}");
    let id = window_id(alert.body()).unwrap();
    assert!(alert.body().contains("Kenya"), "{alert:?}");
    let alert_id = event_id(&alert);

    // A thumbs-up is not a claim; a raised hand (with the emoji selector) is.
    react(&peer, &room, &alert_id, "👍").await;
    react(&peer, &room, &alert_id, "✋\u{FE0F}").await;
    let answer = vigie
        .eventually("Vigie's answer in the alert's thread", || async {
            peer.received(|s| {
                s.room == room
                    && s.sender() == bot
                    && s.content()["m.relates_to"]["rel_type"] == "m.thread"
                    && s.content()["m.relates_to"]["event_id"] == alert_id.as_str()
            })
        })
        .await;
    assert!(answer.body().contains(&id), "{answer:?}");
    assert_eq!(answer.msgtype(), "m.notice", "{answer:?}");
    assert_eq!(
        answer.content()["m.mentions"],
        serde_json::json!({"user_ids": [peer.id.as_str()]})
    );

    let show = peer.say(&room, &format!("!vigie window show {id}")).await;
    let reply = vigie.reply(&peer, &room, &show, &bot).await;
    assert!(
        reply.body().contains(peer.id.as_str()),
        "the window is claimed by the peer: {reply:?}"
    );

    // A second raised hand (another skin tone) finds the window already claimed by the same peer:
    // one more answer, and still one claim.
    react(&peer, &room, &alert_id, "✋🏾").await;
    vigie
        .eventually("a second answer in the alert's thread", || async {
            let answers = alerts_thread(&peer, &room, &bot, &alert_id).await;
            (answers == 2).then_some(())
        })
        .await;

    let counts = vigie
        .eventually("every alert readable", || alert_counts(&peer, &room, &bot))
        .await;
    assert_eq!(counts, HashMap::from([(id, 1)]), "alerts in the room's history");
}

/// How many of `bot`'s messages in `room`'s history are in the thread of `root`.
async fn alerts_thread(person: &Person, room: &OwnedRoomId, bot: &str, root: &OwnedEventId) -> usize {
    let room = person.client.get_room(room).expect("a room of this person");
    let mut options = MessagesOptions::backward();
    options.limit = 100u32.into();
    let page = room.messages(options).await.expect("the room's history");
    page.chunk
        .iter()
        .filter_map(|e| e.raw().deserialize_as_unchecked::<Value>().ok())
        .filter(|e| {
            e["sender"] == bot
                && e["content"]["m.relates_to"]["rel_type"] == "m.thread"
                && e["content"]["m.relates_to"]["event_id"] == root.as_str()
        })
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn alerts_rate_limited_by_the_homeserver_are_retried_and_each_delivered_once_to_a_room_and_a_person() {
    let synapse = tokio::task::spawn_blocking(Synapse::shared).await.unwrap();
    let bot = synapse.register(&synapse.unique("vigie"));
    let admin = synapse.unique("admin");
    synapse.register_admin(&admin);
    let (token, _) = synapse.login(&admin);
    // One message a second at most, no burst: a room and a person served side by side exceed it.
    let (status, answer) = synapse
        .request_as(
            Some(&token),
            "POST",
            &format!("/_synapse/admin/v1/users/{bot}/override_ratelimit"),
            Some(&serde_json::json!({"messages_per_second": 1, "burst_count": 1})),
        )
        .unwrap();
    assert_eq!(status, 200, "{answer}");

    let peer = Person::new(synapse, "peer").await;
    let room = peer.create_room(true, &[&bot]).await;
    let dir = tempfile::tempdir().unwrap();
    let windows = COUNTRIES.len();
    let feeds = calendar(dir.path(), windows);
    let more = format!("{feeds}{}", alerts(&[room.as_str(), peer.id.as_str()]));
    write_config_with(dir.path(), synapse, &bot, &[peer.id.as_str()], &more);
    let vigie = Vigie::start(dir.path(), ("VIGIE_MATRIX__PASSWORD", PASSWORD));
    vigie.listening().await;

    // Vigie opens a direct-message room with the person, encrypted, and invites them.
    let direct = vigie
        .eventually("an invitation to a direct-message room", || async {
            peer.client.invited_rooms().into_iter().next()
        })
        .await;
    direct.join().await.expect("the direct-message room is joined");
    let direct_id = direct.room_id().to_owned();
    assert!(
        direct.latest_encryption_state().await.unwrap().is_encrypted(),
        "the direct-message room is encrypted"
    );

    for (place, name) in [(&room, "the room"), (&direct_id, "the direct-message room")] {
        vigie
            .eventually(&format!("{windows} alerts in {name}"), || async {
                let counts = alert_counts(&peer, place, &bot).await?;
                (counts.len() == windows).then_some(())
            })
            .await;
    }
    assert!(
        vigie.logs().contains("the homeserver rate-limits Vigie"),
        "the homeserver never refused a message, so nothing was retried; vigie's logs:\n{}",
        vigie.logs()
    );
    // Everything is out once the outbox is empty; then each alert is in each place once.
    vigie
        .eventually("the outbox to be delivered", || async {
            outbox_pending(dir.path()).await.then_some(())
        })
        .await;
    for place in [&room, &direct_id] {
        let counts = vigie
            .eventually("every alert readable", || alert_counts(&peer, place, &bot))
            .await;
        assert_eq!(counts.len(), windows, "{counts:?}");
        assert!(
            counts.values().all(|n| *n == 1),
            "an alert came twice: {counts:?}"
        );
    }
    let rooms: Vec<OwnedRoomId> = peer
        .client
        .joined_rooms()
        .iter()
        .map(|r| r.room_id().to_owned())
        .collect();
    assert_eq!(rooms.len(), 2, "one room and one direct-message room: {rooms:?}");
    assert!(
        peer.client.invited_rooms().is_empty(),
        "a second direct-message room was opened"
    );
}

/// Whether Vigie's outbox (in `dir`'s database) has no message left to deliver.
async fn outbox_pending(dir: &Path) -> bool {
    let url = format!("sqlite:{}", dir.join("vigie.db").display());
    let store = vigie_storage::Store::open(&url)
        .await
        .expect("the database opens");
    let pending = store.outbox_pending_count().await.expect("the outbox is read");
    store.close().await;
    pending == 0
}

/// Another device of Vigie's account, as a replica that led before would have had: logged in
/// with the password, synced once.
async fn other_device(synapse: &Synapse, bot: &str) -> matrix_sdk::Client {
    let client = matrix_sdk::Client::builder()
        .homeserver_url(&synapse.url)
        .build()
        .await
        .unwrap();
    client
        .matrix_auth()
        .login_username(bot, PASSWORD)
        .initial_device_display_name("the replica that led before")
        .send()
        .await
        .expect("Vigie's account logs in on another device");
    client
        .sync_once(matrix_sdk::config::SyncSettings::default())
        .await
        .expect("the other device syncs");
    client
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_message_in_doubt_that_another_device_delivered_in_an_encrypted_room_is_found_not_sent_again() {
    let synapse = tokio::task::spawn_blocking(Synapse::shared).await.unwrap();
    let bot = synapse.register(&synapse.unique("vigie"));
    let peer = Person::new(synapse, "peer").await;
    let room = peer.create_room(true, &[&bot]).await;
    let dir = tempfile::tempdir().unwrap();
    write_config_with(dir.path(), synapse, &bot, &[peer.id.as_str()], "");

    // Vigie logs in (its device exists from now on) and joins the room; then it stops.
    let vigie = Vigie::start(dir.path(), ("VIGIE_MATRIX__PASSWORD", PASSWORD));
    vigie.listening().await;
    vigie.sees_member(&peer, &room, &bot, RoomState::Joined).await;
    assert!(vigie.terminate().await.success(), "{}", vigie.logs());

    // Two messages were leased by a sender that died: the first had reached the room from the
    // account's other device (the replica that led), the second had not.
    let url = format!("sqlite:{}", dir.path().join("vigie.db").display());
    let store = vigie_storage::Store::open(&url).await.unwrap();
    let receiver = format!("matrix:{room}");
    let messages: Vec<vigie_storage::NewOutbox> = ["first w-000000000001", "second w-000000000002"]
        .iter()
        .map(|body| vigie_storage::NewOutbox {
            receiver: receiver.clone(),
            platform: "matrix".into(),
            body_markdown: (*body).to_owned(),
            reason: "new".into(),
            group_key: format!("test|{body}"),
            image: None,
        })
        .collect();
    let ids = store
        .commit_notifications(&[], &[], &messages, Utc::now())
        .await
        .unwrap();
    let leased = store
        .lease_outbox(
            "dead-replica",
            "matrix",
            1,
            10,
            std::time::Duration::from_secs(3600),
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(leased.len(), 2);
    let before = other_device(synapse, &bot).await;
    let content = serde_json::json!({
        "msgtype": "m.notice",
        "body": "first w-000000000001",
        "org.vigie.outbox": ids[0].to_string(),
    });
    let delivered = before
        .get_room(&room)
        .expect("the other device is in the room")
        .send_raw("m.room.message", content)
        .await
        .expect("the other device sends")
        .response
        .event_id;

    // Vigie starts again on its own device: the messages are in doubt; it reads the other
    // device's message (the room key was shared with every device of the account) and sends
    // only the second.
    let vigie = Vigie::start(dir.path(), ("VIGIE_MATRIX__PASSWORD", PASSWORD));
    vigie.listening().await;
    vigie
        .eventually("both messages delivered", || async {
            outbox_pending(dir.path()).await.then_some(())
        })
        .await;
    let first = store.outbox_message(ids[0]).await.unwrap().unwrap();
    let second = store.outbox_message(ids[1]).await.unwrap().unwrap();
    assert_eq!(first.state, vigie_storage::OutboxState::Sent);
    assert_eq!(
        first.platform_id.as_deref(),
        Some(delivered.as_str()),
        "{}",
        vigie.logs()
    );
    assert_eq!(second.state, vigie_storage::OutboxState::Sent);
    assert!(second.platform_id.is_some() && second.platform_id != first.platform_id);
    assert!(first.in_doubt && second.in_doubt);
    assert!(
        vigie.logs().contains("message in doubt found in its room"),
        "{}",
        vigie.logs()
    );

    // The peer sees each once.
    let counts = vigie
        .eventually("every message readable", || alert_counts(&peer, &room, &bot))
        .await;
    assert_eq!(
        counts,
        HashMap::from([("w-000000000001".to_owned(), 1), ("w-000000000002".to_owned(), 1)]),
        "messages in the room's history"
    );
    store.close().await;
}
