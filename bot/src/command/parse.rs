//! Reading a command typed as text (console, Matrix): words with quoting, the command found by
//! its words with "did you mean" for typos, then each option checked against its kind. The
//! result is an [`Invocation`] with typed values, or one [`ParseError`] that the locale layer
//! turns into one sentence naming the problem and the expected form.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::NaiveDate;
use vigie_rules::alert::Matcher;
use vigie_rules::{JurisdictionCode, Region};

use super::{Arg, COMMANDS, Kind, Lang, Spec, family, roots};

/// A command with its checked options.
#[derive(Debug, Clone, PartialEq)]
pub struct Invocation {
    pub spec: &'static Spec,
    pub values: BTreeMap<&'static str, Value>,
}

impl Invocation {
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }

    pub fn text(&self, name: &str) -> Option<&str> {
        match self.get(name)? {
            Value::Text(s) | Value::WindowId(s) | Value::User(s) | Value::Feed(s) | Value::Rule(s) => Some(s),
            Value::Command(s) | Value::Room(s) | Value::Target(s) => Some(s),
            _ => None,
        }
    }

    pub fn date(&self, name: &str) -> Option<NaiveDate> {
        match self.get(name)? {
            Value::Date(d) => Some(*d),
            _ => None,
        }
    }

    pub fn duration(&self, name: &str) -> Option<Duration> {
        match self.get(name)? {
            Value::Duration(d) => Some(*d),
            _ => None,
        }
    }

    pub fn country(&self, name: &str) -> Option<&JurisdictionCode> {
        match self.get(name)? {
            Value::Country(c) => Some(c),
            _ => None,
        }
    }

    pub fn switch(&self, name: &str) -> bool {
        matches!(self.get(name), Some(Value::Switch))
    }

    pub fn matchers(&self, name: &str) -> Option<&[Matcher]> {
        match self.get(name)? {
            Value::Matchers(m) => Some(m),
            _ => None,
        }
    }

    pub fn silence_id(&self, name: &str) -> Option<i64> {
        match self.get(name)? {
            Value::SilenceId(id) => Some(*id),
            _ => None,
        }
    }
}

/// What `windows` lists: one country, one region or one theme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Country(JurisdictionCode),
    Region(Region),
    Theme(String),
}

/// What a room follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicKind {
    Country,
    Region,
    Theme,
}

impl TopicKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Country => "country",
            Self::Region => "region",
            Self::Theme => "theme",
        }
    }
}

/// `admin` or `peer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleValue {
    Admin,
    Peer,
}

/// A checked option value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    WindowId(String),
    Country(JurisdictionCode),
    Scope(Scope),
    Topic(TopicKind, String),
    Duration(Duration),
    Date(NaiveDate),
    /// Platform-qualified: `matrix:@alice:example.org`.
    User(String),
    Role(RoleValue),
    Region(Region),
    Language(Lang),
    Feed(String),
    Rule(String),
    /// A command's name, as `help` takes it: `window claim` or `window`.
    Command(String),
    Switch,
    /// At least one, each checked (regular expressions compile).
    Matchers(Vec<Matcher>),
    SilenceId(i64),
    /// Platform-qualified: `matrix:!abc:example.org`, `matrix:@alice:example.org`, `console`.
    Room(String),
    /// As the audit log names it: `w-2aa8f74113a8`, `matrix:@alice:example.org`,
    /// `matrix:!abc:example.org`, `silence:3`.
    Target(String),
    /// The award values: see [`super::award`].
    Campaign(u32),
    Nomination(super::award::NominationRef),
    Category(String),
    Categories(Vec<super::award::NewCategory>),
    Method(vigie_awards::campaign::Method),
    Count(u32),
    Moment(super::award::Moment),
    Users(Vec<String>),
    Name(String),
    Quorum(vigie_awards::campaign::Quorum),
    Recusal(vigie_awards::eligibility::RecusalRules),
}

