//! DATE, DATE-TIME and DURATION values (RFC 5545 §3.3.4, §3.3.5, §3.3.6).

use std::fmt::Write as _;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

use super::Time;

/// A DATE or DATE-TIME as written, before its `TZID` is resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RawTime {
    Date(NaiveDate),
    /// Ends with `Z`.
    Utc(NaiveDateTime),
    /// No `Z`: local to its `TZID`, or floating.
    Local(NaiveDateTime),
}

/// The expected form, for messages.
pub(crate) const DATE_FORMS: &str = "expected YYYYMMDD or YYYYMMDDTHHMMSS[Z]";

/// Reads `YYYYMMDD`, `YYYYMMDDTHHMMSS` or `YYYYMMDDTHHMMSSZ`. The shape decides: a date stays a
/// date whatever `VALUE` says. A leap second (`60`) is read as `59`.
pub(crate) fn parse_time(value: &str) -> Option<RawTime> {
    let b = value.trim().as_bytes();
    let date = parse_date(b.get(..8)?)?;
    match b.len() {
        8 => Some(RawTime::Date(date)),
        15 | 16 if matches!(b[8], b'T' | b't') => {
            let hour = two_digits(&b[9..11])?;
            let minute = two_digits(&b[11..13])?;
            let second = two_digits(&b[13..15])?.min(59);
            let time = NaiveTime::from_hms_opt(hour, minute, second)?;
            let t = date.and_time(time);
            match b.get(15) {
                None => Some(RawTime::Local(t)),
                Some(b'Z' | b'z') => Some(RawTime::Utc(t)),
                Some(_) => None,
            }
        }
        _ => None,
    }
}

fn parse_date(b: &[u8]) -> Option<NaiveDate> {
    let year = two_digits(&b[0..2])? * 100 + two_digits(&b[2..4])?;
    let month = two_digits(&b[4..6])?;
    let day = two_digits(&b[6..8])?;
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

fn two_digits(b: &[u8]) -> Option<u32> {
    match b {
        [t @ b'0'..=b'9', u @ b'0'..=b'9'] => Some(u32::from(t - b'0') * 10 + u32::from(u - b'0')),
        _ => None,
    }
}

/// A DURATION: days (weeks included) are nominal, added to the wall-clock date; seconds are
/// exact (RFC 5545 §3.3.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Duration {
    pub days: i64,
    pub seconds: i64,
}

/// Reads `[+-]P[nW]` or `[+-]P[nD][T[nH][nM][nS]]`. Numbers are bounded so that no sum overflows.
pub(crate) fn parse_duration(value: &str) -> Option<Duration> {
    const MAX: i64 = 100_000_000;
    let mut s = value.trim().as_bytes();
    let mut sign = 1;
    if let Some((&c, rest)) = s.split_first()
        && matches!(c, b'+' | b'-')
    {
        sign = if c == b'-' { -1 } else { 1 };
        s = rest;
    }
    let s = s.strip_prefix(b"P").or_else(|| s.strip_prefix(b"p"))?;
    let (mut days, mut seconds) = (0i64, 0i64);
    let mut in_time = false;
    let mut number: Option<i64> = None;
    let mut any = false;
    for &c in s {
        match c.to_ascii_uppercase() {
            d @ b'0'..=b'9' => {
                let n = number.unwrap_or(0) * 10 + i64::from(d - b'0');
                if n > MAX {
                    return None;
                }
                number = Some(n);
            }
            b'T' if !in_time && number.is_none() => in_time = true,
            unit => {
                let n = number.take()?;
                match (unit, in_time) {
                    (b'W', false) => days = days.saturating_add(n * 7),
                    (b'D', false) => days = days.saturating_add(n),
                    (b'H', true) => seconds = seconds.saturating_add(n * 3600),
                    (b'M', true) => seconds = seconds.saturating_add(n * 60),
                    (b'S', true) => seconds = seconds.saturating_add(n),
                    _ => return None,
                }
                any = true;
            }
        }
    }
    // About 10,000 years: a longer duration is nonsense, and refusing it keeps every sum of a
    // date and a duration far inside chrono's range.
    const MAX_DAYS: i64 = 3_660_000;
    if number.is_some() || !any || days > MAX_DAYS || seconds > MAX_DAYS * 86_400 {
        return None;
    }
    Some(Duration {
        days: sign * days,
        seconds: sign * seconds,
    })
}

impl Duration {
    pub(crate) fn exact(&self) -> Option<TimeDelta> {
        TimeDelta::try_seconds(self.seconds)
    }
}

/// Writes `t` in iCalendar basic form: `YYYYMMDD`, `YYYYMMDDTHHMMSSZ` or `YYYYMMDDTHHMMSS`.
pub(crate) fn write_basic(t: &Time, out: &mut String) {
    use chrono::{Datelike, Timelike};
    let (local, z) = match t {
        Time::Date(d) => {
            let _ = write!(out, "{:04}{:02}{:02}", d.year(), d.month(), d.day());
            return;
        }
        Time::Utc(t) => (t.naive_utc(), true),
        Time::Zoned(t) => (t.naive_local(), false),
        Time::Floating(t) => (*t, false),
    };
    let _ = write!(
        out,
        "{:04}{:02}{:02}T{:02}{:02}{:02}",
        local.year(),
        local.month(),
        local.day(),
        local.hour(),
        local.minute(),
        local.second()
    );
    if z {
        out.push('Z');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(y: i32, m: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, mi, s)
            .unwrap()
    }

    #[test]
    fn dates_and_date_times_are_read_by_their_shape() {
        assert_eq!(
            parse_time("20070101"),
            Some(RawTime::Date(NaiveDate::from_ymd_opt(2007, 1, 1).unwrap()))
        );
        assert_eq!(
            parse_time("20140401T000000Z"),
            Some(RawTime::Utc(dt(2014, 4, 1, 0, 0, 0)))
        );
        assert_eq!(
            parse_time("20121024T010000"),
            Some(RawTime::Local(dt(2012, 10, 24, 1, 0, 0)))
        );
        assert_eq!(
            parse_time("20161231T235960Z"),
            Some(RawTime::Utc(dt(2016, 12, 31, 23, 59, 59)))
        );
    }

    #[test]
    fn malformed_dates_are_refused() {
        for bad in [
            "INVALID-DATE",
            "2021-13-01",
            "20211301",
            "20210230",
            "2021010",
            "20210101T2500Z",
            "20210101T250000",
            "20210101X000000",
            "20210101T000000ZZ",
            "",
            "é2021010",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn durations_split_nominal_days_from_exact_seconds() {
        assert_eq!(parse_duration("P1D"), Some(Duration { days: 1, seconds: 0 }));
        assert_eq!(parse_duration("P2W"), Some(Duration { days: 14, seconds: 0 }));
        assert_eq!(
            parse_duration("-PT1H30M"),
            Some(Duration {
                days: 0,
                seconds: -5400
            })
        );
        assert_eq!(
            parse_duration("P1DT2H3M4S"),
            Some(Duration {
                days: 1,
                seconds: 7384
            })
        );
        for bad in ["", "P", "PT", "1D", "P1H", "PT1D", "P1", "P99999999999999999999D"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }
}
