//! Reading rule files, reporting every problem with file:line:col and a caret.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::{Bound, Offset, Origin, Overlay, Priority, Rule, RuleSet, Subject};
use crate::EventKind;
use crate::condition::{Condition, SourceSpan};

/// One problem in a rule file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The line of the file the problem is on, to show with a caret.
    pub source_line: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)?;
        if !self.source_line.is_empty() {
            let caret_at: usize = self
                .source_line
                .chars()
                .take(self.column.saturating_sub(1))
                .map(|_| 1)
                .sum();
            write!(f, "\n    {}\n    {}^", self.source_line, " ".repeat(caret_at))?;
        }
        Ok(())
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: Spanned<String>,
    description: String,
    subject: Spanned<String>,
    #[serde(default)]
    kinds: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    when: Option<Spanned<String>>,
    opens: Spanned<String>,
    closes: Spanned<String>,
    #[serde(default)]
    closing: Option<Spanned<String>>,
    #[serde(default)]
    priority: Option<Spanned<String>>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default, rename = "for")]
    hold: Option<Spanned<String>>,
    #[serde(default)]
    keep_open_for: Option<Spanned<String>>,
    #[serde(default)]
    overlay: Vec<RawOverlay>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverlay {
    when: Spanned<String>,
    #[serde(default = "one")]
    raise: Spanned<u8>,
    reason: String,
}

fn one() -> Spanned<u8> {
    Spanned::new(0..0, 1)
}

/// The default number of days before a window's end during which it is "closing".
const DEFAULT_CLOSING: &str = "14d";

/// Reads every rule file (name and text) into one rule set, or reports every problem found.
pub fn load_rules(files: &[(String, String)]) -> Result<RuleSet, Vec<RuleError>> {
    let mut errors = Vec::new();
    let mut rules = Vec::new();
    for (name, text) in files {
        let mut file = FileReader {
            name,
            text,
            errors: Vec::new(),
        };
        rules.extend(file.read());
        errors.extend(file.errors);
    }
    let mut seen: HashMap<String, Origin> = HashMap::new();
    for r in &rules {
        if let Some(first) = seen.insert(r.id.clone(), r.origin.clone()) {
            errors.push(RuleError {
                file: r.origin.file.clone(),
                line: r.origin.line,
                column: 1,
                message: format!(
                    "the rule id \"{}\" is already used at {first}; expected unique ids",
                    r.id
                ),
                source_line: String::new(),
            });
        }
    }
    if errors.is_empty() {
        Ok(RuleSet::new(rules))
    } else {
        // In the order of the files, then of the text: the way a person reads them.
        let order: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        errors.sort_by_key(|e| (order.iter().position(|n| *n == e.file), e.line, e.column));
        Err(errors)
    }
}

struct FileReader<'a> {
    name: &'a str,
    text: &'a str,
    errors: Vec<RuleError>,
}

