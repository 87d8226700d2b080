//! The BLT ballot file (ERS, OpenSTV, OpaVote, Droop, stv-rs, OpenTally), read and written
//! exactly as METHODS.md §2.10 describes:
//!
//! ```text
//! <ncand> <nseats>
//! -2 -5                          withdrawn candidates (negative numbers)
//! [nick a b c] [tie c b a] [withdrawn b] [droop …]      options (Droop, stv-rs)
//! <weight> <c1> <c2> … 0         one ballot: 1-based candidates or nicknames,
//!                                "i=j" equal preference, "-" skipped rank,
//!                                "(id) 1 <c1> … 0" a ballot with an ID (weight 1)
//! 0                              end of ballots
//! "<name of candidate 1>" … "<name of candidate ncand>"
//! "<election title>" ["<source>"] ["<comment>"]
//! ```
//!
//! The file is read as a token stream (as Droop does), so tokens may be spread over lines;
//! `#` starts a comment to the end of the line and `/* … */` a comment outside quoted text. A
//! UTF-8 byte-order mark is skipped. Names and the title have their whitespace collapsed to
//! single spaces and trimmed (Glasgow files pad names with repeated spaces). A ballot naming
//! no candidate expresses no preference and is left out, as Droop does. Every error is one
//! sentence with the line and column and the form expected; nothing panics on any input. What
//! follows the title and Droop's optional source and comment strings is ignored, as Droop does,
//! though it must still be well-formed tokens (an unclosed quote or comment anywhere in the
//! file is reported, and before any other error).
//!
//! The reader works on the bytes in one pass, without allocating per token: words are slices
//! of the text, ballots go straight into the flat [`Ballots`] of the profile, and lines and
//! columns are only worked out for the error reported. A million-ballot file (55 MB) reads in
//! well under a second.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use crate::ballot::{Ballots, CandidateId, EQUAL, MAX_MARK, Profile, SKIP, mark};

/// Why a BLT file could not be read. Lines and columns count from 1; a column counts
/// characters, not bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BltError {
    #[error("line {line}, column {column}: {message}")]
    At {
        line: usize,
        column: usize,
        message: String,
    },
    /// `line` and `column`: just after the last token (line 1, column 1 for a file without
    /// one).
    #[error("line {line}, column {column}: the file ends too early; expected {expected}")]
    UnexpectedEnd {
        line: usize,
        column: usize,
        expected: String,
    },
}

/// An error at a byte offset of the text; the line and column are worked out at the end.
#[derive(Debug)]
enum Fail {
    At {
        at: usize,
        message: String,
    },
    End {
        at: usize,
        expected: String,
    },
    /// Found while reading tokens (an unclosed quote, comment or ballot ID). Such an error is
    /// reported before any other, wherever it is in the file.
    Lex {
        at: usize,
        message: &'static str,
    },
}

fn fail(at: usize, message: impl Into<String>) -> Fail {
    Fail::At {
        at,
        message: message.into(),
    }
}

/// The line and column (from 1; the column in characters) of byte offset `at`.
fn position(text: &str, at: usize) -> (usize, usize) {
    let at = at.min(text.len());
    let before = &text.as_bytes()[..at];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let column = 1 + text.get(start..at).map_or(0, |s| s.chars().count());
    (line, column)
}

