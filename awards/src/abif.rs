//! A reader for ABIF, the Aggregated Ballot Information Format of abiftool, in the subset the
//! published test vectors use:
//!
//! ```text
//! # a comment (also after a line's content)
//! {"title": "Tennessee capitol example"}     metadata: one {key: value} pair per line
//! =Memph:[Memphis, TN]                        a candidate token and its full name
//! 42:Memph>Nash=Chat>Knox                     count:ranking, ">" next rank, "=" same rank
//! 26:Nash/5>Chat/3,Knox/2                     "/n" a rating; "," ratings with no order
//! 3:[Write-in candidate]>Memph                [text] a token with any characters but []
//! ```
//!
//! Candidates are numbered in the order they are declared by `=` lines, then in the order
//! undeclared tokens first appear on ballots. A file becomes a ranked [`Profile`] (names are
//! the full names) or, when ratings are given, a list of [`ScoreBallot`]s.

use crate::ballot::{Ballot, CandidateId, Profile, ScoreBallot};

/// Why an ABIF file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct AbifError {
    pub line: usize,
    pub message: String,
}

/// One ballot line: its count and ranks of (candidate, optional rating).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbifBallot {
    pub count: u64,
    pub ranks: Vec<Vec<(CandidateId, Option<u32>)>>,
}

/// A parsed ABIF file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Abif {
    /// `{key: value}` lines, in file order, values with their quotes removed.
    pub metadata: Vec<(String, String)>,
    /// Each candidate's token (`Memph`).
    pub tokens: Vec<String>,
    /// Each candidate's full name (`Memphis, TN`), or the token when none was declared.
    pub names: Vec<String>,
    pub ballots: Vec<AbifBallot>,
}

fn err(line: usize, message: impl Into<String>) -> AbifError {
    AbifError {
        line,
        message: message.into(),
    }
}

/// Removes a `#` comment that is not inside `[…]` or `"…"`.
fn strip_comment(line: &str) -> &str {
    let (mut bracket, mut quote) = (false, false);
    for (i, c) in line.char_indices() {
        match c {
            '[' if !quote => bracket = true,
            ']' if !quote => bracket = false,
            '"' if !bracket => quote = !quote,
            '#' if !bracket && !quote => return &line[..i],
            _ => {}
        }
    }
    line
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(s)
        .to_string()
}

impl Abif {
    /// The candidate with this token or full name.
    pub fn candidate(&self, token_or_name: &str) -> Option<CandidateId> {
        self.tokens
            .iter()
            .position(|t| t == token_or_name)
            .or_else(|| self.names.iter().position(|n| n == token_or_name))
    }

    /// The value of a metadata key, if given.
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.metadata
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The ballots as ranked ballots, one seat, titled by the `title` metadata.
    pub fn profile(&self) -> Profile {
        let mut p = Profile::new(self.meta("title").unwrap_or(""), self.names.clone(), 1);
        p.ballots = self
            .ballots
            .iter()
            .map(|b| Ballot {
                weight: b.count,
                ranks: b
                    .ranks
                    .iter()
                    .map(|r| r.iter().map(|&(c, _)| c).collect())
                    .collect(),
            })
            .collect();
        p
    }

    /// The ballots as scored ballots: each rated candidate with its rating; unrated candidates
    /// are left blank.
    pub fn score_ballots(&self) -> Vec<ScoreBallot> {
        self.ballots
            .iter()
            .map(|b| ScoreBallot {
                weight: b.count,
                scores: b
                    .ranks
                    .iter()
                    .flatten()
                    .filter_map(|&(c, r)| r.map(|r| (c, r)))
                    .collect(),
            })
            .collect()
    }

    fn intern(&mut self, token: &str) -> CandidateId {
        self.candidate_by_token(token).unwrap_or_else(|| {
            self.tokens.push(token.to_string());
            self.names.push(token.to_string());
            self.tokens.len() - 1
        })
    }

    fn candidate_by_token(&self, token: &str) -> Option<CandidateId> {
        self.tokens.iter().position(|t| t == token)
    }
}

/// Reads an ABIF file.
pub fn parse(text: &str) -> Result<Abif, AbifError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut abif = Abif::default();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let content = strip_comment(raw).trim();
        if content.is_empty() {
            continue;
        }
        if let Some(inner) = content.strip_prefix('{') {
            let inner = inner
                .strip_suffix('}')
                .ok_or_else(|| err(line, "a metadata line is not closed; expected {\"key\": value}"))?;
            let (k, v) = inner
                .split_once(':')
                .ok_or_else(|| err(line, "metadata has no colon; expected {\"key\": value}"))?;
            abif.metadata.push((unquote(k), unquote(v)));
        } else if let Some(decl) = content.strip_prefix('=') {
            candidate_line(&mut abif, decl, line)?;
        } else {
            let ballot = ballot_line(&mut abif, content, line)?;
            abif.ballots.push(ballot);
        }
    }
    Ok(abif)
}

