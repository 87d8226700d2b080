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
//! sentence with the line number and the form expected; nothing panics on any input. What
//! follows the title and Droop's optional source and comment strings is ignored, as Droop does.

use std::fmt::Write as _;

use crate::ballot::{Ballot, CandidateId, Profile};

/// Why a BLT file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BltError {
    #[error("line {line}: {message}")]
    At { line: usize, message: String },
    /// `line` is the last line that holds a token (1 for an empty file).
    #[error("line {line}: the file ends too early; expected {expected}")]
    UnexpectedEnd { line: usize, expected: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    /// A bare word: a number, a nickname, `-`, `1=2`, `(id)`.
    Word(String),
    /// A quoted string, without its quotes.
    Quoted(String),
    Open,
    Close,
}

#[derive(Debug)]
struct Token {
    tok: Tok,
    line: usize,
}

fn at(line: usize, message: impl Into<String>) -> BltError {
    BltError::At {
        line,
        message: message.into(),
    }
}

fn tokenize(text: &str) -> Result<Vec<Token>, BltError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            c if c.is_whitespace() => {}
            '#' => while chars.next_if(|&c| c != '\n').is_some() {},
            '/' if chars.peek() == Some(&'*') => {
                let start = line;
                chars.next();
                let mut prev = ' ';
                loop {
                    match chars.next() {
                        None => return Err(at(start, "a /* comment is never closed; expected */")),
                        Some('/') if prev == '*' => break,
                        Some(c) => {
                            if c == '\n' {
                                line += 1;
                            }
                            prev = c;
                        }
                    }
                }
            }
            '"' => {
                let start = line;
                let mut s = String::new();
                loop {
                    match chars.next() {
                        None => {
                            return Err(at(start, "a quoted name is never closed; expected a closing \""));
                        }
                        Some('"') => break,
                        Some(c) => {
                            if c == '\n' {
                                line += 1;
                            }
                            s.push(c);
                        }
                    }
                }
                out.push(Token {
                    tok: Tok::Quoted(s),
                    line: start,
                });
            }
            '[' => out.push(Token { tok: Tok::Open, line }),
            ']' => out.push(Token {
                tok: Tok::Close,
                line,
            }),
            '(' => {
                let mut s = String::from('(');
                loop {
                    match chars.next() {
                        Some(')') => break,
                        Some('\n') | None => {
                            return Err(at(line, "a ballot ID is never closed; expected (id) on one line"));
                        }
                        Some(c) => s.push(c),
                    }
                }
                s.push(')');
                out.push(Token {
                    tok: Tok::Word(s),
                    line,
                });
            }
            c => {
                let mut s = String::from(c);
                while let Some(c) = chars.next_if(|&c| !c.is_whitespace() && !"#\"[]".contains(c)) {
                    s.push(c);
                }
                out.push(Token {
                    tok: Tok::Word(s),
                    line,
                });
            }
        }
    }
    Ok(out)
}

