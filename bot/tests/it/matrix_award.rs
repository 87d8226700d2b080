//! An award campaign in an encrypted Matrix room on a real Synapse, driven by people's own
//! clients: opened by the room's creator, three peers nominate and second, one recuses; the
//! ballot is secret, so votes are cast in encrypted direct chats Vigie opens with each voter (a
//! ballot typed in the room is refused unread, and redacted once Vigie may redact there; before
//! that, the voter is asked to remove it), one is changed after Vigie restarts mid-vote, and
//! the direct chats are found again after the restart; voting closes on its schedule with the
//! results and their chart posted in the room once, and `award results` posts them with their
//! chart.

use matrix_sdk::RoomState;
use matrix_sdk::ruma::events::room::message::ImageMessageEventContent;
use matrix_sdk::ruma::{OwnedEventId, OwnedRoomId, int};

use crate::matrix_harness::{Vigie, write_config_with};
use crate::synapse::{PASSWORD, Person, Seen, Synapse};

/// How long after it opens the campaign's voting closes: long enough for the script below,
/// restart included.
const VOTING_CLOSE: &str = "150s";

async fn ask(vigie: &Vigie, person: &Person, room: &OwnedRoomId, bot: &str, line: &str) -> String {
    say(vigie, person, room, bot, &format!("!vigie {line}")).await
}

/// `text` said as is (in a direct chat, a command needs no prefix); Vigie's reply.
async fn say(vigie: &Vigie, person: &Person, room: &OwnedRoomId, bot: &str, text: &str) -> String {
    let sent = person.say(room, text).await;
    let reply: Seen = vigie.reply(person, room, &sent, bot).await;
    reply.body().to_owned()
}

/// Vigie's messages to `person` in `room` that carry a ballot.
fn ballots_seen(person: &Person, room: &OwnedRoomId, bot: &str) -> Vec<String> {
    let mut ids = Vec::new();
    while let Some(seen) = person.received(|s| {
        s.room == *room
            && s.sender() == bot
            && s.body().contains("Vote here")
            && !ids.contains(&s.event["event_id"].as_str().unwrap_or_default().to_owned())
    }) {
        ids.push(seen.event["event_id"].as_str().unwrap_or_default().to_owned());
    }
    ids
}

