//! The configuration sections of the chat side: `[chat]` (prefix, language, the admins and peers
//! seeded at start), `[server]` (the HTTP listener), `[matrix]` (the Matrix account) and
//! `[discord]` (the Discord bot).
//!
//! Secrets (the Matrix password or access token, the store passphrase, the Discord bot token, the
//! calendar token) are refused in the file: they come from the environment
//! (`VIGIE_MATRIX__PASSWORD`, `VIGIE_DISCORD__TOKEN`, …) or from a file named by the matching
//! `…_file` key.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::Deserialize;

/// `[chat]`: what every platform shares.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ChatConfig {
    /// The word that starts a command in a room (`!vigie windows`). Commands also work as
    /// `/windows` text on Matrix, and natively on Discord.
    pub prefix: String,
    /// The language of replies when neither the room nor the person chose one: en, fr or es.
    pub language: String,
    /// People who are admins (the secretariat), seeded into the database at start. A platform
    /// user id: `@alice:example.org` (Matrix) or `discord:123456789012345678`.
    pub admins: Vec<String>,
    /// Steering-committee peers seeded at start; `peers` commands manage them afterwards.
    pub peers: Vec<PeerSeed>,
}

impl Default for ChatConfig {
    fn default() -> Self {
        Self {
            prefix: "!vigie".into(),
            language: "en".into(),
            admins: Vec::new(),
            peers: Vec::new(),
        }
    }
}

/// One `[[chat.peers]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeerSeed {
    pub user: String,
    #[serde(default = "peer_role")]
    pub role: String,
    #[serde(default)]
    pub region: Option<String>,
    /// The peer's country, ISO 3166-1 alpha-2 (`KE`): award campaigns may recuse them from
    /// nominees of the same country.
    #[serde(default)]
    pub country: Option<String>,
    /// The peer's organisation: award campaigns recuse them from nominees of the same one.
    #[serde(default)]
    pub organisation: Option<String>,
}

fn peer_role() -> String {
    "peer".into()
}

/// `[server]`: the HTTP listener for `/healthz`, `/metrics` and `/windows.ics`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerConfig {
    /// Whether the listener runs at all.
    pub enabled: bool,
    /// The address and port it listens on.
    pub listen: SocketAddr,
    /// A file whose content is the token that `/windows.ics` requires (`?token=…`); the token
    /// can also come from `VIGIE_SERVER__WINDOWS_TOKEN`. Without one, the calendar is public.
    pub windows_token_file: Option<PathBuf>,
    /// Never in the file; filled from the environment only (checked by the loader).
    pub windows_token: Option<String>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            listen: SocketAddr::from(([127, 0, 0, 1], 9464)),
            windows_token_file: None,
            windows_token: None,
        }
    }
}

/// `[matrix]`: the account Vigie uses on a Matrix homeserver. Present means Matrix is on.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixConfig {
    /// The homeserver's base URL, such as `https://matrix.example.org`.
    pub homeserver: String,
    /// Vigie's Matrix user, such as `@vigie:example.org`.
    pub user: String,
    /// Never in the file: `VIGIE_MATRIX__PASSWORD`, or `password_file`.
    #[serde(default)]
    pub password: Option<String>,
    #[serde(default)]
    pub password_file: Option<PathBuf>,
    /// Never in the file: `VIGIE_MATRIX__ACCESS_TOKEN`, or `access_token_file`.
    #[serde(default)]
    pub access_token: Option<String>,
    #[serde(default)]
    pub access_token_file: Option<PathBuf>,
    /// The display name of the device Vigie logs in with.
    #[serde(default = "device_name")]
    pub device_name: String,
    /// The folder of the session and the encryption store; keep it: a new one is a new device,
    /// which cannot read the keys of encrypted rooms sent to the old one.
    #[serde(default = "matrix_store")]
    pub store: PathBuf,
    /// Never in the file: `VIGIE_MATRIX__STORE_PASSPHRASE`, or `store_passphrase_file`. Without
    /// either, Vigie generates one in the store folder (readable by its owner only).
    #[serde(default)]
    pub store_passphrase: Option<String>,
    #[serde(default)]
    pub store_passphrase_file: Option<PathBuf>,
    /// Invitations are accepted only from these users (`@alice:example.org`) or servers
    /// (`:example.org`); without any, only from admins and peers.
    #[serde(default)]
    pub autojoin: Vec<String>,
    /// Other bots whose messages Vigie ignores (it also ignores every `m.notice`).
    #[serde(default)]
    pub ignore: Vec<String>,
    /// The room power level from which a member is an admin in that room (creators of
    /// version 12 rooms have infinite power and always are).
    #[serde(default = "admin_power_level")]
    pub admin_power_level: i64,
}

