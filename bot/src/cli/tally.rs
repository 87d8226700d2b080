//! `vigie tally FILE --method …`: an offline recount. Any BLT or ABIF ballot file is counted by
//! one of the awards crate's methods and printed with its winners and round-by-round transcript
//! (or the transcript as JSON), so that anyone can audit a result without the bot, its database
//! or its configuration. `--export-blt OUT` also converts an ABIF file to BLT.
//!
//! `--timings` prints on stderr how long reading, parsing and counting took, so that a
//! recount of a large file can be measured step by step.
//!
//! Every refusal is one sentence naming the problem and the expected form, on stderr, with exit
//! code 2: an unreadable or malformed file (located by line, and column for BLT), an option that
//! does not apply to the method asked for, or a method the ballots cannot feed (scores asked of a
//! ranked file).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::ValueEnum;
use vigie_awards::abif;
use vigie_awards::ballot::{CandidateId, Profile, ScoreBallot};
use vigie_awards::blt;
use vigie_awards::method::borda::{self, BordaOptions, Truncation};
use vigie_awards::method::irv::{self, IrvOptions, OvervoteRule};
use vigie_awards::method::pairwise::Strength;
use vigie_awards::method::ranked_pairs::{self, RankedPairsOptions};
use vigie_awards::method::schulze::{self, SchulzeOptions};
use vigie_awards::method::score::{self, ScoreOptions};
use vigie_awards::method::stv::{meek, scottish};
use vigie_awards::method::{approval, plurality};
use vigie_awards::tie::TieBreak;
use vigie_awards::transcript::Transcript;

/// The counting method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Method {
    /// First preferences; the `--seats` highest win.
    Plurality,
    /// Approvals (rated ballots: a rating above 0 approves); the `--seats` highest win.
    Approval,
    /// Sum of ratings; the `--seats` highest win.
    Score,
    /// Borda points (see --borda-truncation).
    Borda,
    /// Instant-runoff: one winner (see --overvote, --max-skipped).
    Irv,
    /// Single transferable vote for `--seats` seats (see --stv-rule).
    Stv,
    /// Schulze (unranked candidates ranked jointly last).
    Schulze,
    /// Ranked pairs (Tideman).
    RankedPairs,
}

impl Method {
    fn name(self) -> &'static str {
        match self {
            Self::Plurality => "plurality",
            Self::Approval => "approval",
            Self::Score => "score",
            Self::Borda => "borda",
            Self::Irv => "irv",
            Self::Stv => "stv",
            Self::Schulze => "schulze",
            Self::RankedPairs => "ranked-pairs",
        }
    }
}

/// The STV rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StvRule {
    /// The Scottish local-government rules (SSI 2007/42: weighted inclusive Gregory, 5 places).
    Scottish,
    /// Meek, the PR Foundation reference rule (9 places, omega 10^-6).
    Meek,
}

/// What IRV does with a rank naming several candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Overvote {
    /// The ballot is exhausted when the count reaches that rank.
    Exhaust,
    /// The rank is passed over as if it were blank.
    Skip,
    /// Exhausted only if the rank names two or more continuing candidates (Burlington).
    ExhaustIfMultiple,
}

/// How Borda scores candidates a ballot leaves unranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BordaTruncation {
    /// Unranked candidates score 0.
    Zero,
    /// Unranked candidates share the average of the points left.
    Average,
    /// Modified Borda: the top score is the number of candidates ranked.
    Modified,
}

/// How strong a pairwise defeat is (Schulze and ranked pairs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StrengthArg {
    /// The votes for the winner of the pair.
    WinningVotes,
    /// The votes for the winner minus the votes for the loser.
    Margins,
    /// The votes for the winner divided by the votes for the loser.
    Ratio,
}

