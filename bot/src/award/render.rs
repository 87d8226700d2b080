//! How campaigns are written in rooms: results with a short round-by-round summary, the BLT
//! export, and the announcements of each step of the lifecycle. Shared by the chat commands and
//! the schedule, in the language of whoever reads it.

use std::fmt::Write as _;

use vigie_awards::blt;
use vigie_awards::campaign::rules::{BallotShape, stamp};
use vigie_awards::campaign::{Campaign, Effect, Phase, Quorum, Secrecy, Turnout};
use vigie_awards::transcript::Transcript;

use crate::command::locale::{Args, arg};
use crate::command::{Lang, Locales};

/// How many rounds a results summary shows for a category; the rest are counted.
const MAX_ROUNDS: usize = 8;
/// How many totals a round of the summary lists, highest first.
const MAX_TOTALS: usize = 6;

/// Messages in one language.
#[derive(Clone, Copy)]
pub struct Words<'a> {
    pub locales: &'a Locales,
    pub lang: Lang,
}

impl Words<'_> {
    pub fn t(&self, id: &str, args: &Args<'_>) -> String {
        self.locales.text(self.lang, id, args)
    }
}

/// The message id of a phase, as a state: "open for voting".
pub fn phase_name(w: Words<'_>, phase: Phase) -> String {
    let id = match phase {
        Phase::Draft => "award-phase-draft",
        Phase::NominationsOpen => "award-phase-nominations-open",
        Phase::NominationsClosed => "award-phase-nominations-closed",
        Phase::VotingOpen => "award-phase-voting-open",
        Phase::VotingClosed => "award-phase-voting-closed",
        Phase::Certified => "award-phase-certified",
    };
    w.t(id, &[])
}

/// `“Title” (campaign 3)`.
pub fn campaign_name(w: Words<'_>, c: &Campaign) -> String {
    w.t("award-name", &[("title", arg(c.title())), ("id", arg(c.id()))])
}

/// The quorum a campaign asks of each category, as `award show` says it.
pub fn quorum_rule(w: Words<'_>, c: &Campaign) -> String {
    let q = c.rules().quorum;
    if q == Quorum::default() {
        return w.t("award-show-quorum-none", &[]);
    }
    w.t(
        "award-show-quorum",
        &[
            ("required", q.required(c.rules().voters.roll_size()).into()),
            ("ballots", q.min_ballots.into()),
            ("percent", q.min_percent_of_roll.into()),
        ],
    )
}

/// The winners and a short round-by-round summary of every category, once voting has closed:
/// whether each met its quorum (one that did not has no result), and whether the results are
/// certified or still provisional.
pub fn results(w: Words<'_>, c: &Campaign) -> String {
    let mut out = w.t("award-results-title", &[("campaign", arg(campaign_name(w, c)))]);
    out.push('\n');
    let certified = c.history().iter().rev().find(|p| p.phase == Phase::Certified);
    match certified {
        Some(p) => out.push_str(&w.t("award-results-certified", &[("at", arg(stamp(p.at)))])),
        None => out.push_str(&w.t("award-results-provisional", &[])),
    }
    out.push('\n');
    for category in &c.rules().categories {
        out.push_str("- ");
        let method = category.method.as_ref().map_or("?", |m| m.name());
        out.push_str(&w.t(
            "award-results-category",
            &[
                ("category", arg(category.title.clone())),
                ("slug", arg(category.slug.clone())),
                ("method", arg(method)),
                ("seats", category.seats.into()),
            ],
        ));
        out.push(' ');
        let input = match c.tally_input(&category.slug) {
            Ok(input) => input,
            Err(e) => {
                out.push_str(&super::refusal::sentence(w, &e));
                out.push('\n');
                continue;
            }
        };
        if let Some((ballots, required)) = c.quorum(&category.slug)
            && required > 0
        {
            out.push_str(&w.t(
                "award-results-quorum-met",
                &[("ballots", ballots.into()), ("required", required.into())],
            ));
            out.push(' ');
        }
        if input.profile.total_weight() == 0 && input.scores.is_empty() {
            out.push_str(&w.t("award-results-no-ballots", &[]));
            out.push('\n');
            continue;
        }
        match super::count::count(&input) {
            Ok(t) => summary(w, &mut out, &t, &input.nominations),
            Err(e) => {
                out.push_str(&w.t("award-results-no-count", &[("reason", arg(e))]));
                out.push('\n');
            }
        }
    }
    if let Some(seed) = c.seed() {
        out.push_str("- ");
        out.push_str(&w.t(
            "award-results-seed",
            &[
                ("seed", arg(seed)),
                (
                    "commitment",
                    arg(c.rules().tie_commitment.clone().unwrap_or_default()),
                ),
            ],
        ));
    }
    out.trim_end().to_owned()
}