fn device_name() -> String {
    "Vigie".into()
}

fn matrix_store() -> PathBuf {
    PathBuf::from(".vigie/matrix")
}

fn admin_power_level() -> i64 {
    100
}

/// How Vigie logs in to Matrix, resolved from the environment or a file.
#[derive(Clone)]
pub enum MatrixLogin {
    Password(String),
    AccessToken(String),
}

impl std::fmt::Debug for MatrixLogin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Password(_) => f.write_str("Password([redacted])"),
            Self::AccessToken(_) => f.write_str("AccessToken([redacted])"),
        }
    }
}

/// The checked `[matrix]` section.
#[derive(Clone)]
pub struct Matrix {
    pub homeserver: String,
    pub user: String,
    pub login: MatrixLogin,
    pub device_name: String,
    /// Absolute: relative paths are taken from the configuration file's folder.
    pub store: PathBuf,
    pub store_passphrase: Option<String>,
    pub autojoin: Vec<String>,
    pub ignore: Vec<String>,
    pub admin_power_level: i64,
}

impl std::fmt::Debug for Matrix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matrix")
            .field("homeserver", &self.homeserver)
            .field("user", &self.user)
            .field("login", &self.login)
            .field("device_name", &self.device_name)
            .field("store", &self.store)
            .field("autojoin", &self.autojoin)
            .field("ignore", &self.ignore)
            .field("admin_power_level", &self.admin_power_level)
            .finish_non_exhaustive()
    }
}

/// `[discord]`: the Discord bot (gateway mode). Present means Discord is on.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscordConfig {
    /// Never in the file: `VIGIE_DISCORD__TOKEN`, or `token_file`.
    #[serde(default)]
    pub token: Option<String>,
    #[serde(default)]
    pub token_file: Option<PathBuf>,
    /// The servers (guild ids) to register the commands in, where they appear at once; empty
    /// registers them globally (every server the bot is in, which Discord may take a while to
    /// show).
    #[serde(default)]
    pub guilds: Vec<Snowflake>,
    /// Discord's base URL. Another one (a local fake Discord in tests, an API proxy) gets every
    /// request instead, and then keeps its own rate limits: Vigie's limiter is off.
    #[serde(default = "discord_api")]
    pub api_url: String,
    /// How interactions reach Vigie: `gateway` (down the websocket) or `http` (POSTed by Discord
    /// to the "Interactions Endpoint URL" of the developer portal, which is Vigie's HTTP listener
    /// at `interactions_path`; needs `public_key` and the `discord-http` build).
    #[serde(default)]
    pub interactions: Interactions,
    /// The application's public key ("Public Key" in the developer portal, 64 hexadecimal
    /// characters): it checks the signature of every interaction POSTed. Not a secret.
    #[serde(default)]
    pub public_key: Option<String>,
    /// Where the HTTP listener takes Discord's interactions.
    #[serde(default = "interactions_path")]
    pub interactions_path: String,
    /// Whether quick polls asked in a Discord channel are also posted as native Discord polls
    /// (votes counted as ballots); `false` keeps them as text answered with `/vote`.
    #[serde(default = "native_polls")]
    pub native_polls: bool,
}

fn native_polls() -> bool {
    true
}

/// How Discord delivers interactions to Vigie.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Interactions {
    /// Down the gateway's websocket.
    #[default]
    Gateway,
    /// By HTTP POST, signed with the application's key.
    Http,
}

fn interactions_path() -> String {
    "/discord/interactions".into()
}

/// A Discord id as written in the file: a number, or the same number as text (ids from
/// Discord's "Copy ID" are often pasted quoted).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Snowflake {
    Number(i64),
    Text(String),
}

impl Snowflake {
    /// The id, if it is one: a positive number.
    pub fn id(&self) -> Option<u64> {
        match self {
            Self::Number(n) => u64::try_from(*n).ok().filter(|n| *n > 0),
            Self::Text(t) => t.trim().parse::<u64>().ok().filter(|n| *n > 0),
        }
    }
}

/// Discord's own base URL.
pub const DISCORD_API: &str = "https://discord.com";

fn discord_api() -> String {
    DISCORD_API.into()
}

/// The checked `[discord]` section.
#[derive(Clone)]
pub struct Discord {
    /// The bot token. Never logged.
    pub token: String,
    /// Guild ids to register the commands in; empty for global commands.
    pub guilds: Vec<u64>,
    /// Discord's base URL, without a trailing slash.
    pub api_url: String,
    pub interactions: Interactions,
    /// The application's public key, 64 lowercase hexadecimal characters, when given.
    pub public_key: Option<String>,
    /// Where the HTTP listener takes interactions (`http` mode), starting with `/`.
    pub interactions_path: String,
    /// Whether quick polls are posted as native Discord polls.
    pub native_polls: bool,
}

