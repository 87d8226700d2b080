//! Event dates that say how much is known about them.
//!
//! A future election is often known only to the month or the year, and a predicted one is an
//! estimate. [`EventDate`] keeps the interval of possible days together with its [`Precision`],
//! so "2027" never silently becomes "2027-01-01".

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// How precisely an event's date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// The exact day (or days) is fixed.
    Day,
    /// Only the month is known.
    Month,
    /// Only the year is known.
    Year,
    /// An estimate (for example a predicted regular election): the interval is a best guess.
    Estimated,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Month => "month",
            Self::Year => "year",
            Self::Estimated => "estimated",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DateParseError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "day" => Ok(Self::Day),
            "month" => Ok(Self::Month),
            "year" => Ok(Self::Year),
            "estimated" | "estimate" => Ok(Self::Estimated),
            other => Err(DateParseError(format!(
                "\"{other}\" is not a date precision; expected day, month, year or estimated"
            ))),
        }
    }
}

impl fmt::Display for Precision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A date that could not be parsed: one sentence naming the problem and the expected form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DateParseError(pub String);

/// The interval of days on which an event may fall (both ends inclusive), with its precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EventDate {
    earliest: NaiveDate,
    latest: NaiveDate,
    precision: Precision,
}

/// One part of a written date: the days it covers and how precise it was.
fn parse_part(s: &str) -> Result<(NaiveDate, NaiveDate, Precision), DateParseError> {
    let s = s.trim();
    let bad = || {
        DateParseError(format!(
            "\"{s}\" is not a date; expected YYYY-MM-DD, YYYY-MM or YYYY"
        ))
    };
    let fields: Vec<&str> = s.split('-').collect();
    let number = |f: &str, len: usize| -> Result<u32, DateParseError> {
        if f.len() == len && f.bytes().all(|b| b.is_ascii_digit()) {
            f.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    match fields.as_slice() {
        [y] => {
            let y = number(y, 4)? as i32;
            let first = NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(bad)?;
            let last = NaiveDate::from_ymd_opt(y, 12, 31).ok_or_else(bad)?;
            Ok((first, last, Precision::Year))
        }
        [y, m] => {
            let (y, m) = (number(y, 4)? as i32, number(m, 2)?);
            let first = NaiveDate::from_ymd_opt(y, m, 1).ok_or_else(|| {
                DateParseError(format!(
                    "\"{s}\" has no month {m}; expected YYYY-MM with MM 01 to 12"
                ))
            })?;
            Ok((first, last_day_of_month(first), Precision::Month))
        }
        [y, m, d] => {
            let (y, m, d) = (number(y, 4)? as i32, number(m, 2)?, number(d, 2)?);
            let day = NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| {
                DateParseError(format!(
                    "\"{s}\" is not a day of the calendar; expected a real YYYY-MM-DD"
                ))
            })?;
            Ok((day, day, Precision::Day))
        }
        _ => Err(bad()),
    }
}

fn last_day_of_month(first: NaiveDate) -> NaiveDate {
    let (y, m) = (first.year(), first.month());
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).unwrap_or(first)
}

impl EventDate {
    /// An exact day.
    pub fn day(day: NaiveDate) -> Self {
        Self {
            earliest: day,
            latest: day,
            precision: Precision::Day,
        }
    }

    /// An inclusive range of exact days (a two-day election, a holiday spanning days).
    pub fn days(first: NaiveDate, last: NaiveDate) -> Self {
        let (earliest, latest) = if first <= last {
            (first, last)
        } else {
            (last, first)
        };
        Self {
            earliest,
            latest,
            precision: Precision::Day,
        }
    }

    /// A whole month, when only the month is known.
    pub fn month(year: i32, month: u32) -> Option<Self> {
        let first = NaiveDate::from_ymd_opt(year, month, 1)?;
        Some(Self {
            earliest: first,
            latest: last_day_of_month(first),
            precision: Precision::Month,
        })
    }

    /// A whole year, when only the year is known.
    pub fn year(year: i32) -> Option<Self> {
        Some(Self {
            earliest: NaiveDate::from_ymd_opt(year, 1, 1)?,
            latest: NaiveDate::from_ymd_opt(year, 12, 31)?,
            precision: Precision::Year,
        })
    }

    /// An estimate: the event is expected somewhere between the two days.
    pub fn estimated(earliest: NaiveDate, latest: NaiveDate) -> Self {
        let (earliest, latest) = if earliest <= latest {
            (earliest, latest)
        } else {
            (latest, earliest)
        };
        Self {
            earliest,
            latest,
            precision: Precision::Estimated,
        }
    }