/// Why a line is not a command Vigie can run. Each variant becomes one localised sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// Nothing after the prefix.
    Empty,
    /// A quote was opened and never closed.
    UnclosedQuote,
    UnknownCommand {
        given: String,
        suggestion: Option<String>,
    },
    /// `window frobnicate`: the first word is known, the second is not.
    UnknownSubcommand {
        root: &'static str,
        given: Option<String>,
        suggestion: Option<String>,
    },
    Missing {
        spec: &'static Spec,
        arg: &'static str,
    },
    TooMany {
        spec: &'static Spec,
        extra: String,
    },
    UnknownOption {
        spec: &'static Spec,
        given: String,
        suggestion: Option<String>,
    },
    /// `--within` at the end of the line.
    NoValue {
        spec: &'static Spec,
        arg: &'static str,
    },
    Repeated {
        spec: &'static Spec,
        arg: &'static str,
    },
    /// A value that is not of its option's kind.
    Invalid {
        spec: &'static Spec,
        kind: Kind,
        given: String,
    },
}

/// Longest text a command line may have; longer ones are refused before any work.
pub const MAX_LINE: usize = 4000;

/// A word of the line, with where it starts (for free text, which is taken raw).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Word {
    text: String,
    start: usize,
    /// Just after its last character (its closing quote, if quoted).
    end: usize,
    quoted: bool,
}

/// Splits a line into words. Double quotes (straight or curly) and single quotes group words
/// when they open a word; an apostrophe inside a word (`can't`) is only a letter.
fn words(line: &str) -> Result<Vec<Word>, ParseError> {
    let mut out = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let close = match c {
            '"' => Some('"'),
            '“' | '”' => Some('”'),
            '\'' => Some('\''),
            '‘' => Some('’'),
            _ => None,
        };
        if let Some(close) = close {
            chars.next();
            let mut text = String::new();
            let mut end = None;
            for (at, c) in chars.by_ref() {
                if c == close || (close == '”' && c == '"') {
                    end = Some(at + c.len_utf8());
                    break;
                }
                text.push(c);
            }
            let Some(end) = end else {
                return Err(ParseError::UnclosedQuote);
            };
            out.push(Word {
                text,
                start,
                end,
                quoted: true,
            });
        } else {
            let mut text = String::new();
            while let Some(&(_, c)) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                text.push(c);
                chars.next();
            }
            out.push(Word {
                end: start + text.len(),
                text,
                start,
                quoted: false,
            });
        }
    }
    Ok(out)
}

/// The closest of `choices` to `given`, if it is close enough to be a typo.
pub fn closest<'a>(given: &str, choices: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let given = given.to_lowercase();
    choices
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&given, c), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).clamp(1, 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Reads `line` (without the platform's prefix) as a command.
pub fn parse(line: &str) -> Result<Invocation, ParseError> {
    if line.len() > MAX_LINE {
        return Err(ParseError::TooMany {
            spec: &COMMANDS[0],
            extra: format!("{}…", line.chars().take(20).collect::<String>()),
        });
    }
    let words = words(line)?;
    let Some(first) = words.first() else {
        return Err(ParseError::Empty);
    };
    let root_given = first.text.to_lowercase();
    let root_given = root_given.strip_prefix('/').unwrap_or(&root_given);
    let Some(root) = roots().into_iter().find(|r| *r == root_given) else {
        return Err(ParseError::UnknownCommand {
            given: first.text.clone(),
            suggestion: closest(root_given, roots()).map(str::to_owned),
        });
    };
    let members: Vec<&'static Spec> = family(root).collect();
    let bare = members.iter().copied().find(|s| s.path.len() == 1);
    let subs: Vec<&'static Spec> = members.iter().copied().filter(|s| s.path.len() == 2).collect();
    let second = words.get(1).filter(|w| !w.quoted).map(|w| w.text.to_lowercase());
    let (spec, rest) = match subs.iter().find(|s| Some(s.path[1]) == second.as_deref()) {
        Some(sub) => (*sub, &words[2..]),
        None => match bare {
            Some(bare) => (bare, &words[1..]),
            None => {
                return Err(ParseError::UnknownSubcommand {
                    root,
                    suggestion: second
                        .as_deref()
                        .and_then(|g| closest(g, subs.iter().map(|s| s.path[1])))
                        .map(str::to_owned),
                    given: words.get(1).map(|w| w.text.clone()),
                });
            }
        },
    };
    read_options(spec, rest, line)
}

fn read_options(spec: &'static Spec, words: &[Word], line: &str) -> Result<Invocation, ParseError> {
    let mut values = BTreeMap::new();
    let mut positional = spec.args.iter().filter(|a| !a.named);
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        // Once free text begins, everything is text, `--` included. A command with named
        // options takes them anywhere before its free text begins (`award open --method irv
        // TITLE…`).
        let text_next = positional.clone().next().is_some_and(|a| a.kind == Kind::Text)
            && !spec.args.iter().any(|a| a.named);
        if !text_next && let Some((arg, inline)) = named_option(spec, word)? {
            if values.contains_key(arg.name) {
                return Err(ParseError::Repeated { spec, arg: arg.name });
            }
            let raw = if arg.kind == Kind::Switch {
                String::new()
            } else if let Some(v) = inline {
                v
            } else {
                i += 1;
                match words.get(i) {
                    Some(w) => w.text.clone(),
                    None => return Err(ParseError::NoValue { spec, arg: arg.name }),
                }
            };
            values.insert(arg.name, value(spec, arg, &raw)?);
            i += 1;
            continue;
        }
        let Some(arg) = positional.next() else {
            return Err(ParseError::TooMany {
                spec,
                extra: word.text.clone(),
            });
        };
        if arg.kind == Kind::Matchers {
            let Some((matchers, used)) = matchers_at(&words[i..], line) else {
                return Err(ParseError::Invalid {
                    spec,
                    kind: arg.kind,
                    given: word.text.chars().take(80).collect(),
                });
            };
            values.insert(arg.name, Value::Matchers(matchers));
            i += used;
            continue;
        }
        if arg.kind == Kind::Command {
            // A command's name is all its words: `help window claim`.
            let name: Vec<&str> = words[i..].iter().map(|w| w.text.as_str()).collect();
            values.insert(arg.name, value(spec, arg, &name.join(" "))?);
            break;
        }
        if arg.kind == Kind::Text {
            // Free text is the rest of the line as typed, quotes and all.
            let rest = line[word.start..].trim();
            let rest = if words.len() == i + 1 && word.quoted {
                word.text.as_str()
            } else {
                rest
            };
            values.insert(arg.name, value(spec, arg, rest)?);
            break;
        }
        values.insert(arg.name, value(spec, arg, &word.text)?);
        i += 1;
    }
    if let Some(missing) = spec
        .args
        .iter()
        .find(|a| a.required && !values.contains_key(a.name))
    {
        return Err(ParseError::Missing {
            spec,
            arg: missing.name,
        });
    }
    Ok(Invocation { spec, values })
}

/// An option value as a platform that types its options gives it (Discord's application
/// commands): text to check against the option's kind, or a switch on or off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Given {
    Text(String),
    Switch(bool),
}

