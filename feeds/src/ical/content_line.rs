//! Content lines (RFC 5545 §3.1): `NAME *(";" PARAM "=" VALUE *("," VALUE)) ":" VALUE`, and
//! the TEXT escapes of §3.3.11.

use std::borrow::Cow;

use memchr::memchr;

/// One content line, borrowed from the unfolded line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ContentLine<'a> {
    pub name: &'a str,
    /// The raw parameter section, between the name's `;` and the value's `:` (may be empty).
    params: &'a str,
    pub value: &'a str,
    /// Byte offset of the value in the line.
    pub value_offset: usize,
}

/// Why a line is not a content line, and where (byte offset in the line).
#[derive(Debug)]
pub(crate) struct Malformed {
    pub offset: usize,
    pub message: String,
}

impl<'a> ContentLine<'a> {
    pub(crate) fn parse(line: &'a str) -> Result<Self, Malformed> {
        let bytes = line.as_bytes();
        let name_end = bytes
            .iter()
            .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-'))
            .unwrap_or(bytes.len());
        if name_end == 0 {
            return Err(Malformed {
                offset: 0,
                message: format!(
                    "{} does not start with a property name; expected NAME[;PARAM=VALUE]:VALUE",
                    quote(line)
                ),
            });
        }
        let name = &line[..name_end];
        match bytes.get(name_end) {
            Some(b':') => Ok(Self {
                name,
                params: "",
                value: &line[name_end + 1..],
                value_offset: name_end + 1,
            }),
            Some(b';') => {
                let colon = find_unquoted_colon(&bytes[name_end + 1..]).map(|c| name_end + 1 + c);
                match colon {
                    Some(colon) => Ok(Self {
                        name,
                        params: &line[name_end + 1..colon],
                        value: &line[colon + 1..],
                        value_offset: colon + 1,
                    }),
                    None => Err(Malformed {
                        offset: line.len(),
                        message: format!(
                            "property {name} has no ':' before its value; expected NAME[;PARAM=VALUE]:VALUE"
                        ),
                    }),
                }
            }
            None => Err(Malformed {
                offset: line.len(),
                message: format!(
                    "{} has no ':' before a value; expected NAME[;PARAM=VALUE]:VALUE",
                    quote(line)
                ),
            }),
            Some(_) => {
                let found = line[name_end..].chars().next().unwrap_or(' ');
                Err(Malformed {
                    offset: name_end,
                    message: format!(
                        "property name {name} is followed by {found:?}; expected ';' or ':' (NAME[;PARAM=VALUE]:VALUE)"
                    ),
                })
            }
        }
    }

    /// The value of parameter `wanted` (case-insensitive), without its surrounding quotes.
    /// With several values, the first.
    pub(crate) fn param(&self, wanted: &str) -> Option<&'a str> {
        let mut rest = self.params;
        while !rest.is_empty() {
            let end = find_unquoted(rest.as_bytes(), b';').unwrap_or(rest.len());
            let param = &rest[..end];
            rest = rest.get(end + 1..).unwrap_or("");
            let Some(eq) = memchr(b'=', param.as_bytes()) else {
                continue;
            };
            if !param[..eq].trim().eq_ignore_ascii_case(wanted) {
                continue;
            }
            let value = &param[eq + 1..];
            let first = &value[..find_unquoted(value.as_bytes(), b',').unwrap_or(value.len())];
            let first = first.trim();
            let unquoted = first
                .strip_prefix('"')
                .map(|v| v.strip_suffix('"').unwrap_or(v))
                .unwrap_or(first);
            return Some(unquoted);
        }
        None
    }
}

fn find_unquoted_colon(bytes: &[u8]) -> Option<usize> {
    find_unquoted(bytes, b':')
}

/// First `target` byte outside double quotes (RFC 5545 parameter values cannot escape quotes).
fn find_unquoted(bytes: &[u8], target: u8) -> Option<usize> {
    let mut quoted = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == target && !quoted {
            return Some(i);
        }
    }
    None
}

/// A short quotation of `s` for messages, cut at 40 characters.
pub(crate) fn quote(s: &str) -> String {
    const MAX: usize = 40;
    match s.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{:?}", format!("{}…", &s[..cut])),
        None => format!("{s:?}"),
    }
}

/// Unescapes a TEXT value: `\\`, `\;`, `\,`, `\n`, `\N`. Any other escaped character stands for
/// itself (producers write `\:` and `\"`), and a final lone backslash is kept.
pub(crate) fn unescape(value: &str) -> Cow<'_, str> {
    let bytes = value.as_bytes();
    let Some(first) = memchr(b'\\', bytes) else {
        return Cow::Borrowed(value);
    };
    let mut out = String::with_capacity(value.len());
    out.push_str(&value[..first]);
    let mut rest = &value[first..];
    while let Some(i) = memchr(b'\\', rest.as_bytes()) {
        out.push_str(&rest[..i]);
        let mut chars = rest[i + 1..].chars();
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(c) => out.push(c),
            None => out.push('\\'),
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Splits a list value (`CATEGORIES`, `RDATE`…) at commas that are not escaped.
pub(crate) fn split_list(value: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = value.as_bytes();
    let mut start = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let mut i = start;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 2,
                b',' => break,
                _ => i += 1,
            }
        }
        let end = i.min(bytes.len());
        let item = (start, &value[start..end]);
        if end >= bytes.len() {
            done = true;
        } else {
            start = end + 1;
        }
        Some(item)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_parameters_may_hold_colons_and_semicolons() {
        let l = ContentLine::parse(r#"ATTENDEE;CN="Doe; J: x";TZID="Europe/Paris":mailto:a@b"#).unwrap();
        assert_eq!(l.name, "ATTENDEE");
        assert_eq!(l.value, "mailto:a@b");
        assert_eq!(l.param("cn"), Some("Doe; J: x"));
        assert_eq!(l.param("TZID"), Some("Europe/Paris"));
        assert_eq!(l.param("VALUE"), None);
    }

    #[test]
    fn lines_without_colon_are_malformed() {
        assert!(ContentLine::parse("X").is_err());
        assert!(ContentLine::parse("").is_err());
        assert!(ContentLine::parse("DTSTART;VALUE=DATE").is_err());
        assert!(ContentLine::parse(" :x").is_err());
    }

    #[test]
    fn text_escapes_are_undone() {
        assert_eq!(unescape(r"a\, b\; c\nd\\e\:f\"), "a, b; c\nd\\e:f\\");
        assert!(matches!(unescape("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn lists_split_only_at_unescaped_commas() {
        let items: Vec<_> = split_list(r"a\,b,c,,d\").map(|(_, s)| s).collect();
        assert_eq!(items, vec![r"a\,b", "c", "", r"d\"]);
    }
}
