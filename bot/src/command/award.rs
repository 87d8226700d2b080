//! The written forms of the award commands' values: a campaign's number, a nomination (`#3`,
//! `1#3`), categories (each with its own method and seats if wanted), a counting method, a
//! count, a moment, a list of people, a name, a quorum and the recusal rules. Each reads text or
//! says no; [`super::parse`] turns a no into the sentence for its kind.

use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use vigie_awards::campaign::rules::{BordaTruncation, MAX_SCORE, PairwiseStrength, validated_slug};
use vigie_awards::campaign::{Method, Quorum};
use vigie_awards::eligibility::RecusalRules;
use vigie_awards::nomination::MAX_NAME_CHARS;

/// The most categories, or people on a roll, one option may list.
const MAX_LIST: usize = 500;
/// The highest score of `score` and `star` when none is written.
pub const DEFAULT_MAX_SCORE: u32 = 10;

/// A nomination as written: `#3` or `3` (in the campaign the command names, or the only one
/// open), or `1#3` (nomination 3 of campaign 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NominationRef {
    pub campaign: Option<u32>,
    pub number: u32,
}

/// A point in time as written: a day or a day and a time (UTC), or a duration from now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    At(DateTime<Utc>),
    In(Duration),
}

impl Moment {
    /// The instant, from `now` for a duration; `None` beyond the calendar.
    pub fn resolve(self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Self::At(at) => Some(at),
            Self::In(d) => now.checked_add_signed(TimeDelta::from_std(d).ok()?),
        }
    }
}

/// The most ballots a quorum may ask for.
const MAX_QUORUM_BALLOTS: u32 = 100_000;

/// A category to create: its slug and, when written `slug=Title`, its title; when written
/// `slug:METHOD` or `slug:METHOD:SEATS`, its own counting method and seats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCategory {
    pub slug: String,
    pub title: Option<String>,
    pub method: Option<Method>,
    pub seats: Option<u32>,
}

impl super::Invocation {
    pub fn campaign(&self, name: &str) -> Option<u32> {
        match self.get(name)? {
            super::Value::Campaign(n) => Some(*n),
            _ => None,
        }
    }

    pub fn nomination(&self, name: &str) -> Option<NominationRef> {
        match self.get(name)? {
            super::Value::Nomination(n) => Some(*n),
            _ => None,
        }
    }

    pub fn category(&self, name: &str) -> Option<&str> {
        match self.get(name)? {
            super::Value::Category(c) => Some(c),
            _ => None,
        }
    }

    pub fn categories(&self, name: &str) -> Option<&[NewCategory]> {
        match self.get(name)? {
            super::Value::Categories(c) => Some(c),
            _ => None,
        }
    }

    pub fn method(&self, name: &str) -> Option<&Method> {
        match self.get(name)? {
            super::Value::Method(m) => Some(m),
            _ => None,
        }
    }

    pub fn count(&self, name: &str) -> Option<u32> {
        match self.get(name)? {
            super::Value::Count(n) => Some(*n),
            _ => None,
        }
    }

    pub fn moment(&self, name: &str) -> Option<Moment> {
        match self.get(name)? {
            super::Value::Moment(m) => Some(*m),
            _ => None,
        }
    }

    pub fn users(&self, name: &str) -> Option<&[String]> {
        match self.get(name)? {
            super::Value::Users(u) => Some(u),
            _ => None,
        }
    }

    pub fn name(&self, name: &str) -> Option<&str> {
        match self.get(name)? {
            super::Value::Name(n) => Some(n),
            _ => None,
        }
    }

    pub fn region(&self, name: &str) -> Option<vigie_rules::Region> {
        match self.get(name)? {
            super::Value::Region(r) => Some(*r),
            _ => None,
        }
    }

    pub fn quorum(&self, name: &str) -> Option<Quorum> {
        match self.get(name)? {
            super::Value::Quorum(q) => Some(*q),
            _ => None,
        }
    }

    pub fn recusal(&self, name: &str) -> Option<RecusalRules> {
        match self.get(name)? {
            super::Value::Recusal(r) => Some(*r),
            _ => None,
        }
    }
}

fn positive(raw: &str) -> Option<u32> {
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse().ok().filter(|n| *n > 0)
}

/// `3`, or `award:3`.
pub fn campaign(raw: &str) -> Option<u32> {
    positive(raw.strip_prefix("award:").unwrap_or(raw))
}

