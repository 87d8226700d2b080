//! Where a window starts or ends: an anchor date plus an offset, written `start - 180d`.

use std::fmt;

use chrono::{Days, Months, NaiveDate};

/// The dates a window bound can be measured from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Anchor {
    /// The earliest possible day of the event (a month-precision election: the 1st).
    Start,
    /// The latest possible day of the event.
    End,
    /// The day the government formed after the event: the next non-caretaker cabinet of the
    /// country, or, while none is known, the event's end plus the country's typical formation
    /// lag (its 90th percentile), an estimate.
    GovernmentFormed,
    /// The first day of the member's current action plan.
    PlanStart,
    /// The last day of the member's current action plan.
    PlanEnd,
    /// The day the member's current status took effect.
    StatusSince,
}

impl Anchor {
    pub const ALL: [Anchor; 6] = [
        Self::Start,
        Self::End,
        Self::GovernmentFormed,
        Self::PlanStart,
        Self::PlanEnd,
        Self::StatusSince,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Start => "start",
            Self::End => "end",
            Self::GovernmentFormed => "government-formed",
            Self::PlanStart => "plan-start",
            Self::PlanEnd => "plan-end",
            Self::StatusSince => "status-since",
        }
    }

    /// Whether the anchor is a date of an event (rather than of a member).
    pub fn is_event_date(self) -> bool {
        matches!(self, Self::Start | Self::End | Self::GovernmentFormed)
    }
}

impl fmt::Display for Anchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A calendar offset: days, weeks, months or years (months and years follow the calendar, so
/// `plan-end - 6m` from 31 August is 28 or 29 February).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Offset {
    pub days: i64,
    pub months: i32,
}

impl Offset {
    pub fn days(days: i64) -> Self {
        Self { days, months: 0 }
    }

    /// Reads `180d`, `-26w`, `6m`, `1y`, `0`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let t = s.trim();
        let bad = || {
            format!(
                "\"{t}\" is not a duration; expected a whole number and a unit, such as 180d, 26w, 6m or 1y"
            )
        };
        if t == "0" {
            return Ok(Self::default());
        }
        let (sign, body) = match t.strip_prefix('-') {
            Some(rest) => (-1, rest.trim_start()),
            None => (1, t.strip_prefix('+').unwrap_or(t).trim_start()),
        };
        let unit = body.chars().last().ok_or_else(bad)?;
        let n: i64 = body[..body.len() - unit.len_utf8()]
            .trim()
            .parse()
            .map_err(|_| bad())?;
        if n > 100_000 {
            return Err(format!("\"{t}\" is too long; expected at most a few decades"));
        }
        match unit {
            'd' => Ok(Self::days(sign * n)),
            'w' => Ok(Self::days(sign * n * 7)),
            'm' => Ok(Self {
                days: 0,
                months: (sign * n) as i32,
            }),
            'y' => Ok(Self {
                days: 0,
                months: (sign * n * 12) as i32,
            }),
            _ => Err(bad()),
        }
    }

    /// Applies the offset; `None` past the calendar's range.
    pub fn apply(self, day: NaiveDate) -> Option<NaiveDate> {
        let shifted = match self.months {
            0 => day,
            m if m > 0 => day.checked_add_months(Months::new(m as u32))?,
            m => day.checked_sub_months(Months::new(m.unsigned_abs()))?,
        };
        match self.days {
            0 => Some(shifted),
            d if d > 0 => shifted.checked_add_days(Days::new(d as u64)),
            d => shifted.checked_sub_days(Days::new(d.unsigned_abs())),
        }
    }

    pub fn is_zero(self) -> bool {
        self == Self::default()
    }
}

impl fmt::Display for Offset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.months, self.days) {
            (0, 0) => f.write_str("0d"),
            (m, 0) if m % 12 == 0 => write!(f, "{}y", m / 12),
            (m, 0) => write!(f, "{m}m"),
            (0, d) if d % 7 == 0 && d != 0 => write!(f, "{}w", d / 7),
            (0, d) => write!(f, "{d}d"),
            (m, d) => write!(f, "{m}m{d:+}d"),
        }
    }
}