impl Fail {
    fn located(self, text: &str) -> BltError {
        match self {
            Fail::At { at, message } => {
                let (line, column) = position(text, at);
                BltError::At {
                    line,
                    column,
                    message,
                }
            }
            Fail::Lex { at, message } => {
                let (line, column) = position(text, at);
                BltError::At {
                    line,
                    column,
                    message: message.into(),
                }
            }
            Fail::End { at, expected } => {
                let (line, column) = position(text, at);
                BltError::UnexpectedEnd {
                    line,
                    column,
                    expected,
                }
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'a> {
    /// A bare word: a number, a nickname, `-`, `1=2`, `(id)`.
    Word(&'a str),
    /// A quoted string, without its quotes.
    Quoted(&'a str),
    Open,
    Close,
}

#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    tok: Tok<'a>,
    /// Byte offsets of the token's first byte and of the byte after it.
    at: usize,
    end: usize,
}

/// ASCII bytes that end a word: whitespace (as `char::is_whitespace`), `#`, `"`, `[`, `]`.
const WORD_END: [bool; 128] = {
    let mut t = [false; 128];
    let mut b = 9;
    while b <= 13 {
        t[b] = true;
        b += 1;
    }
    t[b' ' as usize] = true;
    t[b'#' as usize] = true;
    t[b'"' as usize] = true;
    t[b'[' as usize] = true;
    t[b']' as usize] = true;
    t
};

/// The character starting at byte `at` of `text` (a character boundary).
fn char_at(text: &str, at: usize) -> Option<char> {
    text.get(at..)?.chars().next()
}

#[derive(Clone)]
struct Lexer<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Lexer<'a> {
    /// The next token, `None` at the end of the text.
    fn next(&mut self) -> Result<Option<Token<'a>>, Fail> {
        let bytes = self.text.as_bytes();
        loop {
            let at = self.pos;
            let Some(&b) = bytes.get(at) else {
                return Ok(None);
            };
            let token = |tok, end| Ok(Some(Token { tok, at, end }));
            match b {
                b'\t'..=b'\r' | b' ' => self.pos += 1,
                b'#' => {
                    self.pos = find_byte(bytes, at, b'\n').unwrap_or(bytes.len());
                }
                b'/' if bytes.get(at + 1) == Some(&b'*') => {
                    let close = bytes
                        .get(at + 2..)
                        .and_then(|rest| rest.windows(2).position(|w| w == b"*/"));
                    match close {
                        Some(i) => self.pos = at + 2 + i + 2,
                        None => {
                            return Err(Fail::Lex {
                                at,
                                message: "a /* comment is never closed; expected */",
                            });
                        }
                    }
                }
                b'"' => {
                    let Some(close) = find_byte(bytes, at + 1, b'"') else {
                        return Err(Fail::Lex {
                            at,
                            message: "a quoted name is never closed; expected a closing \"",
                        });
                    };
                    self.pos = close + 1;
                    return token(Tok::Quoted(self.slice(at + 1, close)), self.pos);
                }
                b'[' => {
                    self.pos += 1;
                    return token(Tok::Open, self.pos);
                }
                b']' => {
                    self.pos += 1;
                    return token(Tok::Close, self.pos);
                }
                b'(' => {
                    let close = bytes
                        .get(at + 1..)
                        .and_then(|rest| rest.iter().position(|&b| b == b')' || b == b'\n'))
                        .map(|i| at + 1 + i);
                    match close {
                        Some(i) if bytes[i] == b')' => {
                            self.pos = i + 1;
                            return token(Tok::Word(self.slice(at, self.pos)), self.pos);
                        }
                        _ => {
                            return Err(Fail::Lex {
                                at,
                                message: "a ballot ID is never closed; expected (id) on one line",
                            });
                        }
                    }
                }
                0..=0x7f => {
                    self.pos = self.word_end(at + 1);
                    return token(Tok::Word(self.slice(at, self.pos)), self.pos);
                }
                _ => {
                    let Some(c) = char_at(self.text, at) else {
                        return Ok(None);
                    };
                    if c.is_whitespace() {
                        self.pos += c.len_utf8();
                    } else {
                        self.pos = self.word_end(at + c.len_utf8());
                        return token(Tok::Word(self.slice(at, self.pos)), self.pos);
                    }
                }
            }
        }
    }

    /// Where the word going on at `pos` ends.
    fn word_end(&self, mut pos: usize) -> usize {
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(pos) {
            if b < 0x80 {
                if WORD_END[usize::from(b)] {
                    break;
                }
                pos += 1;
            } else {
                match char_at(self.text, pos) {
                    Some(c) if !c.is_whitespace() => pos += c.len_utf8(),
                    _ => break,
                }
            }
        }
        pos
    }

    /// `text[from..to]`; both are character boundaries by construction.
    fn slice(&self, from: usize, to: usize) -> &'a str {
        self.text.get(from..to).unwrap_or("")
    }

    /// Reads to the end, returning the first token error, if any.
    fn drain(&mut self) -> Option<Fail> {
        loop {
            match self.next() {
                Ok(Some(_)) => {}
                Ok(None) => return None,
                Err(e) => return Some(e),
            }
        }
    }
}

fn find_byte(bytes: &[u8], from: usize, byte: u8) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|&b| b == byte)
        .map(|i| from + i)
}

