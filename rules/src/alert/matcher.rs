//! Label matchers, written as Alertmanager writes them: `region="europe"`, `priority!="low"`,
//! `country=~"KE|TZ"`, `theme!~"climate.*"`.
//!
//! Regular expressions are anchored at both ends (`=~"KE|TZ"` means `^(?:KE|TZ)$`), and a label an
//! alert does not have reads as the empty string, so `theme=""` matches alerts without a theme.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, OnceLock};

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::Labels;
use crate::ParseError;

const EXPECTED: &str = "expected label=\"value\", label!=\"value\", label=~\"regex\" or label!~\"regex\", such as region=~\"europe|americas\"";

/// How a matcher compares a label's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum MatchOp {
    /// `=`
    Eq,
    /// `!=`
    NotEq,
    /// `=~`, an anchored regular expression.
    Re,
    /// `!~`
    NotRe,
}

impl MatchOp {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "=",
            Self::NotEq => "!=",
            Self::Re => "=~",
            Self::NotRe => "!~",
        }
    }

    fn is_regex(self) -> bool {
        matches!(self, Self::Re | Self::NotRe)
    }
}

/// One condition on one label.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Matcher {
    pub label: String,
    pub op: MatchOp,
    pub value: String,
}

impl Matcher {
    /// A matcher, with its label name and (for `=~` and `!~`) its regular expression checked.
    pub fn new(label: impl Into<String>, op: MatchOp, value: impl Into<String>) -> Result<Self, ParseError> {
        let m = Self {
            label: label.into(),
            op,
            value: value.into(),
        };
        if !is_label_name(&m.label) {
            return Err(ParseError::new(format!(
                "\"{}\" is not a label name; expected letters, digits, _ or -, starting with a letter or _",
                m.label
            )));
        }
        if op.is_regex()
            && let Err(e) = Regex::new(&anchored(&m.value))
        {
            let detail = e.to_string().lines().last().unwrap_or_default().trim().to_owned();
            return Err(ParseError::new(format!(
                "\"{m}\" has an invalid regular expression ({detail}); {EXPECTED}"
            )));
        }
        Ok(m)
    }

    /// `label="value"`: always valid for a label name Vigie writes.
    pub fn eq(label: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            op: MatchOp::Eq,
            value: value.into(),
        }
    }

    /// Reads one matcher: `label="value"` (quotes optional for a value without spaces, commas or
    /// quotes), with `=`, `!=`, `=~` or `!~`.
    pub fn parse(s: &str) -> Result<Self, ParseError> {
        let (m, end) = parse_at(s, skip_space(s, 0))?;
        if skip_space(s, end) != s.len() {
            return Err(bad(s));
        }
        Ok(m)
    }

    /// Reads several matchers separated by spaces or commas, optionally in braces as Alertmanager
    /// writes them: `{region="europe", priority=~"high|urgent"}`.
    pub fn parse_list(s: &str) -> Result<Vec<Self>, ParseError> {
        let t = s.trim();
        let inner = match t.strip_prefix('{') {
            Some(rest) => rest.strip_suffix('}').ok_or_else(|| bad(s))?,
            None => t,
        };
        let mut out = Vec::new();
        let mut pos = skip_separators(inner, 0);
        while pos < inner.len() {
            let (m, end) = parse_at(inner, pos)?;
            out.push(m);
            let next = skip_separators(inner, end);
            if next == end && next < inner.len() {
                return Err(bad(s));
            }
            pos = next;
        }
        if out.is_empty() {
            return Err(bad(s));
        }
        Ok(out)
    }

    /// Whether the labels satisfy this matcher (a missing label reads as "").
    pub fn matches(&self, labels: &Labels) -> bool {
        self.matches_value(labels.get(&self.label).map_or("", String::as_str))
    }

    /// Whether a label with this value satisfies the matcher.
    pub fn matches_value(&self, value: &str) -> bool {
        match self.op {
            MatchOp::Eq => value == self.value,
            MatchOp::NotEq => value != self.value,
            // A regex that does not compile (a matcher built by hand) matches nothing either way:
            // a broken condition must never widen what a route or silence catches.
            MatchOp::Re => compiled(&self.value).is_some_and(|r| r.is_match(value)),
            MatchOp::NotRe => compiled(&self.value).is_some_and(|r| !r.is_match(value)),
        }
    }

    /// Whether it matches an alert that lacks the label: a silence made only of such matchers
    /// would silence everything.
    pub fn matches_empty(&self) -> bool {
        self.matches_value("")
    }
}

/// Whether every matcher matches (an empty list matches everything).
pub fn all_match(matchers: &[Matcher], labels: &Labels) -> bool {
    matchers.iter().all(|m| m.matches(labels))
}

/// `a="b", c=~"d"`, or `everything` for none: how a notification says why it was sent.
pub fn describe(matchers: &[Matcher]) -> String {
    if matchers.is_empty() {
        "everything".to_owned()
    } else {
        matchers
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Matcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}\"", self.label, self.op.as_str())?;
        for c in self.value.chars() {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                c => write!(f, "{c}")?,
            }
        }
        f.write_str("\"")
    }
}