fn candidate_line(abif: &mut Abif, decl: &str, line: usize) -> Result<(), AbifError> {
    const FORM: &str = "=token:[Full name]";
    let (tok, rest) = read_token(decl.trim_start(), line)?;
    let rest = rest.trim_start();
    let name = match rest.strip_prefix(':') {
        Some(name) => {
            let name = name.trim();
            match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
                Some(n) => n.to_string(),
                None if name.is_empty() => {
                    return Err(err(line, format!("no name after the colon; expected {FORM}")));
                }
                None => name.to_string(),
            }
        }
        None if rest.is_empty() => tok.clone(),
        None => return Err(err(line, format!("unexpected `{rest}`; expected {FORM}"))),
    };
    if abif.candidate_by_token(&tok).is_some() {
        return Err(err(
            line,
            format!("candidate `{tok}` is declared twice; expected each token once"),
        ));
    }
    abif.tokens.push(tok);
    abif.names.push(name);
    Ok(())
}

/// Reads a bare token (letters, digits, `_`, `-`, `.` …) or a `[bracketed]` one.
fn read_token(s: &str, line: usize) -> Result<(String, &str), AbifError> {
    if let Some(rest) = s.strip_prefix('[') {
        let end = rest
            .find(']')
            .ok_or_else(|| err(line, "a [token is never closed; expected [text without brackets]"))?;
        return Ok((rest[..end].to_string(), &rest[end + 1..]));
    }
    let end = s
        .find(|c: char| c.is_whitespace() || ">=,/:[]{}\"".contains(c))
        .unwrap_or(s.len());
    if end == 0 {
        let found = s
            .chars()
            .next()
            .map_or("the end of the line".to_string(), |c| format!("`{c}`"));
        return Err(err(
            line,
            format!("found {found}; expected a candidate token or [name]"),
        ));
    }
    Ok((s[..end].to_string(), &s[end..]))
}

fn ballot_line(abif: &mut Abif, content: &str, line: usize) -> Result<AbifBallot, AbifError> {
    const FORM: &str = "count:A>B=C, e.g. 42:Memph>Nash";
    let (count, rest) = content
        .split_once(':')
        .ok_or_else(|| err(line, format!("`{content}` is not a ballot line; expected {FORM}")))?;
    let count = count.trim();
    if count.is_empty() || !count.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err(
            line,
            format!("ballot count `{count}` is not a whole number; expected {FORM}"),
        ));
    }
    let count = count
        .parse()
        .map_err(|_| err(line, format!("ballot count `{count}` is too large")))?;
    let mut ranks: Vec<Vec<(CandidateId, Option<u32>)>> = Vec::new();
    let mut rest = rest.trim_start();
    if rest.is_empty() {
        return Ok(AbifBallot { count, ranks });
    }
    let mut current = Vec::new();
    loop {
        let (tok, after) = read_token(rest, line)?;
        let c = abif.intern(&tok);
        let mut after = after.trim_start();
        let mut rating = None;
        if let Some(r) = after.strip_prefix('/') {
            let r = r.trim_start();
            let end = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
            let value = r[..end].parse().map_err(|_| {
                err(
                    line,
                    format!("the rating of `{tok}` is not a whole number; expected {tok}/5"),
                )
            })?;
            rating = Some(value);
            after = r[end..].trim_start();
        }
        current.push((c, rating));
        let mut chars = after.chars();
        match chars.next() {
            None => break,
            Some('>') => ranks.push(std::mem::take(&mut current)),
            Some('=' | ',') => {}
            Some(other) => {
                return Err(err(
                    line,
                    format!("found `{other}` after `{tok}`; expected >, =, a rating /n or the end"),
                ));
            }
        }
        rest = chars.as_str().trim_start();
    }
    ranks.push(current);
    Ok(AbifBallot { count, ranks })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_metadata_candidates_ranks_and_ratings() {
        let text =
            "{\"title\": \"T\"}\n=A:[Ann, Esq.]\n# comment\n3: A/5 > [Bob Lee]/2 = C # late\n2:C,A\n1:\n";
        let a = parse(text).unwrap();
        assert_eq!(a.meta("title"), Some("T"));
        assert_eq!(a.names, ["Ann, Esq.", "Bob Lee", "C"]);
        assert_eq!(
            a.ballots[0].ranks,
            vec![vec![(0, Some(5))], vec![(1, Some(2)), (2, None)]]
        );
        assert_eq!(a.ballots[1].ranks, vec![vec![(2, None), (0, None)]]);
        let p = a.profile();
        assert_eq!(p.ballots.to_vec()[0].ranks, vec![vec![0], vec![1, 2]]);
        assert_eq!(p.total_weight(), 6);
        assert_eq!(a.score_ballots()[0].scores, vec![(0, 5), (1, 2)]);
        assert_eq!(a.candidate("Bob Lee"), Some(1));
    }

    #[test]
    fn errors_name_the_line() {
        for (text, msg) in [
            (
                "x>y\n",
                "line 1: `x>y` is not a ballot line; expected count:A>B=C, e.g. 42:Memph>Nash",
            ),
            (
                "\n1:A>>B",
                "line 2: found `>`; expected a candidate token or [name]",
            ),
            (
                "1:A/x",
                "line 1: the rating of `A` is not a whole number; expected A/5",
            ),
            (
                "=A\n=A",
                "line 2: candidate `A` is declared twice; expected each token once",
            ),
            (
                "{title",
                "line 1: a metadata line is not closed; expected {\"key\": value}",
            ),
        ] {
            assert_eq!(parse(text).unwrap_err().to_string(), msg);
        }
    }
}
