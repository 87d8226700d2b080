//! Vigie's configuration: `config.toml`, then `VIGIE_…` environment overrides.
//!
//! The file is read section by section with spans, so `vigie check` can report every error it
//! finds at once, each with the file, line, column and key (or the environment variable it came
//! from). Secrets never live in the file: a database URL with a password must come from the
//! environment or from a file named by `url_file`.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use vigie_feeds::{FeedKind, IcsSettings, Source, StatusPattern};
use vigie_rules::{EventKind, JurisdictionCode};

mod alerts;
mod chat;
pub use alerts::{AlertsConfig, DigestConfig, EscalationConfig, is_receiver};
pub use chat::{
    ChatConfig, Discord, Interactions, Matrix, MatrixLogin, PeerSeed, ServerConfig, qualified_user,
};

/// The documented default configuration, shipped in the binary.
pub const DEFAULT_TOML: &str = include_str!("../../config.toml");

/// The prefix of environment overrides: `VIGIE_HTTP__TIMEOUT=10s`,
/// `VIGIE_FEEDS__ELECTIONS__SOURCE=https://…`.
pub const ENV_PREFIX: &str = "VIGIE_";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StorageConfig {
    /// `sqlite:PATH` (relative to the configuration file) or `postgres://…`.
    pub url: String,
    /// A file whose content is the database URL (for URLs with a password).
    pub url_file: Option<PathBuf>,
}

