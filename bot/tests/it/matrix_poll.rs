//! A quick poll in an encrypted Matrix room on a real Synapse: asked with `poll`, it is posted as
//! a native MSC3381 poll (`org.matrix.msc3381.poll.start`, what Element renders) with the right
//! answers; two people answer with raw `org.matrix.msc3381.poll.response` events from their own
//! clients (one changes their answer, one answers with an option the poll does not have), one
//! answers again while Vigie is stopped and is counted after the restart (read back from the
//! room's relations); `poll close` posts an `org.matrix.msc3381.poll.end` with the results, and
//! the count is the one the responses give.

use matrix_sdk::RoomState;
use matrix_sdk::room::MessagesOptions;
use matrix_sdk::ruma::{OwnedEventId, OwnedRoomId, UInt};
use serde_json::{Value, json};
use vigie_awards::campaign::Vote;
use vigie_awards::nomination::NominationId;
use vigie_storage::Store;

use crate::matrix_harness::{Vigie, write_config_with};
use crate::synapse::{PASSWORD, Person, Synapse};

const START: &str = "org.matrix.msc3381.poll.start";
const RESPONSE: &str = "org.matrix.msc3381.poll.response";
const END: &str = "org.matrix.msc3381.poll.end";
const TEXT: &str = "org.matrix.msc1767.text";
/// How long before its start an event must be for Vigie to take it as history rather than live
/// (its allowance for clock skew, with a margin).
const BEFORE_START: std::time::Duration = std::time::Duration::from_secs(7);

async fn ask(vigie: &Vigie, person: &Person, room: &OwnedRoomId, bot: &str, line: &str) -> String {
    let sent = person.say(room, &format!("!vigie {line}")).await;
    vigie.reply(person, room, &sent, bot).await.body().to_owned()
}

/// The events of type `kind` sent by `bot` in `room`, newest first, as `person`'s client reads
/// the room's history (decrypted).
async fn events_of(person: &Person, room: &OwnedRoomId, bot: &str, kind: &str) -> Vec<Value> {
    let room = person.client.get_room(room).expect("a room of this person");
    let mut options = MessagesOptions::backward();
    options.limit = UInt::from(100u32);
    let Ok(page) = room.messages(options).await else {
        return Vec::new();
    };
    page.chunk
        .iter()
        .filter_map(|e| serde_json::from_str::<Value>(e.raw().json().get()).ok())
        .filter(|e| e["type"] == kind && e["sender"] == bot)
        .collect()
}

/// `person` answers the poll started by `start` with `answers`.
async fn respond(person: &Person, room: &OwnedRoomId, start: &OwnedEventId, answers: &[&str]) {
    let room = person.client.get_room(room).expect("a room of this person");
    let content = json!({
        "m.relates_to": { "rel_type": "m.reference", "event_id": start },
        RESPONSE: { "answers": answers },
    });
    room.send_raw(RESPONSE, content)
        .await
        .expect("the response is sent");
}

/// Each voter's ballot in poll 1, as the database holds it.
async fn ballots(store: &Store) -> Vec<(String, Vote)> {
    store
        .open_ballots("1", "poll")
        .await
        .expect("the ballots are read")
        .unwrap_or_default()
}

