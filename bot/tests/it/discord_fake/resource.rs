//! The Discord resources of the fake's REST API: commands, channels and their messages, DM
//! channels, interaction callbacks and the webhooks of interaction tokens.

use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

use super::rest::{Reply, Request, snowflake_of};
use super::{FakeDiscord, File, State as FakeState, model};

/// How long Discord remembers a nonce for `enforce_nonce`.
const NONCE_MEMORY: Duration = Duration::from_secs(5 * 60);
/// Message flags: ephemeral, and the "thinking" state of a deferred answer.
const EPHEMERAL: u64 = 1 << 6;
const LOADING: u64 = 1 << 7;
/// Message types: an ordinary message, and an answer to a slash command.
const DEFAULT: u8 = 0;
const CHAT_INPUT_COMMAND: u8 = 20;

pub(super) fn open_dm(state: &mut FakeState, body: &Value) -> Reply {
    let Some(user) = snowflake_of(&body["recipient_id"]) else {
        return Reply::error(400, "/users/@me/channels");
    };
    let channel = match state.dm_channels.get(&user) {
        Some(channel) => *channel,
        None => {
            let channel = state.next_id();
            state.dm_channels.insert(user, channel);
            state.channels.insert(channel, model::dm_channel(channel, user));
            channel
        }
    };
    Reply::ok(state.channels[&channel].clone())
}

/// `/applications/{app}/…commands…`: the bulk overwrite keeps the ids of commands it keeps (by
/// name and type) and gives a new version to each one that changed, as Discord does.
pub(super) fn commands(state: &mut FakeState, method: &str, rest: &[&str], body: &Value) -> Option<Reply> {
    let guild = FakeDiscord::GUILD_ID.to_string();
    let (scope, rest) = match rest {
        ["guilds", g, rest @ ..] if *g == guild => (Some(FakeDiscord::GUILD_ID), rest),
        ["guilds", _, ..] => return Some(Reply::coded(404, 10004, "Unknown Guild")),
        rest => (None, rest),
    };
    let mut stored = std::mem::take(if scope.is_some() {
        &mut state.guild_commands
    } else {
        &mut state.global_commands
    });
    let reply = match (method, rest) {
        ("GET", ["commands"]) => Some(Reply::ok(json!(stored))),
        ("PUT", ["commands"]) => {
            let requested = body.as_array().cloned().unwrap_or_default();
            let previous = std::mem::take(&mut stored);
            for command in &requested {
                let kept = previous.iter().find(|c| same_command(c, command));
                stored.push(store_command(state, command, kept, scope));
            }
            Some(Reply::ok(json!(stored)))
        }
        ("POST", ["commands"]) => {
            let at = stored.iter().position(|c| same_command(c, body));
            let command = store_command(state, body, at.map(|i| &stored[i]), scope);
            Some(match at {
                Some(i) => {
                    stored[i] = command.clone();
                    Reply::ok(command)
                }
                None => {
                    stored.push(command.clone());
                    Reply::json(201, command)
                }
            })
        }
        ("GET", ["commands", id]) => Some(stored.iter().find(|c| c["id"] == *id).map_or_else(
            || Reply::coded(404, 10063, "Unknown application command"),
            |c| Reply::ok(c.clone()),
        )),
        ("DELETE", ["commands", id]) => {
            let before = stored.len();
            stored.retain(|c| c["id"] != *id);
            Some(if stored.len() < before {
                Reply::no_content()
            } else {
                Reply::coded(404, 10063, "Unknown application command")
            })
        }
        _ => None,
    };
    *(if scope.is_some() {
        &mut state.guild_commands
    } else {
        &mut state.global_commands
    }) = stored;
    reply
}

fn same_command(stored: &Value, requested: &Value) -> bool {
    stored["name"] == requested["name"]
        && stored["type"].as_u64().unwrap_or(1) == requested["type"].as_u64().unwrap_or(1)
}

