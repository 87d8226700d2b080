//! The BLT reader against a reference: a direct, character-by-character reading of the
//! grammar (split the whole file into tokens, then parse them), written for clarity rather
//! than speed. On any input, valid or not, the two must agree: the same profile, or the same
//! error at the same line and column. The inputs are arbitrary bytes (decoded as `vigie tally`
//! decodes a file: UTF-8, else ISO-8859-1), BLT-like fragments, and well-formed files with
//! one character changed.

use proptest::prelude::*;
use vigie_awards::ballot::{Ballot, CandidateId, Profile};
use vigie_awards::blt;

mod reference {
    use super::*;

    /// A line and column (both from 1; columns count characters).
    type Pos = (usize, usize);

    #[derive(Debug, Clone, PartialEq, Eq)]
    enum Tok {
        Word(String),
        Quoted(String),
        Open,
        Close,
    }

    #[derive(Debug)]
    struct Token {
        tok: Tok,
        start: Pos,
        end: Pos,
    }

    fn err(pos: Pos, message: impl Into<String>) -> String {
        format!("line {}, column {}: {}", pos.0, pos.1, message.into())
    }

    struct Chars {
        chars: Vec<char>,
        i: usize,
        pos: Pos,
    }

    impl Chars {
        fn peek(&self) -> Option<char> {
            self.chars.get(self.i).copied()
        }

        fn bump(&mut self) -> Option<char> {
            let c = self.peek()?;
            self.i += 1;
            if c == '\n' {
                self.pos = (self.pos.0 + 1, 1);
            } else {
                self.pos.1 += 1;
            }
            Some(c)
        }
    }