fn summary(
    w: Words<'_>,
    out: &mut String,
    t: &Transcript,
    nominations: &[vigie_awards::nomination::NominationId],
) {
    let label = |c: usize| match nominations.get(c) {
        Some(id) => format!("{} ({id})", t.name(c)),
        None => t.name(c),
    };
    let winners: Vec<String> = t.winners.iter().map(|&c| label(c)).collect();
    let winners = if winners.is_empty() {
        w.t("award-results-nobody", &[])
    } else {
        winners.join(", ")
    };
    out.push_str(&w.t("award-results-winners", &[("winners", arg(winners))]));
    out.push('\n');
    for round in t.rounds.iter().take(MAX_ROUNDS) {
        let mut totals: Vec<&(usize, String)> = round.totals.iter().collect();
        // Highest first when the totals are plain numbers; the transcript's order otherwise.
        totals.sort_by(|a, b| {
            let (x, y) = (a.1.parse::<f64>(), b.1.parse::<f64>());
            match (x, y) {
                (Ok(x), Ok(y)) => y.total_cmp(&x),
                _ => std::cmp::Ordering::Equal,
            }
        });
        let shown: Vec<String> = totals
            .iter()
            .take(MAX_TOTALS)
            .map(|(c, total)| format!("{} {total}", t.name(*c)))
            .collect();
        let _ = write!(
            out,
            "  - {}",
            w.t("award-results-round", &[("number", round.number.into())])
        );
        let _ = write!(out, " {}", round.action);
        if !shown.is_empty() {
            let _ = write!(out, " ({})", shown.join(", "));
        }
        out.push('\n');
    }
    if t.rounds.len() > MAX_ROUNDS {
        out.push_str("  - ");
        out.push_str(&w.t(
            "award-results-more-rounds",
            &[("count", (t.rounds.len() - MAX_ROUNDS).into())],
        ));
        out.push('\n');
    }
}

/// The BLT file of every category that ranks (or marks one nominee); score and approval
/// categories are named with the reason they have none.
pub fn export(w: Words<'_>, c: &Campaign) -> String {
    let mut out = w.t("award-export-title", &[("campaign", arg(campaign_name(w, c)))]);
    out.push('\n');
    for category in &c.rules().categories {
        let input = match c.tally_input(&category.slug) {
            Ok(input) => input,
            Err(e) => {
                out.push_str(&format!(
                    "`{}`: {}\n",
                    category.slug,
                    super::refusal::sentence(w, &e)
                ));
                continue;
            }
        };
        let shape = input.method.ballot_shape();
        if matches!(shape, BallotShape::Score { .. } | BallotShape::Approval { .. }) {
            out.push_str(&w.t(
                "award-export-scores",
                &[
                    ("category", arg(category.slug.clone())),
                    ("method", arg(input.method.name())),
                ],
            ));
            out.push('\n');
            continue;
        }
        out.push_str(&format!(
            "`{}.blt`\n```\n{}```\n",
            category.slug,
            blt::write(&input.profile)
        ));
    }
    out.trim_end().to_owned()
}

/// Participation in counts: voters, the roll, ballots per category and voters per region.
pub fn turnout(w: Words<'_>, c: &Campaign, turnout: &Turnout) -> String {
    let mut out = match turnout.eligible {
        Some(eligible) => w.t(
            "award-turnout-roll",
            &[
                ("campaign", arg(campaign_name(w, c))),
                ("voters", turnout.voters.into()),
                ("eligible", eligible.into()),
            ],
        ),
        None => w.t(
            "award-turnout",
            &[
                ("campaign", arg(campaign_name(w, c))),
                ("voters", turnout.voters.into()),
            ],
        ),
    };
    out.push('\n');
    for category in &c.rules().categories {
        let ballots = turnout.by_category.get(&category.slug).copied().unwrap_or(0);
        out.push_str(&format!(
            "- {}: {}\n",
            category.slug,
            w.t("award-ballots", &[("count", ballots.into())])
        ));
    }
    if !turnout.by_region.is_empty() {
        let regions: Vec<String> = turnout
            .by_region
            .iter()
            .map(|(r, n)| format!("{r} {n}"))
            .collect();
        let mut line = regions.join(", ");
        if turnout.without_region > 0 {
            let _ = write!(
                line,
                ", {}",
                w.t("award-no-region", &[("count", turnout.without_region.into())])
            );
        }
        out.push_str(&w.t("award-turnout-regions", &[("regions", arg(line))]));
    }
    out.trim_end().to_owned()
}

/// The ballot of every category as voting opens: the nominations on it, by number.
fn ballots(c: &Campaign, out: &mut String) {
    for category in &c.rules().categories {
        let names: Vec<String> = c
            .standing(&category.slug)
            .iter()
            .filter_map(|id| c.nomination(*id).map(|n| format!("{id} {}", n.nominee.name)))
            .collect();
        if names.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "- {} ({}): {}",
            category.slug,
            category.method.as_ref().map_or("?", |m| m.name()),
            names.join(" · ")
        );
    }
}