    /// Builds a date from the columns of a file: a start (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`), an
    /// optional inclusive end in the same forms, and an optional precision that may only make the
    /// date less precise (`estimated`), never more.
    pub fn from_parts(
        start: &str,
        end: Option<&str>,
        declared: Option<&str>,
    ) -> Result<Self, DateParseError> {
        let (earliest, start_latest, start_precision) = parse_part(start)?;
        let (latest, precision) = match end.map(str::trim).filter(|e| !e.is_empty()) {
            None => (start_latest, start_precision),
            Some(end) => {
                let (_, end_latest, end_precision) = parse_part(end)?;
                if end_latest < earliest {
                    return Err(DateParseError(format!(
                        "the end \"{end}\" comes before the start \"{}\"; expected an end on or after the start",
                        start.trim()
                    )));
                }
                (end_latest, start_precision.max(end_precision))
            }
        };
        let precision = match declared.map(str::trim).filter(|p| !p.is_empty()) {
            None => precision,
            Some(p) => {
                let declared = Precision::parse(p)?;
                if declared != precision && declared != Precision::Estimated {
                    return Err(DateParseError(format!(
                        "precision \"{declared}\" does not match the date \"{}\", which is {precision}-precise; write the date in that form, or use estimated",
                        start.trim()
                    )));
                }
                declared
            }
        };
        Ok(Self {
            earliest,
            latest,
            precision,
        })
    }

    pub fn earliest(&self) -> NaiveDate {
        self.earliest
    }

    pub fn latest(&self) -> NaiveDate {
        self.latest
    }

    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// The coarsest written form, no coarser than `precision`, that states `day` exactly as the
    /// first (`earliest`) or last day of its period.
    fn write_bound(
        f: &mut fmt::Formatter<'_>,
        day: NaiveDate,
        precision: Precision,
        earliest: bool,
    ) -> fmt::Result {
        let year_fits = if earliest {
            day.ordinal() == 1
        } else {
            day.month() == 12 && day.day() == 31
        };
        let month_fits = if earliest {
            day.day() == 1
        } else {
            last_day_of_month(day) == day
        };
        if precision == Precision::Year && year_fits {
            write!(f, "{:04}", day.year())
        } else if precision >= Precision::Month && precision != Precision::Estimated && month_fits {
            write!(f, "{:04}-{:02}", day.year(), day.month())
        } else {
            write!(f, "{}", day.format("%Y-%m-%d"))
        }
    }
}

impl PartialOrd for EventDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for EventDate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.earliest, self.latest, self.precision).cmp(&(other.earliest, other.latest, other.precision))
    }
}

/// The canonical written form, which [`FromStr`] reads back to the same value: `2027-03-17`,
/// `2027-03`, `2027`, an interval such as `2027-03..2027-05` or `2029..2029-08`, and a leading
/// `~` with exact days for an estimate (`~2027-03-01..2027-06-30`).
impl fmt::Display for EventDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.precision == Precision::Estimated {
            f.write_str("~")?;
        }
        let single = match self.precision {
            Precision::Year => {
                self.earliest.ordinal() == 1
                    && self.latest
                        == NaiveDate::from_ymd_opt(self.earliest.year(), 12, 31).unwrap_or(self.latest)
            }
            Precision::Month => self.earliest.day() == 1 && self.latest == last_day_of_month(self.earliest),
            Precision::Day | Precision::Estimated => self.earliest == self.latest,
        };
        Self::write_bound(f, self.earliest, self.precision, true)?;
        if !single {
            f.write_str("..")?;
            Self::write_bound(f, self.latest, self.precision, false)?;
        }
        Ok(())
    }
}