    fn tokenize(text: &str) -> Result<Vec<Token>, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut cs = Chars {
            chars: text.chars().collect(),
            i: 0,
            pos: (1, 1),
        };
        let mut out = Vec::new();
        loop {
            let start = cs.pos;
            let Some(c) = cs.bump() else { break };
            let tok = match c {
                c if c.is_whitespace() => continue,
                '#' => {
                    while cs.peek().is_some_and(|c| c != '\n') {
                        cs.bump();
                    }
                    continue;
                }
                '/' if cs.peek() == Some('*') => {
                    cs.bump();
                    let mut prev = ' ';
                    loop {
                        match cs.bump() {
                            None => return Err(err(start, "a /* comment is never closed; expected */")),
                            Some('/') if prev == '*' => break,
                            Some(c) => prev = c,
                        }
                    }
                    continue;
                }
                '"' => {
                    let mut s = String::new();
                    loop {
                        match cs.bump() {
                            None => {
                                return Err(err(
                                    start,
                                    "a quoted name is never closed; expected a closing \"",
                                ));
                            }
                            Some('"') => break,
                            Some(c) => s.push(c),
                        }
                    }
                    Tok::Quoted(s)
                }
                '[' => Tok::Open,
                ']' => Tok::Close,
                '(' => {
                    let mut s = String::from('(');
                    loop {
                        match cs.peek() {
                            Some(')') => {
                                cs.bump();
                                break;
                            }
                            Some('\n') | None => {
                                return Err(err(
                                    start,
                                    "a ballot ID is never closed; expected (id) on one line",
                                ));
                            }
                            Some(c) => {
                                cs.bump();
                                s.push(c);
                            }
                        }
                    }
                    s.push(')');
                    Tok::Word(s)
                }
                c => {
                    let mut s = String::from(c);
                    while let Some(c) = cs.peek().filter(|&c| !c.is_whitespace() && !"#\"[]".contains(c)) {
                        cs.bump();
                        s.push(c);
                    }
                    Tok::Word(s)
                }
            };
            out.push(Token {
                tok,
                start,
                end: cs.pos,
            });
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

    struct Parser {
        tokens: std::iter::Peekable<std::vec::IntoIter<Token>>,
        last_end: Pos,
        ncand: usize,
        nicks: Vec<String>,
    }

    impl Parser {
        fn next(&mut self, expected: &str) -> Result<Token, String> {
            let t = self.tokens.next().ok_or_else(|| {
                err(
                    self.last_end,
                    format!("the file ends too early; expected {expected}"),
                )
            })?;
            self.last_end = t.end;
            Ok(t)
        }

        fn number(&mut self, expected: &str) -> Result<(u64, Pos), String> {
            let t = self.next(expected)?;
            match &t.tok {
                Tok::Word(w) if w.bytes().all(|b| b.is_ascii_digit()) => w
                    .parse()
                    .map(|n| (n, t.start))
                    .map_err(|_| err(t.start, format!("`{w}` is too large; expected {expected}"))),
                other => Err(err(
                    t.start,
                    format!("found {}; expected {expected}", show(other)),
                )),
            }
        }

        fn candidate(&self, word: &str, pos: Pos) -> Result<CandidateId, String> {
            if let Some(i) = self.nicks.iter().position(|n| n == word) {
                return Ok(i);
            }
            match word.parse::<usize>() {
                Ok(n) if (1..=self.ncand).contains(&n) => Ok(n - 1),
                _ => Err(err(
                    pos,
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

        fn option(&mut self, profile: &mut Profile, at: Pos) -> Result<(), String> {
            const FORM: &str = "[nick …], [tie …], [withdrawn …] or [droop …]";
            let name = match self.next(FORM)?.tok {
                Tok::Word(w) => w,
                other => {
                    return Err(err(
                        at,
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
                        return Err(err(
                            t.start,
                            format!("found {} inside [{name}]; expected words and `]`", show(&other)),
                        ));
                    }
                }
            }
            match name.as_str() {
                "nick" => {
                    if args.len() != self.ncand {
                        return Err(err(
                            at,
                            format!(
                                "[nick] gives {} nicknames; expected one for each of the {} candidates",
                                args.len(),
                                self.ncand
                            ),
                        ));
                    }
                    if let Some(d) = args.iter().enumerate().find(|(i, a)| args[..*i].contains(a)) {
                        return Err(err(
                            at,
                            format!("nickname `{}` is used twice; expected distinct nicknames", d.1),
                        ));
                    }
                    self.nicks = args;
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
                        return Err(err(at, "[tie] must list each candidate exactly once"));
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
                other => return Err(err(at, format!("unknown option [{other}]; expected {FORM}"))),
            }
            Ok(())
        }

        fn ballot(&mut self, first: Token) -> Result<Ballot, String> {
            const FORM: &str = "a ballot \"<weight> <c1> <c2> … 0\"";
            let weight = match first.tok {
                Tok::Word(w) if w.starts_with('(') => {
                    let (weight, at) = self.number("the weight 1 after a ballot ID")?;
                    if weight != 1 {
                        return Err(err(
                            at,
                            "a ballot with an ID has weight 1; expected \"(id) 1 <c1> … 0\"",
                        ));
                    }
                    weight
                }
                Tok::Word(w) if w.bytes().all(|b| b.is_ascii_digit()) => w
                    .parse()
                    .map_err(|_| err(first.start, format!("weight `{w}` is too large; expected {FORM}")))?,
                other => {
                    return Err(err(
                        first.start,
                        format!("found {}; expected {FORM} or 0", show(&other)),
                    ));
                }
            };
            let mut ranks = Vec::new();
            loop {
                let t = self.next("the 0 that ends a ballot")?;
                let word = match t.tok {
                    Tok::Word(w) => w,
                    other => {
                        return Err(err(
                            t.start,
                            format!("found {} in a ballot; expected candidates then 0", show(&other)),
                        ));
                    }
                };
                if word == "0" {
                    break;
                }
                if word == "-" {
                    ranks.push(Vec::new());
                    continue;
                }
                let mut rank = Vec::new();
                let mut column = t.start.1;
                for part in word.split('=') {
                    rank.push(self.candidate(part, (t.start.0, column))?);
                    column += part.chars().count() + 1;
                }
                ranks.push(rank);
            }
            Ok(Ballot { weight, ranks })
        }

        fn quoted(&mut self, expected: &str) -> Result<String, String> {
            let t = self.next(expected)?;
            match t.tok {
                Tok::Quoted(s) => Ok(s.split_whitespace().collect::<Vec<_>>().join(" ")),
                other => Err(err(
                    t.start,
                    format!("found {}; expected {expected}", show(&other)),
                )),
            }
        }
    }

    pub fn parse(text: &str) -> Result<Profile, String> {
        let tokens = tokenize(text)?;
        let mut p = Parser {
            tokens: tokens.into_iter().peekable(),
            last_end: (1, 1),
            ncand: 0,
            nicks: Vec::new(),
        };
        let (ncand, at) = p.number("the number of candidates")?;
        if ncand == 0 {
            return Err(err(at, "the file declares 0 candidates; expected at least 1"));
        }
        let (seats, at) = p.number("the number of seats after the number of candidates")?;
        if seats == 0 {
            return Err(err(at, "the file declares 0 seats; expected at least 1"));
        }
        p.ncand = usize::try_from(ncand).map_err(|_| err(at, "too large"))?;
        let mut profile = Profile::new(
            "",
            Vec::new(),
            usize::try_from(seats).map_err(|_| err(at, "too large"))?,
        );
        let mut ballots = Vec::new();
        let first = loop {
            let t = p.next("a ballot or the 0 that ends the ballots")?;
            match &t.tok {
                Tok::Open => p.option(&mut profile, t.start)?,
                Tok::Word(w) if w.len() > 1 && w.starts_with('-') => {
                    let c = p.candidate(&w[1..], t.start).map_err(|_| {
                        err(
                            t.start,
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
                ballots.push(ballot);
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
        profile.ballots = ballots.into();
        Ok(profile)
    }
}

/// What `vigie tally` reads a file as: UTF-8, else ISO-8859-1.
fn decode(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => e.into_bytes().iter().map(|&b| char::from(b)).collect(),
    }
}

fn agree(text: &str) -> Result<(), TestCaseError> {
    let ours = blt::parse(text).map_err(|e| e.to_string());
    let theirs = reference::parse(text);
    if let Err(e) = &ours {
        prop_assert!(!e.contains('\n'), "one sentence: {e}");
    }
    prop_assert_eq!(ours, theirs, "{:?}", text);
    Ok(())
}

/// Pieces of BLT and of things that break it.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[0-4]{1,2}".prop_map(|s| s),
        3 => Just(" ".to_string()),
        2 => Just("\n".to_string()),
        1 => prop::sample::select(vec![
            "-", "=", "1=2", "2=", "-1", "-2", "+1", "00", "0", "\"", "\"A  b\"", "#x\n", "/*", "*/",
            "/* c */", "[", "]", "[nick a b c]", "[tie 2 1 3]", "[withdrawn 2]", "[droop x]", "[foo]",
            "(", ")", "(id)", "(id 7) 1", "a", "b", "c", "é", "\u{a0}", "\u{85}", "\u{3000}", "\r\n",
            "\t", "\u{feff}", "99999999999999999999", "18446744073709551616", "\"\n\"",
        ])
        .prop_map(String::from),
    ]
}

/// A well-formed file of up to 4 candidates, sometimes with nicknames and options.
fn well_formed() -> impl Strategy<Value = String> {
    (1usize..5).prop_flat_map(|n| {
        let rank = prop::collection::vec(1..=n, 0..3);
        let ballot = (0u64..4, prop::collection::vec(rank, 0..=n + 1), any::<bool>());
        (
            Just(n),
            1..=n,
            any::<bool>(),
            prop::collection::vec(ballot, 0..6),
            prop::option::of(1..=n),
        )
            .prop_map(|(n, seats, nicks, ballots, withdrawn)| {
                let nick = |c: usize| {
                    if nicks { format!("n{c}") } else { c.to_string() }
                };
                let mut text = format!("{n} {seats}\n");
                if nicks {
                    let all: Vec<String> = (1..=n).map(nick).collect();
                    text += &format!("[nick {}]\n", all.join(" "));
                }
                if let Some(w) = withdrawn {
                    text += &format!("-{w}\n");
                }
                for (weight, ranks, id) in ballots {
                    text += &if id {
                        "(b) 1".to_string()
                    } else {
                        weight.to_string()
                    };
                    for rank in ranks {
                        let marks: Vec<String> = rank.iter().map(|&c| nick(c)).collect();
                        text += " ";
                        text += &if marks.is_empty() {
                            "-".to_string()
                        } else {
                            marks.join("=")
                        };
                    }
                    text += " 0\n";
                }
                text += "0\n";
                for c in 1..=n {
                    text += &format!("\"Cand  {c}\"\n");
                }
                text + "\"Title\" \"source\"\n# end\n"
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn the_reader_agrees_with_the_reference_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..120)) {
        agree(&decode(bytes))?;
    }

    #[test]
    fn the_reader_agrees_with_the_reference_on_blt_fragments(parts in prop::collection::vec(fragment(), 0..40)) {
        agree(&parts.concat())?;
    }

    #[test]
    fn the_reader_agrees_with_the_reference_on_files_with_one_change(
        text in well_formed(),
        at in any::<prop::sample::Index>(),
        change in prop_oneof![Just(None), any::<char>().prop_map(Some), fragment().prop_map(|f| f.chars().next())],
    ) {
        agree(&text)?;
        let mut chars: Vec<char> = text.chars().collect();
        let i = at.index(chars.len());
        match change {
            None => {
                chars.remove(i);
            }
            Some(c) => chars.insert(i, c),
        }
        agree(&chars.into_iter().collect::<String>())?;
    }
}

#[test]
fn well_formed_files_read_back_with_their_ballots() {
    let text = "3 2\n[nick a b c]\n-c\n2 a b=c - 0\n(x) 1 +2 0\n00 c 0\n1 - 0\n0\n\"A\" \"B\" \"C\" \"T\"\n";
    let p = blt::parse(text).unwrap();
    assert_eq!(
        p.ballots.to_vec(),
        vec![
            Ballot {
                weight: 2,
                ranks: vec![vec![0], vec![1, 2], vec![]]
            },
            Ballot::ranking(1, &[1]),
            Ballot::ranking(0, &[2]),
        ]
    );
    assert_eq!(p.withdrawn, vec![2]);
    assert_eq!(Ok(p), reference::parse(text));
}
