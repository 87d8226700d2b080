//! Taking a command's own message out of a room: a secret ballot typed where others read it
//! (the chat layer asks for it with [`Reply::redact_command`](crate::chat::Reply)). Vigie redacts
//! it when the room lets it redact other people's events; otherwise the reply asks the person to
//! remove it themselves.

use matrix_sdk::Room;
use matrix_sdk::ruma::EventId;
use matrix_sdk::ruma::api::error::ErrorKind;

/// Redacts `event_id` in `room` with `reason` (a short sentence the room sees). Returns whether
/// it did. The homeserver decides whether Vigie may (the power levels Vigie last synced may be
/// behind a change an admin just made): a refusal or an error is logged and answered `false`, so
/// that the reply can ask the person to remove the message.
pub(super) async fn redact_command(room: &Room, event_id: &EventId, reason: &str) -> bool {
    match room.redact(event_id, Some(reason), None).await {
        Ok(_) => {
            tracing::info!(room = %room.room_id(), event = %event_id, "a secret ballot typed in a shared room was redacted");
            true
        }
        Err(e) if matches!(e.client_api_error_kind(), Some(ErrorKind::Forbidden)) => {
            tracing::info!(room = %room.room_id(), event = %event_id, "Vigie may not redact others' messages here; the person is asked to");
            false
        }
        Err(e) => {
            tracing::warn!(room = %room.room_id(), event = %event_id, error = format!("{e:#}"), "redacting a message failed; the person is asked to remove it");
            false
        }
    }
}