impl FromStr for EventDate {
    type Err = DateParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let (estimated, rest) = match s.strip_prefix('~') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (start, end) = match rest.split_once("..") {
            Some((a, b)) => (a, Some(b)),
            None => (rest, None),
        };
        Self::from_parts(start, end, estimated.then_some("estimated"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn each_written_form_gives_its_interval_and_precision() {
        let cases = [
            ("2021-03-17", "2021-03-17", "2021-03-17", Precision::Day),
            ("2027-03", "2027-03-01", "2027-03-31", Precision::Month),
            ("2028-02", "2028-02-01", "2028-02-29", Precision::Month),
            ("2027", "2027-01-01", "2027-12-31", Precision::Year),
            ("2027-03..2027-05", "2027-03-01", "2027-05-31", Precision::Month),
            (
                "2025-10-03..2025-10-04",
                "2025-10-03",
                "2025-10-04",
                Precision::Day,
            ),
            ("2027-03-01..2027", "2027-03-01", "2027-12-31", Precision::Year),
            ("2029..2029-08", "2029-01-01", "2029-08-31", Precision::Year),
            (
                "~2027-03-01..2027-06-30",
                "2027-03-01",
                "2027-06-30",
                Precision::Estimated,
            ),
        ];
        for (text, earliest, latest, precision) in cases {
            let date: EventDate = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(
                (date.earliest(), date.latest(), date.precision()),
                (d(earliest), d(latest), precision),
                "{text}"
            );
        }
    }

    #[test]
    fn the_written_form_reads_back_to_the_same_date() {
        for text in [
            "2021-03-17",
            "2027-03",
            "2027",
            "2027-03..2027-05",
            "~2027-03-01..2027-06-30",
            "~2027-03-01",
            "2025-10-03..2025-10-04",
        ] {
            let date: EventDate = text.parse().unwrap();
            assert_eq!(date.to_string(), text);
            assert_eq!(date.to_string().parse::<EventDate>().unwrap(), date);
        }
    }

    #[test]
    fn bad_dates_are_refused_with_the_expected_form() {
        for (text, needle) in [
            ("2027-13", "no month 13"),
            ("2027-02-30", "not a day of the calendar"),
            ("27-02-03", "expected YYYY-MM-DD, YYYY-MM or YYYY"),
            ("", "expected YYYY-MM-DD"),
            ("2027-05..2027-03", "comes before the start"),
            ("2027-3-1", "expected YYYY-MM-DD"),
        ] {
            let err = text.parse::<EventDate>().unwrap_err().to_string();
            assert!(err.contains(needle), "{text}: {err}");
        }
    }

    #[test]
    fn a_declared_precision_is_the_dates_own_or_estimated() {
        assert_eq!(
            EventDate::from_parts("2027-03", None, Some("estimated"))
                .unwrap()
                .precision(),
            Precision::Estimated
        );
        assert!(EventDate::from_parts("2027", None, Some("day")).is_err());
        assert!(EventDate::from_parts("2027-03-05", None, Some("year")).is_err());
        assert_eq!(
            EventDate::from_parts("2027-03", None, Some("month"))
                .unwrap()
                .precision(),
            Precision::Month
        );
        assert!(
            EventDate::from_parts("2027", None, Some("fortnight"))
                .unwrap_err()
                .0
                .contains("day, month, year or estimated")
        );
    }

    proptest::proptest! {
        #[test]
        fn any_text_parses_or_fails_without_panicking(s in "\\PC{0,24}") {
            let _ = s.parse::<EventDate>();
        }

        #[test]
        fn every_constructible_date_round_trips(a in 0i64..40_000, len in 0i64..800, form in 0u8..4, y in 1900i32..2100, m in 1u32..=12) {
            let first = d("1950-01-01") + chrono::Duration::days(a);
            let last = first + chrono::Duration::days(len);
            let date = match form {
                0 => EventDate::days(first, last),
                1 => EventDate::estimated(first, last),
                2 => EventDate::month(y, m).unwrap(),
                _ => EventDate::year(y).unwrap(),
            };
            proptest::prop_assert_eq!(date.to_string().parse::<EventDate>().unwrap(), date);
        }

        #[test]
        fn every_parsed_date_round_trips(y1 in 1990i32..2040, m1 in 1u32..=12, d1 in 1u32..=28, f1 in 0u8..3, y2 in 1990i32..2040, m2 in 1u32..=12, d2 in 1u32..=28, f2 in 0u8..4) {
            let part = |y: i32, m: u32, d: u32, f: u8| match f { 0 => format!("{y:04}"), 1 => format!("{y:04}-{m:02}"), _ => format!("{y:04}-{m:02}-{d:02}") };
            let text = if f2 == 3 { part(y1, m1, d1, f1) } else { format!("{}..{}", part(y1, m1, d1, f1), part(y2, m2, d2, f2)) };
            if let Ok(date) = text.parse::<EventDate>() {
                proptest::prop_assert_eq!(date.to_string().parse::<EventDate>().unwrap(), date);
            }
        }
    }
}