impl TryFrom<String> for Matcher {
    type Error = ParseError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Matcher> for String {
    fn from(m: Matcher) -> Self {
        m.to_string()
    }
}

fn bad(s: &str) -> ParseError {
    ParseError::new(format!("\"{}\" is not a matcher; {EXPECTED}", s.trim()))
}

fn is_label_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn skip_space(s: &str, pos: usize) -> usize {
    s[pos..]
        .find(|c: char| !c.is_whitespace())
        .map_or(s.len(), |i| pos + i)
}

fn skip_separators(s: &str, pos: usize) -> usize {
    s[pos..]
        .find(|c: char| !c.is_whitespace() && c != ',')
        .map_or(s.len(), |i| pos + i)
}

/// One matcher starting at `pos`; returns it and the position just after it.
fn parse_at(s: &str, pos: usize) -> Result<(Matcher, usize), ParseError> {
    let rest = &s[pos..];
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    let label = &rest[..name_len];
    if label.is_empty() {
        return Err(bad(s));
    }
    let mut at = skip_space(s, pos + name_len);
    let op = [
        ("=~", MatchOp::Re),
        ("!=", MatchOp::NotEq),
        ("!~", MatchOp::NotRe),
        ("=", MatchOp::Eq),
    ]
    .into_iter()
    .find(|(text, _)| s[at..].starts_with(text));
    let Some((op_text, op)) = op else {
        return Err(bad(s));
    };
    at = skip_space(s, at + op_text.len());
    let (value, end) = if s[at..].starts_with('"') {
        quoted(s, at + 1).ok_or_else(|| bad(s))?
    } else {
        let len = s[at..]
            .find(|c: char| c.is_whitespace() || matches!(c, ',' | '"' | '{' | '}'))
            .unwrap_or(s.len() - at);
        (s[at..at + len].to_owned(), at + len)
    };
    Ok((Matcher::new(label, op, value)?, end))
}

/// The text of a quoted value starting just after its opening quote, and the position after its
/// closing quote.
fn quoted(s: &str, start: usize) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut chars = s[start..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, start + i + 1)),
            '\\' => match chars.next()?.1 {
                'n' => out.push('\n'),
                c => out.push(c),
            },
            c => out.push(c),
        }
    }
    None
}

fn anchored(pattern: &str) -> String {
    format!("^(?:{pattern})$")
}

/// The compiled, anchored regex for a pattern. Routes, silences and inhibitions are matched
/// against every alert at every decision, so each pattern is compiled once.
fn compiled(pattern: &str) -> Option<Regex> {
    static CACHE: OnceLock<Mutex<HashMap<String, Option<Regex>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(r) = cache.get(pattern) {
        return r.clone();
    }
    if cache.len() >= 4096 {
        cache.clear();
    }
    let r = Regex::new(&anchored(pattern)).ok();
    cache.insert(pattern.to_owned(), r.clone());
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn matchers_read_every_operator_and_write_back_the_same_text() {
        for (text, label, op, value, written) in [
            (
                "region=\"europe\"",
                "region",
                MatchOp::Eq,
                "europe",
                "region=\"europe\"",
            ),
            (
                "priority != low",
                "priority",
                MatchOp::NotEq,
                "low",
                "priority!=\"low\"",
            ),
            (
                "country=~\"KE|TZ\"",
                "country",
                MatchOp::Re,
                "KE|TZ",
                "country=~\"KE|TZ\"",
            ),
            (
                "theme!~\"clim.*\"",
                "theme",
                MatchOp::NotRe,
                "clim.*",
                "theme!~\"clim.*\"",
            ),
            (
                "note=\"a \\\"b\\\"\"",
                "note",
                MatchOp::Eq,
                "a \"b\"",
                "note=\"a \\\"b\\\"\"",
            ),
            ("theme=\"\"", "theme", MatchOp::Eq, "", "theme=\"\""),
        ] {
            let m = Matcher::parse(text).unwrap();
            assert_eq!(
                (m.label.as_str(), m.op, m.value.as_str()),
                (label, op, value),
                "{text}"
            );
            assert_eq!(m.to_string(), written);
            assert_eq!(Matcher::parse(&m.to_string()).unwrap(), m);
        }
    }

    #[test]
    fn malformed_matchers_are_one_sentence_naming_the_expected_form() {
        for text in [
            "region",
            "=\"x\"",
            "region==\"x\"",
            "region=\"open",
            "region=~\"(\"",
            "a b=c",
        ] {
            let e = Matcher::parse(text).unwrap_err().to_string();
            assert!(e.contains("expected label=\"value\""), "{text}: {e}");
            assert!(!e.contains('\n'), "{text}: {e}");
        }
    }

    #[test]
    fn lists_read_braces_commas_and_spaces() {
        let list = Matcher::parse_list("{region=\"europe\", priority=~\"high|urgent\"}").unwrap();
        assert_eq!(list.len(), 2);
        let list = Matcher::parse_list("country=KE theme!=\"climate, environment\"").unwrap();
        assert_eq!(list[1].value, "climate, environment");
        assert!(Matcher::parse_list("").is_err());
        assert!(Matcher::parse_list("{region=\"x\"").is_err());
    }

    #[test]
    fn regexes_are_anchored_and_missing_labels_read_as_empty() {
        let l = labels(&[("country", "KEN"), ("region", "africa-middle-east")]);
        assert!(!Matcher::parse("country=~\"KE\"").unwrap().matches(&l));
        assert!(Matcher::parse("country=~\"KE.*\"").unwrap().matches(&l));
        assert!(!Matcher::parse("region=~\"africa|europe\"").unwrap().matches(&l));
        assert!(Matcher::parse("theme=\"\"").unwrap().matches(&l));
        assert!(Matcher::parse("theme!=\"climate\"").unwrap().matches(&l));
        assert!(Matcher::parse("theme!~\".+\"").unwrap().matches(&l));
    }
}
