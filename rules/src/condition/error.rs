//! What goes wrong with a condition, told in terms of its rule file.

use std::fmt;

use super::SourceSpan;

/// A condition that does not compile, located in its rule file.
///
/// `line` and `column` are 1-based; columns count characters. Its [`Display`](fmt::Display) is
/// the location, the message, then the line with a caret under the column:
///
/// ```text
/// rules/pre-election.toml:12:10: unknown variable `evnt`; expected one of event, member, jurisdiction, today
///              evnt.kind == "legislative"
///              ^
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConditionError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// One sentence naming the problem and, where it helps, what was expected.
    pub message: String,
    /// The file's line `line`. On the condition's first line, whatever precedes the condition in
    /// the file (`when = '`) is unknown here and shown as blanks, so that the caret still sits at
    /// `column`; [`ConditionError::with_file_text`] puts the real line in.
    pub source_line: String,
}

impl ConditionError {
    /// Replaces [`source_line`](Self::source_line) by the real line of the rule file, for a caller
    /// that has the file's text at hand.
    pub fn with_file_text(mut self, file_text: &str) -> Self {
        if let Some(line) = self.line.checked_sub(1).and_then(|i| file_text.lines().nth(i)) {
            self.source_line = line.trim_end_matches('\r').to_owned();
        }
        self
    }
}

impl fmt::Display for ConditionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)?;
        // Tabs before the column stay tabs so that the caret lines up however they are shown.
        let mut caret: String = self
            .source_line
            .chars()
            .take(self.column.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let shown = caret.chars().count();
        caret.extend(std::iter::repeat_n(
            ' ',
            self.column.saturating_sub(1).saturating_sub(shown),
        ));
        write!(f, "\n    {}\n    {caret}^", self.source_line)
    }
}

/// A condition that could not be evaluated on one record: one sentence saying why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct EvalError {
    pub message: String,
}

impl EvalError {
    pub(super) fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

/// A place in a condition's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pos {
    /// A byte offset, as the CEL parser records for each node.
    Offset(usize),
    /// A 1-based line and character column, as the CEL parser reports syntax errors.
    LineCol(usize, usize),
}

/// A problem found in a condition's text, before it is placed in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Problem {
    pub pos: Pos,
    pub message: String,
}

impl Problem {
    pub fn new(pos: Pos, message: impl Into<String>) -> Self {
        Self {
            pos,
            message: message.into(),
        }
    }
}

/// Places problems of `text` in the file `at` describes.
pub(super) fn locate(text: &str, at: &SourceSpan, problem: Problem) -> ConditionError {
    let (line, column) = match problem.pos {
        Pos::LineCol(line, column) => (line.max(1), column.max(1)),
        Pos::Offset(offset) => line_col(text, offset),
    };
    let own_line = text
        .split('\n')
        .nth(line - 1)
        .unwrap_or("")
        .trim_end_matches('\r');
    let (file_line, file_column, source_line) = if line == 1 {
        let indent = at.column.saturating_sub(1);
        (
            at.line,
            indent + column,
            format!("{}{own_line}", " ".repeat(indent)),
        )
    } else {
        (at.line + line - 1, column, own_line.to_owned())
    };
    ConditionError {
        file: at.file.clone(),
        line: file_line,
        column: file_column,
        message: problem.message,
        source_line,
    }
}

/// The 1-based line and character column of a byte offset of `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + 1;
    (line, before[line_start..].chars().count() + 1)
}