/// `#3`, `3` or `1#3`.
pub fn nomination(raw: &str) -> Option<NominationRef> {
    match raw.split_once('#') {
        Some(("", number)) => Some(NominationRef {
            campaign: None,
            number: positive(number)?,
        }),
        Some((c, number)) => Some(NominationRef {
            campaign: Some(campaign(c)?),
            number: positive(number)?,
        }),
        None => Some(NominationRef {
            campaign: None,
            number: positive(raw)?,
        }),
    }
}

/// A category's slug.
pub fn category(raw: &str) -> Option<String> {
    validated_slug(raw).ok()
}

/// `champion,local-hero` or `"champion=Open Gov Champion, local=Local Hero"`; a category may
/// carry its own method and seats after its slug: `champion:stv:3`, `local:irv`, `best:score:5`
/// (scores up to 5), `best:score:5:2` (and 2 seats).
pub fn categories(raw: &str) -> Option<Vec<NewCategory>> {
    let mut out: Vec<NewCategory> = Vec::new();
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (head, title) = match part.split_once('=') {
            Some((head, title)) => (head, Some(title.trim())),
            None => (part, None),
        };
        let (slug, counted) = match head.split_once(':') {
            Some((slug, counted)) => (slug, Some(counted)),
            None => (head, None),
        };
        let slug = category(slug)?;
        let title = match title {
            Some(t) if t.is_empty() || t.chars().count() > MAX_NAME_CHARS => return None,
            t => t.map(str::to_owned),
        };
        let (method, seats) = match counted {
            Some(counted) => {
                let (method, seats) = method_and_seats(counted)?;
                (Some(method), seats)
            }
            None => (None, None),
        };
        if out.iter().any(|c| c.slug == slug) {
            return None;
        }
        out.push(NewCategory {
            slug,
            title,
            method,
            seats,
        });
    }
    (!out.is_empty() && out.len() <= MAX_LIST).then_some(out)
}

/// `stv`, `stv:3` (3 seats), `score:5` (scores up to 5), `score:5:2` (and 2 seats): a method
/// as `--method` writes it, then its seats. A number right after score or STAR is their highest
/// score, as in `--method score:5`.
fn method_and_seats(raw: &str) -> Option<(Method, Option<u32>)> {
    let parts: Vec<&str> = raw.split(':').map(str::trim).collect();
    let seats = |s: &str| positive(s).filter(|n| *n <= 100);
    match parts.as_slice() {
        [name] => Some((method(name)?, None)),
        [name, n] => match method(&format!("{name}:{n}")) {
            Some(m) => Some((m, None)),
            None => Some((method(name)?, Some(seats(n)?))),
        },
        [name, max, n] => Some((method(&format!("{name}:{max}"))?, Some(seats(n)?))),
        _ => None,
    }
}

/// A method's name: `plurality`, `approval`, `score` (or `score:5`, the highest score), `star`
/// (`star:5`), `borda`, `irv`, `stv` (Scottish rules), `stv-meek`, `schulze`, `ranked-pairs`.
pub fn method(raw: &str) -> Option<Method> {
    let raw = raw.trim().to_lowercase();
    let (name, max) = match raw.split_once(':') {
        Some((name, max)) => (name, Some(positive(max).filter(|m| *m <= MAX_SCORE)?)),
        None => (raw.as_str(), None),
    };
    let max_score = max.unwrap_or(DEFAULT_MAX_SCORE);
    let method = match name {
        "plurality" => Method::Plurality,
        "approval" => Method::Approval { max_approvals: None },
        "score" => Method::Score { max: max_score },
        "star" => Method::Star { max: max_score },
        "borda" => Method::Borda {
            truncation: BordaTruncation::Zero,
            start_at_zero: false,
        },
        "irv" | "instant-runoff" => Method::Irv {
            batch_elimination: false,
        },
        "stv" | "stv-scottish" => Method::StvScottish,
        "stv-meek" | "meek" => Method::StvMeek,
        "schulze" => Method::Schulze {
            strength: PairwiseStrength::WinningVotes,
        },
        "ranked-pairs" => Method::RankedPairs {
            strength: PairwiseStrength::WinningVotes,
        },
        _ => return None,
    };
    // Only score and STAR take a highest score.
    (max.is_none() || matches!(method, Method::Score { .. } | Method::Star { .. })).then_some(method)
}

