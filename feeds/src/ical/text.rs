//! From bytes to unfolded content lines: byte-order mark, encoding, line endings, folding.
//!
//! Nothing is copied for the common case: valid UTF-8 is borrowed as it is, and a logical line
//! that was not folded is a slice of the input. Line numbers always refer to the original file.

use std::borrow::Cow;

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};
use memchr::{memchr, memchr2};

use super::{Error, TextEncoding, Warning};

pub(crate) struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: TextEncoding,
    /// Set when the input was not UTF-8 and was read as Windows-1252.
    pub warning: Option<Warning>,
}

/// Strips a byte-order mark and decodes: UTF-16 when its byte-order mark says so, UTF-8 when
/// the bytes are valid UTF-8, Windows-1252 (Latin-1) otherwise. Input holding a NUL character
/// is not text and is refused.
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded<'_>, Error> {
    let utf16 = match bytes {
        [0xFF, 0xFE, rest @ ..] => Some(UTF_16LE.decode_without_bom_handling(rest).0),
        [0xFE, 0xFF, rest @ ..] => Some(UTF_16BE.decode_without_bom_handling(rest).0),
        _ => None,
    };
    if let Some(text) = utf16 {
        refuse_nul(text.as_bytes())?;
        return Ok(Decoded {
            text: Cow::Owned(text.into_owned()),
            encoding: TextEncoding::Utf16,
            warning: None,
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    refuse_nul(bytes)?;
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text: Cow::Borrowed(text),
            encoding: TextEncoding::Utf8,
            warning: None,
        }),
        Err(e) => {
            let (line, column) = locate_byte(bytes, e.valid_up_to());
            let warning = Warning {
                line,
                column: Some(column),
                message: format!(
                    "byte 0x{:02X} is not valid UTF-8, so the file is read as Latin-1 (Windows-1252); expected UTF-8 text",
                    bytes.get(e.valid_up_to()).copied().unwrap_or(0)
                ),
            };
            let text = WINDOWS_1252.decode_without_bom_handling(bytes).0;
            Ok(Decoded {
                text,
                encoding: TextEncoding::Latin1,
                warning: Some(warning),
            })
        }
    }
}

fn refuse_nul(bytes: &[u8]) -> Result<(), Error> {
    match memchr(0, bytes) {
        None => Ok(()),
        Some(at) => {
            let (line, column) = locate_byte(bytes, at);
            Err(Error {
                line,
                column: Some(column),
                message: "a NUL byte shows this is not a text file; expected an iCalendar text file starting with BEGIN:VCALENDAR".into(),
            })
        }
    }
}

/// Line and column (both 1-based, the column in characters when the prefix is UTF-8, in bytes
/// otherwise) of byte `at`.
fn locate_byte(bytes: &[u8], at: usize) -> (usize, usize) {
    let at = at.min(bytes.len());
    let mut line = 1;
    let mut line_start = 0;
    let mut i = 0;
    while let Some(found) = memchr2(b'\r', b'\n', &bytes[i..at]) {
        let pos = i + found;
        line += 1;
        i = pos + 1;
        if bytes[pos] == b'\r' && bytes.get(pos + 1) == Some(&b'\n') {
            if pos + 1 >= at {
                // `at` is the '\n' of a CRLF: it belongs to the line the '\r' ended.
                line -= 1;
                break;
            }
            i += 1;
        }
        line_start = i;
    }
    let prefix = &bytes[line_start.min(at)..at];
    let column = match std::str::from_utf8(prefix) {
        Ok(s) => s.chars().count(),
        Err(_) => prefix.len(),
    };
    (line, column + 1)
}

/// One logical (unfolded) line: `start..end` spans its physical lines in the text, line
/// terminators and folding whitespace included when `folded`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LogicalLine {
    /// 1-based number of its first physical line.
    pub line: usize,
    pub start: usize,
    pub end: usize,
    pub folded: bool,
}

/// Splits text into logical lines. CRLF, LF and a lone CR all end a physical line; a physical
/// line starting with a space or a tab continues the previous one (RFC 5545 §3.1).
pub(crate) struct Lines<'a> {
    text: &'a str,
    pos: usize,
    next_line: usize,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Self {
            text,
            pos: 0,
            next_line: 1,
        }
    }

    /// End of the physical line starting at `from`, and where the next one starts.
    fn physical(&self, from: usize) -> (usize, usize) {
        let bytes = self.text.as_bytes();
        match memchr2(b'\r', b'\n', &bytes[from..]) {
            None => (bytes.len(), bytes.len()),
            Some(found) => {
                let end = from + found;
                let next = if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
                    end + 2
                } else {
                    end + 1
                };
                (end, next)
            }
        }
    }
}