fn show(tok: &Tok<'_>) -> String {
    match tok {
        Tok::Word(w) => format!("`{w}`"),
        Tok::Quoted(s) => format!("{s:?}"),
        Tok::Open => "`[`".into(),
        Tok::Close => "`]`".into(),
    }
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A whole number written in ASCII digits, as `str::parse::<u64>` reads it (`None` when too
/// large).
fn digits(word: &str) -> Option<u64> {
    word.bytes().try_fold(0u64, |n, b| {
        n.checked_mul(10)?.checked_add(u64::from(b.wrapping_sub(b'0')))
    })
}

fn all_digits(word: &str) -> bool {
    word.bytes().all(|b| b.is_ascii_digit())
}

/// A word [`Parser::plain_number`] read.
enum Plain {
    End,
    Candidate(CandidateId),
}

struct Parser<'a> {
    lex: Lexer<'a>,
    /// The end of the last token read: where "the file ends too early" points.
    last_end: usize,
    ncand: usize,
    nicks: HashMap<&'a str, CandidateId>,
}

impl<'a> Parser<'a> {
    fn next(&mut self, expected: impl FnOnce() -> String) -> Result<Token<'a>, Fail> {
        match self.lex.next()? {
            Some(t) => {
                self.last_end = t.end;
                Ok(t)
            }
            None => Err(Fail::End {
                at: self.last_end,
                expected: expected(),
            }),
        }
    }

    fn number(&mut self, expected: &str) -> Result<(u64, Token<'a>), Fail> {
        let t = self.next(|| expected.into())?;
        match t.tok {
            Tok::Word(w) if all_digits(w) => digits(w)
                .map(|n| (n, t))
                .ok_or_else(|| fail(t.at, format!("`{w}` is too large; expected {expected}"))),
            other => Err(fail(t.at, format!("found {}; expected {expected}", show(&other)))),
        }
    }

    /// A candidate reference: a nickname, or a 1-based number (as `str::parse::<usize>`
    /// reads it, so `+2` is 2).
    fn candidate(&self, word: &str, at: usize) -> Result<CandidateId, Fail> {
        if !self.nicks.is_empty()
            && let Some(&i) = self.nicks.get(word)
        {
            return Ok(i);
        }
        let n = if all_digits(word) {
            digits(word).and_then(|n| usize::try_from(n).ok())
        } else {
            word.parse::<usize>().ok()
        };
        match n {
            Some(n) if (1..=self.ncand).contains(&n) => Ok(n - 1),
            _ => Err(fail(
                at,
                format!(
                    "`{word}` is not a candidate; expected a number from 1 to {}{}",
                    self.ncand,
                    if self.nicks.is_empty() {
                        ""
                    } else {
                        " or a nickname"
                    }
                ),
            )),
        }
    }

    /// An option `[name args…]`; `at` is where its `[` is, which every error about the
    /// option's meaning points at.
    fn option(&mut self, profile: &mut Profile, at: usize) -> Result<(), Fail> {
        const FORM: &str = "[nick …], [tie …], [withdrawn …] or [droop …]";
        let name = match self.next(|| FORM.into())?.tok {
            Tok::Word(w) => w,
            other => {
                return Err(fail(
                    at,
                    format!("found {} after `[`; expected {FORM}", show(&other)),
                ));
            }
        };
        let mut args: Vec<&'a str> = Vec::new();
        loop {
            let t = self.next(|| format!("`]` to close [{name}"))?;
            match t.tok {
                Tok::Close => break,
                Tok::Word(w) => args.push(w),
                other => {
                    let msg = format!("found {} inside [{name}]; expected words and `]`", show(&other));
                    return Err(fail(t.at, msg));
                }
            }
        }
        match name {
            "nick" => {
                if args.len() != self.ncand {
                    let msg = format!(
                        "[nick] gives {} nicknames; expected one for each of the {} candidates",
                        args.len(),
                        self.ncand
                    );
                    return Err(fail(at, msg));
                }
                let mut seen = HashSet::new();
                if let Some(d) = args.iter().find(|a| !seen.insert(**a)) {
                    return Err(fail(
                        at,
                        format!("nickname `{d}` is used twice; expected distinct nicknames"),
                    ));
                }
                self.nicks = args.iter().enumerate().map(|(i, &a)| (a, i)).collect();
            }
            "tie" => {
                let order = args
                    .iter()
                    .map(|a| self.candidate(a, at))
                    .collect::<Result<Vec<_>, _>>()?;
                let mut sorted = order.clone();
                sorted.sort_unstable();
                sorted.dedup();
                if order.len() != self.ncand || sorted.len() != self.ncand {
                    return Err(fail(at, "[tie] must list each candidate exactly once"));
                }
                profile.tie_order = Some(order);
            }
            "withdrawn" => {
                for a in &args {
                    let c = self.candidate(a, at)?;
                    if !profile.withdrawn.contains(&c) {
                        profile.withdrawn.push(c);
                    }
                }
            }
            "droop" => {}
            other => return Err(fail(at, format!("unknown option [{other}]; expected {FORM}"))),
        }
        Ok(())
    }

    /// One ballot, starting with `first`, straight into `ballots`; a ballot that names no
    /// candidate is left out.
    fn ballot(&mut self, first: Token<'a>, ballots: &mut Ballots) -> Result<(), Fail> {
        const FORM: &str = "a ballot \"<weight> <c1> <c2> … 0\"";
        let weight = match first.tok {
            Tok::Word(w) if w.starts_with('(') => {
                let (weight, t) = self.number("the weight 1 after a ballot ID")?;
                if weight != 1 {
                    return Err(fail(
                        t.at,
                        "a ballot with an ID has weight 1; expected \"(id) 1 <c1> … 0\"",
                    ));
                }
                weight
            }
            Tok::Word(w) if all_digits(w) => digits(w)
                .ok_or_else(|| fail(first.at, format!("weight `{w}` is too large; expected {FORM}")))?,
            other => {
                return Err(fail(
                    first.at,
                    format!("found {}; expected {FORM} or 0", show(&other)),
                ));
            }
        };
        let start = ballots.marks.len();
        let mut named = false;
        loop {
            match self.plain_number() {
                Some(Plain::End) => break,
                Some(Plain::Candidate(c)) => {
                    ballots.marks.push(mark(c));
                    named = true;
                    continue;
                }
                None => {}
            }
            let t = self.next(|| "the 0 that ends a ballot".into())?;
            let word = match t.tok {
                Tok::Word(w) => w,
                other => {
                    let msg = format!("found {} in a ballot; expected candidates then 0", show(&other));
                    return Err(fail(t.at, msg));
                }
            };
            match word {
                "0" => break,
                "-" => ballots.marks.push(SKIP),
                _ => {
                    let mut flag = 0;
                    let mut at = t.at;
                    for part in word.split('=') {
                        let c = self.candidate(part, at)?;
                        ballots.marks.push(mark(c) | flag);
                        flag = EQUAL;
                        at += part.len() + 1;
                    }
                    named = true;
                }
            }
        }
        if named {
            ballots.close(weight);
        } else {
            ballots.marks.truncate(start);
        }
        Ok(())
    }

    /// The common case of a ballot's next word, read straight from the bytes: ASCII
    /// whitespace, then `0` (the end of the ballot) or a plain number that is a candidate,
    /// with no nicknames declared. Anything else (and any error) is left to the tokens:
    /// `None`, nothing read.
    fn plain_number(&mut self) -> Option<Plain> {
        if !self.nicks.is_empty() {
            return None;
        }
        let bytes = self.lex.text.as_bytes();
        let mut pos = self.lex.pos;
        while let Some(b'\t'..=b'\r' | b' ') = bytes.get(pos) {
            pos += 1;
        }
        let start = pos;
        let mut n = 0usize;
        while let Some(&b) = bytes.get(pos) {
            if !b.is_ascii_digit() || pos - start == 18 {
                break;
            }
            n = n * 10 + usize::from(b - b'0');
            pos += 1;
        }
        if pos == start
            || bytes
                .get(pos)
                .is_some_and(|&b| b >= 0x80 || !WORD_END[usize::from(b)])
        {
            return None;
        }
        let plain = if pos - start == 1 && n == 0 {
            Plain::End
        } else if (1..=self.ncand).contains(&n) {
            Plain::Candidate(n - 1)
        } else {
            return None;
        };
        self.lex.pos = pos;
        self.last_end = pos;
        Some(plain)
    }

    fn quoted(&mut self, expected: impl Fn() -> String) -> Result<String, Fail> {
        let t = self.next(&expected)?;
        match t.tok {
            Tok::Quoted(s) => Ok(collapse(s)),
            other => Err(fail(
                t.at,
                format!("found {}; expected {}", show(&other), expected()),
            )),
        }
    }
}