/// The ballot file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// ERS / OpenSTV / Droop ballot file.
    Blt,
    /// Aggregated Ballot Information Format (abiftool).
    Abif,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Self::Blt => "BLT",
            Self::Abif => "ABIF",
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The ballot file: BLT, or ABIF (told apart by the extension .blt / .abif, else by content).
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The counting method. Required unless --export-blt is given.
    #[arg(long, value_enum, required_unless_present = "export_blt")]
    method: Option<Method>,
    /// Seats to fill (default: the BLT header's; 1 for ABIF).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    seats: Option<u64>,
    /// Read the file as this format instead of guessing.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// The STV rules [default: scottish].
    #[arg(long, value_enum)]
    stv_rule: Option<StvRule>,
    /// Break ties by the permutation derived from this seed (SHA-256(seed ‖ election id ‖ i)),
    /// and print the seed's SHA-256 commitment.
    #[arg(long, value_name = "TEXT", conflicts_with = "tie_order")]
    seed: Option<String>,
    /// The election id mixed into the seeded permutation [default: the file's title].
    #[arg(long, value_name = "ID", requires = "seed")]
    election_id: Option<String>,
    /// Break ties by this order, earliest loses: names, ABIF tokens or 1-based numbers separated
    /// by `<` ("Cherry < Banana < Apple") [default: the BLT [tie] option, else candidate order].
    #[arg(long, value_name = "A < B < …")]
    tie_order: Option<String>,
    /// IRV: what a rank naming several candidates does [default: exhaust].
    #[arg(long, value_enum)]
    overvote: Option<Overvote>,
    /// IRV: consecutive skipped ranks allowed before a ballot is exhausted [default: no limit].
    #[arg(long, value_name = "N")]
    max_skipped: Option<usize>,
    /// IRV: exclude together every bottom candidate who cannot catch up (RCTab).
    #[arg(long)]
    batch_elimination: bool,
    /// Borda: how unranked candidates score [default: zero].
    #[arg(long, value_enum)]
    borda_truncation: Option<BordaTruncation>,
    /// Borda: rank r scores n − r (last place 0) instead of n − r + 1.
    #[arg(long)]
    borda_start_at_zero: bool,
    /// Schulze and ranked pairs: how strong a defeat is [default: winning-votes].
    #[arg(long, value_enum)]
    strength: Option<StrengthArg>,
    /// Write the ballots as a BLT file here (an ABIF file is converted).
    #[arg(long, value_name = "OUT")]
    export_blt: Option<PathBuf>,
    /// Print the transcript as JSON instead of text.
    #[arg(long)]
    json: bool,
    /// Print on stderr how long reading the file, parsing it, counting and writing the result
    /// took.
    #[arg(long)]
    timings: bool,
}

/// Seconds spent on each step of a recount.
#[derive(Debug, Default)]
struct Timings {
    read: f64,
    parse: f64,
    count: f64,
    write: f64,
}

impl Timings {
    fn line(&self) -> String {
        format!(
            "timings: read {:.3} s, parse {:.3} s, count {:.3} s, write {:.3} s, total {:.3} s",
            self.read,
            self.parse,
            self.count,
            self.write,
            self.read + self.parse + self.count + self.write
        )
    }
}

/// The seconds since `*since`, which moves on to now.
fn lap(since: &mut Instant) -> f64 {
    let now = Instant::now();
    let secs = now.duration_since(*since).as_secs_f64();
    *since = now;
    secs
}

/// A refusal: one sentence, and the exit code that goes with it.
struct Refusal {
    message: String,
    code: u8,
}

impl Refusal {
    /// Bad input (the file, the options): exit code 2.
    fn input(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: 2,
        }
    }
}

/// Runs `vigie tally`: prints the result on stdout, or one sentence on stderr.
pub fn run(args: &Args) -> ExitCode {
    let mut timings = Timings::default();
    match tally(args, &mut timings) {
        Ok(out) => {
            print!("{out}");
            if args.timings {
                eprintln!("{}", timings.line());
            }
            ExitCode::SUCCESS
        }
        Err(refusal) => {
            eprintln!("error: {}", refusal.message);
            ExitCode::from(refusal.code)
        }
    }
}

/// The ballots of a file, as the methods take them.
struct Ballots {
    format: Format,
    profile: Profile,
    /// The rated ballots, when an ABIF file gives ratings.
    scores: Option<Vec<ScoreBallot>>,
    /// ABIF `min_rating` and `max_rating`, when declared.
    range: (Option<u32>, Option<u32>),
    /// ABIF tokens, for --tie-order.
    tokens: Vec<String>,
}

