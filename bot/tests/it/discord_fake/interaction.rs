//! Interactions as Discord sends them down the gateway, shaped so that serenity 0.12.5 parses
//! them (it needs `attachment_size_limit`, and reads only classic action-row text inputs in
//! modals).

use serde_json::{Value, json};

use super::{ADMIN_PERMISSIONS, FakeDiscord, model};

impl FakeDiscord {
    /// The fields every interaction in the guild channel carries.
    fn interaction(&self, id: u64, kind: u8, user_id: u64) -> Value {
        let permissions = self
            .shared
            .lock()
            .permissions
            .get(&user_id)
            .copied()
            .unwrap_or(ADMIN_PERMISSIONS);
        json!({
            "id": id.to_string(),
            "application_id": Self::APPLICATION_ID.to_string(),
            "type": kind,
            "guild_id": Self::GUILD_ID.to_string(),
            "channel_id": Self::CHANNEL_ID.to_string(),
            "channel": {
                "id": Self::CHANNEL_ID.to_string(),
                "type": 0,
                "name": Self::CHANNEL_NAME,
                "guild_id": Self::GUILD_ID.to_string(),
                "permissions": permissions.to_string(),
            },
            "member": model::member(user_id, permissions),
            "token": format!("itoken-{id}"),
            "version": 1,
            "app_permissions": ADMIN_PERMISSIONS.to_string(),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": Self::GUILD_ID.to_string()},
            "context": 0,
            "attachment_size_limit": 10_485_760,
        })
    }

    /// The data of a command interaction: the registered command of that name (guild first).
    fn command_data(&self, name: &str, options: Value) -> Value {
        let state = self.shared.lock();
        let registered = state
            .guild_commands
            .iter()
            .chain(&state.global_commands)
            .find(|c| c["name"] == name);
        let id = registered
            .and_then(|c| c["id"].as_str())
            .map_or_else(|| "1100000000000000900".to_owned(), str::to_owned);
        let mut data = json!({
            "id": id,
            "name": name,
            "type": 1,
            "options": if options.is_null() { json!([]) } else { options },
        });
        if registered.is_some_and(|c| c.get("guild_id").is_some()) {
            data["guild_id"] = json!(Self::GUILD_ID.to_string());
        }
        data
    }

    /// A slash command (APPLICATION_COMMAND, type 2) by `user_id` in the guild channel, with
    /// `options` as Discord sends them (`[{"name", "type", "value" | "options"}]`).
    pub fn command_interaction(&self, id: u64, user_id: u64, name: &str, options: Value) -> Value {
        let mut interaction = self.interaction(id, 2, user_id);
        interaction["data"] = self.command_data(name, options);
        interaction
    }

    /// An autocomplete request (type 4): one of `options` has `"focused": true`.
    pub fn autocomplete_interaction(&self, id: u64, user_id: u64, name: &str, options: Value) -> Value {
        let mut interaction = self.interaction(id, 4, user_id);
        interaction["data"] = self.command_data(name, options);
        interaction
    }

    /// A click on a button, or a choice in a select menu (MESSAGE_COMPONENT, type 3) of
    /// `message` (as the fake returned it). The component's type is looked up in the message;
    /// if it is not there, `values` make it a string select, none a button.
    pub fn component_interaction(
        &self,
        id: u64,
        user_id: u64,
        custom_id: &str,
        values: Vec<String>,
        message: Value,
    ) -> Value {
        let kind = component_type(&message["components"], custom_id).unwrap_or(if values.is_empty() {
            2
        } else {
            3
        });
        let mut interaction = self.interaction(id, 3, user_id);
        let mut data = json!({"custom_id": custom_id, "component_type": kind});
        if kind != 2 {
            data["values"] = json!(values);
        }
        interaction["data"] = data;
        interaction["message"] = message;
        interaction
    }

    /// A submitted modal (MODAL_SUBMIT, type 5) with one classic action row per text input.
    pub fn modal_interaction(
        &self,
        id: u64,
        user_id: u64,
        custom_id: &str,
        fields: &[(&str, &str)],
    ) -> Value {
        let rows: Vec<Value> = fields
            .iter()
            .enumerate()
            .map(|(i, (field, value))| {
                json!({
                    "type": 1,
                    "id": 2 * i + 1,
                    "components": [
                        {"type": 4, "id": 2 * i + 2, "custom_id": field, "value": value}
                    ],
                })
            })
            .collect();
        let mut interaction = self.interaction(id, 5, user_id);
        interaction["data"] = json!({"custom_id": custom_id, "components": rows});
        interaction
    }
}

/// The type of the component `custom_id` among message components.
fn component_type(components: &Value, custom_id: &str) -> Option<u64> {
    components.as_array()?.iter().find_map(|c| {
        if c["custom_id"] == custom_id {
            c["type"].as_u64()
        } else {
            component_type(&c["components"], custom_id)
        }
    })
}