fn store_command(
    state: &mut FakeState,
    requested: &Value,
    kept: Option<&Value>,
    guild: Option<u64>,
) -> Value {
    let id = kept
        .and_then(|c| snowflake_of(&c["id"]))
        .unwrap_or_else(|| state.next_id());
    if let Some(kept) = kept {
        let version = snowflake_of(&kept["version"]).unwrap_or(id);
        let unchanged = model::command(requested, id, version, guild);
        if &unchanged == kept {
            return unchanged;
        }
    }
    let version = state.next_id();
    model::command(requested, id, version, guild)
}

/// A new message from a create request (or an interaction answer's `data`).
fn new_message(
    state: &mut FakeState,
    channel: u64,
    body: &Value,
    files: &[File],
    kind: u8,
    webhook: bool,
) -> Value {
    let id = state.next_id();
    let attachments: Vec<Value> = files
        .iter()
        .map(|f| {
            let attachment = state.next_id();
            json!({
                "id": attachment.to_string(),
                "filename": f.filename,
                "size": f.bytes.len(),
                "url": format!("https://cdn.discordapp.com/attachments/{channel}/{attachment}/{}", f.filename),
                "proxy_url": format!("https://media.discordapp.net/attachments/{channel}/{attachment}/{}", f.filename),
                "content_type": f.content_type.clone().unwrap_or_else(|| "application/octet-stream".to_owned()),
            })
        })
        .collect();
    let mut message = Map::new();
    message.insert("id".into(), json!(id.to_string()));
    message.insert("channel_id".into(), json!(channel.to_string()));
    message.insert("author".into(), model::bot_author());
    message.insert("content".into(), json!(""));
    message.insert("timestamp".into(), json!(model::timestamp()));
    message.insert("edited_timestamp".into(), Value::Null);
    message.insert("tts".into(), json!(body["tts"].as_bool().unwrap_or(false)));
    message.insert("mention_everyone".into(), json!(false));
    message.insert("mentions".into(), json!([]));
    message.insert("mention_roles".into(), json!([]));
    message.insert("attachments".into(), json!(attachments));
    message.insert("embeds".into(), json!([]));
    message.insert("components".into(), json!([]));
    message.insert("pinned".into(), json!(false));
    message.insert("type".into(), json!(kind));
    message.insert("flags".into(), json!(0));
    if webhook {
        message.insert(
            "webhook_id".into(),
            json!(FakeDiscord::APPLICATION_ID.to_string()),
        );
        message.insert(
            "application_id".into(),
            json!(FakeDiscord::APPLICATION_ID.to_string()),
        );
    }
    if let Some(nonce) = body.get("nonce").filter(|n| !n.is_null()) {
        message.insert("nonce".into(), nonce.clone());
    }
    model::apply_edit(&mut message, body);
    Value::Object(message)
}

fn is_empty_message(body: &Value, files: &[File]) -> bool {
    let empty = |key: &str| body[key].as_array().is_none_or(Vec::is_empty);
    body["content"].as_str().is_none_or(str::is_empty)
        && empty("embeds")
        && empty("components")
        && empty("sticker_ids")
        && body["poll"].is_null()
        && files.is_empty()
}

fn edit(message: &mut Value, body: &Value) {
    if let Some(fields) = message.as_object_mut() {
        model::apply_edit(fields, body);
        fields.insert("edited_timestamp".into(), json!(model::timestamp()));
    }
}