fn show(tok: &Tok) -> String {
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

struct Parser {
    tokens: std::iter::Peekable<std::vec::IntoIter<Token>>,
    last_line: usize,
    ncand: usize,
    nicks: Vec<String>,
}

impl Parser {
    fn next(&mut self, expected: &str) -> Result<Token, BltError> {
        let t = self.tokens.next().ok_or_else(|| BltError::UnexpectedEnd {
            line: self.last_line,
            expected: expected.into(),
        })?;
        self.last_line = t.line;
        Ok(t)
    }

    fn number(&mut self, expected: &str) -> Result<(u64, usize), BltError> {
        let t = self.next(expected)?;
        match &t.tok {
            Tok::Word(w) if w.bytes().all(|b| b.is_ascii_digit()) => w
                .parse()
                .map(|n| (n, t.line))
                .map_err(|_| at(t.line, format!("`{w}` is too large; expected {expected}"))),
            other => Err(at(t.line, format!("found {}; expected {expected}", show(other)))),
        }
    }

    /// A candidate reference: a nickname, or a 1-based number.
    fn candidate(&self, word: &str, line: usize) -> Result<CandidateId, BltError> {
        if let Some(i) = self.nicks.iter().position(|n| n == word) {
            return Ok(i);
        }
        match word.parse::<usize>() {
            Ok(n) if (1..=self.ncand).contains(&n) => Ok(n - 1),
            _ => Err(at(
                line,
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

    fn option(&mut self, profile: &mut Profile, line: usize) -> Result<(), BltError> {
        const FORM: &str = "[nick …], [tie …], [withdrawn …] or [droop …]";
        let name = match self.next(FORM)?.tok {
            Tok::Word(w) => w,
            other => {
                return Err(at(
                    line,
                    format!("found {} after `[`; expected {FORM}", show(&other)),
                ));
            }
        };
        let mut args = Vec::new();
        loop {
            let t = self.next(&format!("`]` to close [{name}"))?;
            match t.tok {
                Tok::Close => break,
                Tok::Word(w) => args.push(w),
                other => {
                    let msg = format!("found {} inside [{name}]; expected words and `]`", show(&other));
                    return Err(at(t.line, msg));
                }
            }
        }
        match name.as_str() {
            "nick" => {
                if args.len() != self.ncand {
                    let msg = format!(
                        "[nick] gives {} nicknames; expected one for each of the {} candidates",
                        args.len(),
                        self.ncand
                    );
                    return Err(at(line, msg));
                }
                if let Some(d) = args.iter().enumerate().find(|(i, a)| args[..*i].contains(a)) {
                    return Err(at(
                        line,
                        format!("nickname `{}` is used twice; expected distinct nicknames", d.1),
                    ));
                }
                self.nicks = args;
            }
            "tie" => {
                let order = args
                    .iter()
                    .map(|a| self.candidate(a, line))
                    .collect::<Result<Vec<_>, _>>()?;
                let mut sorted = order.clone();
                sorted.sort_unstable();
                sorted.dedup();
                if order.len() != self.ncand || sorted.len() != self.ncand {
                    return Err(at(line, "[tie] must list each candidate exactly once"));
                }
                profile.tie_order = Some(order);
            }
            "withdrawn" => {
                for a in &args {
                    let c = self.candidate(a, line)?;
                    if !profile.withdrawn.contains(&c) {
                        profile.withdrawn.push(c);
                    }
                }
            }
            "droop" => {}
            other => return Err(at(line, format!("unknown option [{other}]; expected {FORM}"))),
        }
        Ok(())
    }

    fn ballot(&mut self, first: Token) -> Result<Ballot, BltError> {
        const FORM: &str = "a ballot \"<weight> <c1> <c2> … 0\"";
        let line = first.line;
        let weight = match first.tok {
            Tok::Word(w) if w.starts_with('(') => {
                let (weight, wline) = self.number("the weight 1 after a ballot ID")?;
                if weight != 1 {
                    return Err(at(
                        wline,
                        "a ballot with an ID has weight 1; expected \"(id) 1 <c1> … 0\"",
                    ));
                }
                weight
            }
            Tok::Word(w) if w.bytes().all(|b| b.is_ascii_digit()) => w
                .parse()
                .map_err(|_| at(line, format!("weight `{w}` is too large; expected {FORM}")))?,
            other => return Err(at(line, format!("found {}; expected {FORM} or 0", show(&other)))),
        };
        let mut ranks = Vec::new();
        loop {
            let t = self.next("the 0 that ends a ballot")?;
            let word = match t.tok {
                Tok::Word(w) => w,
                other => {
                    let msg = format!("found {} in a ballot; expected candidates then 0", show(&other));
                    return Err(at(t.line, msg));
                }
            };
            if word == "0" {
                break;
            }
            if word == "-" {
                ranks.push(Vec::new());
                continue;
            }
            let rank = word
                .split('=')
                .map(|c| self.candidate(c, t.line))
                .collect::<Result<Vec<_>, _>>()?;
            ranks.push(rank);
        }
        Ok(Ballot { weight, ranks })
    }

    fn quoted(&mut self, expected: &str) -> Result<String, BltError> {
        let t = self.next(expected)?;
        match t.tok {
            Tok::Quoted(s) => Ok(collapse(&s)),
            other => Err(at(t.line, format!("found {}; expected {expected}", show(&other)))),
        }
    }
}

/// Reads a BLT file into a [`Profile`].
pub fn parse(text: &str) -> Result<Profile, BltError> {
    let tokens = tokenize(text)?;
    let mut p = Parser {
        tokens: tokens.into_iter().peekable(),
        last_line: 1,
        ncand: 0,
        nicks: Vec::new(),
    };
    let (ncand, line) = p.number("the number of candidates")?;
    if ncand == 0 {
        return Err(at(line, "the file declares 0 candidates; expected at least 1"));
    }
    let (seats, line) = p.number("the number of seats after the number of candidates")?;
    if seats == 0 {
        return Err(at(line, "the file declares 0 seats; expected at least 1"));
    }
    let too_big = || {
        at(
            line,
            "the header numbers are too large; expected \"<ncand> <nseats>\"",
        )
    };
    p.ncand = usize::try_from(ncand).map_err(|_| too_big())?;
    let seats = usize::try_from(seats).map_err(|_| too_big())?;
    let mut profile = Profile::new("", Vec::new(), seats);

    // Withdrawn candidates and options, in any order, until the first ballot.
    let first = loop {
        let t = p.next("a ballot or the 0 that ends the ballots")?;
        match &t.tok {
            Tok::Open => p.option(&mut profile, t.line)?,
            Tok::Word(w) if w.len() > 1 && w.starts_with('-') => {
                let c = p.candidate(&w[1..], t.line).map_err(|_| {
                    at(
                        t.line,
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
    while t.tok != Tok::Word("0".into()) {
        let ballot = p.ballot(t)?;
        if ballot.ranks.iter().any(|r| !r.is_empty()) {
            profile.ballots.push(ballot);
        }
        t = p.next("another ballot or the 0 that ends the ballots")?;
    }

    for i in 1..=p.ncand {
        let name = p.quoted(&format!("the quoted name of candidate {i} of {}", p.ncand))?;
        profile.candidates.push(name);
    }
    if p.tokens.peek().is_some() {
        profile.title = p.quoted("the quoted election title")?;
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
        for rank in &b.ranks {
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
            p.ballots,
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
            ("x 1", "line 1: found `x`; expected the number of candidates"),
            (
                "\"\n\"",
                "line 1: found \"\\n\"; expected the number of candidates",
            ),
            (
                "2 1\n1 1 3 0\n",
                "line 2: `3` is not a candidate; expected a number from 1 to 2",
            ),
            (
                "2 1\n1 1 2",
                "line 2: the file ends too early; expected the 0 that ends a ballot",
            ),
            (
                "2 1\n[foo]",
                "line 2: unknown option [foo]; expected [nick …], [tie …], [withdrawn …] or [droop …]",
            ),
            (
                "2 1\n0\n\"A\"\n",
                "line 3: the file ends too early; expected the quoted name of candidate 2 of 2",
            ),
            ("2 0", "line 1: the file declares 0 seats; expected at least 1"),
            (
                "2 1\n(id) 2 1 0",
                "line 2: a ballot with an ID has weight 1; expected \"(id) 1 <c1> … 0\"",
            ),
        ];
        for (text, msg) in cases {
            assert_eq!(parse(text).unwrap_err().to_string(), msg, "{text:?}");
        }
    }
}
