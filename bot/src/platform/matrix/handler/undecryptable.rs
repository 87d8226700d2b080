//! Encrypted messages the SDK could not decrypt. Their room key may still be on its way (it can
//! come in a later sync than the message), so Vigie waits a little for it, acting on the message
//! if it comes; otherwise the sender gets one sentence saying the message could not be read,
//! instead of silence.

use std::time::{Duration, Instant};

use matrix_sdk::Room;
use matrix_sdk::ruma::events::room::encrypted::{EncryptedEventScheme, OriginalSyncRoomEncryptedEvent};
use matrix_sdk::ruma::events::room::message::OriginalSyncRoomMessageEvent;
use matrix_sdk::ruma::serde::Raw;
use matrix_sdk::stream::StreamExt;

use super::{Bot, Incoming, Job};

/// How long an undecryptable message waits for its room key before Vigie says it cannot read it.
const KEY_GRACE: Duration = Duration::from_secs(10);

/// What trying to decrypt a message again gave.
enum Decryption {
    /// The key came: the message's command, if it is one.
    Decrypted(Option<Job>),
    Failed,
}

impl Bot {
    pub(super) fn spawn_await_key(
        &self,
        room: Room,
        raw: Raw<OriginalSyncRoomEncryptedEvent>,
        incoming: Incoming,
    ) {
        let bot = self.clone();
        self.0
            .tasks
            .spawn(async move { bot.await_key(room, raw, incoming).await });
    }

    /// Waits a little for the room key of an undecryptable message, then acts on the message if
    /// the key came, or says it cannot be read.
    async fn await_key(&self, room: Room, raw: Raw<OriginalSyncRoomEncryptedEvent>, incoming: Incoming) {
        let Ok(event) = raw.deserialize() else { return };
        let EncryptedEventScheme::MegolmV1AesSha2(megolm) = &event.content.scheme else {
            self.enqueue(&room, Job::Undecryptable(incoming));
            return;
        };
        let client = room.client();
        // Listen before trying, so that a key arriving in between is not missed.
        let keys = client.encryption().room_keys_received_stream().await;
        let deadline = tokio::time::Instant::now() + KEY_GRACE;
        if let Some(mut keys) = keys {
            'retry: loop {
                if let Decryption::Decrypted(job) =
                    self.retry_decryption(&room, &raw, incoming.received).await
                {
                    if let Some(job) = job {
                        self.enqueue(&room, job);
                    }
                    return;
                }
                loop {
                    tokio::select! {
                        () = self.0.stop.cancelled() => return,
                        () = tokio::time::sleep_until(deadline) => break 'retry,
                        update = keys.next() => match update {
                            None => break 'retry,
                            // A lagging stream may have lost our key: try again anyway.
                            Some(Err(_)) => continue 'retry,
                            Some(Ok(infos)) if infos.iter().any(|k| k.session_id == megolm.session_id) => {
                                continue 'retry
                            }
                            Some(Ok(_)) => {}
                        },
                    }
                }
            }
        }
        match self.retry_decryption(&room, &raw, incoming.received).await {
            Decryption::Decrypted(Some(job)) => self.enqueue(&room, job),
            Decryption::Decrypted(None) => {}
            Decryption::Failed => {
                tracing::info!(room = %room.room_id(), event = %incoming.event_id, "a message cannot be decrypted");
                self.enqueue(&room, Job::Undecryptable(incoming));
            }
        }
    }

    /// Tries to decrypt an encrypted message again (its key may have come since).
    async fn retry_decryption(
        &self,
        room: &Room,
        raw: &Raw<OriginalSyncRoomEncryptedEvent>,
        received: Instant,
    ) -> Decryption {
        let event = match room.decrypt_event(raw, None).await {
            Ok(event) if !event.kind.is_utd() => event,
            _ => return Decryption::Failed,
        };
        // Decrypted: whether it is a command or not, the waiting is over.
        let job = event
            .raw()
            .deserialize_as_unchecked::<OriginalSyncRoomMessageEvent>()
            .ok()
            .and_then(|message| self.command(room, &message, received));
        Decryption::Decrypted(job)
    }
}