/// The invocation of `spec` from options given by name, each checked against its kind exactly as
/// [`parse`] checks typed text: an unknown or repeated name, a missing required option, or a
/// value not of its option's kind is the same [`ParseError`] a typed line would get. A switch
/// given off is as if absent.
pub fn typed<'a>(
    spec: &'static Spec,
    given: impl IntoIterator<Item = (&'a str, Given)>,
) -> Result<Invocation, ParseError> {
    let mut values = BTreeMap::new();
    for (name, given) in given {
        let Some(arg) = spec.args.iter().find(|a| a.name == name) else {
            return Err(ParseError::UnknownOption {
                spec,
                given: name.chars().take(80).collect(),
                suggestion: None,
            });
        };
        if values.contains_key(arg.name) {
            return Err(ParseError::Repeated { spec, arg: arg.name });
        }
        let value = match (arg.kind, given) {
            (Kind::Switch, Given::Switch(true)) => Value::Switch,
            (Kind::Switch, Given::Switch(false)) => continue,
            (_, Given::Text(raw)) if arg.kind != Kind::Switch => value(spec, arg, &raw)?,
            (kind, given) => {
                return Err(ParseError::Invalid {
                    spec,
                    kind,
                    given: match given {
                        Given::Text(raw) => raw.chars().take(80).collect(),
                        Given::Switch(on) => on.to_string(),
                    },
                });
            }
        };
        values.insert(arg.name, value);
    }
    if let Some(missing) = spec
        .args
        .iter()
        .find(|a| a.required && !values.contains_key(a.name))
    {
        return Err(ParseError::Missing {
            spec,
            arg: missing.name,
        });
    }
    Ok(Invocation { spec, values })
}

/// The most words a run of matchers may take.
const MAX_MATCHER_WORDS: usize = 32;

