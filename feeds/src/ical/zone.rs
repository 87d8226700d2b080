//! `TZID` resolution. A `VTIMEZONE` is read only for its `X-LIC-LOCATION`: its rules are not
//! needed, since the zone's IANA name gives them, and a zone without one cannot be trusted to
//! agree with the events anyway (the Turkish calendar's `X-WR-TIMEZONE` contradicts its
//! `VTIMEZONE`; the `VTIMEZONE` names the zone the times are written in, so it is the one used).

use std::collections::HashMap;
use std::str::FromStr;

use chrono::{DateTime, LocalResult, NaiveDateTime, TimeDelta, TimeZone};
use chrono_tz::Tz;

/// The zones of one `VCALENDAR`.
#[derive(Default)]
pub(crate) struct Zones {
    /// `TZID` of each `VTIMEZONE` → its `X-LIC-LOCATION`, if any.
    locations: HashMap<String, Option<String>>,
    resolved: HashMap<String, Option<Tz>>,
}

pub(crate) enum Resolution {
    Zone(Tz),
    /// Unknown; `first` is true the first time this `TZID` is met in the calendar.
    Unknown {
        first: bool,
    },
}

impl Zones {
    pub(crate) fn add_vtimezone(&mut self, tzid: String, location: Option<String>) {
        self.locations.entry(tzid).or_insert(location);
    }

    /// Resolves a `TZID`: an IANA name; the `X-LIC-LOCATION` of the `VTIMEZONE` it names; or the
    /// longest suffix after a `/` that is an IANA name (`/mozilla.org/20070129_1/Asia/Tokyo`).
    pub(crate) fn resolve(&mut self, tzid: &str) -> Resolution {
        if let Some(found) = self.resolved.get(tzid) {
            return match found {
                Some(tz) => Resolution::Zone(*tz),
                None => Resolution::Unknown { first: false },
            };
        }
        let found = self.lookup(tzid);
        self.resolved.insert(tzid.to_owned(), found);
        match found {
            Some(tz) => Resolution::Zone(tz),
            None => Resolution::Unknown { first: true },
        }
    }

    fn lookup(&self, tzid: &str) -> Option<Tz> {
        let tzid = tzid.trim();
        iana(tzid)
            .or_else(|| {
                let location = self.locations.get(tzid)?.as_deref()?;
                iana(location.trim())
            })
            .or_else(|| tzid.match_indices('/').find_map(|(i, _)| iana(&tzid[i + 1..])))
    }
}

fn iana(name: &str) -> Option<Tz> {
    if name.is_empty() || name.len() > 64 {
        return None;
    }
    Tz::from_str(name).ok()
}

/// The instant a wall-clock time denotes in `tz`. An ambiguous time (when clocks go back) is
/// the first of the two; a time in a gap (when clocks go forward) is read with the offset in
/// force before the gap, as RFC 5545 §3.3.5 says, so 02:30 becomes 03:30 summer time.
pub(crate) fn zoned(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Tz>> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Some(t),
        LocalResult::Ambiguous(first, _) => Some(first),
        LocalResult::None => {
            // Find the offset just before the gap; gaps are at most a day long (Samoa, 2011).
            (1..=26).find_map(|hours| {
                let before = local.checked_sub_signed(TimeDelta::hours(hours))?;
                let offset = match tz.from_local_datetime(&before) {
                    LocalResult::Single(t) | LocalResult::Ambiguous(_, t) => t.offset().to_owned(),
                    LocalResult::None => return None,
                };
                let utc = local.checked_sub_signed(TimeDelta::seconds(i64::from(
                    chrono::Offset::fix(&offset).local_minus_utc(),
                )))?;
                Some(tz.from_utc_datetime(&utc))
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, Timelike};

    use super::*;

    #[test]
    fn mozilla_style_tzids_resolve_to_their_iana_suffix() {
        let mut zones = Zones::default();
        assert!(matches!(
            zones.resolve("/mozilla.org/20070129_1/Asia/Tokyo"),
            Resolution::Zone(chrono_tz::Asia::Tokyo)
        ));
        assert!(matches!(
            zones.resolve("America/Argentina/Buenos_Aires"),
            Resolution::Zone(chrono_tz::America::Argentina::Buenos_Aires)
        ));
        assert!(matches!(
            zones.resolve("UTC+11"),
            Resolution::Unknown { first: true }
        ));
        assert!(matches!(
            zones.resolve("UTC+11"),
            Resolution::Unknown { first: false }
        ));
    }

    #[test]
    fn a_vtimezone_location_names_the_zone() {
        let mut zones = Zones::default();
        zones.add_vtimezone("Tokyo Standard Time".into(), Some("Asia/Tokyo".into()));
        assert!(matches!(
            zones.resolve("Tokyo Standard Time"),
            Resolution::Zone(chrono_tz::Asia::Tokyo)
        ));
    }

    #[test]
    fn a_time_in_the_spring_gap_moves_forward() {
        let local = NaiveDate::from_ymd_opt(2024, 3, 31)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        let t = zoned(chrono_tz::Europe::Paris, local).unwrap();
        assert_eq!((t.hour(), t.minute()), (3, 30));
    }
}