pub(super) fn channels(
    state: &mut FakeState,
    request: &Request<'_>,
    channel: u64,
    rest: &[&str],
) -> Option<Reply> {
    let body = request.body;
    let unknown_message = || Reply::coded(404, 10008, "Unknown Message");
    Some(match (request.method, rest) {
        ("GET", []) => Reply::ok(state.channels[&channel].clone()),
        ("POST", ["typing"]) => Reply::no_content(),
        ("GET", ["messages"]) => {
            let mut messages = state.messages.get(&channel).cloned().unwrap_or_default();
            messages.reverse();
            Reply::ok(json!(messages))
        }
        ("POST", ["messages"]) => {
            if is_empty_message(body, request.files) {
                return Some(Reply::coded(400, 50006, "Cannot send an empty message"));
            }
            let nonce = match &body["nonce"] {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            };
            let enforced = body["enforce_nonce"].as_bool().unwrap_or(false);
            if enforced
                && let Some(nonce) = &nonce
                && let Some((when, id)) = state.nonces.get(&(channel, nonce.clone()))
                && when.elapsed() < NONCE_MEMORY
            {
                let id = id.to_string();
                if let Some(first) = state
                    .messages
                    .get(&channel)
                    .and_then(|m| m.iter().find(|m| m["id"] == id.as_str()))
                {
                    return Some(Reply::ok(first.clone()));
                }
            }
            let message = new_message(state, channel, body, request.files, DEFAULT, false);
            if let (Some(nonce), Some(id)) = (nonce, snowflake_of(&message["id"])) {
                state.nonces.insert((channel, nonce), (Instant::now(), id));
            }
            state.messages.entry(channel).or_default().push(message.clone());
            Reply::ok(message)
        }
        ("POST", ["polls", id, "expire"]) => {
            let messages = state.messages.entry(channel).or_default();
            let Some(message) = messages.iter_mut().find(|m| m["id"] == *id) else {
                return Some(unknown_message());
            };
            if !message["poll"].is_object() {
                return Some(Reply::coded(400, 520_001, "This message does not have a poll"));
            }
            message["poll"]["expiry"] = json!(model::timestamp());
            message["poll"]["results"]["is_finalized"] = json!(true);
            Reply::ok(message.clone())
        }
        ("GET", ["polls", id, "answers", answer]) => {
            let poll = state
                .messages
                .get(&channel)
                .and_then(|m| m.iter().find(|m| m["id"] == *id))
                .map(|m| m["poll"].clone());
            let (Some(poll), Ok(message), Ok(answer)) = (poll, id.parse::<u64>(), answer.parse::<u64>())
            else {
                return Some(unknown_message());
            };
            if !poll["answers"]
                .as_array()
                .is_some_and(|a| a.iter().any(|a| a["answer_id"] == answer))
            {
                return Some(Reply::coded(404, 10_008, "Unknown Message"));
            }
            let param = |name: &str| {
                request.query.unwrap_or("").split('&').find_map(|pair| {
                    let (key, value) = pair.split_once('=')?;
                    (key == name).then(|| value.parse::<u64>().ok()).flatten()
                })
            };
            let after = param("after").unwrap_or(0);
            let limit = param("limit").unwrap_or(25).clamp(1, 100) as usize;
            let users: Vec<Value> = state
                .poll_votes
                .get(&(message, answer))
                .into_iter()
                .flatten()
                .filter(|user| **user > after)
                .take(limit)
                .map(|user| model::user(*user))
                .collect();
            Reply::ok(json!({"users": users}))
        }
        (method, ["messages", id, rest @ ..]) => {
            let messages = state.messages.entry(channel).or_default();
            let Some(at) = messages.iter().position(|m| m["id"] == *id) else {
                return Some(unknown_message());
            };
            match (method, rest) {
                ("GET", []) => Reply::ok(messages[at].clone()),
                ("PATCH", []) => {
                    edit(&mut messages[at], body);
                    Reply::ok(messages[at].clone())
                }
                ("DELETE", []) => {
                    messages.remove(at);
                    Reply::no_content()
                }
                ("PUT" | "DELETE", ["reactions", _, "@me"]) => Reply::no_content(),
                _ => return None,
            }
        }
        _ => return None,
    })
}