fn tally(args: &Args, timings: &mut Timings) -> Result<String, Refusal> {
    check_options(args)?;
    let path = args.file.display().to_string();
    let mut ballots = read(&args.file, args.format, timings)?;
    if let Some(seats) = args.seats {
        ballots.profile.seats = usize::try_from(seats).unwrap_or(usize::MAX);
    }
    let mut out = String::new();
    if let Some(target) = &args.export_blt {
        let wrote = export(&ballots, &path, target)?;
        if args.json && args.method.is_some() {
            // stdout is the JSON transcript alone.
            eprint!("{wrote}");
        } else {
            out.push_str(&wrote);
        }
    }
    let Some(method) = args.method else {
        return Ok(out);
    };
    let mut clock = Instant::now();
    let transcript = count(method, args, &ballots, &path)?;
    timings.count = lap(&mut clock);
    if args.json {
        let json = serde_json::to_string_pretty(&transcript)
            .map_err(|e| Refusal::input(format!("the transcript cannot be written as JSON: {e}")))?;
        out.push_str(&json);
        out.push('\n');
    } else {
        let p = &ballots.profile;
        let cast = match (&ballots.scores, method) {
            (Some(scores), Method::Approval | Method::Score) => {
                scores.iter().fold(0u64, |s, b| s.saturating_add(b.weight))
            }
            _ => p.total_weight(),
        };
        let title = if p.title.is_empty() {
            String::new()
        } else {
            format!(" \"{}\",", p.title)
        };
        out.push_str(&format!(
            "Recount of {path} ({}):{title} {cast} ballots, {} candidates.\n",
            ballots.format.name(),
            p.candidates.len()
        ));
        out.push_str(&transcript.to_text());
    }
    timings.write = lap(&mut clock);
    Ok(out)
}

/// Refuses options that do not apply to the method asked for, so that nobody believes an
/// option changed a count it never touched.
fn check_options(args: &Args) -> Result<(), Refusal> {
    let method = args.method;
    let only = |given: bool, option: &str, methods: &[Method]| -> Result<(), Refusal> {
        if !given || method.is_some_and(|m| methods.contains(&m)) {
            return Ok(());
        }
        let names: Vec<String> = methods.iter().map(|m| format!("--method {}", m.name())).collect();
        let names = names.join(" or ");
        Err(Refusal::input(match method {
            Some(m) => format!(
                "{option} applies to {names} only, not to --method {}; drop it or count with {names}",
                m.name()
            ),
            None => format!("{option} applies to a count by {names}; add {names} or drop it"),
        }))
    };
    only(args.stv_rule.is_some(), "--stv-rule", &[Method::Stv])?;
    only(args.overvote.is_some(), "--overvote", &[Method::Irv])?;
    only(args.max_skipped.is_some(), "--max-skipped", &[Method::Irv])?;
    only(args.batch_elimination, "--batch-elimination", &[Method::Irv])?;
    only(
        args.borda_truncation.is_some(),
        "--borda-truncation",
        &[Method::Borda],
    )?;
    only(
        args.borda_start_at_zero,
        "--borda-start-at-zero",
        &[Method::Borda],
    )?;
    only(
        args.strength.is_some(),
        "--strength",
        &[Method::Schulze, Method::RankedPairs],
    )?;
    if method == Some(Method::Irv) && args.seats.is_some_and(|s| s > 1) {
        return Err(Refusal::input(format!(
            "--method irv elects one candidate, not {}; drop --seats or count several seats with --method stv",
            args.seats.unwrap_or(1)
        )));
    }
    Ok(())
}