/// The longest run of `words` (at least one) that reads as matchers, and how many words it took.
/// The run is read from the line as typed, so quotes and spaces inside a value are kept
/// (`theme="open data"`); a word that is not a matcher (a duration, free text) ends it.
fn matchers_at(words: &[Word], line: &str) -> Option<(Vec<Matcher>, usize)> {
    let first = words.first()?;
    let mut best = None;
    for (n, last) in words.iter().enumerate().take(MAX_MATCHER_WORDS) {
        let text = if n == 0 {
            // A matcher quoted whole (`"country=KE"`) is read without its quotes.
            first.text.as_str()
        } else {
            &line[first.start..last.end]
        };
        if let Ok(matchers) = Matcher::parse_list(text) {
            best = Some((matchers, n + 1));
        }
    }
    best
}

/// `--name`, `--name=value` or `name:value` for a named option of `spec`.
fn named_option(
    spec: &'static Spec,
    word: &Word,
) -> Result<Option<(&'static Arg, Option<String>)>, ParseError> {
    if word.quoted {
        return Ok(None);
    }
    if let Some(flag) = word
        .text
        .strip_prefix("--")
        .or_else(|| word.text.strip_prefix('—'))
    {
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v.to_owned())),
            None => (flag, None),
        };
        let name = name.to_lowercase();
        return match spec.args.iter().find(|a| a.named && a.name == name) {
            Some(arg) => Ok(Some((arg, inline))),
            None => Err(ParseError::UnknownOption {
                spec,
                given: word.text.clone(),
                suggestion: closest(&name, spec.args.iter().filter(|a| a.named).map(|a| a.name))
                    .map(|n| format!("--{n}")),
            }),
        };
    }
    if let Some((name, v)) = word.text.split_once(':')
        && let Some(arg) = spec
            .args
            .iter()
            .find(|a| a.named && a.name.eq_ignore_ascii_case(name))
    {
        return Ok(Some((arg, Some(v.to_owned()))));
    }
    Ok(None)
}

/// Checks one value against its option's kind.
fn value(spec: &'static Spec, arg: &Arg, raw: &str) -> Result<Value, ParseError> {
    let invalid = || ParseError::Invalid {
        spec,
        kind: arg.kind,
        given: raw.chars().take(80).collect(),
    };
    let raw = raw.trim();
    let ok = match arg.kind {
        Kind::Text => (!raw.is_empty()).then(|| Value::Text(raw.to_owned())),
        Kind::WindowId => window_id(raw).map(Value::WindowId),
        Kind::Country => JurisdictionCode::parse(&raw.to_uppercase())
            .ok()
            .map(Value::Country),
        Kind::Scope => scope(raw).map(Value::Scope),
        Kind::Topic => topic(raw).map(|(k, v)| Value::Topic(k, v)),
        Kind::Duration => duration(raw).map(Value::Duration),
        Kind::Date => NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok().map(Value::Date),
        Kind::User => crate::config::qualified_user(raw).map(Value::User),
        Kind::Role => match raw.to_lowercase().as_str() {
            "admin" => Some(Value::Role(RoleValue::Admin)),
            "peer" => Some(Value::Role(RoleValue::Peer)),
            _ => None,
        },
        Kind::Region => Region::parse(raw).ok().map(Value::Region),
        Kind::Language => Lang::parse(raw).map(Value::Language),
        Kind::Feed | Kind::Rule => slug(raw).then(|| {
            if arg.kind == Kind::Feed {
                Value::Feed(raw.to_lowercase())
            } else {
                Value::Rule(raw.to_lowercase())
            }
        }),
        Kind::Command => {
            let name = raw.to_lowercase();
            let name = name
                .trim_start_matches('/')
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            COMMANDS
                .iter()
                .any(|s| s.name() == name || s.path[0] == name)
                .then_some(Value::Command(name))
        }
        Kind::Switch => Some(Value::Switch),
        Kind::Matchers => Matcher::parse_list(raw).ok().map(Value::Matchers),
        Kind::SilenceId => silence_id(raw).map(Value::SilenceId),
        Kind::Room => room(raw).map(Value::Room),
        Kind::Target => target(raw).map(Value::Target),
        Kind::Campaign => super::award::campaign(raw).map(Value::Campaign),
        Kind::Nomination => super::award::nomination(raw).map(Value::Nomination),
        Kind::Category => super::award::category(raw).map(Value::Category),
        Kind::Categories => super::award::categories(raw).map(Value::Categories),
        Kind::Method => super::award::method(raw).map(Value::Method),
        Kind::Count => super::award::count(raw).map(Value::Count),
        Kind::Moment => super::award::moment(raw).map(Value::Moment),
        Kind::Users => super::award::users(raw).map(Value::Users),
        Kind::Name => super::award::name(raw).map(Value::Name),
        Kind::Quorum => super::award::quorum(raw).map(Value::Quorum),
        Kind::Recusal => super::award::recusal(raw).map(Value::Recusal),
    };
    ok.ok_or_else(invalid)
}