/// Reads a BLT file into a [`Profile`].
pub fn parse(text: &str) -> Result<Profile, BltError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut p = Parser {
        lex: Lexer { text, pos: 0 },
        last_end: 0,
        ncand: 0,
        nicks: HashMap::new(),
    };
    let result = read(&mut p);
    // A token error anywhere in the file comes first, as if the file were split into tokens
    // before anything else.
    let lexed = match &result {
        Err(Fail::Lex { .. }) => None,
        _ => p.lex.drain(),
    };
    match (result, lexed) {
        (_, Some(e)) | (Err(e), None) => Err(e.located(text)),
        (Ok(profile), None) => Ok(profile),
    }
}

fn read(p: &mut Parser<'_>) -> Result<Profile, Fail> {
    let (ncand, t) = p.number("the number of candidates")?;
    let header = t.at;
    if ncand == 0 {
        return Err(fail(
            header,
            "the file declares 0 candidates; expected at least 1",
        ));
    }
    let (seats, t) = p.number("the number of seats after the number of candidates")?;
    if seats == 0 {
        return Err(fail(t.at, "the file declares 0 seats; expected at least 1"));
    }
    let too_big = || {
        fail(
            t.at,
            "the header numbers are too large; expected \"<ncand> <nseats>\"",
        )
    };
    p.ncand = usize::try_from(ncand).map_err(|_| too_big())?;
    let seats = usize::try_from(seats).map_err(|_| too_big())?;
    let mut profile = Profile::new("", Vec::new(), seats);

    // Withdrawn candidates and options, in any order, until the first ballot.
    let first = loop {
        let t = p.next(|| "a ballot or the 0 that ends the ballots".into())?;
        match t.tok {
            Tok::Open => p.option(&mut profile, t.at)?,
            Tok::Word(w) if w.len() > 1 && w.starts_with('-') => {
                let c = p.candidate(&w[1..], t.at).map_err(|_| {
                    fail(
                        t.at,
                        format!("`{w}` does not withdraw a candidate; expected -1 to -{}", p.ncand),
                    )
                })?;
                if !profile.withdrawn.contains(&c) {
                    profile.withdrawn.push(c);
                }
            }
            _ => break t,
        }
    };

    let mut t = first;
    while t.tok != Tok::Word("0") {
        p.ballot(t, &mut profile.ballots)?;
        t = p.next(|| "another ballot or the 0 that ends the ballots".into())?;
    }

    let ncand = p.ncand;
    for i in 1..=ncand {
        let name = p.quoted(|| format!("the quoted name of candidate {i} of {ncand}"))?;
        profile.candidates.push(name);
    }
    if ncand > MAX_MARK as usize {
        // Unreachable with a real file (it would hold billions of names), but ballots store
        // candidates in 31 bits.
        return Err(fail(
            header,
            format!("the file declares {ncand} candidates; expected at most {MAX_MARK}"),
        ));
    }
    if p.lex.clone().next()?.is_some() {
        profile.title = p.quoted(|| "the quoted election title".into())?;
    }
    // Droop's optional source and comment strings, then anything (M135 ends with a table of
    // first preferences), which is ignored as Droop does.
    Ok(profile)
}