/// Reads the file as BLT or ABIF. A file that is not UTF-8 is read as ISO-8859-1 (older
/// tally sheets are), which any byte sequence is.
fn read(file: &Path, format: Option<Format>, timings: &mut Timings) -> Result<Ballots, Refusal> {
    let path = file.display();
    let mut clock = Instant::now();
    let bytes = std::fs::read(file).map_err(|e| {
        Refusal::input(format!(
            "cannot read {path}: {e}; expected a readable BLT or ABIF ballot file"
        ))
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => e.into_bytes().iter().map(|&b| char::from(b)).collect(),
    };
    let format = format.unwrap_or_else(|| guess_format(file, &text));
    timings.read = lap(&mut clock);
    let ballots = match format {
        Format::Blt => {
            let profile =
                blt::parse(&text).map_err(|e| Refusal::input(format!("{path} (read as BLT), {e}")))?;
            Ok(Ballots {
                format,
                profile,
                scores: None,
                range: (None, None),
                tokens: Vec::new(),
            })
        }
        Format::Abif => {
            let a = abif::parse(&text).map_err(|e| Refusal::input(format!("{path} (read as ABIF), {e}")))?;
            let rated = a
                .ballots
                .iter()
                .flat_map(|b| b.ranks.iter().flatten())
                .any(|(_, r)| r.is_some());
            let rating = |key: &str| -> Result<Option<u32>, Refusal> {
                a.meta(key)
                    .map(|v| {
                        v.trim().parse().map_err(|_| {
                            Refusal::input(format!(
                                "{path}: the metadata {key} is \"{v}\"; expected a whole number such as {{\"{key}\": 5}}"
                            ))
                        })
                    })
                    .transpose()
            };
            let range = (rating("min_rating")?, rating("max_rating")?);
            Ok(Ballots {
                format,
                profile: a.profile(),
                scores: rated.then(|| a.score_ballots()),
                range,
                tokens: a.tokens.clone(),
            })
        }
    };
    timings.parse = lap(&mut clock);
    ballots
}

/// `.blt` and `.abif` say what they are; otherwise a file whose first line (comments aside)
/// is metadata `{…}`, a declaration `=…` or a ballot `count:…` is ABIF, and anything else BLT.
fn guess_format(file: &Path, text: &str) -> Format {
    match file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("blt") => return Format::Blt,
        Some("abif") => return Format::Abif,
        _ => {}
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .find(|l| !l.is_empty())
        .unwrap_or("");
    if first.starts_with('{') || first.starts_with('=') || first.contains(':') {
        Format::Abif
    } else {
        Format::Blt
    }
}

/// Writes the ballots as BLT. Ratings cannot be written in BLT, so a rated file is refused
/// rather than silently reduced to its ranks.
fn export(ballots: &Ballots, path: &str, target: &Path) -> Result<String, Refusal> {
    if ballots.scores.is_some() {
        return Err(Refusal::input(format!(
            "{path} carries ratings (A/5), which BLT cannot hold; expected a ranked ABIF file for --export-blt"
        )));
    }
    let text = blt::write(&ballots.profile);
    std::fs::write(target, &text).map_err(|e| Refusal {
        message: format!("{} cannot be written ({e})", target.display()),
        code: 1,
    })?;
    let p = &ballots.profile;
    Ok(format!(
        "Wrote {}: {} ballots ({} lines), {} candidates, {} seats.\n",
        target.display(),
        p.total_weight(),
        p.ballots.iter().filter(|b| b.weight > 0).count(),
        p.candidates.len(),
        p.seats
    ))
}

/// The tie-break and the notes that publish it.
fn tie_break(args: &Args, ballots: &Ballots, path: &str) -> Result<(TieBreak, Vec<String>), Refusal> {
    let p = &ballots.profile;
    let n = p.candidates.len();
    if let Some(seed) = &args.seed {
        let id = args.election_id.clone().unwrap_or_else(|| p.title.clone());
        let tie = TieBreak::from_seed(seed.as_bytes(), &id, n);
        let note = format!(
            "Tie-break seed commitment: SHA-256(seed) = {}; permutation from SHA-256(seed ‖ \"{id}\" ‖ candidate index).",
            TieBreak::commitment(seed.as_bytes())
        );
        return Ok((tie, vec![note]));
    }
    if let Some(order) = &args.tie_order {
        let order = parse_order(order, ballots)?;
        return Ok((
            TieBreak::from_order(order),
            vec!["Tie-break order given by --tie-order.".into()],
        ));
    }
    if let Some(order) = &p.tie_order {
        let note = format!("Tie-break order from the [tie] option of {path}.");
        return Ok((TieBreak::from_order(order.clone()), vec![note]));
    }
    Ok((TieBreak::candidate_order(n), Vec::new()))
}

/// `A < B < C`: names (whitespace collapsed), ABIF tokens or 1-based numbers, each once.
fn parse_order(text: &str, ballots: &Ballots) -> Result<Vec<CandidateId>, Refusal> {
    let p = &ballots.profile;
    let collapse = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut order = Vec::new();
    for part in text.split('<') {
        let want = collapse(part);
        let found = p
            .candidates
            .iter()
            .position(|c| collapse(c) == want)
            .or_else(|| ballots.tokens.iter().position(|t| *t == want))
            .or_else(|| {
                want.parse::<usize>()
                    .ok()
                    .filter(|i| (1..=p.candidates.len()).contains(i))
                    .map(|i| i - 1)
            });
        let Some(c) = found else {
            return Err(Refusal::input(format!(
                "--tie-order names \"{want}\", which is not a candidate; expected names or numbers 1 to {} separated by <",
                p.candidates.len()
            )));
        };
        if order.contains(&c) {
            return Err(Refusal::input(format!(
                "--tie-order names \"{want}\" twice; expected each candidate at most once"
            )));
        }
        order.push(c);
    }
    Ok(order)
}

fn count(method: Method, args: &Args, ballots: &Ballots, path: &str) -> Result<Transcript, Refusal> {
    let (tie, tie_notes) = tie_break(args, ballots, path)?;
    let p = &ballots.profile;
    let rated = || {
        ballots.scores.as_deref().ok_or_else(|| {
            Refusal::input(format!(
                "--method {} needs rated ballots (ABIF \"count:A/5,B/0\"), but {path} holds rankings only; \
                 count it with plurality, borda, irv, stv, schulze or ranked-pairs",
                method.name()
            ))
        })
    };
    let strength = match args.strength {
        None | Some(StrengthArg::WinningVotes) => Strength::WinningVotes,
        Some(StrengthArg::Margins) => Strength::Margins,
        Some(StrengthArg::Ratio) => Strength::Ratio,
    };
    let result = match method {
        Method::Plurality => plurality::count(p, p.seats, &tie),
        Method::Approval => approval::count(rated()?, &p.candidates, p.seats, &tie),
        Method::Score => {
            let options = ScoreOptions {
                min: ballots.range.0.unwrap_or(0),
                max: ballots.range.1,
                ..ScoreOptions::default()
            };
            score::count(rated()?, &p.candidates, p.seats, &options, &tie)
        }
        Method::Borda => {
            let truncation = match args.borda_truncation {
                None | Some(BordaTruncation::Zero) => Truncation::Zero,
                Some(BordaTruncation::Average) => Truncation::Average,
                Some(BordaTruncation::Modified) => Truncation::Modified,
            };
            let options = BordaOptions {
                truncation,
                start_at_zero: args.borda_start_at_zero,
            };
            borda::count(p, &options, &tie)
        }
        Method::Irv => {
            let overvote = match args.overvote {
                None | Some(Overvote::Exhaust) => OvervoteRule::Exhaust,
                Some(Overvote::Skip) => OvervoteRule::Skip,
                Some(Overvote::ExhaustIfMultiple) => OvervoteRule::ExhaustIfMultipleContinuing,
            };
            let options = IrvOptions {
                overvote,
                max_skipped_ranks: args.max_skipped,
                batch_elimination: args.batch_elimination,
                ..IrvOptions::default()
            };
            irv::count(p, &options, &tie)
        }
        Method::Stv => match args.stv_rule.unwrap_or(StvRule::Scottish) {
            StvRule::Scottish => scottish::count(p, &tie),
            StvRule::Meek => meek::count(p, &meek::MeekOptions::default(), &tie),
        },
        Method::Schulze => schulze::count(p, SchulzeOptions { strength }, &tie),
        Method::RankedPairs => ranked_pairs::count(p, RankedPairsOptions { strength }, &tie),
    };
    let mut t =
        result.map_err(|e| Refusal::input(format!("{path} cannot be counted by {}: {e}", method.name())))?;
    let described = tie.describe(&p.candidates);
    let mut notes = tie_notes;
    if !t.notes.contains(&described) {
        notes.push(described);
    }
    t.notes.splice(0..0, notes);
    Ok(t)
}