impl Default for StorageConfig {
    fn default() -> Self {
        Self {
            url: "sqlite:vigie.db".into(),
            url_file: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogConfig {
    /// A tracing filter: `info`, `vigie=debug,info`…
    pub level: String,
    pub format: LogFormat,
}

impl LogConfig {
    /// The filter as tracing reads it: each comma-separated directive without the spaces around
    /// it (tracing-subscriber 0.3 slices a directive at offsets counted after trimming it, so a
    /// leading space before a non-ASCII character would make it panic rather than refuse).
    pub fn filter(&self) -> String {
        self.level.split(',').map(str::trim).collect::<Vec<_>>().join(",")
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            level: "info".into(),
            format: LogFormat::Text,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct HttpConfig {
    #[serde(with = "humantime_serde")]
    pub timeout: Duration,
    #[serde(with = "humantime_serde")]
    pub connect_timeout: Duration,
    pub max_body: bytesize::ByteSize,
    pub retries: u32,
    #[serde(with = "humantime_serde")]
    pub retry_backoff: Duration,
    pub user_agent: Option<String>,
}

impl Default for HttpConfig {
    fn default() -> Self {
        let d = vigie_feeds::HttpSettings::default();
        Self {
            timeout: d.timeout,
            connect_timeout: d.connect_timeout,
            max_body: bytesize::ByteSize::b(d.max_body),
            retries: d.retries,
            retry_backoff: d.backoff,
            user_agent: None,
        }
    }
}

impl HttpConfig {
    pub fn settings(&self) -> vigie_feeds::HttpSettings {
        let mut s = vigie_feeds::HttpSettings {
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            max_body: self.max_body.as_u64(),
            retries: self.retries,
            backoff: self.retry_backoff,
            ..Default::default()
        };
        if let Some(ua) = &self.user_agent {
            s.user_agent = ua.clone();
        }
        s
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RulesConfig {
    /// A folder of `*.toml` rule files; without it the bundled default rules apply.
    pub directory: Option<PathBuf>,
    /// How often `vigie run` looks for changed rule files.
    #[serde(with = "humantime_serde")]
    pub check_every: Duration,
}

impl Default for RulesConfig {
    fn default() -> Self {
        Self {
            directory: None,
            check_every: Duration::from_secs(30),
        }
    }
}

fn default_refresh() -> Duration {
    Duration::from_secs(24 * 3600)
}

fn yes() -> bool {
    true
}

/// One feed, as declared under `[[feeds]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    pub name: String,
    pub kind: FeedKind,
    pub source: String,
    #[serde(with = "humantime_serde", default = "default_refresh")]
    pub refresh: Duration,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// iCalendar feeds: the jurisdiction of events that do not name one.
    #[serde(default)]
    pub jurisdiction: Option<String>,
    /// iCalendar feeds: the kind of events that do not name one.
    #[serde(default)]
    pub event_kind: Option<String>,
    /// iCalendar feeds: recurring events are expanded up to this many years ahead.
    #[serde(default)]
    pub expand_years: Option<u32>,
    /// Status feeds: patterns that recognise a member and its new status in an entry.
    #[serde(default)]
    pub patterns: Vec<StatusPattern>,
}

/// A feed whose configuration has been checked and resolved.
#[derive(Debug, Clone)]
pub struct Feed {
    pub name: String,
    pub kind: FeedKind,
    pub source: Source,
    pub refresh: Duration,
    pub enabled: bool,
    pub ics: IcsSettings,
    pub patterns: Vec<vigie_feeds::CompiledPattern>,
}

/// The whole configuration, checked.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the configuration came from, for messages.
    pub origin: String,
    /// The folder relative paths are taken from.
    pub base_dir: PathBuf,
    pub log: LogConfig,
    pub http: HttpConfig,
    pub rules: RulesConfig,
    pub feeds: Vec<Feed>,
    pub chat: ChatConfig,
    /// The HTTP listener; its calendar token is resolved from the environment or its file.
    pub server: ServerConfig,
    /// The Matrix account, when `[matrix]` is present.
    pub matrix: Option<Matrix>,
    /// The Discord bot, when `[discord]` is present.
    pub discord: Option<Discord>,
    /// Alert routing, quiet hours, escalation and digests.
    pub alerts: AlertsConfig,
    /// The database URL, resolved from the file, the environment or `url_file`. Never logged.
    database_url: Secret,
}

impl Config {
    pub fn database_url(&self) -> &str {
        &self.database_url.0
    }

    pub fn feed(&self, name: &str) -> Option<&Feed> {
        self.feeds.iter().find(|f| f.name == name)
    }
}

/// A value that must not appear in logs or debug output.
#[derive(Clone)]
struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// One problem in the configuration, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// `config.toml:12:5` or `environment variable VIGIE_HTTP__TIMEOUT`.
    pub location: String,
    /// The key, as a path: `http.timeout`, `feeds[2].source`.
    pub key: String,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.key.is_empty() {
            write!(f, "{}: {}", self.location, self.message)
        } else {
            write!(f, "{}: {}: {}", self.location, self.key, self.message)
        }
    }
}

/// Every problem found in a configuration.
#[derive(Debug, Clone)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

/// Where the configuration text comes from.
pub enum ConfigSource<'a> {
    File(&'a Path),
    /// The built-in default, when no file exists.
    Default,
}

/// Loads and checks the configuration, applying the given environment variables (pass
/// `std::env::vars()` in the binary; tests pass their own).
pub fn load(
    source: ConfigSource<'_>,
    env: impl IntoIterator<Item = (String, String)>,
) -> Result<Config, ConfigErrors> {
    let (text, origin, base_dir) = match source {
        ConfigSource::File(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                ConfigErrors(vec![ConfigError {
                    location: path.display().to_string(),
                    key: String::new(),
                    message: format!("the file cannot be read: {e}"),
                }])
            })?;
            // A file in the working folder has an empty parent: relative paths then stay relative.
            let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
            (text, path.display().to_string(), base)
        }
        ConfigSource::Default => (
            DEFAULT_TOML.to_owned(),
            "built-in config.toml".to_owned(),
            PathBuf::from("."),
        ),
    };
    let env: Vec<(String, String)> = env.into_iter().collect();
    Loader::new(&text, origin, base_dir).load(&env)
}

/// Reads one configuration text.
struct Loader<'t> {
    text: &'t str,
    origin: String,
    base_dir: PathBuf,
    /// Each error with the offset it was found at, to report them in file order.
    errors: Vec<(usize, ConfigError)>,
    /// Spans past the end of the text stand for environment variables.
    env_spans: HashMap<usize, String>,
    /// Key path → span of the value, for errors found after parsing.
    spans: HashMap<String, Range<usize>>,
}

impl<'t> Loader<'t> {
    fn new(text: &'t str, origin: String, base_dir: PathBuf) -> Self {
        Self {
            text,
            origin,
            base_dir,
            errors: Vec::new(),
            env_spans: HashMap::new(),
            spans: HashMap::new(),
        }
    }

    fn location(&self, span: &Range<usize>) -> String {
        if let Some(var) = self.env_spans.get(&span.start) {
            return format!("environment variable {var}");
        }
        let start = span.start.min(self.text.len());
        let before = &self.text[..start];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("{}:{line}:{column}", self.origin)
    }