impl Discord {
    /// Whether requests go somewhere else than Discord itself (a proxy or a fake).
    pub fn proxied(&self) -> bool {
        self.api_url != DISCORD_API
    }
}

impl std::fmt::Debug for Discord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Discord")
            .field("token", &"[redacted]")
            .field("guilds", &self.guilds)
            .field("api_url", &self.api_url)
            .field("interactions", &self.interactions)
            .field("public_key", &self.public_key)
            .field("interactions_path", &self.interactions_path)
            .field("native_polls", &self.native_polls)
            .finish()
    }
}

/// The paths the HTTP listener serves itself.
const OWN_PATHS: [&str; 3] = ["/healthz", "/metrics", "/windows.ics"];

/// Whether `key` (lowercase) is an Ed25519 public key: 64 hexadecimal characters and, in a build
/// that verifies signatures, a point on the curve.
fn is_public_key(key: &str) -> bool {
    if key.len() != 64 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
        return false;
    }
    #[cfg(feature = "discord-http")]
    let on_the_curve = crate::platform::discord::endpoint::public_key(key).is_some();
    #[cfg(not(feature = "discord-http"))]
    let on_the_curve = true;
    on_the_curve
}

/// Keys whose values are secrets: refused when they come from the file.
pub const SECRET_KEYS: &[(&str, &str)] = &[
    ("matrix", "password"),
    ("matrix", "access_token"),
    ("matrix", "store_passphrase"),
    ("discord", "token"),
    ("server", "windows_token"),
];

/// A user id as written in the configuration, in Vigie's platform-qualified form:
/// `@alice:example.org` → `matrix:@alice:example.org`; `discord:…` and `console:…` stay.
pub fn qualified_user(user: &str) -> Option<String> {
    let user = user.trim();
    if let Some(rest) = user.strip_prefix("matrix:") {
        return qualified_user(rest).filter(|_| rest.starts_with('@'));
    }
    if let Some(id) = user.strip_prefix('@') {
        let (local, server) = id.split_once(':')?;
        return (!local.is_empty() && !server.is_empty() && !user.contains(char::is_whitespace))
            .then(|| format!("matrix:{user}"));
    }
    if let Some(id) = user.strip_prefix("discord:") {
        return (!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())).then(|| user.to_owned());
    }
    if let Some(name) = user.strip_prefix("console:") {
        return (!name.is_empty()).then(|| user.to_owned());
    }
    None
}

/// The languages Vigie speaks.
pub const LANGUAGES: [&str; 3] = ["en", "fr", "es"];

