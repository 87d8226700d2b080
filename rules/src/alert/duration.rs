//! Durations in alert settings, written as people and humantime write them: `30s`, `5m`, `1h`,
//! `7d`, `2w`, `1h30m` (`m` is minutes here; months are not a fixed length and are not accepted).

use chrono::TimeDelta;

use crate::ParseError;

const UNITS: &[(&[&str], i64)] = &[
    (&["w", "week", "weeks"], 7 * 86_400),
    (&["d", "day", "days"], 86_400),
    (&["h", "hr", "hrs", "hour", "hours"], 3_600),
    (&["m", "min", "mins", "minute", "minutes"], 60),
    (&["s", "sec", "secs", "second", "seconds"], 1),
];

/// Reads `7d`, `1h30m`, `1h 30m`, `90s`, `2 weeks`: whole numbers, each with a unit.
pub fn parse(s: &str) -> Result<TimeDelta, ParseError> {
    let t = s.trim();
    let bad = || {
        ParseError::new(format!(
            "\"{t}\" is not a duration; expected whole numbers with units (s, m, h, d or w), such as 30m, 1h or 7d"
        ))
    };
    let mut rest = t;
    let mut seconds: i64 = 0;
    if rest.is_empty() {
        return Err(bad());
    }
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        if digits == 0 {
            return Err(bad());
        }
        let n: i64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = rest[digits..].trim_start();
        let letters = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let unit = &rest[..letters];
        let (_, factor) = UNITS
            .iter()
            .find(|(names, _)| names.contains(&unit))
            .ok_or_else(bad)?;
        seconds = n
            .checked_mul(*factor)
            .and_then(|v| seconds.checked_add(v))
            .filter(|v| *v <= 100 * 365 * 86_400)
            .ok_or_else(bad)?;
        rest = rest[letters..].trim_start();
    }
    Ok(TimeDelta::seconds(seconds))
}

/// Writes a duration in the shortest form [`parse`] reads back: `7d`, `1h30m`, `0s`.
pub fn format(d: TimeDelta) -> String {
    let mut left = d.num_seconds();
    if left <= 0 {
        return "0s".to_owned();
    }
    let mut out = String::new();
    for (names, factor) in &UNITS[1..] {
        if left >= *factor {
            out.push_str(&format!("{}{}", left / factor, names[0]));
            left %= factor;
        }
    }
    out
}

/// Serde for a required duration as text.
pub mod text {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &TimeDelta, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format(*d))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<TimeDelta, D::Error> {
        let s = String::deserialize(d)?;
        super::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Serde for an optional duration as text.
pub mod option_text {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<TimeDelta>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&super::format(*d)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<TimeDelta>, D::Error> {
        let s = Option::<String>::deserialize(d)?;
        s.map(|s| super::parse(&s).map_err(serde::de::Error::custom))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_and_write_humantime_forms() {
        for (text, seconds, written) in [
            ("30s", 30, "30s"),
            ("5m", 300, "5m"),
            ("1h30m", 5_400, "1h30m"),
            ("1h 30m", 5_400, "1h30m"),
            ("7d", 604_800, "7d"),
            ("2w", 1_209_600, "14d"),
            ("2 weeks", 1_209_600, "14d"),
            ("0s", 0, "0s"),
        ] {
            let d = parse(text).unwrap();
            assert_eq!(d.num_seconds(), seconds, "{text}");
            assert_eq!(format(d), written, "{text}");
            assert_eq!(parse(&format(d)).unwrap(), d);
        }
    }

    #[test]
    fn durations_without_a_known_unit_are_refused_with_the_expected_form() {
        for text in ["", "7", "d", "3 months", "1h-5m", "99999999999999999999d"] {
            let e = parse(text).unwrap_err().to_string();
            assert!(e.contains("expected whole numbers with units"), "{text}: {e}");
        }
    }
}