impl Iterator for Lines<'_> {
    type Item = LogicalLine;

    fn next(&mut self) -> Option<LogicalLine> {
        let bytes = self.text.as_bytes();
        if self.pos >= bytes.len() {
            return None;
        }
        let start = self.pos;
        let line = self.next_line;
        let (mut end, mut next) = self.physical(start);
        self.next_line += 1;
        let mut folded = false;
        while next < bytes.len() && matches!(bytes[next], b' ' | b'\t') {
            folded = true;
            let (e, n) = self.physical(next);
            end = e;
            next = n;
            self.next_line += 1;
        }
        self.pos = next;
        Some(LogicalLine {
            line,
            start,
            end,
            folded,
        })
    }
}

/// The physical pieces of a logical line: (physical line number, byte range of its content in
/// the text, with the folding whitespace of continuation lines removed).
fn pieces(text: &str, line: &LogicalLine) -> impl Iterator<Item = (usize, usize, usize)> {
    let bytes = text.as_bytes();
    let mut pos = line.start;
    let mut number = line.line;
    let mut first = true;
    std::iter::from_fn(move || {
        if pos > line.end || (pos == line.end && !first) {
            return None;
        }
        let start = if first { pos } else { pos + 1 };
        let end = match memchr2(b'\r', b'\n', &bytes[pos..line.end]) {
            Some(found) => pos + found,
            None => line.end,
        };
        let piece = (number, start.min(end), end);
        // Step over the terminator to the folding whitespace of the next piece.
        pos = if end < line.end {
            if bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n') {
                end + 2
            } else {
                end + 1
            }
        } else {
            line.end + 1
        };
        number += 1;
        first = false;
        Some(piece)
    })
}

/// Writes the unfolded content of a folded logical line into `buf`.
pub(crate) fn unfold_into(text: &str, line: &LogicalLine, buf: &mut String) {
    buf.clear();
    for (_, start, end) in pieces(text, line) {
        buf.push_str(&text[start..end]);
    }
}

/// Line and column (1-based, in characters) in the original file of byte `offset` of the
/// unfolded content of `line`.
pub(crate) fn locate(text: &str, line: &LogicalLine, offset: usize) -> (usize, usize) {
    if !line.folded {
        let end = (line.start + offset).min(line.end);
        let prefix = text.get(line.start..end).unwrap_or("");
        return (line.line, prefix.chars().count() + 1);
    }
    let mut seen = 0;
    let mut last = (line.line, 1);
    for (number, start, end) in pieces(text, line) {
        let len = end - start;
        // A continuation piece starts after the folding whitespace, which is column 1.
        let shift = if number == line.line { 1 } else { 2 };
        if offset < seen + len || (offset == seen + len && end == line.end) {
            let prefix = text.get(start..start + (offset - seen)).unwrap_or("");
            return (number, prefix.chars().count() + shift);
        }
        seen += len;
        last = (
            number,
            text.get(start..end).map_or(0, |s| s.chars().count()) + shift,
        );
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logical(text: &str) -> Vec<(usize, String)> {
        let mut buf = String::new();
        Lines::new(text)
            .map(|l| {
                if l.folded {
                    unfold_into(text, &l, &mut buf);
                    (l.line, buf.clone())
                } else {
                    (l.line, text[l.start..l.end].to_owned())
                }
            })
            .collect()
    }

    #[test]
    fn mixed_line_endings_and_folds_are_unfolded_with_original_line_numbers() {
        let text = "A:1\r\nB:2\nC:3\rD:4\r\n 5\n\t6\nE:7";
        assert_eq!(
            logical(text),
            vec![
                (1, "A:1".into()),
                (2, "B:2".into()),
                (3, "C:3".into()),
                (4, "D:456".into()),
                (7, "E:7".into())
            ]
        );
    }

    #[test]
    fn columns_in_folded_lines_point_into_the_physical_line() {
        let text = "X:1\nDTSTART\n ;VALUE=DATE\n :2021x\n";
        let line = Lines::new(text).nth(1).unwrap();
        // "DTSTART;VALUE=DATE:2021x": the value starts at offset 19, on line 4 after " :".
        assert_eq!(locate(text, &line, 19), (4, 3));
        assert_eq!(locate(text, &line, 0), (2, 1));
        assert_eq!(locate(text, &line, 7), (3, 2));
    }

    #[test]
    fn a_nul_byte_is_located() {
        let err = decode(b"BEGIN:VCALENDAR\r\nAB\0").err().unwrap();
        assert_eq!((err.line, err.column), (2, Some(3)));
    }

    #[test]
    fn latin1_is_decoded_and_the_first_bad_byte_located() {
        let d = decode(b"A:1\nB:promulgaci\xF3n\n").unwrap();
        assert_eq!(d.encoding, TextEncoding::Latin1);
        assert!(d.text.contains("promulgación"));
        let w = d.warning.unwrap();
        assert_eq!((w.line, w.column), (2, Some(13)));
    }
}
