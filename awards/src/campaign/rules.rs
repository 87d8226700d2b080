//! A campaign's rules and schedule: categories with their declared counting method and seats,
//! who may nominate and vote, recusal rules, secrecy, quorum, seconds required, the tie-break
//! commitment and the jury rule. All of it may change until voting opens, then none of it.

use std::collections::BTreeSet;
use std::fmt;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::eligibility::{Eligibility, RecusalRules};

/// Highest score a score or STAR ballot may allow.
pub const MAX_SCORE: u32 = 100;

/// The counting method declared for a category, with its options. This is the declaration
/// stored with the campaign; the edge maps it onto the options of [`crate::method`] when it
/// counts. Every option has the published default of its method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "method", deny_unknown_fields)]
pub enum Method {
    /// One mark per ballot; the `seats` nominees with most marks win.
    Plurality,
    /// Mark any number of nominees, or at most `max_approvals` when given.
    Approval {
        #[serde(default)]
        max_approvals: Option<u32>,
    },
    /// Give each nominee 0 to `max`; highest total wins.
    Score { max: u32 },
    /// Score, then an automatic runoff between the two highest totals (one seat).
    Star { max: u32 },
    Borda {
        #[serde(default)]
        truncation: BordaTruncation,
        #[serde(default)]
        start_at_zero: bool,
    },
    /// Instant-runoff (one seat).
    Irv {
        #[serde(default)]
        batch_elimination: bool,
    },
    /// Single transferable vote by the Scottish Local Government Elections Order 2007.
    StvScottish,
    /// Single transferable vote by Meek's method.
    StvMeek,
    Schulze {
        #[serde(default)]
        strength: PairwiseStrength,
    },
    RankedPairs {
        #[serde(default)]
        strength: PairwiseStrength,
    },
}

/// How Borda scores a ballot that ranks only some nominees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BordaTruncation {
    /// Unranked nominees score zero.
    #[default]
    Zero,
    /// Unranked nominees share the remaining points equally.
    Average,
    /// Points start from the number of nominees ranked.
    Modified,
}

/// How a pairwise defeat is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PairwiseStrength {
    #[default]
    WinningVotes,
    Margins,
}

/// The ballot a method needs, which is what a voter fills in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BallotShape {
    /// One nominee.
    Single,
    /// A set of nominees, at most `max` when given.
    Approval { max: Option<u32> },
    /// A score from 0 to `max` for any nominees; blank ones are left out.
    Score { max: u32 },
    /// Nominees in order of preference; `equal_ranks` says whether a rank may hold several.
    Ranked { equal_ranks: bool },
}

impl Method {
    /// The method's name as transcripts spell it (`stv-scottish`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Plurality => "plurality",
            Self::Approval { .. } => "approval",
            Self::Score { .. } => "score",
            Self::Star { .. } => "star",
            Self::Borda { .. } => "borda",
            Self::Irv { .. } => "irv",
            Self::StvScottish => "stv-scottish",
            Self::StvMeek => "stv-meek",
            Self::Schulze { .. } => "schulze",
            Self::RankedPairs { .. } => "ranked-pairs",
        }
    }

    pub fn ballot_shape(&self) -> BallotShape {
        match self {
            Self::Plurality => BallotShape::Single,
            Self::Approval { max_approvals } => BallotShape::Approval { max: *max_approvals },
            Self::Score { max } | Self::Star { max } => BallotShape::Score { max: *max },
            Self::Schulze { .. } | Self::RankedPairs { .. } => BallotShape::Ranked { equal_ranks: true },
            Self::Borda { .. } | Self::Irv { .. } | Self::StvScottish | Self::StvMeek => {
                BallotShape::Ranked { equal_ranks: false }
            }
        }
    }

    /// Whether the method elects more than one nominee.
    pub fn allows_several_seats(&self) -> bool {
        !matches!(self, Self::Irv { .. } | Self::Star { .. })
    }

    /// Checks the options and the seats; the error ends a sentence about the category.
    pub fn check(&self, seats: u32) -> Result<(), String> {
        if seats == 0 {
            return Err("has 0 seats; expected at least 1".to_owned());
        }
        if seats > 1 && !self.allows_several_seats() {
            return Err(format!(
                "has {seats} seats, but {} elects one; use 1 seat or an STV method",
                self.name()
            ));
        }
        match self {
            Self::Score { max } | Self::Star { max } if !(1..=MAX_SCORE).contains(max) => Err(format!(
                "allows scores up to {max}; expected a highest score from 1 to {MAX_SCORE}"
            )),
            Self::Approval {
                max_approvals: Some(0),
            } => Err("allows 0 approvals; expected at least 1, or no limit".to_owned()),
            _ => Ok(()),
        }
    }
}