    fn error(&mut self, span: Option<Range<usize>>, key: &str, message: impl Into<String>) {
        let (order, location) = match span {
            Some(s) => (s.start, self.location(&s)),
            None => (usize::MAX, self.origin.clone()),
        };
        self.errors.push((
            order,
            ConfigError {
                location,
                key: key.to_owned(),
                message: message.into(),
            },
        ));
    }

    fn error_at(&mut self, key: &str, message: impl Into<String>) {
        let span = self.spans.get(key).cloned();
        self.error(span, key, message);
    }

    fn load(mut self, env: &'t [(String, String)]) -> Result<Config, ConfigErrors> {
        let doc = match DeTable::parse(self.text) {
            Ok(doc) => doc,
            Err(e) => {
                let span = e.span();
                self.error(
                    span,
                    "",
                    format!("the file is not valid TOML: {}", e.message().trim()),
                );
                return Err(self.into_errors());
            }
        };
        let mut table = doc.into_inner();
        self.record_spans("", &table);
        let in_file_url = table
            .get("storage")
            .and_then(|s| s.get_ref().get("url"))
            .and_then(|u| u.get_ref().as_str().map(str::to_owned));
        for (section, key) in chat::SECRET_KEYS {
            if table.get(*section).and_then(|s| s.get_ref().get(*key)).is_some() {
                let env = format!(
                    "{ENV_PREFIX}{}__{}",
                    section.to_ascii_uppercase(),
                    key.to_ascii_uppercase()
                );
                self.error_at(
                    &format!("{section}.{key}"),
                    format!("is a secret and never goes in the file: set {env}, or {section}.{key}_file"),
                );
            }
        }
        self.apply_env(&mut table, env);

        let mut storage = StorageConfig::default();
        let mut log = LogConfig::default();
        let mut http = HttpConfig::default();
        let mut rules = RulesConfig::default();
        let mut chat = ChatConfig::default();
        let mut server = ServerConfig::default();
        let mut matrix_raw: Option<chat::MatrixConfig> = None;
        let mut discord_raw: Option<chat::DiscordConfig> = None;
        let mut alerts = AlertsConfig::default();
        let mut feeds_raw: Vec<(usize, FeedConfig)> = Vec::new();
        let mut feeds_given = false;
        for (key, value) in table {
            let key_span = key.span();
            match key.get_ref().as_ref() {
                "storage" => storage = self.section("storage", value).unwrap_or_default(),
                "log" => log = self.section("log", value).unwrap_or_default(),
                "http" => http = self.section("http", value).unwrap_or_default(),
                "rules" => rules = self.section("rules", value).unwrap_or_default(),
                "chat" => chat = self.section("chat", value).unwrap_or_default(),
                "server" => server = self.section("server", value).unwrap_or_default(),
                "matrix" => matrix_raw = self.section("matrix", value),
                "discord" => discord_raw = self.section("discord", value),
                "alerts" => alerts = self.section("alerts", value).unwrap_or_default(),
                "feeds" => {
                    feeds_given = true;
                    let span = value.span();
                    match value.into_inner() {
                        DeValue::Array(items) => {
                            for (i, item) in items.into_iter().enumerate() {
                                if let Some(feed) = self.section::<FeedConfig>(&format!("feeds[{i}]"), item) {
                                    feeds_raw.push((i, feed));
                                }
                            }
                        }
                        _ => self.error(Some(span), "feeds", "expected an array of tables: [[feeds]]"),
                    }
                }
                other => {
                    let other = other.to_owned();
                    self.error(
                        Some(key_span),
                        &other,
                        "unknown section; expected storage, log, http, rules, chat, server, matrix, discord, alerts or [[feeds]]",
                    );
                }
            }
        }
        if !feeds_given {
            tracing::debug!("no [[feeds]] declared");
        }

        let database_url = self.database_url(&storage, in_file_url.as_deref());
        self.check_log(&log);
        self.check_http(&http);
        self.check_rules(&mut rules);
        let feeds = self.check_feeds(feeds_raw);
        self.check_chat(&chat);
        self.check_server(&mut server);
        let matrix = matrix_raw.and_then(|m| self.check_matrix(m));
        let discord = discord_raw.and_then(|d| self.check_discord(d, &server));
        self.check_alerts(&alerts);

        if self.errors.is_empty() {
            Ok(Config {
                origin: self.origin,
                base_dir: self.base_dir,
                log,
                http,
                rules,
                feeds,
                chat,
                server,
                matrix,
                discord,
                alerts,
                database_url: Secret(database_url.unwrap_or_default()),
            })
        } else {
            Err(self.into_errors())
        }
    }

