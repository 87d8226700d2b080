//! Registering Vigie's application commands, only when they changed.
//!
//! Discord allows 200 command creates per guild per day, and a bulk overwrite counts each command
//! it creates; a bot that registered at every READY would run out after a few reconnections. So
//! the hash of the definition ([`definition_hash`]) is stored per application and scope (a guild,
//! or global) in the store's platform state, and the bulk overwrite is sent only when the stored
//! hash differs. The hash is stored after Discord accepted the commands: a failed registration is
//! tried again at the next READY.

use chrono::Utc;
use serenity::all::{ApplicationId, GuildId};
use serenity::http::Http;
use tokio::sync::Mutex;

use crate::chat::Chat;
use crate::command::discord::{application_commands, definition_hash};

/// The platform-state name of the platform.
const PLATFORM: &str = "discord";

/// Where commands are registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every guild the bot is in.
    Global,
    Guild(u64),
}

impl Scope {
    /// The platform-state name of the hash registered in this scope for `application`.
    pub fn state_name(self, application: u64) -> String {
        match self {
            Self::Global => format!("commands:{application}:global"),
            Self::Guild(id) => format!("commands:{application}:guild:{id}"),
        }
    }
}

/// The scopes of a configuration: each guild listed, or global when none is.
pub fn scopes(guilds: &[u64]) -> Vec<Scope> {
    if guilds.is_empty() {
        vec![Scope::Global]
    } else {
        guilds.iter().map(|&g| Scope::Guild(g)).collect()
    }
}

/// Whether a scope needs its commands sent: when what it holds is not this definition.
pub fn needs_registration(stored: Option<&str>, hash: &str) -> bool {
    stored != Some(hash)
}

/// The registration of one bot: its scopes, and one registration at a time (two READYs in a row,
/// after a reconnection, must not both send).
pub struct Registration {
    guilds: Vec<u64>,
    running: Mutex<()>,
}

impl Registration {
    pub fn new(guilds: Vec<u64>) -> Self {
        Self {
            guilds,
            running: Mutex::new(()),
        }
    }

    /// Registers the commands in every scope whose stored hash differs. Failures are logged: the
    /// bot still answers the commands Discord already has, and the next READY tries again.
    pub async fn ensure(&self, http: &Http, chat: &Chat, application: ApplicationId) {
        let _one_at_a_time = self.running.lock().await;
        let commands = application_commands(chat.locales());
        let hash = definition_hash(&commands);
        for scope in scopes(&self.guilds) {
            let name = scope.state_name(application.get());
            let stored = match chat.store().platform_state(PLATFORM, &name).await {
                Ok(stored) => stored,
                Err(e) => {
                    tracing::error!(
                        scope = ?scope,
                        error = format!("{e:#}"),
                        "the registered Discord commands cannot be read; not registering them now"
                    );
                    continue;
                }
            };
            if !needs_registration(stored.as_deref(), &hash) {
                tracing::debug!(scope = ?scope, "Discord commands unchanged; not registered again");
                continue;
            }
            let sent = match scope {
                Scope::Global => http.create_global_commands(&commands).await,
                Scope::Guild(id) => http.create_guild_commands(GuildId::new(id), &commands).await,
            };
            match sent {
                Ok(registered) => {
                    tracing::info!(
                        scope = ?scope,
                        commands = registered.len(),
                        "Discord commands registered"
                    );
                    if let Err(e) = chat
                        .store()
                        .set_platform_state(PLATFORM, &name, &hash, Utc::now())
                        .await
                    {
                        tracing::error!(
                            scope = ?scope,
                            error = format!("{e:#}"),
                            "the registered Discord commands cannot be recorded; they will be sent again"
                        );
                    }
                }
                Err(e) => tracing::error!(
                    scope = ?scope,
                    error = super::describe(&e),
                    "Discord refused the commands; trying again at the next connection"
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_go_to_each_guild_listed_or_globally() {
        assert_eq!(scopes(&[]), [Scope::Global]);
        assert_eq!(scopes(&[7, 9]), [Scope::Guild(7), Scope::Guild(9)]);
        assert_eq!(Scope::Global.state_name(5), "commands:5:global");
        assert_eq!(Scope::Guild(7).state_name(5), "commands:5:guild:7");
    }

    #[test]
    fn commands_are_sent_only_when_their_definition_changed() {
        assert!(needs_registration(None, "abc"));
        assert!(needs_registration(Some("abd"), "abc"));
        assert!(!needs_registration(Some("abc"), "abc"));
    }
}