impl super::Loader<'_> {
    pub(super) fn check_chat(&mut self, chat: &ChatConfig) {
        let prefix = chat.prefix.trim();
        if prefix.is_empty() || prefix.contains(char::is_whitespace) {
            self.error_at("chat.prefix", "expected one word without spaces, such as !vigie");
        }
        if !LANGUAGES.contains(&chat.language.as_str()) {
            self.error_at(
                "chat.language",
                "is not a language Vigie speaks; expected en, fr or es",
            );
        }
        for (i, admin) in chat.admins.iter().enumerate() {
            if qualified_user(admin).is_none() {
                self.error_at(
                    "chat.admins",
                    format!(
                        "entry {} \"{admin}\" is not a user id; expected @name:server (Matrix) or discord:ID",
                        i + 1
                    ),
                );
            }
        }
        for (i, peer) in chat.peers.iter().enumerate() {
            let key = format!("chat.peers[{i}]");
            if qualified_user(&peer.user).is_none() {
                self.error_at(
                    &format!("{key}.user"),
                    format!(
                        "\"{}\" is not a user id; expected @name:server (Matrix) or discord:ID",
                        peer.user
                    ),
                );
            }
            if !matches!(peer.role.as_str(), "admin" | "peer") {
                self.error_at(&format!("{key}.role"), "expected admin or peer");
            }
            if let Some(region) = &peer.region
                && vigie_rules::Region::parse(region).is_err()
            {
                self.error_at(
                    &format!("{key}.region"),
                    "is not an OGP region; expected africa-middle-east, americas, asia-pacific or europe",
                );
            }
            if let Some(country) = &peer.country
                && let Err(e) = vigie_rules::CountryCode::parse(country)
            {
                self.error_at(&format!("{key}.country"), e.to_string());
            }
            if let Some(organisation) = &peer.organisation
                && crate::command::award::name(organisation).is_none()
            {
                self.error_at(
                    &format!("{key}.organisation"),
                    "is empty or too long; expected a name of 1 to 200 characters",
                );
            }
        }
    }

    pub(super) fn check_server(&mut self, server: &mut ServerConfig) {
        if let Some(file) = &server.windows_token_file {
            if server.windows_token.is_some() {
                self.error_at(
                    "server.windows_token_file",
                    "is given together with VIGIE_SERVER__WINDOWS_TOKEN; expected one or the other",
                );
            }
            server.windows_token = self.read_secret("server.windows_token_file", file);
        }
        if let Some(token) = &server.windows_token
            && token.trim().len() < 16
        {
            self.error_at(
                "server.windows_token",
                "is shorter than 16 characters; expected a long random token",
            );
        }
    }

    pub(super) fn check_matrix(&mut self, m: MatrixConfig) -> Option<Matrix> {
        let errors_before = self.errors.len();
        let homeserver = m.homeserver.trim().trim_end_matches('/').to_owned();
        if !(homeserver.starts_with("https://") || homeserver.starts_with("http://")) {
            self.error_at(
                "matrix.homeserver",
                "expected an http(s) URL such as https://matrix.example.org",
            );
        }
        if !qualified_user(&m.user).is_some_and(|u| u.starts_with("matrix:")) {
            self.error_at(
                "matrix.user",
                "expected a Matrix user id such as @vigie:example.org",
            );
        }
        let password = self.secret("matrix.password_file", m.password, m.password_file.as_ref());
        let token = self.secret(
            "matrix.access_token_file",
            m.access_token,
            m.access_token_file.as_ref(),
        );
        let login = match (password, token) {
            (Some(p), None) => Some(MatrixLogin::Password(p)),
            (None, Some(t)) => Some(MatrixLogin::AccessToken(t)),
            (Some(_), Some(_)) => {
                self.error_at(
                    "matrix",
                    "has both a password and an access token; expected one of them",
                );
                None
            }
            (None, None) => {
                self.error_at(
                    "matrix",
                    "has no way to log in; expected VIGIE_MATRIX__PASSWORD or VIGIE_MATRIX__ACCESS_TOKEN (or password_file / access_token_file)",
                );
                None
            }
        };
        let store_passphrase = self.secret(
            "matrix.store_passphrase_file",
            m.store_passphrase,
            m.store_passphrase_file.as_ref(),
        );
        for entry in &m.autojoin {
            let ok = if let Some(server) = entry.strip_prefix(':') {
                !server.is_empty() && !server.contains(char::is_whitespace)
            } else {
                qualified_user(entry).is_some_and(|u| u.starts_with("matrix:"))
            };
            if !ok {
                self.error_at(
                    "matrix.autojoin",
                    format!("\"{entry}\" is neither a user nor a server; expected @name:server or :server"),
                );
            }
        }
        for entry in &m.ignore {
            if !qualified_user(entry).is_some_and(|u| u.starts_with("matrix:")) {
                self.error_at(
                    "matrix.ignore",
                    format!("\"{entry}\" is not a Matrix user id; expected @name:server"),
                );
            }
        }
        if m.device_name.trim().is_empty() {
            self.error_at("matrix.device_name", "is empty; expected a name such as Vigie");
        }
        if self.errors.len() > errors_before {
            return None;
        }
        Some(Matrix {
            homeserver,
            user: m.user.trim().to_owned(),
            login: login?,
            device_name: m.device_name,
            store: self.base_dir.join(&m.store),
            store_passphrase,
            autojoin: m.autojoin,
            ignore: m.ignore,
            admin_power_level: m.admin_power_level,
        })
    }

    pub(super) fn check_discord(&mut self, d: DiscordConfig, server: &ServerConfig) -> Option<Discord> {
        let errors_before = self.errors.len();
        let token = self.secret("discord.token_file", d.token, d.token_file.as_ref());
        let token = match token.map(|t| t.trim().to_owned()) {
            Some(t) if !t.is_empty() && !t.contains(char::is_whitespace) => Some(t),
            Some(_) => {
                self.error_at(
                    "discord.token",
                    "is empty or has spaces; expected the bot token from Discord's developer portal",
                );
                None
            }
            None => {
                self.error_at(
                    "discord",
                    "has no bot token; expected VIGIE_DISCORD__TOKEN (or token_file)",
                );
                None
            }
        };
        let mut guilds = Vec::new();
        for (i, guild) in d.guilds.iter().enumerate() {
            match guild.id() {
                Some(id) if !guilds.contains(&id) => guilds.push(id),
                Some(_) => {}
                None => self.error_at(
                    "discord.guilds",
                    format!(
                        "entry {} is not a server id; expected the number Discord's \"Copy Server ID\" gives",
                        i + 1
                    ),
                ),
            }
        }
        let api_url = d.api_url.trim().trim_end_matches('/').to_owned();
        let host = api_url
            .strip_prefix("https://")
            .or_else(|| api_url.strip_prefix("http://"));
        if !host.is_some_and(|h| !h.is_empty() && !h.contains(char::is_whitespace)) {
            self.error_at(
                "discord.api_url",
                "expected an http(s) URL such as https://discord.com",
            );
        }
        let public_key = d.public_key.as_deref().map(str::trim).and_then(|key| {
            let key = key.to_ascii_lowercase();
            if is_public_key(&key) {
                return Some(key);
            }
            self.error_at(
                "discord.public_key",
                "is not an Ed25519 public key; expected the 64 hexadecimal characters of \"Public Key\" on the application's page of Discord's developer portal",
            );
            None
        });
        let interactions_path = d.interactions_path.trim().to_owned();
        if d.interactions == Interactions::Http {
            self.check_interactions(d.public_key.is_some(), server, &interactions_path);
        }
        if self.errors.len() > errors_before {
            return None;
        }
        Some(Discord {
            token: token?,
            guilds,
            api_url,
            interactions: d.interactions,
            public_key,
            interactions_path,
            native_polls: d.native_polls,
        })
    }

    /// What `interactions = "http"` needs: the build, the key, the listener, a free path.
    fn check_interactions(&mut self, has_key: bool, server: &ServerConfig, path: &str) {
        if !cfg!(feature = "discord-http") {
            self.error_at(
                "discord.interactions",
                "is \"http\", but this build of Vigie has no HTTP interactions endpoint; build it with the `discord-http` feature, or set interactions = \"gateway\"",
            );
        }
        if !has_key {
            self.error_at(
                "discord",
                "has no public_key; interactions = \"http\" needs the application's public key (64 hexadecimal characters) from Discord's developer portal",
            );
        }
        if !server.enabled {
            self.error_at(
                "discord.interactions",
                "is \"http\", but the HTTP listener is off; expected [server] enabled = true, since Discord POSTs the interactions to it",
            );
        }
        let segments_ok = path.strip_prefix('/').is_some_and(|rest| {
            rest.split('/').all(|segment| {
                !segment.is_empty()
                    && segment
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
            })
        });
        if !segments_ok {
            self.error_at(
                "discord.interactions_path",
                "expected a path such as /discord/interactions (letters, digits, -, ., _ and ~ between slashes)",
            );
        } else if OWN_PATHS.contains(&path) {
            self.error_at(
                "discord.interactions_path",
                "is one of Vigie's own endpoints (/healthz, /metrics, /windows.ics); expected another path such as /discord/interactions",
            );
        }
    }

    /// A secret from the environment (already in `value`) or from `file`; not both.
    fn secret(&mut self, file_key: &str, value: Option<String>, file: Option<&PathBuf>) -> Option<String> {
        match (value, file) {
            (Some(_), Some(_)) => {
                self.error_at(
                    file_key,
                    "is given together with the same secret from the environment; expected one or the other",
                );
                None
            }
            (Some(v), None) => Some(v),
            (None, Some(f)) => self.read_secret(file_key, f),
            (None, None) => None,
        }
    }

    fn read_secret(&mut self, key: &str, file: &PathBuf) -> Option<String> {
        let path = self.base_dir.join(file);
        match std::fs::read_to_string(&path) {
            Ok(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            Ok(_) => {
                self.error_at(
                    key,
                    format!(
                        "{} is empty; expected the secret as its whole content",
                        path.display()
                    ),
                );
                None
            }
            Err(e) => {
                self.error_at(key, format!("{} cannot be read: {e}", path.display()));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::qualified_user;

    #[test]
    fn user_ids_are_qualified_by_platform_or_refused() {
        let cases = [
            ("@alice:example.org", Some("matrix:@alice:example.org")),
            ("matrix:@alice:example.org", Some("matrix:@alice:example.org")),
            ("discord:123456789012345678", Some("discord:123456789012345678")),
            ("console:operator", Some("console:operator")),
            ("alice", None),
            ("@alice", None),
            ("@:example.org", None),
            ("discord:abc", None),
            ("matrix:alice", None),
        ];
        for (input, expected) in cases {
            assert_eq!(qualified_user(input).as_deref(), expected, "{input}");
        }
    }
}