/// A category of the campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Lower-case letters, digits and hyphens (`open-gov-champion`).
    pub slug: String,
    pub title: String,
    /// Declared before voting opens; voting cannot open without it.
    #[serde(default)]
    pub method: Option<Method>,
    pub seats: u32,
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "“{}”", self.title)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Secrecy {
    /// Nobody sees who voted what; turnout is counts only.
    #[default]
    Secret,
    /// Votes may be shown with their voters.
    Open,
}

/// The least participation for a category's result to stand: at least `min_ballots` ballots,
/// and at least `min_percent_of_roll` per cent of the voter roll (which then must exist).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quorum {
    #[serde(default)]
    pub min_ballots: u32,
    #[serde(default)]
    pub min_percent_of_roll: u8,
}

impl Quorum {
    /// Ballots a category needs, given the roll size when there is a roll.
    pub fn required(&self, roll: Option<usize>) -> u64 {
        let share = roll.map_or(0, |n| {
            (n as u64)
                .saturating_mul(u64::from(self.min_percent_of_roll))
                .div_ceil(100)
        });
        u64::from(self.min_ballots).max(share)
    }
}

/// Who breaks a tie that backwards comparison cannot.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "rule", deny_unknown_fields)]
pub enum TieRule {
    /// The permutation derived from the committed seed (see [`crate::tie::TieBreak`]).
    #[default]
    Seeded,
    /// A jury decides; the seeded permutation is the published fallback should it not.
    Jury { members: BTreeSet<String> },
}

/// Everything that is locked once voting opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub categories: Vec<Category>,
    pub nominators: Eligibility,
    pub voters: Eligibility,
    pub recusal: RecusalRules,
    pub secrecy: Secrecy,
    pub quorum: Quorum,
    /// Seconds a nomination needs by the close of nominations to stand.
    pub seconds_required: u32,
    /// SHA-256 of the tie-break seed, lower-case hex; published when voting opens.
    pub tie_commitment: Option<String>,
    pub tie_rule: TieRule,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            categories: Vec::new(),
            nominators: Eligibility::default(),
            voters: Eligibility::default(),
            recusal: RecusalRules::default(),
            secrecy: Secrecy::Secret,
            quorum: Quorum::default(),
            seconds_required: 1,
            tie_commitment: None,
            tie_rule: TieRule::Seeded,
        }
    }
}

impl Rules {
    pub fn category(&self, slug: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.slug == slug)
    }

    /// The slugs, for "expected one of" messages.
    pub fn slugs(&self) -> String {
        let slugs: Vec<&str> = self.categories.iter().map(|c| c.slug.as_str()).collect();
        if slugs.is_empty() {
            "(none yet)".to_owned()
        } else {
            slugs.join(", ")
        }
    }
}

/// A deadline a reminder can precede.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Deadline {
    NominationsClose,
    VotingClose,
}

impl fmt::Display for Deadline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NominationsClose => "the close of nominations",
            Self::VotingClose => "the close of voting",
        })
    }
}

/// "Remind everyone `hours_before` hours before `deadline`."
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reminder {
    pub deadline: Deadline,
    pub hours_before: u32,
}

/// When things happen. Absent times are left to an admin; present ones are acted on by
/// [`crate::campaign::Campaign::due`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    #[serde(default)]
    pub nominations_open: Option<DateTime<Utc>>,
    #[serde(default)]
    pub nominations_close: Option<DateTime<Utc>>,
    #[serde(default)]
    pub voting_open: Option<DateTime<Utc>>,
    #[serde(default)]
    pub voting_close: Option<DateTime<Utc>>,
    #[serde(default)]
    pub reminders: Vec<Reminder>,
}

impl Schedule {
    pub fn deadline(&self, deadline: Deadline) -> Option<DateTime<Utc>> {
        match deadline {
            Deadline::NominationsClose => self.nominations_close,
            Deadline::VotingClose => self.voting_close,
        }
    }

    /// When the reminder is due, if its deadline is set.
    pub fn reminder_at(&self, reminder: &Reminder) -> Option<DateTime<Utc>> {
        let deadline = self.deadline(reminder.deadline)?;
        deadline.checked_sub_signed(TimeDelta::try_hours(i64::from(reminder.hours_before))?)
    }