/// A whole number from 0 to 100 (seats, seconds).
pub fn count(raw: &str) -> Option<u32> {
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse().ok().filter(|n| *n <= 100)
}

/// `2027-03-01` (00:00 UTC), `2027-03-01T18:00` (UTC) or a duration from now (`3d`, `12h`).
pub fn moment(raw: &str) -> Option<Moment> {
    let raw = raw.trim();
    if let Ok(day) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        return Some(Moment::At(day.and_hms_opt(0, 0, 0)?.and_utc()));
    }
    for format in [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%MZ",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M:%SZ",
    ] {
        if let Ok(at) = NaiveDateTime::parse_from_str(raw, format) {
            return Some(Moment::At(at.and_utc()));
        }
    }
    let d = humantime::parse_duration(raw).ok()?;
    (d >= Duration::from_secs(60) && d <= Duration::from_secs(10 * 366 * 86_400)).then_some(Moment::In(d))
}

/// People separated by commas: `@ana:example.org,@bo:example.org`, each platform-qualified.
pub fn users(raw: &str) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let user = crate::config::qualified_user(part)?;
        if !out.contains(&user) {
            out.push(user);
        }
    }
    (!out.is_empty() && out.len() <= MAX_LIST).then_some(out)
}

/// `5` (ballots), `30%` (of the voter roll) or both, `5,30%`: a category's result stands only
/// with at least that many ballots.
pub fn quorum(raw: &str) -> Option<Quorum> {
    let mut q = Quorum::default();
    let (mut ballots, mut share) = (false, false);
    for part in raw.split(',').map(str::trim) {
        if let Some(percent) = part.strip_suffix('%') {
            let percent = percent.trim();
            if share || percent.is_empty() || !percent.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            q.min_percent_of_roll = percent.parse().ok().filter(|p| *p <= 100)?;
            share = true;
        } else {
            if ballots || part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            q.min_ballots = part.parse().ok().filter(|n| *n <= MAX_QUORUM_BALLOTS)?;
            ballots = true;
        }
    }
    Some(q)
}

/// `country`, `organisation` (or `organization`), both separated by a comma, or `none`: what a
/// voter shares with a nominee to be recused from them.
pub fn recusal(raw: &str) -> Option<RecusalRules> {
    let mut rules = RecusalRules {
        same_country: false,
        same_organisation: false,
    };
    let words: Vec<String> = raw.split(',').map(|w| w.trim().to_lowercase()).collect();
    if words == ["none"] {
        return Some(rules);
    }
    for word in &words {
        match word.as_str() {
            "country" => rules.same_country = true,
            "organisation" | "organization" => rules.same_organisation = true,
            _ => return None,
        }
    }
    Some(rules)
}