/// `w-` and 12 lower-case hexadecimal digits; upper case is accepted and lowered.
fn window_id(raw: &str) -> Option<String> {
    let id = raw.to_lowercase();
    let hex = id.strip_prefix("w-")?;
    (hex.len() == 12 && hex.bytes().all(|b| b.is_ascii_hexdigit())).then_some(id)
}

/// `3`, `#3` or `silence:3`: a positive number.
fn silence_id(raw: &str) -> Option<i64> {
    let digits = raw
        .strip_prefix('#')
        .or_else(|| raw.strip_prefix("silence:"))
        .unwrap_or(raw);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|id| *id > 0)
}

/// A room or a person, platform-qualified: `!abc:example.org` → `matrix:!abc:example.org`,
/// `@alice:example.org` → `matrix:@alice:example.org`; `console` and `discord:ID` as they are.
/// A room alias (`#room:example.org`) is not accepted: reading it needs the homeserver.
fn room(raw: &str) -> Option<String> {
    if raw == "console" {
        return Some(raw.to_owned());
    }
    if let Some(rest) = raw.strip_prefix("matrix:") {
        return room(rest).filter(|r| r.starts_with("matrix:"));
    }
    if let Some(id) = raw.strip_prefix('!') {
        let (local, server) = id.split_once(':')?;
        return (!local.is_empty() && !server.is_empty() && !raw.contains(char::is_whitespace))
            .then(|| format!("matrix:{raw}"));
    }
    crate::config::qualified_user(raw).filter(|u| !u.starts_with("console:"))
}

/// A window id, `silence:N`, a person or a room, as the audit log names them.
fn target(raw: &str) -> Option<String> {
    if let Some(id) = window_id(raw) {
        return Some(id);
    }
    if let Some(n) = raw.strip_prefix("silence:") {
        return silence_id(n).map(|id| format!("silence:{id}"));
    }
    crate::config::qualified_user(raw).or_else(|| room(raw))
}

fn slug(raw: &str) -> bool {
    raw.len() <= 64
        && raw.as_bytes().first().is_some_and(u8::is_ascii_alphanumeric)
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn scope(raw: &str) -> Option<Scope> {
    if let Some((kind, v)) = topic(raw) {
        return Some(match kind {
            TopicKind::Country => Scope::Country(JurisdictionCode::parse(&v).ok()?),
            TopicKind::Region => Scope::Region(Region::parse(&v).ok()?),
            TopicKind::Theme => Scope::Theme(v),
        });
    }
    // A country (`KE`) or a subdivision (`ES-MD`): two letters, then maybe a dash and more.
    let looks_like_code = raw.len() == 2 || (raw.len() <= 6 && raw.get(2..3) == Some("-"));
    if looks_like_code && let Ok(code) = JurisdictionCode::parse(&raw.to_uppercase()) {
        return Some(Scope::Country(code));
    }
    if let Ok(region) = Region::parse(raw) {
        return Some(Scope::Region(region));
    }
    slug(raw).then(|| Scope::Theme(raw.to_lowercase()))
}

/// `country:KE`, `region:africa` (normalised to its slug) or `theme:climate`.
fn topic(raw: &str) -> Option<(TopicKind, String)> {
    let (kind, value) = raw.split_once(':')?;
    match kind.to_lowercase().as_str() {
        "country" => JurisdictionCode::parse(&value.to_uppercase())
            .ok()
            .map(|c| (TopicKind::Country, c.to_string())),
        "region" => Region::parse(value)
            .ok()
            .map(|r| (TopicKind::Region, r.slug().to_owned())),
        "theme" => slug(value).then(|| (TopicKind::Theme, value.to_lowercase())),
        _ => None,
    }
}

/// A positive duration of at most ten years: `7d`, `12h`, `2w`, `90 days`.
fn duration(raw: &str) -> Option<Duration> {
    let d = humantime::parse_duration(raw).ok()?;
    (d >= Duration::from_secs(60) && d <= Duration::from_secs(10 * 366 * 86_400)).then_some(d)
}

#[cfg(test)]
mod tests;
