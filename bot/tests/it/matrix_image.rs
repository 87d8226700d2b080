//! A reply's picture on Matrix, end to end on a real Synapse: Vigie's sending function posts a
//! results chart from a matrix-sdk client in rooms a person created, and the person's client
//! receives an `m.image` in the right place, downloads it (decrypting it in an encrypted room)
//! and gets back the very PNG that was drawn.

use matrix_sdk::RoomState;
use matrix_sdk::ruma::events::relation::Thread;
use matrix_sdk::ruma::events::room::message::{ImageMessageEventContent, Relation, RoomMessageEventContent};
use matrix_sdk::ruma::{OwnedEventId, OwnedRoomId, OwnedTransactionId};
use vigie::chart::{Bar, png_size, results_png};
use vigie::chat::Image;
use vigie::platform::matrix::send_image;

use crate::chart::Picture;
use crate::matrix_harness::{DEADLINE, POLL};
use crate::synapse::{Person, Seen, Synapse};

/// Waits until `check` gives a value, or fails after the deadline saying what was awaited.
async fn until<T, F, Fut>(what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + DEADLINE;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no {what} after {DEADLINE:?}"
        );
        tokio::time::sleep(POLL).await;
    }
}

fn chart_image() -> Image {
    let bars = [
        Bar {
            label: "Municipalité de Nariño".into(),
            value: 41.0,
            shown: "41 votes".into(),
            elected: true,
        },
        Bar {
            label: "Ελληνική Δημοκρατία".into(),
            value: 17.0,
            shown: "17 votes".into(),
            elected: false,
        },
    ];
    Image {
        name: "results-champion-2026.png".into(),
        png: results_png("Open Government Champion 2026", "plurality · 58 ballots", &bars).expect("a chart"),
        alt: "Municipalité de Nariño 41 votes, elected; Ελληνική Δημοκρατία 17 votes".into(),
    }
}

/// A room `person` created with `bot` in it, both joined and known to the bot's client.
async fn room_with(person: &Person, bot: &Person, encrypted: bool) -> matrix_sdk::Room {
    let room = person.create_room(encrypted, &[bot.id.as_str()]).await;
    bot.join(&room).await;
    until("the bot's join seen by the person", || async {
        (person.member_state(&room, bot.id.as_str()).await == Some(RoomState::Joined)).then_some(())
    })
    .await;
    until("the room in the bot's client", || async {
        bot.client
            .get_room(&room)
            .filter(|r| r.state() == RoomState::Joined)
    })
    .await
}

/// The `m.image` `from` sent in `room`, as `person` received it.
async fn image_seen(person: &Person, room: &OwnedRoomId, from: &Person) -> Seen {
    until("an m.image from the bot", || async {
        person.received(|s| s.room == *room && s.sender() == from.id.as_str() && s.msgtype() == "m.image")
    })
    .await
}