    fn into_errors(mut self) -> ConfigErrors {
        self.errors.sort_by_key(|(order, _)| *order);
        ConfigErrors(self.errors.into_iter().map(|(_, e)| e).collect())
    }

    fn record_spans(&mut self, prefix: &str, table: &DeTable<'_>) {
        for (k, v) in table.iter() {
            let path = if prefix.is_empty() {
                k.get_ref().to_string()
            } else {
                format!("{prefix}.{}", k.get_ref())
            };
            self.spans.insert(path.clone(), v.span());
            match v.get_ref() {
                DeValue::Table(t) => self.record_spans(&path, t),
                DeValue::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let p = format!("{path}[{i}]");
                        self.spans.insert(p.clone(), item.span());
                        if let DeValue::Table(t) = item.get_ref() {
                            self.record_spans(&p, t);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Deserialises one section; on error records it, located, and returns `None`.
    fn section<T: DeserializeOwned>(&mut self, key: &str, value: Spanned<DeValue<'_>>) -> Option<T> {
        match T::deserialize(ValueDeserializer::from(value)) {
            Ok(v) => Some(v),
            Err(e) => {
                let span = e.span();
                let field = span
                    .as_ref()
                    .and_then(|s| self.key_at(key, s))
                    .unwrap_or_else(|| key.to_owned());
                let message = e.message().trim().replace('\n', " ");
                self.error(span, &field, message);
                None
            }
        }
    }

    /// The most specific key under `prefix` whose value (or key) covers `span`.
    fn key_at(&self, prefix: &str, span: &Range<usize>) -> Option<String> {
        if let Some(var) = self.env_spans.get(&span.start) {
            return Some(env_key(var));
        }
        self.spans
            .iter()
            .filter(|(k, s)| {
                k.starts_with(prefix) && s.start <= span.start && span.end <= s.end.max(s.start + 1)
            })
            .min_by_key(|(_, s)| s.end - s.start)
            .map(|(k, _)| k.clone())
            .or_else(|| {
                // An unknown key: the span is the key itself; name the key from the text.
                let text = self.text.get(span.clone())?.trim();
                (!text.is_empty() && !text.contains('\n')).then(|| format!("{prefix}.{text}"))
            })
    }

    /// Applies `VIGIE_SECTION__KEY` and `VIGIE_FEEDS__NAME__KEY` overrides.
    fn apply_env(&mut self, table: &mut DeTable<'t>, env: &'t [(String, String)]) {
        let mut vars: Vec<&'t (String, String)> = env
            .iter()
            .filter(|(k, _)| k.starts_with(ENV_PREFIX) && k.contains("__"))
            .collect();
        vars.sort();
        for (var, raw) in vars {
            let parts: Vec<String> = var[ENV_PREFIX.len()..]
                .split("__")
                .map(|p| p.to_ascii_lowercase())
                .collect();
            let sentinel = self.text.len() + 1 + self.env_spans.len();
            self.env_spans.insert(sentinel, var.clone());
            let value = Spanned::new(sentinel..sentinel + 1, env_value(raw));
            match parts.as_slice() {
                [section, key] if section != "feeds" => {
                    let entry = table
                        .entry(Spanned::new(sentinel..sentinel + 1, section.clone().into()))
                        .or_insert_with(|| Spanned::new(sentinel..sentinel + 1, DeValue::Table(DeTable::new())));
                    match entry.get_mut() {
                        DeValue::Table(t) => {
                            t.insert(Spanned::new(sentinel..sentinel + 1, key.clone().into()), value);
                            self.spans.insert(format!("{section}.{key}"), sentinel..sentinel + 1);
                        }
                        _ => self.error(Some(sentinel..sentinel + 1), section, "is not a section"),
                    }
                }
                [feeds, name, key] if feeds == "feeds" => {
                    let found = match table.get_mut("feeds").map(Spanned::get_mut) {
                        Some(DeValue::Array(items)) => items.iter_mut().enumerate().find_map(|(i, item)| match item.get_mut() {
                            DeValue::Table(t)
                                if t.get("name").and_then(|n| n.get_ref().as_str()).map(env_name).as_deref()
                                    == Some(name.as_str()) =>
                            {
                                Some((i, t))
                            }
                            _ => None,
                        }),
                        _ => None,
                    };
                    match found {
                        Some((i, t)) => {
                            t.insert(Spanned::new(sentinel..sentinel + 1, key.clone().into()), value);
                            self.spans.insert(format!("feeds[{i}].{key}"), sentinel..sentinel + 1);
                        }
                        None => self.error(
                            Some(sentinel..sentinel + 1),
                            &format!("feeds.{name}"),
                            "no feed has this name; expected VIGIE_FEEDS__<FEED NAME>__<KEY> with the name in capitals and _ for -",
                        ),
                    }
                }
                _ => self.error(
                    Some(sentinel..sentinel + 1),
                    "",
                    "is not an override Vigie knows; expected VIGIE_<SECTION>__<KEY> or VIGIE_FEEDS__<NAME>__<KEY>",
                ),
            }
        }
    }

    fn database_url(&mut self, storage: &StorageConfig, in_file: Option<&str>) -> Option<String> {
        if let Some(url) = in_file
            && url_has_password(url)
        {
            self.error_at(
                "storage.url",
                "contains a password; secrets never go in the file: set VIGIE_STORAGE__URL or storage.url_file",
            );
            return None;
        }
        let url = match &storage.url_file {
            Some(file) => {
                let path = self.base_dir.join(file);
                match std::fs::read_to_string(&path) {
                    Ok(s) => s.trim().to_owned(),
                    Err(e) => {
                        self.error_at(
                            "storage.url_file",
                            format!("{} cannot be read: {e}", path.display()),
                        );
                        return None;
                    }
                }
            }
            None => storage.url.trim().to_owned(),
        };
        if let Some(path) = url.strip_prefix("sqlite:") {
            let path = path.trim_start_matches("//");
            if path.is_empty() {
                self.error_at("storage.url", "the SQLite path is empty; expected sqlite:PATH");
                return None;
            }
            let resolved = if path == ":memory:" || Path::new(path).is_absolute() {
                path.to_owned()
            } else {
                self.base_dir.join(path).display().to_string()
            };
            Some(format!("sqlite:{resolved}"))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(url)
        } else {
            self.error_at(
                "storage.url",
                "is neither a SQLite nor a PostgreSQL URL; expected sqlite:PATH or postgres://USER@HOST/DB",
            );
            None
        }
    }

    fn check_log(&mut self, log: &LogConfig) {
        // A bare word is a valid filter (a target name) but almost always a mistyped level.
        let levels = ["error", "warn", "info", "debug", "trace", "off"];
        let plausible = log.level.split(',').all(|d| {
            let d = d.trim();
            d.contains('=') || d.contains('[') || levels.contains(&d.to_ascii_lowercase().as_str())
        });
        if !plausible || tracing_subscriber::EnvFilter::try_new(log.filter()).is_err() {
            self.error_at("log.level", format!(
                "\"{}\" is not a log filter; expected a level (error, warn, info, debug, trace) or a directive such as vigie=debug,info",
                log.level
            ));
        }
    }

    fn check_http(&mut self, http: &HttpConfig) {
        if http.timeout.is_zero() {
            self.error_at(
                "http.timeout",
                "must be longer than zero; expected a duration such as 30s",
            );
        }
        if http.connect_timeout.is_zero() {
            self.error_at(
                "http.connect_timeout",
                "must be longer than zero; expected a duration such as 10s",
            );
        }
        if http.max_body.as_u64() == 0 {
            self.error_at(
                "http.max_body",
                "must be larger than zero; expected a size such as \"20 MiB\"",
            );
        }
        if http.retries > 10 {
            self.error_at("http.retries", "is more than 10; expected a number from 0 to 10");
        }
    }

    fn check_rules(&mut self, rules: &mut RulesConfig) {
        if rules.check_every < Duration::from_secs(1) {
            self.error_at(
                "rules.check_every",
                "is shorter than a second; expected a duration such as 30s",
            );
        }
        if let Some(dir) = &rules.directory {
            let resolved = self.base_dir.join(dir);
            if !resolved.is_dir() {
                self.error_at(
                    "rules.directory",
                    format!(
                        "{} is not a folder; expected a folder of *.toml rule files",
                        resolved.display()
                    ),
                );
            }
            rules.directory = Some(resolved);
        }
    }

    fn check_feeds(&mut self, raw: Vec<(usize, FeedConfig)>) -> Vec<Feed> {
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut feeds = Vec::new();
        for (i, f) in raw {
            let at = |k: &str| format!("feeds[{i}].{k}");
            let before = self.errors.len();
            let valid_name = !f.name.is_empty()
                && f.name.len() <= 64
                && f.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !f.name.starts_with('-');
            if !valid_name {
                self.error_at(&at("name"), format!(
                    "\"{}\" is not a feed name; expected lower-case letters, digits and hyphens, such as national-elections",
                    f.name
                ));
            } else if let Some(first) = seen.insert(f.name.clone(), i) {
                self.error_at(
                    &at("name"),
                    format!(
                        "\"{}\" is already the name of feeds[{first}]; expected unique names",
                        f.name
                    ),
                );
            }
            let source = match Source::parse(&f.source, &self.base_dir) {
                Ok(s) => Some(s),
                Err(e) => {
                    self.error_at(&at("source"), e);
                    None
                }
            };
            if let Some(Source::Bundled(name)) = &source {
                let fits = match f.kind {
                    FeedKind::Parlgov => name == "parlgov",
                    _ => name != "parlgov",
                };
                if !fits {
                    self.error_at(&at("source"), format!("bundled:{name} is not a {} feed", f.kind));
                }
            }
            if f.refresh < Duration::from_secs(60) {
                self.error_at(
                    &at("refresh"),
                    "is shorter than a minute; expected a duration such as 6h or 1d",
                );
            }
            if f.kind != FeedKind::Ics {
                for key in ["jurisdiction", "event_kind", "expand_years"] {
                    let given = match key {
                        "jurisdiction" => f.jurisdiction.is_some(),
                        "event_kind" => f.event_kind.is_some(),
                        _ => f.expand_years.is_some(),
                    };
                    if given {
                        self.error_at(
                            &at(key),
                            format!("only applies to ics feeds, and this one is {}", f.kind),
                        );
                    }
                }
            }
            if f.kind != FeedKind::Status && !f.patterns.is_empty() {
                self.error_at(
                    &at("patterns"),
                    format!("only applies to status feeds, and this one is {}", f.kind),
                );
            }
            let mut ics = IcsSettings::default();
            if let Some(j) = &f.jurisdiction {
                match JurisdictionCode::parse(j) {
                    Ok(code) => ics.jurisdiction = Some(code),
                    Err(e) => self.error_at(&at("jurisdiction"), e.to_string()),
                }
            }
            if let Some(k) = &f.event_kind {
                match EventKind::parse(k) {
                    Ok(kind) => ics.default_kind = kind,
                    Err(e) => self.error_at(&at("event_kind"), e.to_string()),
                }
            }
            if let Some(years) = f.expand_years {
                if !(1..=50).contains(&years) {
                    self.error_at(&at("expand_years"), "expected a number of years from 1 to 50");
                } else {
                    let today = chrono::Utc::now().date_naive();
                    ics.horizon_end = today + chrono::Months::new(12 * years);
                }
            }
            let mut patterns = Vec::new();
            for (j, p) in f.patterns.iter().enumerate() {
                match p.compile() {
                    Ok(c) => patterns.push(c),
                    Err(e) => self.error_at(&format!("feeds[{i}].patterns[{j}].pattern"), e),
                }
            }
            if self.errors.len() == before
                && let Some(source) = source
            {
                feeds.push(Feed {
                    name: f.name,
                    kind: f.kind,
                    source,
                    refresh: f.refresh,
                    enabled: f.enabled,
                    ics,
                    patterns,
                });
            }
        }
        feeds
    }
}

/// An environment value is read as a TOML value when it is one (`5`, `true`, `"x"`, `[1, 2]`),
/// and as a plain string otherwise (`sqlite:vigie.db`, `10s`).
fn env_value(raw: &str) -> DeValue<'_> {
    let looks_typed = raw.parse::<i64>().is_ok()
        || raw.parse::<f64>().is_ok()
        || matches!(raw, "true" | "false")
        || raw.starts_with(['"', '\'', '[', '{']);
    if looks_typed && let Ok(v) = DeValue::parse(raw) {
        return v.into_inner();
    }
    DeValue::String(raw.into())
}

/// A feed name as it appears in an environment variable, lower-cased back: `national_elections`.
fn env_name(name: &str) -> String {
    name.replace('-', "_").to_ascii_lowercase()
}

fn env_key(var: &str) -> String {
    var[ENV_PREFIX.len().min(var.len())..]
        .to_ascii_lowercase()
        .replace("__", ".")
}

fn url_has_password(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    authority
        .rsplit_once('@')
        .is_some_and(|(userinfo, _)| userinfo.contains(':'))
}

#[cfg(test)]
mod tests;