impl FileReader<'_> {
    fn position(&self, offset: usize) -> (usize, usize, String) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = self.text[line_start..offset].chars().count() + 1;
        let source_line = self.text[line_start..].lines().next().unwrap_or("").to_owned();
        (line, column, source_line)
    }

    fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        let (line, column, source_line) = self.position(span.start);
        self.errors.push(RuleError {
            file: self.name.to_owned(),
            line,
            column,
            message: message.into(),
            source_line,
        });
    }

    fn read(&mut self) -> Vec<Rule> {
        let doc = match DeTable::parse(self.text) {
            Ok(doc) => doc,
            Err(e) => {
                let span = e.span().unwrap_or(0..0);
                self.error(
                    span,
                    format!("the file is not valid TOML: {}", e.message().trim()),
                );
                return Vec::new();
            }
        };
        let mut rules = Vec::new();
        for (key, value) in doc.into_inner() {
            if key.get_ref() != "rule" {
                let k = key.get_ref().to_string();
                self.error(
                    key.span(),
                    format!("unknown key `{k}`; a rule file holds [[rule]] tables only"),
                );
                continue;
            }
            let span = value.span();
            match value.into_inner() {
                DeValue::Array(items) => {
                    for item in items {
                        if let Some(rule) = self.rule(item) {
                            rules.push(rule);
                        }
                    }
                }
                _ => self.error(span, "`rule` must be an array of tables: write [[rule]]"),
            }
        }
        rules
    }

    fn rule(&mut self, item: Spanned<DeValue<'_>>) -> Option<Rule> {
        let start = item.span().start;
        let raw = match RawRule::deserialize(ValueDeserializer::from(item)) {
            Ok(raw) => raw,
            Err(e) => {
                let span = e.span().unwrap_or(start..start);
                self.error(span, e.message().trim().replace('\n', " "));
                return None;
            }
        };
        let before = self.errors.len();
        let origin = Origin {
            file: self.name.to_owned(),
            line: self.position(raw.id.span().start).0,
        };

        let id = raw.id.get_ref().clone();
        let valid_id = !id.is_empty()
            && id.len() <= 64
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !id.starts_with('-');
        if !valid_id {
            self.error(
                raw.id.span(),
                format!("\"{id}\" is not a rule id; expected lower-case letters, digits and hyphens, such as pre-election"),
            );
        }
        let subject = match raw.subject.get_ref().as_str() {
            "events" => {
                let mut kinds = Vec::new();
                if let Some(list) = &raw.kinds {
                    for k in list.get_ref() {
                        match EventKind::parse(k.get_ref()) {
                            Ok(kind) => kinds.push(kind),
                            Err(e) => self.error(k.span(), e.to_string()),
                        }
                    }
                }
                Some(Subject::Events { kinds })
            }
            "members" => {
                if let Some(list) = &raw.kinds {
                    self.error(
                        list.span(),
                        "`kinds` only applies to rules whose subject is events",
                    );
                }
                Some(Subject::Members)
            }
            other => {
                self.error(
                    raw.subject.span(),
                    format!("\"{other}\" is not a subject; expected events or members"),
                );
                None
            }
        };
        let opens = self.bound(&raw.opens, subject.as_ref());
        let closes = self.bound(&raw.closes, subject.as_ref());
        let closing = self.offset(raw.closing.as_ref(), DEFAULT_CLOSING);
        let hold = self.offset(raw.hold.as_ref(), "0d");
        let keep_open_for = self.offset(raw.keep_open_for.as_ref(), "0d");
        for (name, value) in [
            ("closing", &closing),
            ("for", &hold),
            ("keep_open_for", &keep_open_for),
        ] {
            if let Some(o) = value
                && (o.days < 0 || o.months < 0)
            {
                let span = match name {
                    "closing" => raw.closing.as_ref(),
                    "for" => raw.hold.as_ref(),
                    _ => raw.keep_open_for.as_ref(),
                }
                .map_or(start..start, Spanned::span);
                self.error(
                    span,
                    format!("`{name}` is negative; expected a duration of zero or more"),
                );
            }
        }
        let priority = match &raw.priority {
            None => Some(Priority::Normal),
            Some(p) => match p.get_ref().as_str() {
                "low" => Some(Priority::Low),
                "normal" => Some(Priority::Normal),
                "high" => Some(Priority::High),
                "urgent" => Some(Priority::Urgent),
                other => {
                    self.error(
                        p.span(),
                        format!("\"{other}\" is not a priority; expected low, normal, high or urgent"),
                    );
                    None
                }
            },
        };
        for key in raw.labels.keys() {
            if matches!(
                key.as_str(),
                "country" | "region" | "rule" | "priority" | "jurisdiction"
            ) {
                self.error(start..start, format!(
                    "the label `{key}` is set by Vigie from the window itself; expected other labels, such as theme"
                ));
            }
        }
        let when = raw.when.as_ref().and_then(|w| self.condition(w));
        let mut overlays = Vec::new();
        for o in &raw.overlay {
            if let Some(when) = self.condition(&o.when) {
                if *o.raise.get_ref() == 0 || *o.raise.get_ref() > 3 {
                    self.error(o.raise.span(), "`raise` must be 1, 2 or 3 priority steps");
                }
                overlays.push(Overlay {
                    when,
                    raise: *o.raise.get_ref(),
                    reason: o.reason.clone(),
                });
            }
        }
        if self.errors.len() != before {
            return None;
        }
        Some(Rule {
            id,
            description: raw.description,
            subject: subject?,
            when,
            opens: opens?,
            closes: closes?,
            closing: closing?,
            priority: priority?,
            labels: std::sync::Arc::new(raw.labels),
            hold: hold?,
            keep_open_for: keep_open_for?,
            overlays,
            origin,
            reason_parts: std::sync::OnceLock::new(),
        })
    }

    /// The position of a string value's first character, past its opening quotes (and past the
    /// newline that TOML drops right after `'''` or `"""`).
    fn content_start(&self, span: &Range<usize>) -> usize {
        let literal = self.text.get(span.clone()).unwrap_or("");
        let mut skip = if literal.starts_with("'''") || literal.starts_with("\"\"\"") {
            3
        } else if literal.starts_with(['\'', '"']) {
            1
        } else {
            0
        };
        let rest = &literal[skip.min(literal.len())..];
        if skip == 3 {
            if rest.starts_with("\r\n") {
                skip += 2;
            } else if rest.starts_with('\n') {
                skip += 1;
            }
        }
        span.start + skip
    }

    fn condition(&mut self, text: &Spanned<String>) -> Option<Condition> {
        let (line, column, _) = self.position(self.content_start(&text.span()));
        let at = SourceSpan {
            file: self.name.to_owned(),
            line,
            column,
        };
        match Condition::compile(text.get_ref(), &at) {
            Ok(c) => Some(c),
            Err(errors) => {
                for e in errors {
                    let source_line = self
                        .text
                        .lines()
                        .nth(e.line.saturating_sub(1))
                        .unwrap_or("")
                        .to_owned();
                    self.errors.push(RuleError {
                        file: e.file.clone(),
                        line: e.line,
                        column: e.column,
                        message: e.message.clone(),
                        source_line,
                    });
                }
                None
            }
        }
    }

    fn bound(&mut self, text: &Spanned<String>, subject: Option<&Subject>) -> Option<Bound> {
        match Bound::parse(text.get_ref()) {
            Ok(b) => {
                if matches!(subject, Some(Subject::Members)) && b.anchor.is_event_date() {
                    self.error(text.span(), format!(
                        "`{}` is a date of an event, and this rule's subject is members; expected plan-start, plan-end or status-since",
                        b.anchor
                    ));
                    return None;
                }
                Some(b)
            }
            Err(e) => {
                self.error(text.span(), e);
                None
            }
        }
    }

    fn offset(&mut self, text: Option<&Spanned<String>>, default: &str) -> Option<Offset> {
        let Some(text) = text else {
            return Offset::parse(default).ok();
        };
        match Offset::parse(text.get_ref()) {
            Ok(o) => Some(o),
            Err(e) => {
                self.error(text.span(), e);
                None
            }
        }
    }
}