/// `ANCHOR`, `ANCHOR + OFFSET` or `ANCHOR - OFFSET`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Bound {
    pub anchor: Anchor,
    pub offset: Offset,
}

impl Bound {
    pub fn parse(s: &str) -> Result<Self, String> {
        let t = s.trim();
        // Anchor names contain hyphens (`plan-end`), so match the name first, then the operator.
        let anchor = Anchor::ALL
            .iter()
            .copied()
            .filter(|a| t.starts_with(a.as_str()))
            .max_by_key(|a| a.as_str().len());
        let Some(anchor) = anchor else {
            let name = t.split([' ', '+']).next().unwrap_or(t);
            let names: Vec<&str> = Anchor::ALL.iter().map(|a| a.as_str()).collect();
            return Err(format!(
                "\"{name}\" is not a date a window can be measured from; expected one of {}",
                names.join(", ")
            ));
        };
        let rest = t[anchor.as_str().len()..].trim();
        if rest.is_empty() {
            return Ok(Self {
                anchor,
                offset: Offset::default(),
            });
        }
        let (sign, amount) = match rest.as_bytes()[0] {
            b'+' => (1, &rest[1..]),
            b'-' => (-1, &rest[1..]),
            _ => {
                return Err(format!(
                    "\"{t}\" is not a window bound; expected ANCHOR, ANCHOR + DURATION or ANCHOR - DURATION, such as start - 180d"
                ));
            }
        };
        let mut offset = Offset::parse(amount)?;
        offset.days *= sign;
        offset.months *= sign as i32;
        Ok(Self { anchor, offset })
    }
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.offset.is_zero() {
            return write!(f, "{}", self.anchor);
        }
        let negative = self.offset.days < 0 || self.offset.months < 0;
        let magnitude = Offset {
            days: self.offset.days.abs(),
            months: self.offset.months.abs(),
        };
        write!(
            f,
            "{} {} {magnitude}",
            self.anchor,
            if negative { '-' } else { '+' }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn bounds_read_an_anchor_and_an_offset() {
        for (text, anchor, applied_to_2021_03_17) in [
            ("start - 180d", Anchor::Start, "2020-09-18"),
            ("start-180d", Anchor::Start, "2020-09-18"),
            ("end", Anchor::End, "2021-03-17"),
            ("government-formed + 7d", Anchor::GovernmentFormed, "2021-03-24"),
            ("plan-end - 6m", Anchor::PlanEnd, "2020-09-17"),
            ("plan-end+1y", Anchor::PlanEnd, "2022-03-17"),
            ("status-since + 2w", Anchor::StatusSince, "2021-03-31"),
        ] {
            let b = Bound::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(b.anchor, anchor, "{text}");
            assert_eq!(
                b.offset.apply(d("2021-03-17")),
                Some(d(applied_to_2021_03_17)),
                "{text}"
            );
            assert_eq!(Bound::parse(&b.to_string()).unwrap(), b, "{text} → {b}");
        }
    }

    #[test]
    fn month_offsets_follow_the_calendar() {
        assert_eq!(
            Offset::parse("-6m").unwrap().apply(d("2024-08-31")),
            Some(d("2024-02-29"))
        );
        assert_eq!(
            Offset::parse("12m").unwrap().apply(d("2024-02-29")),
            Some(d("2025-02-28"))
        );
    }

    #[test]
    fn bad_bounds_name_the_expected_form() {
        for (text, needle) in [
            (
                "begin - 3d",
                "\"begin\" is not a date a window can be measured from; expected one of start, end",
            ),
            (
                "start - 3 days",
                "is not a duration; expected a whole number and a unit",
            ),
            ("start - d", "is not a duration"),
            (
                "start * 2d",
                "expected ANCHOR, ANCHOR + DURATION or ANCHOR - DURATION",
            ),
            ("start - 9999999d", "is too long"),
        ] {
            let err = Bound::parse(text).unwrap_err();
            assert!(err.contains(needle), "{text}: {err}");
        }
    }
}