/// A name of 1 to 200 characters (quoted when it has spaces).
pub fn name(raw: &str) -> Option<String> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    (!name.is_empty() && name.chars().count() <= MAX_NAME_CHARS).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nominations_are_written_with_or_without_their_campaign() {
        assert_eq!(
            nomination("#3"),
            Some(NominationRef {
                campaign: None,
                number: 3
            })
        );
        assert_eq!(
            nomination("2#3"),
            Some(NominationRef {
                campaign: Some(2),
                number: 3
            })
        );
        assert_eq!(nomination("3").map(|n| n.number), Some(3));
        for bad in ["#0", "#", "a#3", "3#", "#-1", "##3", ""] {
            assert_eq!(nomination(bad), None, "{bad}");
        }
    }

    #[test]
    fn methods_read_their_names_and_only_score_takes_a_maximum() {
        assert_eq!(method("Schulze").map(|m| m.name()), Some("schulze"));
        assert_eq!(method("stv"), Some(Method::StvScottish));
        assert_eq!(method("score:5"), Some(Method::Score { max: 5 }));
        assert_eq!(method("score"), Some(Method::Score { max: 10 }));
        assert_eq!(method("irv:5"), None);
        assert_eq!(method("score:0"), None);
        assert_eq!(method("condorcet"), None);
    }

    #[test]
    fn moments_are_days_times_or_durations_from_now() {
        let now: DateTime<Utc> = "2027-01-01T00:00:00Z".parse().unwrap();
        assert_eq!(
            moment("2027-03-01").and_then(|m| m.resolve(now)),
            Some("2027-03-01T00:00:00Z".parse().unwrap())
        );
        assert_eq!(
            moment("2027-03-01T18:30").and_then(|m| m.resolve(now)),
            Some("2027-03-01T18:30:00Z".parse().unwrap())
        );
        assert_eq!(
            moment("2d").and_then(|m| m.resolve(now)),
            Some("2027-01-03T00:00:00Z".parse().unwrap())
        );
        assert_eq!(moment("tomorrow"), None);
        assert_eq!(moment("2027-02-30"), None);
    }

    #[test]
    fn categories_take_slugs_with_optional_titles_each_once() {
        let list = categories("champion=Open Gov Champion, local").unwrap();
        assert_eq!(list[0].slug, "champion");
        assert_eq!(list[0].title.as_deref(), Some("Open Gov Champion"));
        assert_eq!(list[1].title, None);
        assert_eq!(categories("a,a"), None);
        assert_eq!(categories("Not A Slug"), None);
        assert_eq!(categories(","), None);
    }

    #[test]
    fn each_category_may_have_its_own_method_and_seats() {
        let list = categories("champion:stv:3=Open Gov Champion, local:irv, best:score:5, most:score:5:2")
            .expect("categories with methods");
        let counted: Vec<_> = list
            .iter()
            .map(|c| (c.slug.as_str(), c.method.as_ref().map(Method::name), c.seats))
            .collect();
        assert_eq!(
            counted,
            [
                ("champion", Some("stv-scottish"), Some(3)),
                ("local", Some("irv"), None),
                ("best", Some("score"), None),
                ("most", Some("score"), Some(2)),
            ]
        );
        assert_eq!(list[0].title.as_deref(), Some("Open Gov Champion"));
        assert_eq!(list[2].method, Some(Method::Score { max: 5 }));
        for bad in [
            "a:condorcet",
            "a:stv:0",
            "a:stv:x",
            "a:irv:1:2",
            "a:",
            "a:stv:101",
        ] {
            assert_eq!(categories(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_quorum_is_ballots_a_share_of_the_roll_or_both() {
        let q = |b, p| Quorum {
            min_ballots: b,
            min_percent_of_roll: p,
        };
        assert_eq!(quorum("5"), Some(q(5, 0)));
        assert_eq!(quorum("30%"), Some(q(0, 30)));
        assert_eq!(quorum("5, 30%"), Some(q(5, 30)));
        assert_eq!(quorum("30%,5"), Some(q(5, 30)));
        for bad in ["", "five", "101%", "5,6", "10%,20%", "-1", "%", "5,"] {
            assert_eq!(quorum(bad), None, "{bad}");
        }
    }

    #[test]
    fn recusal_rules_name_what_is_shared_or_none() {
        let r = |c, o| RecusalRules {
            same_country: c,
            same_organisation: o,
        };
        assert_eq!(recusal("country"), Some(r(true, false)));
        assert_eq!(recusal("Country, organisation"), Some(r(true, true)));
        assert_eq!(recusal("organization"), Some(r(false, true)));
        assert_eq!(recusal("none"), Some(r(false, false)));
        for bad in ["", "region", "none,country", "country,"] {
            assert_eq!(recusal(bad), None, "{bad}");
        }
    }

    #[test]
    fn named_options_come_before_the_free_text_and_the_text_keeps_the_rest() {
        let inv = crate::command::parse("award open --method irv --seats 1 --public Open Gov -- Awards")
            .expect("award open parses");
        assert_eq!(inv.text("title"), Some("Open Gov -- Awards"));
        assert_eq!(inv.count("seats"), Some(1));
        assert!(inv.switch("public"));
        let inv = crate::command::parse(
            r#"nominate 1 champion KE "Jane Doe" --user @jane:example.org Led it --twice."#,
        )
        .expect("nominate parses");
        assert_eq!(inv.name("nominee"), Some("Jane Doe"));
        assert_eq!(inv.text("user"), Some("matrix:@jane:example.org"));
        assert_eq!(inv.text("citation"), Some("Led it --twice."));
        // Commands without named options read `--` as text, as before.
        let inv = crate::command::parse("vote 1 --x").expect("vote parses");
        assert_eq!(inv.text("ballot"), Some("--x"));
    }
}