    /// Checks that the times that are set come in order; the error is one sentence.
    pub fn check(&self) -> Result<(), String> {
        let steps = [
            ("nominations open", self.nominations_open),
            ("nominations close", self.nominations_close),
            ("voting opens", self.voting_open),
            ("voting closes", self.voting_close),
        ];
        let mut last: Option<(&str, DateTime<Utc>)> = None;
        for (what, when) in steps {
            let Some(when) = when else { continue };
            if let Some((before, then)) = last {
                let strictly = !(before == "nominations close" && what == "voting opens");
                if when < then || (strictly && when == then) {
                    return Err(format!(
                        "the schedule has {what} at {} but {before} at {}; expected open, close, voting open and voting close in that order",
                        stamp(when),
                        stamp(then)
                    ));
                }
            }
            last = Some((what, when));
        }
        if self
            .reminders
            .iter()
            .any(|r| r.hours_before == 0 || r.hours_before > 24 * 366)
        {
            return Err(
                "a reminder is set 0 hours or more than a year before its deadline; expected 1 to 8784 hours"
                    .to_owned(),
            );
        }
        let distinct: BTreeSet<&Reminder> = self.reminders.iter().collect();
        if distinct.len() != self.reminders.len() {
            return Err("the same reminder is set twice; expected each reminder once".to_owned());
        }
        Ok(())
    }
}

/// A time as messages show it.
pub fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// A change an admin makes to the rules or schedule before voting opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "change", content = "with")]
pub enum RuleChange {
    AddCategory {
        slug: String,
        title: String,
    },
    /// Only a category with no nominations.
    RemoveCategory {
        slug: String,
    },
    DeclareMethod {
        category: String,
        method: Method,
        seats: u32,
    },
    Nominators(Eligibility),
    Voters(Eligibility),
    Recusal(RecusalRules),
    Secrecy(Secrecy),
    Quorum(Quorum),
    /// Only until nominations close.
    SecondsRequired(u32),
    /// SHA-256 of the seed as 64 hex digits.
    TieCommitment(String),
    TieRule(TieRule),
    Schedule(Schedule),
}

/// A category slug as stored, or why it is not one.
pub fn validated_slug(text: &str) -> Result<String, String> {
    let slug = text.trim().to_lowercase();
    let ok = (1..=60).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if ok {
        Ok(slug)
    } else {
        Err(format!(
            "“{}” is not a category slug; expected 1 to 60 lower-case letters, digits and hyphens, such as open-gov-champion",
            text.trim()
        ))
    }
}

/// A commitment as stored (lower-case hex), or why it is not one.
pub fn validated_commitment(text: &str) -> Result<String, String> {
    let hex = text.trim().to_ascii_lowercase();
    if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(hex)
    } else {
        Err(format!(
            "“{}” is not a tie-break commitment; expected the SHA-256 of the seed as 64 hexadecimal digits",
            text.trim()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Option<DateTime<Utc>> {
        Some(s.parse().expect("a time"))
    }

    #[test]
    fn schedule_times_must_come_in_order() {
        let ok = Schedule {
            nominations_open: at("2027-01-01T00:00:00Z"),
            nominations_close: at("2027-02-01T00:00:00Z"),
            voting_open: at("2027-02-01T00:00:00Z"),
            voting_close: at("2027-03-01T00:00:00Z"),
            reminders: vec![Reminder {
                deadline: Deadline::VotingClose,
                hours_before: 48,
            }],
        };
        assert_eq!(ok.check(), Ok(()));
        let backwards = Schedule {
            voting_close: at("2027-01-15T00:00:00Z"),
            ..ok.clone()
        };
        assert!(
            backwards
                .check()
                .is_err_and(|e| e.contains("voting closes at 2027-01-15 00:00 UTC"))
        );
        let partial = Schedule {
            nominations_open: None,
            voting_open: None,
            ..ok.clone()
        };
        assert_eq!(partial.check(), Ok(()));
        let twice = Schedule {
            reminders: vec![ok.reminders[0]; 2],
            ..ok
        };
        assert!(twice.check().is_err());
    }

    #[test]
    fn quorum_takes_the_larger_of_count_and_share() {
        let q = Quorum {
            min_ballots: 5,
            min_percent_of_roll: 30,
        };
        assert_eq!(q.required(None), 5);
        assert_eq!(q.required(Some(10)), 5);
        assert_eq!(q.required(Some(21)), 7);
    }

    #[test]
    fn methods_refuse_seats_and_options_they_cannot_count() {
        assert!(Method::StvScottish.check(3).is_ok());
        assert!(
            Method::Irv {
                batch_elimination: false
            }
            .check(2)
            .is_err()
        );
        assert!(Method::Plurality.check(0).is_err());
        assert!(Method::Score { max: 0 }.check(1).is_err());
        assert!(
            Method::Approval {
                max_approvals: Some(0)
            }
            .check(1)
            .is_err()
        );
    }

    #[test]
    fn methods_read_from_json_with_defaults() {
        let m: Method = serde_json::from_str(r#"{"method":"schulze"}"#).expect("json");
        assert_eq!(
            m,
            Method::Schulze {
                strength: PairwiseStrength::WinningVotes
            }
        );
        let m: Method = serde_json::from_str(r#"{"method":"stv-scottish"}"#).expect("json");
        assert_eq!(m.name(), "stv-scottish");
    }
}