/// Rewrites a message of the CEL parser (ANTLR's wording) as one plain sentence.
pub(super) fn syntax_message(raw: &str) -> String {
    let Some(rest) = raw.strip_prefix("Syntax error: ") else {
        return raw.to_owned();
    };
    if rest.contains("Recursion limit") {
        return "the condition is nested too deeply; split it into simpler parts".to_owned();
    }
    let token = |s: &str| -> String {
        match s {
            "<EOF>" => "the end of the condition".to_owned(),
            t => format!("`{t}`"),
        }
    };
    if let Some(at) = rest.strip_prefix("token recognition error at: ") {
        let at = at
            .strip_prefix('\'')
            .and_then(|a| a.strip_suffix('\''))
            .unwrap_or(at);
        return match at.chars().next() {
            Some('\'' | '"') => {
                "syntax error: a string starts here but is not closed, or holds an invalid escape".to_owned()
            }
            Some(c) => format!("syntax error: `{c}` cannot be used here"),
            None => "syntax error: unexpected character".to_owned(),
        };
    }
    for prefix in ["mismatched input ", "extraneous input "] {
        if let Some(after) = rest.strip_prefix(prefix)
            && let Some((found, expecting)) = split_quoted(after)
        {
            let expecting = expecting.trim().strip_prefix("expecting ").unwrap_or("");
            return match (found, expected(expecting)) {
                ("<EOF>", Some(e)) => format!("syntax error: the condition ends too soon; expected {e}"),
                ("<EOF>", None) => "syntax error: the condition ends too soon".to_owned(),
                (found, Some(e)) => format!("syntax error: unexpected {}; expected {e}", token(found)),
                (found, None) => format!("syntax error: unexpected {}", token(found)),
            };
        }
    }
    if let Some(after) = rest.strip_prefix("missing ")
        && let Some((missing, at)) = split_quoted(after)
    {
        let at = at
            .trim()
            .strip_prefix("at ")
            .and_then(|a| split_quoted(a))
            .map(|(a, _)| a);
        return match at {
            Some("<EOF>") | None => format!("syntax error: missing `{missing}` at the end"),
            Some(at) => format!("syntax error: missing `{missing}` before `{at}`"),
        };
    }
    if let Some(after) = rest.strip_prefix("no viable alternative at input ") {
        let input = after.trim_matches('\'');
        return format!("syntax error: cannot make sense of `{input}`");
    }
    format!("syntax error: {rest}")
}

/// Splits `'x' rest` into `x` and `rest`.
fn split_quoted(s: &str) -> Option<(&str, &str)> {
    let s = s.strip_prefix('\'')?;
    let end = s.find("' ").or_else(|| s.rfind('\''))?;
    Some((&s[..end], &s[end + 1..]))
}

/// What ANTLR expected, when it is short enough to be worth saying.
fn expected(expecting: &str) -> Option<String> {
    if expecting == "<EOF>" {
        return Some("the end of the condition".to_owned());
    }
    let inner = expecting
        .strip_prefix('{')?
        .strip_suffix('}')
        .unwrap_or(expecting);
    let items: Vec<&str> = inner.split(", ").map(|i| i.trim_matches('\'')).collect();
    if items.is_empty()
        || items.len() > 3
        || items
            .iter()
            .any(|i| i.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
    {
        return None;
    }
    let items: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    Some(items.join(" or "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn antlr_messages_become_plain_sentences() {
        for (raw, want) in [
            (
                "Syntax error: mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}",
                "syntax error: the condition ends too soon",
            ),
            (
                "Syntax error: missing ')' at '<EOF>'",
                "syntax error: missing `)` at the end",
            ),
            (
                "Syntax error: extraneous input 'b' expecting <EOF>",
                "syntax error: unexpected `b`; expected the end of the condition",
            ),
            (
                "Syntax error: token recognition error at: '#'",
                "syntax error: `#` cannot be used here",
            ),
            (
                "Syntax error: token recognition error at: ''abc'",
                "syntax error: a string starts here but is not closed, or holds an invalid escape",
            ),
            (
                "Syntax error: no viable alternative at input '..2'",
                "syntax error: cannot make sense of `..2`",
            ),
            ("reserved identifier: for", "reserved identifier: for"),
        ] {
            assert_eq!(syntax_message(raw), want, "{raw}");
        }
    }

    #[test]
    fn offsets_count_lines_and_characters() {
        let text = "a &&\n  é == b";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 5), (2, 1));
        // `==` after a two-byte character
        assert_eq!(line_col(text, 10), (2, 5));
        assert_eq!(line_col(text, 999), (2, 9));
    }
}