/// The direct chat Vigie opened with `person`: its invitation (marked direct, to an encrypted
/// room) accepted, and Vigie's ballot read in it.
async fn direct_chat(vigie: &Vigie, person: &Person, bot: &str) -> OwnedRoomId {
    let invited = vigie
        .eventually(
            &format!("an invitation of {} to a direct chat", person.id),
            || async { person.client.invited_rooms().into_iter().next() },
        )
        .await;
    assert!(
        invited.is_direct().await.expect("the invitation is readable"),
        "the invitation is marked direct"
    );
    invited.join().await.expect("the direct chat is joined");
    let id = invited.room_id().to_owned();
    assert!(
        invited
            .latest_encryption_state()
            .await
            .expect("the room's encryption is known")
            .is_encrypted(),
        "the direct chat is encrypted"
    );
    vigie
        .eventually("the ballot in the direct chat", || async {
            (!ballots_seen(person, &id, bot).is_empty()).then_some(())
        })
        .await;
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_campaign_in_a_matrix_room_closes_on_schedule_and_posts_its_results_once_across_a_restart() {
    let synapse = tokio::task::spawn_blocking(Synapse::shared).await.unwrap();
    let bot = synapse.register(&synapse.unique("vigie"));
    let admin = Person::new(synapse, "chair").await;
    let ana = Person::new(synapse, "ana").await;
    let bo = Person::new(synapse, "bo").await;
    let chi = Person::new(synapse, "chi").await;
    let room = admin
        .create_room(true, &[&bot, ana.id.as_str(), bo.id.as_str(), chi.id.as_str()])
        .await;
    for p in [&ana, &bo, &chi] {
        p.join(&room).await;
    }
    let dir = tempfile::tempdir().unwrap();
    // The chair invites Vigie, so Vigie must know them; the room makes them its admin.
    let peers = [
        admin.id.as_str(),
        ana.id.as_str(),
        bo.id.as_str(),
        chi.id.as_str(),
    ];
    write_config_with(dir.path(), synapse, &bot, &peers, "");
    let vigie = Vigie::start(dir.path(), ("VIGIE_MATRIX__PASSWORD", PASSWORD));
    vigie.listening().await;
    vigie.sees_member(&admin, &room, &bot, RoomState::Joined).await;

    // The room's creator is an admin there.
    let opened = ask(
        &vigie,
        &admin,
        &room,
        &bot,
        &format!("award open --voting-close {VOTING_CLOSE} --categories champion Matrix Awards"),
    )
    .await;
    assert!(opened.contains("Nominations are open"), "{opened}");
    let first = ask(
        &vigie,
        &ana,
        &room,
        &bot,
        r#"nominate 1 champion KE "Jane Doe" Led the reform."#,
    )
    .await;
    assert!(first.contains("1#1"), "{first}");
    let second = ask(
        &vigie,
        &bo,
        &room,
        &bot,
        &format!(
            r#"nominate 1 champion NG "Musa Bello" --user {} Opened the budget."#,
            chi.id
        ),
    )
    .await;
    assert!(second.contains("1#2"), "{second}");
    ask(
        &vigie,
        &chi,
        &room,
        &bot,
        r#"nominate 1 champion FR "Marie Curie" Open data."#,
    )
    .await;
    for (who, line) in [(&bo, "second 1#1"), (&ana, "second 1#2"), (&bo, "second 1#3")] {
        let said = ask(&vigie, who, &room, &bot, line).await;
        assert!(said.contains("You seconded"), "{said}");
    }
    let recused = ask(&vigie, &ana, &room, &bot, "recuse 1 #3").await;
    assert!(recused.contains("declared a conflict"), "{recused}");
    let voting = ask(&vigie, &admin, &room, &bot, "award close 1").await;
    assert!(voting.contains("Voting is open"), "{voting}");
    assert!(voting.contains("secret ballot"), "{voting}");

    // A ballot typed in the room is refused unread and not echoed. Vigie may not redact others'
    // messages in this room yet: it asks bo to remove the ballot, which stays.
    let typed = bo.say(&room, "!vigie vote 1 #2 > #1").await;
    let refused = vigie.reply(&bo, &room, &typed, &bot).await.body().to_owned();
    assert!(refused.contains("direct chat with Vigie"), "{refused}");
    assert!(refused.contains("delete it yourself"), "{refused}");
    assert!(!refused.contains('#') && !refused.contains('>'), "{refused}");
    assert!(!redacted(&admin, &room, &typed).await, "Vigie may not redact it");
    // Each voter has an encrypted direct chat with Vigie, with the ballot in it; commands there
    // need no prefix (but may have it).
    let bo_direct = direct_chat(&vigie, &bo, &bot).await;
    let cast = say(&vigie, &bo, &bo_direct, &bot, "vote 1 #2 > #1").await;
    assert!(cast.contains("is recorded"), "{cast}");
    // The direct chat's preset gives bo the creator's power there: that makes nobody an admin.
    let power = say(&vigie, &bo, &bo_direct, &bot, "peers add @someone:localhost").await;
    assert!(power.contains("is for admins"), "{power}");
    let admin_direct = direct_chat(&vigie, &admin, &bot).await;
    let cast = ask(&vigie, &admin, &admin_direct, &bot, "vote 1 #1 > #2").await;
    assert!(cast.contains("is recorded"), "{cast}");
    let turnout = ask(&vigie, &ana, &room, &bot, "turnout 1").await;
    assert!(turnout.contains("2 people have voted"), "{turnout}");
    // ana has been invited to hers, and has not joined it yet.
    let ana_invited = vigie
        .eventually("ana's invitation to a direct chat", || async {
            ana.client.invited_rooms().into_iter().next()
        })
        .await
        .room_id()
        .to_owned();

    // Vigie restarts mid-vote: the ballots are kept, and bo's new ballot replaces the old one.
    let status = vigie.terminate().await;
    assert!(status.success(), "{status:?}");
    drop(vigie);
    let vigie = Vigie::start(dir.path(), ("VIGIE_MATRIX__PASSWORD", PASSWORD));
    vigie.listening().await;
    let changed = say(&vigie, &bo, &bo_direct, &bot, "vote 1 #1 > #2").await;
    assert!(changed.contains("replacing your earlier one"), "{changed}");
    let chi_direct = direct_chat(&vigie, &chi, &bot).await;
    let nominee = say(&vigie, &chi, &chi_direct, &bot, "vote 1 #1").await;
    assert!(nominee.contains("you are the nominee"), "{nominee}");
    // After the restart, a ballot typed in the room sends the ballot again to the direct chat
    // Vigie already has with ana (recorded in its `m.direct`), not to a new one. The chair has
    // made Vigie a moderator: the typed ballot is redacted, and ana need not remove it.
    let bot_id = crate::synapse::user(&bot);
    admin
        .client
        .get_room(&room)
        .expect("the chair's room")
        .update_power_levels(vec![(&bot_id, int!(50))])
        .await
        .expect("Vigie made a moderator");
    let typed = ana.say(&room, "!vigie vote 1 #1").await;
    let refused = vigie.reply(&ana, &room, &typed, &bot).await.body().to_owned();
    assert!(refused.contains("direct chat with Vigie"), "{refused}");
    assert!(!refused.contains("delete it yourself"), "{refused}");
    vigie
        .eventually("ana's typed ballot redacted", || async {
            redacted(&admin, &room, &typed).await.then_some(())
        })
        .await;
    let ana_direct = direct_chat(&vigie, &ana, &bot).await;
    assert_eq!(ana_direct, ana_invited, "the same direct chat");
    vigie
        .eventually("the second ballot in ana's direct chat", || async {
            (ballots_seen(&ana, &ana_direct, &bot).len() == 2).then_some(())
        })
        .await;
    assert!(ana.client.invited_rooms().is_empty(), "no second direct chat");
    let declared = say(&vigie, &ana, &ana_direct, &bot, "vote 1 #1").await;
    assert!(declared.contains("declared a conflict"), "{declared}");
    let turnout = ask(&vigie, &ana, &room, &bot, "turnout 1").await;
    assert!(turnout.contains("2 people have voted"), "{turnout}");
    assert!(!turnout.contains('@'), "no names: {turnout}");

    // Voting closes on its schedule; the results come to the room, once.
    let is_results = |s: &Seen| {
        s.room == room && s.sender() == bot && s.body().contains("Results of") && s.in_reply_to().is_none()
    };
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(300);
    let results = loop {
        if let Some(found) = admin.received(is_results) {
            break found;
        }
        assert!(
            tokio::time::Instant::now() < deadline && vigie.exit_status().is_none(),
            "no results posted; logs:\n{}",
            vigie.logs()
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert!(results.body().contains("Elected: Jane Doe (#1)"), "{results:?}");
    assert!(
        results.encrypted,
        "the results are encrypted like the room: {results:?}"
    );
    // Their chart follows, from the outbox too: an m.image replying to the results, encrypted.
    let results_id = results.event["event_id"]
        .as_str()
        .expect("an event id")
        .to_owned();
    let chart = vigie
        .eventually("the chart of the scheduled results", || async {
            admin.received(|s| {
                s.room == room
                    && s.sender() == bot
                    && s.msgtype() == "m.image"
                    && s.in_reply_to() == Some(results_id.as_str())
            })
        })
        .await;
    assert!(chart.encrypted, "{chart:?}");
    assert!(chart.body().contains("Jane Doe (#1)"), "the alt text: {chart:?}");
    assert_eq!(chart.content()["filename"], "results-1.png", "{chart:?}");
    let late = ask(&vigie, &bo, &room, &bot, "vote 1 #2").await;
    assert!(late.contains("closed"), "{late}");
    let command = ana.say(&room, "!vigie award results 1").await;
    let shown = vigie.reply(&ana, &room, &command, &bot).await;
    assert!(shown.body().contains("Elected: Jane Doe (#1)"), "{shown:?}");
    // The chart follows the text: an m.image replying to the command, encrypted like the room,
    // whose file downloads (and decrypts) as a PNG.
    let image = vigie
        .eventually("the results chart", || async {
            ana.received(|s| {
                s.room == room
                    && s.sender() == bot
                    && s.msgtype() == "m.image"
                    && s.in_reply_to() == Some(command.as_str())
            })
        })
        .await;
    assert!(image.encrypted, "{image:?}");
    assert!(image.body().contains("Jane Doe (#1)"), "the alt text: {image:?}");
    let content: ImageMessageEventContent =
        serde_json::from_value(image.content().clone()).expect("an m.image content");
    let png = ana
        .client
        .media()
        .get_file(&content, false)
        .await
        .expect("the chart downloads")
        .expect("the m.image has a file");
    let picture = crate::chart::Picture::decode(&png);
    assert_eq!(picture.width as u32, vigie::chart::WIDTH);
    assert_eq!(
        content.info.as_ref().and_then(|i| i.width),
        Some(vigie::chart::WIDTH.into())
    );
    assert_eq!(
        posted_results(&admin, &room, &bot).await,
        1,
        "the results are posted once"
    );
    let replies = admin.replies_in_history(&room, &bot).await;
    let results_id = OwnedEventId::try_from(results_id).expect("an event id");
    assert_eq!(replies.get(&results_id), Some(&1), "their chart is posted once");
}

/// Whether `event` in `room` is redacted, as the homeserver gives it to `person`.
async fn redacted(person: &Person, room: &OwnedRoomId, event: &OwnedEventId) -> bool {
    use matrix_sdk::ruma::api::client::room::get_room_event;
    let request = get_room_event::v3::Request::new(room.clone(), event.clone());
    let response = person.client.send(request).await.expect("the event");
    let event = response
        .event
        .deserialize_as_unchecked::<serde_json::Value>()
        .expect("an event");
    !event["unsigned"]["redacted_because"].is_null()
}

/// How many messages of `bot` in `room`'s history, as the homeserver gives it, are posts of their
/// own rather than replies to a command (`m.relates_to` stays in the clear): in this room, only
/// the scheduled results are.
async fn posted_results(person: &Person, room: &OwnedRoomId, bot: &str) -> usize {
    use matrix_sdk::room::MessagesOptions;
    let room = person.client.get_room(room).expect("a room of this person");
    let mut count = 0;
    let mut from: Option<String> = None;
    loop {
        let page = room
            .messages(MessagesOptions::backward().from(from.as_deref()))
            .await
            .expect("the room's history");
        for event in &page.chunk {
            let Ok(event) = event.raw().deserialize_as_unchecked::<serde_json::Value>() else {
                continue;
            };
            let message = matches!(
                event["type"].as_str(),
                Some("m.room.message" | "m.room.encrypted")
            );
            if message
                && event["sender"] == bot
                && event["content"]["m.relates_to"]["m.in_reply_to"].is_null()
            {
                count += 1;
            }
        }
        match page.end {
            Some(end) if !page.chunk.is_empty() => from = Some(end),
            _ => return count,
        }
    }
}