/// The picture of an `m.image`, downloaded by `person`'s client (decrypted if it was encrypted).
async fn download(person: &Person, seen: &Seen) -> Vec<u8> {
    let content: ImageMessageEventContent =
        serde_json::from_value(seen.content().clone()).expect("an m.image content");
    person
        .client
        .media()
        .get_file(&content, false)
        .await
        .expect("the picture downloads")
        .expect("the m.image has a file")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reply_image_reaches_an_encrypted_room_as_an_m_image_in_the_commands_thread() {
    let synapse = tokio::task::spawn_blocking(Synapse::shared).await.unwrap();
    let peer = Person::new(synapse, "peer").await;
    let bot = Person::new(synapse, "vigie-image").await;
    let room = room_with(&peer, &bot, true).await;
    let room_id = room.room_id().to_owned();

    let root = peer.say(&room_id, "Who won the champion award?").await;
    let mut in_thread = RoomMessageEventContent::text_plain("!vigie award results champion-2026");
    in_thread.relates_to = Some(Relation::Thread(Thread::plain(root.clone(), root.clone())));
    let command = peer.send(&room_id, in_thread).await;

    let image = chart_image();
    let drawn = image.png.clone();
    let sent = send_image(&room, image, Some(command.clone()), None)
        .await
        .expect("the image is posted");

    let seen = image_seen(&peer, &room_id, &bot).await;
    assert_eq!(seen.event["event_id"], sent.as_str());
    assert!(seen.encrypted, "the m.image is encrypted: {seen:?}");
    let content = seen.content();
    assert!(
        content["file"]["url"]
            .as_str()
            .is_some_and(|u| u.starts_with("mxc://"))
            && content["url"].is_null(),
        "the file is encrypted too: {content}"
    );
    let relation = &content["m.relates_to"];
    assert_eq!(relation["rel_type"], "m.thread", "{content}");
    assert_eq!(relation["event_id"], root.as_str(), "{content}");
    assert_eq!(seen.in_reply_to(), Some(command.as_str()), "{content}");

    let bytes = download(&peer, &seen).await;
    assert_eq!(bytes, drawn, "the downloaded picture is the chart drawn");
    let picture = Picture::decode(&bytes);
    let (width, height) = png_size(&drawn).expect("a PNG");
    assert_eq!((picture.width as u32, picture.height as u32), (width, height));
    assert_eq!(content["info"]["w"], width);
    assert_eq!(content["info"]["h"], height);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reply_image_in_a_plain_room_has_its_size_caption_and_no_mention_and_posts_once_per_transaction() {
    let synapse = tokio::task::spawn_blocking(Synapse::shared).await.unwrap();
    let peer = Person::new(synapse, "peer").await;
    let bot = Person::new(synapse, "vigie-image").await;
    let room = room_with(&peer, &bot, false).await;
    let room_id = room.room_id().to_owned();
    let command = peer.say(&room_id, "!vigie award results champion-2026").await;

    let image = chart_image();
    let txn = OwnedTransactionId::from(format!(
        "vigie-image-{}",
        command.as_str().trim_start_matches('$')
    ));
    let sent: OwnedEventId = send_image(&room, image.clone(), Some(command.clone()), Some(txn.clone()))
        .await
        .expect("the image is posted");
    // A retry with the same transaction id (a send that timed out) posts nothing new.
    let again = send_image(&room, image.clone(), Some(command.clone()), Some(txn))
        .await
        .expect("the retry is accepted");
    assert_eq!(again, sent, "the homeserver kept one event for one transaction");

    let seen = image_seen(&peer, &room_id, &bot).await;
    assert!(!seen.encrypted);
    let content = seen.content();
    assert_eq!(seen.event["event_id"], sent.as_str());
    assert!(
        content["url"].as_str().is_some_and(|u| u.starts_with("mxc://")),
        "{content}"
    );
    assert_eq!(content["info"]["mimetype"], "image/png", "{content}");
    assert_eq!(content["info"]["size"], image.png.len(), "{content}");
    assert_eq!(content["filename"], image.name.as_str(), "{content}");
    assert_eq!(seen.body(), image.alt, "the alt text is the caption");
    assert_eq!(seen.in_reply_to(), Some(command.as_str()));
    assert!(
        content["m.relates_to"]["rel_type"].is_null(),
        "no thread: {content}"
    );
    assert_eq!(
        content["m.mentions"],
        serde_json::json!({}),
        "nobody is mentioned: {content}"
    );

    let bytes = download(&peer, &seen).await;
    assert_eq!(bytes, image.png);
    Picture::decode(&bytes);

    // The room holds one picture of the bot, not two.
    let images = peer
        .replies_in_history(&room_id, bot.id.as_str())
        .await
        .get(&command)
        .copied();
    assert_eq!(images, Some(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn bytes_that_are_not_a_png_are_refused_before_anything_is_posted() {
    let synapse = tokio::task::spawn_blocking(Synapse::shared).await.unwrap();
    let peer = Person::new(synapse, "peer").await;
    let bot = Person::new(synapse, "vigie-image").await;
    let room = room_with(&peer, &bot, false).await;
    let image = Image {
        name: "results.png".into(),
        png: b"GIF89a, not a PNG".to_vec(),
        alt: "results".into(),
    };
    let error = send_image(&room, image, None, None).await.expect_err("not a PNG");
    assert_eq!(error.to_string(), "the image results.png is not a PNG");
}
