//! The JSON objects the fake Discord hands out, shaped like Discord's: what its REST answers must
//! be by its OpenAPI description, and what serenity 0.12.5's model types need to parse gateway
//! payloads (which the description does not cover).

use serde_json::{Map, Value, json};

use super::FakeDiscord;

/// Discord's epoch (2015-01-01T00:00:00Z) in Unix milliseconds: snowflakes count from it.
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// Every permission an administrator holds (the bits Discord defined up to 2^50).
pub const ADMIN_PERMISSIONS: u64 = (1 << 51) - 1;
/// What an ordinary member may do in a channel: view, send, embed, attach, read history, react,
/// use application commands.
pub const MEMBER_PERMISSIONS: u64 =
    (1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 6) | (1 << 31);

/// A snowflake made now, from a per-fake counter (kept below Discord's 22 bits of increment).
pub fn snowflake(counter: u64) -> u64 {
    let now = u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or(DISCORD_EPOCH_MS);
    (now.saturating_sub(DISCORD_EPOCH_MS) << 22) | (counter & 0x3F_FFFF)
}

/// An ISO 8601 timestamp, the way Discord writes them.
pub fn timestamp() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, false)
}

/// The bot's own user, as `GET /users/@me` returns it (a `UserPIIResponse`).
pub fn bot_user() -> Value {
    json!({
        "id": FakeDiscord::BOT_USER_ID.to_string(),
        "username": "vigie",
        "discriminator": "0",
        "global_name": null,
        "avatar": null,
        "bot": true,
        "system": false,
        "public_flags": 0,
        "flags": 0,
        "banner": null,
        "accent_color": null,
        "primary_guild": null,
        "mfa_enabled": true,
        "locale": "en-US",
        "verified": true,
        "email": null,
        "premium_type": 0,
    })
}

/// The bot as a message author (a `UserResponse`).
pub fn bot_author() -> Value {
    let mut user = bot_user();
    if let Some(fields) = user.as_object_mut() {
        for private in ["mfa_enabled", "locale", "verified", "email", "premium_type"] {
            fields.remove(private);
        }
    }
    user
}

/// A person (a `UserResponse`).
pub fn user(id: u64) -> Value {
    json!({
        "id": id.to_string(),
        "username": format!("user{}", id % 100_000),
        "discriminator": "0",
        "global_name": format!("User {}", id % 100_000),
        "avatar": null,
        "bot": false,
        "public_flags": 0,
        "flags": 0,
        "banner": null,
        "accent_color": null,
        "primary_guild": null,
    })
}

/// A member of the guild, with their permissions in the channel (as interactions carry them).
pub fn member(user_id: u64, permissions: u64) -> Value {
    let person = if user_id == FakeDiscord::BOT_USER_ID {
        bot_author()
    } else {
        user(user_id)
    };
    json!({
        "user": person,
        "nick": null,
        "avatar": null,
        "banner": null,
        "roles": [],
        "joined_at": "2025-01-01T00:00:00.000000+00:00",
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "permissions": permissions.to_string(),
        "communication_disabled_until": null,
    })
}

/// A text channel of the guild (a `GuildChannelResponse`).
pub fn guild_channel(id: u64, name: &str) -> Value {
    json!({
        "id": id.to_string(),
        "type": 0,
        "guild_id": FakeDiscord::GUILD_ID.to_string(),
        "name": name,
        "position": 0,
        "flags": 0,
        "parent_id": null,
        "topic": null,
        "last_message_id": null,
        "rate_limit_per_user": 0,
        "nsfw": false,
        "permission_overwrites": [],
    })
}

/// A direct-message channel with one person (a `PrivateChannelResponse`).
pub fn dm_channel(id: u64, recipient: u64) -> Value {
    json!({
        "id": id.to_string(),
        "type": 1,
        "flags": 0,
        "last_message_id": null,
        "recipients": [user(recipient)],
    })
}

/// The application (a `PrivateApplicationResponse`).
pub fn application() -> Value {
    json!({
        "id": FakeDiscord::APPLICATION_ID.to_string(),
        "name": "Vigie",
        "icon": null,
        "description": "A lookout for political opportunity windows.",
        "type": null,
        "bot": bot_author(),
        "bot_public": false,
        "bot_require_code_grant": false,
        "verify_key": "9d4ae2b3a4c1e0f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3",
        "flags": 0,
        "flags_new": "0",
        "redirect_uris": [],
        "interactions_endpoint_url": null,
        "role_connections_verification_url": null,
        "owner": user(1_100_000_000_000_000_099),
        "approximate_guild_count": 1,
        "approximate_user_install_count": 0,
        "approximate_user_authorization_count": 0,
        "explicit_content_filter": 0,
        "team": null,
        "eligible_oauth2_scopes": ["bot", "applications.commands"],
        "rpc_origins": [],
        "integration_types_config": {"0": {}},
    })
}

/// The guild with its channels, as `GUILD_CREATE` brings it (serenity's `Guild`).
pub fn guild_create(channels: &[Value]) -> Value {
    let guild = FakeDiscord::GUILD_ID.to_string();
    let everyone = json!({
        "id": guild,
        "name": "@everyone",
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
        "hoist": false,
        "icon": null,
        "unicode_emoji": null,
        "position": 0,
        "permissions": MEMBER_PERMISSIONS.to_string(),
        "managed": false,
        "mentionable": false,
        "flags": 0,
    });
    let mut fields = json!({
        "id": guild,
        "name": "Open Government Partnership",
        "icon": null,
        "icon_hash": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": "1100000000000000099",
        "widget_enabled": false,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 2,
        "roles": [everyone],
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": null,
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "max_presences": null,
        "max_members": 500_000,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
    });
    // The rest in a second object: one `json!` of it all exceeds the macro recursion limit.
    let more = json!({
        "public_updates_channel_id": null,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "nsfw_level": 0,
        "stickers": [],
        "premium_progress_bar_enabled": false,
        "safety_alerts_channel_id": null,
        "incidents_data": null,
        "joined_at": "2025-01-01T00:00:00.000000+00:00",
        "large": false,
        "unavailable": false,
        "member_count": 2,
        "voice_states": [],
        "members": [member(FakeDiscord::BOT_USER_ID, ADMIN_PERMISSIONS)],
        "channels": channels,
        "threads": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    });
    if let (Some(fields), Value::Object(more)) = (fields.as_object_mut(), more) {
        fields.extend(more);
    }
    fields
}