fn single(n: u32) -> Vote {
    Vote::Single(NominationId(n))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_native_matrix_poll_counts_responses_given_live_and_while_vigie_was_stopped() {
    let synapse = tokio::task::spawn_blocking(Synapse::shared).await.unwrap();
    let bot = synapse.register(&synapse.unique("vigie"));
    let chair = Person::new(synapse, "chair").await;
    let ana = Person::new(synapse, "ana").await;
    let bo = Person::new(synapse, "bo").await;
    let room = chair
        .create_room(true, &[&bot, ana.id.as_str(), bo.id.as_str()])
        .await;
    for p in [&ana, &bo] {
        p.join(&room).await;
    }
    let dir = tempfile::tempdir().unwrap();
    write_config_with(dir.path(), synapse, &bot, &[chair.id.as_str()], "");
    let vigie = Vigie::start(dir.path(), ("VIGIE_MATRIX__PASSWORD", PASSWORD));
    vigie.listening().await;
    vigie.sees_member(&chair, &room, &bot, RoomState::Joined).await;

    let asked = ask(
        &vigie,
        &chair,
        &room,
        &bot,
        "poll Where do we meet? | Nairobi | Lima | Paris",
    )
    .await;
    assert!(asked.contains("Poll 1: Where do we meet?"), "{asked}");

    // The poll, as a native MSC3381 poll with the options as its answers.
    let start = vigie
        .eventually("the poll start event", || async {
            events_of(&chair, &room, &bot, START).await.into_iter().next()
        })
        .await;
    let poll = &start["content"][START];
    assert_eq!(poll["question"][TEXT], "Where do we meet?", "{start}");
    assert_eq!(poll["kind"], "org.matrix.msc3381.poll.disclosed", "{start}");
    assert_eq!(poll["max_selections"], 1, "{start}");
    assert_eq!(
        poll["answers"],
        json!([
            { "id": "1", TEXT: "Nairobi" },
            { "id": "2", TEXT: "Lima" },
            { "id": "3", TEXT: "Paris" },
        ]),
        "{start}"
    );
    assert_eq!(
        start["content"][TEXT], "Where do we meet?\n1. Nairobi\n2. Lima\n3. Paris",
        "the text fallback: {start}"
    );
    let start_id: OwnedEventId =
        serde_json::from_value(start["event_id"].clone()).expect("the start has an event id");

    // Answers as they arrive: each becomes a ballot in the database.
    let store = Store::open(&format!("sqlite:{}", dir.path().join("vigie.db").display()))
        .await
        .expect("Vigie's database opens");
    let ana_id = format!("matrix:{}", ana.id);
    let bo_id = format!("matrix:{}", bo.id);
    respond(&ana, &room, &start_id, &["2"]).await;
    respond(&bo, &room, &start_id, &["1", "3"]).await;
    vigie
        .eventually("both answers counted", || async {
            (ballots(&store).await.len() == 2).then_some(())
        })
        .await;
    // Ana changes her mind; an answer the poll does not have changes nothing for Bo.
    respond(&ana, &room, &start_id, &["1"]).await;
    respond(&bo, &room, &start_id, &["9"]).await;
    let expected = vec![(ana_id.clone(), single(1)), (bo_id.clone(), single(1))];
    vigie
        .eventually("Ana's changed answer counted", || async {
            let mut now = ballots(&store).await;
            now.sort_by(|a, b| a.0.cmp(&b.0));
            let mut want = expected.clone();
            want.sort_by(|a, b| a.0.cmp(&b.0));
            (now == want).then_some(())
        })
        .await;

    // Bo answers again while Vigie is stopped: read back from the room after the restart.
    assert!(vigie.terminate().await.success(), "{}", vigie.logs());
    respond(&bo, &room, &start_id, &["3"]).await;
    // Vigie takes events from the first seconds before its start as live ones (clock skew); an
    // answer older than that is found only by reading the poll's relations again.
    let answered = std::time::Instant::now();
    while answered.elapsed() < BEFORE_START {
        tokio::time::sleep(crate::matrix_harness::POLL).await;
    }
    let vigie = Vigie::start(dir.path(), ("VIGIE_MATRIX__PASSWORD", PASSWORD));
    vigie.listening().await;
    vigie
        .eventually("Bo's answer given while Vigie was stopped", || async {
            ballots(&store)
                .await
                .contains(&(bo_id.clone(), single(3)))
                .then_some(())
        })
        .await;
    assert!(
        ballots(&store).await.contains(&(ana_id.clone(), single(1))),
        "Ana's answer is kept across the restart"
    );

    let closed = ask(&vigie, &chair, &room, &bot, "poll close 1").await;
    assert!(closed.contains("is closed (2 answers)"), "{closed}");
    assert!(closed.contains("1. Nairobi: 1 (leading)"), "{closed}");
    assert!(closed.contains("2. Lima: 0"), "{closed}");
    assert!(closed.contains("3. Paris: 1 (leading)"), "{closed}");

    let end = vigie
        .eventually("the poll end event", || async {
            events_of(&chair, &room, &bot, END).await.into_iter().next()
        })
        .await;
    assert_eq!(
        end["content"]["m.relates_to"],
        json!({ "rel_type": "m.reference", "event_id": start_id }),
        "{end}"
    );
    let said = end["content"][TEXT].as_str().unwrap_or_default();
    assert!(said.contains("1. Nairobi: 1 (leading)"), "{end}");
    assert!(said.contains("3. Paris: 1 (leading)"), "{end}");

    // A response after the end is not counted.
    respond(&ana, &room, &start_id, &["2"]).await;
    let late = ask(&vigie, &chair, &room, &bot, "poll results 1").await;
    assert!(late.contains("2. Lima: 0"), "{late}");
    assert_eq!(
        events_of(&chair, &room, &bot, START).await.len(),
        1,
        "the poll is posted once"
    );
}
