//! The chart that goes with a campaign's results: one bar per nominee on a category's ballot,
//! the elected in their own colour, drawn by [`crate::chart`].
//!
//! What a bar measures depends on the category's method, and the chart's note says it:
//!
//! - plurality, approval, score and Borda: the count's totals (votes, approvals, points);
//! - STAR: the scores of its scoring round (its runoff compares two finalists only);
//! - instant-runoff and STV: the votes of the last round; a nominee excluded before it shows
//!   the votes it had when it was excluded;
//! - Schulze and ranked pairs: how many of the other nominees each beats head to head (more
//!   voters rank it above them than the reverse), from the same pairwise matrix the count uses.
//!
//! Bars come highest first within a category. With several categories, each category's bars are
//! scaled to its own highest value (values of different methods are not comparable), and every
//! label starts with the category.

use std::fmt::Write as _;

use vigie_awards::campaign::{Campaign, Method, TallyInput};
use vigie_awards::method::pairwise;
use vigie_awards::transcript::Transcript;

use super::render::{Words, campaign_name};
use crate::chart::{Bar, MAX_BARS, results_png};
use crate::chat::Image;
use crate::command::locale::arg;

/// What the bars of a method measure: the message that names it in the chart's note.
fn measure_id(method: &Method) -> &'static str {
    match method {
        Method::Plurality => "award-chart-votes",
        Method::Approval { .. } => "award-chart-approvals",
        Method::Score { .. } | Method::Star { .. } => "award-chart-scores",
        Method::Borda { .. } => "award-chart-points",
        Method::Irv { .. } | Method::StvScottish | Method::StvMeek => "award-chart-last-round",
        Method::Schulze { .. } | Method::RankedPairs { .. } => "award-chart-wins",
    }
}

/// A total as written by a transcript (`12`, `6.00000`, `7/3`) as a number.
fn number(total: &str) -> Option<f64> {
    let total = total.trim();
    match total.split_once('/') {
        Some((n, d)) => {
            let (n, d) = (n.trim().parse::<f64>().ok()?, d.trim().parse::<f64>().ok()?);
            (d != 0.0).then(|| n / d)
        }
        None => total.parse().ok(),
    }
    .filter(|v: &f64| v.is_finite())
}

/// One nominee's bar before it is labelled: candidate, value, value as written.
struct Value {
    candidate: usize,
    value: f64,
    shown: String,
}

/// The value of each candidate still standing in a counted category.
fn values(w: Words<'_>, input: &TallyInput, t: &Transcript) -> Vec<Value> {
    let standing: Vec<usize> = (0..input.profile.candidates.len())
        .filter(|c| !input.profile.withdrawn.contains(c))
        .collect();
    match &input.method {
        Method::Schulze { .. } | Method::RankedPairs { .. } => {
            let Ok(matrix) = pairwise::matrix(&input.profile) else {
                return Vec::new();
            };
            standing
                .iter()
                .map(|&c| {
                    let wins = standing.iter().filter(|&&o| o != c && matrix.beats(c, o)).count();
                    Value {
                        candidate: c,
                        value: wins as f64,
                        shown: w.t("award-chart-wins-value", &[("count", wins.into())]),
                    }
                })
                .collect()
        }
        method => {
            // STAR's first round scores everyone; otherwise the latest round that lists them.
            let rounds: Vec<_> = if matches!(method, Method::Star { .. }) {
                t.rounds.iter().take(1).collect()
            } else {
                t.rounds.iter().rev().collect()
            };
            standing
                .iter()
                .filter_map(|&c| {
                    let total = rounds
                        .iter()
                        .find_map(|r| r.totals.iter().find(|(x, _)| *x == c).map(|(_, t)| t))?;
                    Some(Value {
                        candidate: c,
                        value: number(total).unwrap_or(0.0),
                        shown: total.clone(),
                    })
                })
                .collect()
        }
    }
}

/// The chart of a closed campaign's results, or `None` when no category has a count to show
/// (no ballots, quorum not met) or the picture cannot be drawn (said in the logs: the text of
/// the results is whole without it).
pub fn results_chart(w: Words<'_>, c: &Campaign) -> Option<Image> {
    let categories = &c.rules().categories;
    let several = categories.len() > 1;
    let mut bars = Vec::new();
    let mut notes = Vec::new();
    for category in categories {
        let Ok(input) = c.tally_input(&category.slug) else {
            continue;
        };
        if input.profile.total_weight() == 0 && input.scores.is_empty() {
            continue;
        }
        let Ok(t) = super::count::count(&input) else {
            continue;
        };
        let mut values = values(w, &input, &t);
        // Highest first (a stable sort: equal values keep the ballot's order).
        values.sort_by(|a, b| b.value.total_cmp(&a.value));
        let highest = values.iter().map(|v| v.value).fold(0.0_f64, f64::max);
        for v in values {
            let nominee = match input.nominations.get(v.candidate) {
                Some(id) => format!("{} ({id})", t.name(v.candidate)),
                None => t.name(v.candidate),
            };
            bars.push(Bar {
                label: if several {
                    format!("{}: {nominee}", category.slug)
                } else {
                    nominee
                },
                // Each category on its own scale when there are several.
                value: if several && highest > 0.0 {
                    v.value / highest
                } else {
                    v.value
                },
                shown: v.shown,
                elected: t.winners.contains(&v.candidate),
            });
        }
        let measure = w.t(measure_id(&input.method), &[]);
        notes.push(if several {
            format!("{}: {} · {measure}", category.slug, input.method.name())
        } else {
            format!("{} · {measure}", input.method.name())
        });
    }
    if bars.is_empty() {
        return None;
    }
    bars.truncate(MAX_BARS);
    let title = w.t("award-chart-title", &[("campaign", arg(campaign_name(w, c)))]);
    let note = notes.join("; ");
    let png = match results_png(&title, &note, &bars) {
        Ok(png) => png,
        Err(e) => {
            tracing::warn!(
                campaign = c.id(),
                error = format!("{e:#}"),
                "the results chart could not be drawn"
            );
            return None;
        }
    };
    let mut alt = format!("{title} ({note}): ");
    for (i, bar) in bars.iter().enumerate() {
        if i > 0 {
            alt.push_str("; ");
        }
        let _ = write!(alt, "{} {}", bar.label, bar.shown);
        if bar.elected {
            let _ = write!(alt, ", {}", w.t("award-chart-elected", &[]));
        }
    }
    Some(Image {
        name: format!("results-{}.png", c.id()),
        png,
        alt,
    })
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn totals_read_as_numbers_whatever_their_form() {
        assert_eq!(number("12"), Some(12.0));
        assert_eq!(number(" 6.00000 "), Some(6.0));
        assert_eq!(number("7/2"), Some(3.5));
        assert_eq!(number("1/0"), None);
        assert_eq!(number("beats 2"), None);
        assert_eq!(number("NaN"), None);
    }
}