pub(super) fn callback(state: &mut FakeState, id: &str, token: &str, body: &Value) -> Reply {
    let Some(id) = id
        .parse::<u64>()
        .ok()
        .filter(|id| state.interactions.get(id).is_some_and(|i| i.token == token))
    else {
        return Reply::coded(404, 10062, "Unknown interaction");
    };
    state.responses.entry(id).or_default().push(body.clone());
    let deadline = state.ack_deadline;
    let Some(interaction) = state.interactions.get_mut(&id) else {
        return Reply::coded(404, 10062, "Unknown interaction");
    };
    if interaction.acknowledged {
        return Reply::coded(400, 40060, "Interaction has already been acknowledged.");
    }
    interaction.acknowledged = true;
    let late = interaction.sent_at.elapsed();
    let channel = interaction.channel_id;
    let message_id = interaction.message_id;
    if let Some(deadline) = deadline
        && late > deadline
    {
        state.violation(format!(
            "interaction {id} answered after {late:?}: Discord wants an answer within {deadline:?}"
        ));
    }
    let data = &body["data"];
    match body["type"].as_u64() {
        Some(4) => {
            let message = new_message(state, channel, data, &[], CHAT_INPUT_COMMAND, true);
            state.originals.insert(token.to_owned(), message);
        }
        Some(5) => {
            let flags = (data["flags"].as_u64().unwrap_or(0) & EPHEMERAL) | LOADING;
            let message = new_message(
                state,
                channel,
                &json!({"flags": flags}),
                &[],
                CHAT_INPUT_COMMAND,
                true,
            );
            state.originals.insert(token.to_owned(), message);
        }
        Some(7) => {
            if let Some(id) = message_id
                && let Some(message) = find_message(state, id)
            {
                edit(message, data);
            }
        }
        _ => {}
    }
    Reply::no_content()
}

/// A message the bot can edit, wherever it is.
fn find_message(state: &mut FakeState, id: u64) -> Option<&mut Value> {
    let id = id.to_string();
    let id = id.as_str();
    state
        .messages
        .values_mut()
        .flatten()
        .chain(state.originals.values_mut())
        .chain(state.followups.values_mut().flatten())
        .find(|m| m["id"] == id)
}

/// `/webhooks/{app}/{token}…`: an interaction's token works once it was acknowledged.
pub(super) fn webhook(
    state: &mut FakeState,
    request: &Request<'_>,
    token: &str,
    rest: &[&str],
) -> Option<Reply> {
    let Some(channel) = state
        .interactions
        .values()
        .find(|i| i.token == token && i.acknowledged)
        .map(|i| i.channel_id)
    else {
        return Some(Reply::coded(404, 10015, "Unknown Webhook"));
    };
    let body = request.body;
    let unknown_message = || Reply::coded(404, 10008, "Unknown Message");
    Some(match (request.method, rest) {
        ("POST", []) => {
            if is_empty_message(body, request.files) {
                return Some(Reply::coded(400, 50006, "Cannot send an empty message"));
            }
            let message = new_message(state, channel, body, request.files, CHAT_INPUT_COMMAND, true);
            state
                .followups
                .entry(token.to_owned())
                .or_default()
                .push(message.clone());
            Reply::ok(message)
        }
        ("DELETE", ["messages", "@original"]) => match state.originals.remove(token) {
            Some(_) => Reply::no_content(),
            None => unknown_message(),
        },
        (method, ["messages", "@original"]) => match (method, state.originals.get_mut(token)) {
            (_, None) => unknown_message(),
            ("GET", Some(message)) => Reply::ok(message.clone()),
            ("PATCH", Some(message)) => {
                edit(message, body);
                if let Some(flags) = message["flags"].as_u64() {
                    message["flags"] = json!(flags & !LOADING);
                }
                Reply::ok(message.clone())
            }
            _ => return None,
        },
        (method, ["messages", id]) => {
            let followups = state.followups.entry(token.to_owned()).or_default();
            let Some(at) = followups.iter().position(|m| m["id"] == *id) else {
                return Some(unknown_message());
            };
            match method {
                "GET" => Reply::ok(followups[at].clone()),
                "PATCH" => {
                    edit(&mut followups[at], body);
                    Reply::ok(followups[at].clone())
                }
                "DELETE" => {
                    followups.remove(at);
                    Reply::no_content()
                }
                _ => return None,
            }
        }
        _ => return None,
    })
}