/// The `READY` dispatch of a new session.
pub fn ready(session_id: &str, resume_url: &str) -> Value {
    json!({
        "v": 10,
        "user": bot_user(),
        "guilds": [{"id": FakeDiscord::GUILD_ID.to_string(), "unavailable": true}],
        "session_id": session_id,
        "resume_gateway_url": resume_url,
        "shard": [0, 1],
        "application": {"id": FakeDiscord::APPLICATION_ID.to_string(), "flags": 0},
        "private_channels": [],
        "relationships": [],
        "presences": [],
        "guild_join_requests": [],
        "geo_ordered_rtc_regions": ["rotterdam"],
        "user_settings": {},
    })
}

/// Drops `null` members of objects, all the way down: Discord's requests admit `null` for "not
/// given", its responses leave such fields out.
pub fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// Message components as Discord stores them: every component numbered (depth first, from 1,
/// unless the request numbered it), select menus with their default bounds.
pub fn components(requested: &Value) -> Value {
    let mut next = 1;
    let mut rows = without_nulls(requested);
    if let Some(items) = rows.as_array_mut() {
        items.iter_mut().for_each(|c| number(c, &mut next));
    }
    if rows.is_array() { rows } else { json!([]) }
}

fn number(component: &mut Value, next: &mut i64) {
    let Some(fields) = component.as_object_mut() else {
        return;
    };
    if !fields.contains_key("id") {
        fields.insert("id".into(), json!(*next));
    }
    *next += 1;
    if matches!(fields.get("type").and_then(Value::as_u64), Some(3 | 5..=8)) {
        fields.entry("min_values").or_insert(json!(1));
        fields.entry("max_values").or_insert(json!(1));
    }
    if let Some(children) = fields.get_mut("components").and_then(Value::as_array_mut) {
        children.iter_mut().for_each(|c| number(c, next));
    }
}

/// Embeds as Discord returns them (`rich`, fields with `inline`).
pub fn embeds(requested: &Value) -> Value {
    let mut embeds = without_nulls(requested);
    let Some(items) = embeds.as_array_mut() else {
        return json!([]);
    };
    for embed in items.iter_mut().filter_map(Value::as_object_mut) {
        embed.entry("type").or_insert(json!("rich"));
        if let Some(fields) = embed.get_mut("fields").and_then(Value::as_array_mut) {
            for field in fields.iter_mut().filter_map(Value::as_object_mut) {
                field.entry("inline").or_insert(json!(false));
            }
        }
    }
    embeds
}

/// A poll as Discord returns it from the one a message was created with.
pub fn poll(requested: &Value) -> Value {
    let hours = requested["duration"].as_i64().unwrap_or(24);
    let expiry = (chrono::Utc::now() + chrono::Duration::hours(hours))
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, false);
    let answers: Vec<Value> = requested["answers"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, a)| json!({"answer_id": i + 1, "poll_media": without_nulls(&a["poll_media"])}))
        .collect();
    json!({
        "question": without_nulls(&requested["question"]),
        "answers": answers,
        "expiry": expiry,
        "allow_multiselect": requested["allow_multiselect"].as_bool().unwrap_or(false),
        "layout_type": requested["layout_type"].as_u64().unwrap_or(1),
        "results": {"is_finalized": false, "answer_counts": []},
    })
}

/// Applies the fields of a message create or edit request to a stored message.
pub fn apply_edit(message: &mut Map<String, Value>, body: &Value) {
    if let Some(content) = body.get("content") {
        message.insert("content".into(), json!(content.as_str().unwrap_or("")));
    }
    if let Some(requested) = body.get("components") {
        message.insert("components".into(), components(requested));
    }
    if let Some(requested) = body.get("embeds") {
        message.insert("embeds".into(), embeds(requested));
    }
    if let Some(flags) = body.get("flags").and_then(Value::as_u64) {
        message.insert("flags".into(), json!(flags));
    }
    if let Some(requested) = body.get("poll").filter(|p| p.is_object()) {
        message.insert("poll".into(), poll(requested));
    }
}

/// A full application command as Discord stores and returns it (`ApplicationCommandResponse`).
pub fn command(requested: &Value, id: u64, version: u64, guild: Option<u64>) -> Value {
    let mut command = without_nulls(requested);
    let Some(fields) = command.as_object_mut() else {
        return command;
    };
    fields.insert("id".into(), json!(id.to_string()));
    fields.insert(
        "application_id".into(),
        json!(FakeDiscord::APPLICATION_ID.to_string()),
    );
    fields.insert("version".into(), json!(version.to_string()));
    fields.entry("type").or_insert(json!(1));
    fields.entry("description").or_insert(json!(""));
    fields.entry("nsfw").or_insert(json!(false));
    let permissions = match requested.get("default_member_permissions") {
        Some(Value::String(s)) => json!(s),
        Some(Value::Number(n)) => json!(n.to_string()),
        _ => Value::Null,
    };
    fields.insert("default_member_permissions".into(), permissions);
    if let Some(guild) = guild {
        fields.insert("guild_id".into(), json!(guild.to_string()));
    }
    command
}