/// Writes a profile as BLT that [`parse`] (and OpenSTV, Droop and OpaVote) read back: numbered
/// candidates, withdrawn candidates on a line of negative numbers, a `[tie …]` option only when
/// the profile declares a tie order. Ballots of weight 0 are left out (a leading 0 would end
/// the ballots). Names and title have their whitespace collapsed, and a `"` (which BLT cannot
/// quote) becomes `''`.
pub fn write(profile: &Profile) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} {}", profile.candidates.len(), profile.seats);
    if !profile.withdrawn.is_empty() {
        let w: Vec<String> = profile.withdrawn.iter().map(|c| format!("-{}", c + 1)).collect();
        let _ = writeln!(out, "{}", w.join(" "));
    }
    if let Some(order) = &profile.tie_order {
        let o: Vec<String> = order.iter().map(|c| (c + 1).to_string()).collect();
        let _ = writeln!(out, "[tie {}]", o.join(" "));
    }
    for b in profile.ballots.iter().filter(|b| b.weight > 0) {
        out.push_str(&b.weight.to_string());
        for rank in b.ranks() {
            out.push(' ');
            if rank.is_empty() {
                out.push('-');
            } else {
                let r: Vec<String> = rank.iter().map(|c| (c + 1).to_string()).collect();
                out.push_str(&r.join("="));
            }
        }
        out.push_str(" 0\n");
    }
    out.push_str("0\n");
    let quote = |s: &str| format!("\"{}\"\n", collapse(&s.replace('"', "''")));
    for name in &profile.candidates {
        out.push_str(&quote(name));
    }
    out.push_str(&quote(&profile.title));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::ballot::Ballot;

    #[test]
    fn reads_options_equal_ranks_skips_and_ids() {
        let text = "\u{feff}4 2 # header\n-4\n[nick a b c d] [tie c b a d]\n/* a\ncomment */\n\
                    3 a b=c - 0\n(x7) 1 2 0\n2 0\n0\n\"Ann  Lee \" \"Bob\"\n\"Cy\" \"Di\"\n\"T\" \"src\"\n";
        let p = parse(text).unwrap();
        assert_eq!(p.candidates, ["Ann Lee", "Bob", "Cy", "Di"]);
        assert_eq!((p.seats, p.title.as_str()), (2, "T"));
        assert_eq!(p.withdrawn, [3]);
        assert_eq!(p.tie_order, Some(vec![2, 1, 0, 3]));
        assert_eq!(
            p.ballots.to_vec(),
            [
                Ballot {
                    weight: 3,
                    ranks: vec![vec![0], vec![1, 2], vec![]]
                },
                Ballot::ranking(1, &[1])
            ]
        );
        assert_eq!(parse(&write(&p)).unwrap(), p);
    }

    #[test]
    fn errors_name_the_line_and_the_expected_form() {
        let cases = [
            (
                "x 1",
                "line 1, column 1: found `x`; expected the number of candidates",
            ),
            (
                "\"\n\"",
                "line 1, column 1: found \"\\n\"; expected the number of candidates",
            ),
            (
                "2 1\n1 1 3 0\n",
                "line 2, column 5: `3` is not a candidate; expected a number from 1 to 2",
            ),
            (
                "2 1\n1 2=1=é 0\n",
                "line 2, column 7: `é` is not a candidate; expected a number from 1 to 2",
            ),
            (
                "2 1\n1 1 2",
                "line 2, column 6: the file ends too early; expected the 0 that ends a ballot",
            ),
            (
                "2 1\n  [foo]",
                "line 2, column 3: unknown option [foo]; expected [nick …], [tie …], [withdrawn …] or [droop …]",
            ),
            (
                "2 1\n0\n\"A\"\n",
                "line 3, column 4: the file ends too early; expected the quoted name of candidate 2 of 2",
            ),
            (
                "2 0",
                "line 1, column 3: the file declares 0 seats; expected at least 1",
            ),
            (
                "2 1\n(id) 2 1 0",
                "line 2, column 6: a ballot with an ID has weight 1; expected \"(id) 1 <c1> … 0\"",
            ),
            (
                "2 1\nx 1 0\n0 \"A\" \"B\" \"T\" \"unclosed",
                "line 3, column 15: a quoted name is never closed; expected a closing \"",
            ),
            (
                "2 1\n1 1 0 /* x\n0",
                "line 2, column 7: a /* comment is never closed; expected */",
            ),
            (
                "",
                "line 1, column 1: the file ends too early; expected the number of candidates",
            ),
        ];
        for (text, msg) in cases {
            assert_eq!(parse(text).unwrap_err().to_string(), msg, "{text:?}");
        }
    }
}