/// What a room hears about the effects of a step, one paragraph (empty when nothing is said).
pub fn announcement(
    w: Words<'_>,
    c: &Campaign,
    effects: &[Effect],
    turnout: Option<&Turnout>,
    prefix: &str,
) -> String {
    let name = campaign_name(w, c);
    let mut out = String::new();
    for effect in effects {
        match effect {
            Effect::PhaseChanged { to, .. } => {
                let line = match to {
                    Phase::NominationsOpen => w.t(
                        "award-announce-nominations-open",
                        &[
                            ("campaign", arg(name.clone())),
                            ("id", arg(c.id())),
                            ("prefix", arg(prefix)),
                        ],
                    ),
                    Phase::NominationsClosed => {
                        let standing = c.nominations().iter().filter(|n| n.is_active()).count();
                        w.t(
                            "award-announce-nominations-closed",
                            &[("campaign", arg(name.clone())), ("count", standing.into())],
                        )
                    }
                    Phase::VotingOpen => {
                        let close = c.schedule().voting_close.map_or_else(|| "none".to_owned(), stamp);
                        let mut line = w.t(
                            "award-announce-voting-open",
                            &[
                                ("campaign", arg(name.clone())),
                                ("id", arg(c.id())),
                                ("prefix", arg(prefix)),
                                ("close", arg(close)),
                                (
                                    "secret",
                                    arg(if c.rules().secrecy == Secrecy::Secret {
                                        "yes"
                                    } else {
                                        "no"
                                    }),
                                ),
                            ],
                        );
                        line.push('\n');
                        ballots(c, &mut line);
                        line
                    }
                    Phase::VotingClosed => results(w, c),
                    Phase::Certified => w.t(
                        "award-announce-certified",
                        &[
                            ("campaign", arg(name.clone())),
                            ("id", arg(c.id())),
                            ("prefix", arg(prefix)),
                        ],
                    ),
                    Phase::Draft => continue,
                };
                out.push_str(line.trim_end());
                out.push('\n');
            }
            Effect::Remind { deadline, due_at } => {
                let voters = turnout.map_or(0, |t| t.voters);
                let id = match deadline {
                    vigie_awards::campaign::Deadline::NominationsClose => "award-remind-nominations",
                    vigie_awards::campaign::Deadline::VotingClose => "award-remind-voting",
                };
                out.push_str(&w.t(
                    id,
                    &[
                        ("campaign", arg(name.clone())),
                        ("at", arg(stamp(*due_at))),
                        ("voters", voters.into()),
                        ("id", arg(c.id())),
                        ("prefix", arg(prefix)),
                    ],
                ));
                out.push('\n');
            }
            Effect::CommitmentPublished { commitment } => {
                out.push_str(&w.t(
                    "award-announce-commitment",
                    &[("commitment", arg(commitment.clone()))],
                ));
                out.push('\n');
            }
            Effect::NominationLapsed { id } => {
                out.push_str(&w.t("award-announce-lapsed", &[("id", arg(format!("{}{id}", c.id())))]));
                out.push('\n');
            }
            Effect::EmptyCategory { category } => {
                out.push_str(&w.t("award-announce-empty", &[("category", arg(category.clone()))]));
                out.push('\n');
            }
            // Said by the results, which come with it when voting closes (a category short of
            // its quorum has no result, and its line says why).
            Effect::QuorumNotMet { .. } => {}
            _ => {}
        }
    }
    out.trim_end().to_owned()
}

/// What one person who has not voted hears before voting closes.
pub fn personal_reminder(w: Words<'_>, c: &Campaign, prefix: &str) -> String {
    let close = c.schedule().voting_close.map_or_else(|| "none".to_owned(), stamp);
    w.t(
        "award-remind-personal",
        &[
            ("campaign", arg(campaign_name(w, c))),
            ("close", arg(close)),
            ("id", arg(c.id())),
            ("prefix", arg(prefix)),
        ],
    )
}

/// What one eligible person hears in their direct chat with Vigie when a secret ballot opens, or
/// when they try to vote in a shared room: where and how to vote, and the ballot of every
/// category. Nothing of anyone's ballot is in it.
pub fn personal_ballot(w: Words<'_>, c: &Campaign, prefix: &str) -> String {
    let close = c.schedule().voting_close.map_or_else(|| "none".to_owned(), stamp);
    let mut out = w.t(
        "award-direct-ballot",
        &[
            ("campaign", arg(campaign_name(w, c))),
            ("close", arg(close)),
            ("id", arg(c.id())),
            ("prefix", arg(prefix)),
        ],
    );
    out.push('\n');
    ballots(c, &mut out);
    out.trim_end().to_owned()
}
