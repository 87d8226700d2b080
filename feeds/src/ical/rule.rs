//! `RRULE` values (RFC 5545 §3.3.10) read into the rrule crate's builder.
//!
//! The crate's own parser relies on regular expressions and refuses what real files do: an
//! `UNTIL` date-time on an all-day rule, unknown rule parts. Reading the value here costs a few
//! lines and accepts both.

use chrono::{DateTime, Month, NaiveTime, TimeZone, Weekday};
use rrule::{Frequency, NWeekday, RRule, Unvalidated, Validated};

use super::content_line::quote;
use super::value::{self, RawTime};
use super::{Time, zone};

/// Reads an RRULE value into the rrule crate's builder and validates it against DTSTART.
pub(crate) fn build_rule(
    value: &str,
    start: &Time,
    dt_start: DateTime<rrule::Tz>,
) -> Result<RRule<Validated>, String> {
    let mut rule: Option<RRule<Unvalidated>> = None;
    let mut parts: Vec<(&str, &str)> = Vec::new();
    for part in value.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, val) = part
            .split_once('=')
            .ok_or_else(|| format!("{} has no '='", quote(part)))?;
        let key = key.trim();
        let val = val.trim();
        if key.eq_ignore_ascii_case("FREQ") {
            let freq = match val.to_ascii_uppercase().as_str() {
                "SECONDLY" => Frequency::Secondly,
                "MINUTELY" => Frequency::Minutely,
                "HOURLY" => Frequency::Hourly,
                "DAILY" => Frequency::Daily,
                "WEEKLY" => Frequency::Weekly,
                "MONTHLY" => Frequency::Monthly,
                "YEARLY" => Frequency::Yearly,
                _ => return Err(format!("FREQ={} is not a frequency", quote(val))),
            };
            rule = Some(RRule::new(freq));
        } else {
            parts.push((key, val));
        }
    }
    let mut rule = rule.ok_or("it has no FREQ")?;
    for (key, val) in parts {
        let bad = || format!("{key}={} is out of range or malformed", quote(val));
        rule = match key.to_ascii_uppercase().as_str() {
            "INTERVAL" => match val.parse::<u16>() {
                Ok(n) if n > 0 => rule.interval(n),
                _ => return Err(bad()),
            },
            "COUNT" => rule.count(val.parse().map_err(|_| bad())?),
            "UNTIL" => rule.until(until(value::parse_time(val).ok_or_else(bad)?, start).ok_or_else(bad)?),
            "WKST" => rule.week_start(weekday(val).ok_or_else(bad)?),
            "BYSETPOS" => rule.by_set_pos(list(val).ok_or_else(bad)?),
            "BYMONTH" => {
                let months: Option<Vec<Month>> = list::<u8>(val)
                    .ok_or_else(bad)?
                    .into_iter()
                    .map(|m| Month::try_from(m).ok())
                    .collect();
                rule.by_month(&months.ok_or_else(bad)?)
            }
            "BYMONTHDAY" => rule.by_month_day(list(val).ok_or_else(bad)?),
            "BYYEARDAY" => rule.by_year_day(list(val).ok_or_else(bad)?),
            "BYWEEKNO" => rule.by_week_no(list(val).ok_or_else(bad)?),
            "BYDAY" => {
                let days: Option<Vec<NWeekday>> = val.split(',').map(|d| nth_weekday(d.trim())).collect();
                rule.by_weekday(days.ok_or_else(bad)?)
            }
            "BYHOUR" => rule.by_hour(list(val).ok_or_else(bad)?),
            "BYMINUTE" => rule.by_minute(list(val).ok_or_else(bad)?),
            "BYSECOND" => rule.by_second(list(val).ok_or_else(bad)?),
            // Extension parts (X-…, RSCALE, SKIP…) do not change the Gregorian dates.
            _ => rule,
        };
    }
    rule.validate(dt_start).map_err(|e| e.to_string())
}

fn list<T: std::str::FromStr>(val: &str) -> Option<Vec<T>> {
    val.split(',')
        .map(|v| v.trim().trim_start_matches('+').parse().ok())
        .collect()
}

fn weekday(s: &str) -> Option<Weekday> {
    Some(match s.to_ascii_uppercase().as_str() {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

/// `MO`, `1MO`, `+2TU`, `-1SU`.
fn nth_weekday(s: &str) -> Option<NWeekday> {
    let split = s.len().checked_sub(2)?;
    let day = weekday(s.get(split..)?)?;
    let n = s.get(..split)?;
    if n.is_empty() {
        return Some(NWeekday::Every(day));
    }
    let n: i16 = n.trim_start_matches('+').parse().ok()?;
    (n != 0).then_some(NWeekday::Nth(n, day))
}

/// UNTIL as the rrule crate wants it (UTC, since every DTSTART we hand it is in a chrono-tz
/// zone). RFC 5545 wants UNTIL of DTSTART's kind; real files mix them, so each mix has a
/// reading: a date means the end of that day, a local time is in DTSTART's zone.
fn until(raw: RawTime, start: &Time) -> Option<DateTime<rrule::Tz>> {
    let utc = rrule::Tz::UTC;
    let end_of_day = |d: chrono::NaiveDate| d.and_hms_opt(23, 59, 59);
    let naive_utc = match (raw, start) {
        (RawTime::Utc(t), _) => t,
        (RawTime::Date(d), Time::Date(_)) => d.and_time(NaiveTime::MIN),
        (RawTime::Local(t), Time::Date(_) | Time::Utc(_) | Time::Floating(_)) => t,
        (RawTime::Date(d), Time::Utc(_) | Time::Floating(_)) => end_of_day(d)?,
        (RawTime::Date(d), Time::Zoned(z)) => zone::zoned(z.timezone(), end_of_day(d)?)?.naive_utc(),
        (RawTime::Local(t), Time::Zoned(z)) => zone::zoned(z.timezone(), t)?.naive_utc(),
    };
    Some(utc.from_utc_datetime(&naive_utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_with_ordinals_are_read() {
        assert_eq!(nth_weekday("MO"), Some(NWeekday::Every(Weekday::Mon)));
        assert_eq!(nth_weekday("-1SU"), Some(NWeekday::Nth(-1, Weekday::Sun)));
        assert_eq!(nth_weekday("+2tu"), Some(NWeekday::Nth(2, Weekday::Tue)));
        assert_eq!(nth_weekday("0MO"), None);
        assert_eq!(nth_weekday("M"), None);
        assert_eq!(nth_weekday("1é"), None);
    }
}
