//! Quiet hours on the local clock of a receiver, across daylight-saving changes.

use vigie_rules::alert::QuietHours;

use crate::alert_fixture::at;

#[test]
fn quiet_hours_follow_the_local_clock_across_dst_changes_in_paris_and_new_york() {
    // (zone, start, end, instant, quiet?, end of the quiet period)
    for (case, tz, start, end, instant, quiet, ends) in [
        (
            "Paris winter night",
            "Europe/Paris",
            "22:00",
            "07:00",
            "2026-01-15T22:30:00Z",
            true,
            "2026-01-16T06:00:00Z",
        ),
        (
            "Paris before start",
            "Europe/Paris",
            "22:00",
            "07:00",
            "2026-01-15T20:59:00Z",
            false,
            "2026-01-15T20:59:00Z",
        ),
        (
            "Paris summer morning",
            "Europe/Paris",
            "22:00",
            "07:00",
            "2026-07-15T04:59:00Z",
            true,
            "2026-07-15T05:00:00Z",
        ),
        (
            "Paris at the end",
            "Europe/Paris",
            "22:00",
            "07:00",
            "2026-07-15T05:00:00Z",
            false,
            "2026-07-15T05:00:00Z",
        ),
        // 29 March 2026: 02:00 CET becomes 03:00 CEST; the night is an hour shorter.
        (
            "Paris spring night",
            "Europe/Paris",
            "22:00",
            "07:00",
            "2026-03-28T21:00:00Z",
            true,
            "2026-03-29T05:00:00Z",
        ),
        // An end inside the skipped hour ends quiet at the first instant after the gap.
        (
            "Paris end in the gap",
            "Europe/Paris",
            "23:00",
            "02:30",
            "2026-03-28T23:30:00Z",
            true,
            "2026-03-29T01:00:00Z",
        ),
        (
            "Paris after the gap",
            "Europe/Paris",
            "23:00",
            "02:30",
            "2026-03-29T01:00:00Z",
            false,
            "2026-03-29T01:00:00Z",
        ),
        // 25 October 2026: 03:00 CEST becomes 02:00 CET; the night is an hour longer.
        (
            "Paris autumn night",
            "Europe/Paris",
            "22:00",
            "07:00",
            "2026-10-25T05:30:00Z",
            true,
            "2026-10-25T06:00:00Z",
        ),
        // An end inside the repeated hour ends quiet at its first occurrence, once.
        (
            "Paris end in the overlap",
            "Europe/Paris",
            "00:00",
            "02:30",
            "2026-10-25T00:00:00Z",
            true,
            "2026-10-25T00:30:00Z",
        ),
        (
            "Paris repeated hour",
            "Europe/Paris",
            "00:00",
            "02:30",
            "2026-10-25T01:15:00Z",
            false,
            "2026-10-25T01:15:00Z",
        ),
        // 8 March 2026: 02:00 EST becomes 03:00 EDT.
        (
            "New York spring night",
            "America/New_York",
            "22:00",
            "07:00",
            "2026-03-08T05:00:00Z",
            true,
            "2026-03-08T11:00:00Z",
        ),
        (
            "New York end in the gap",
            "America/New_York",
            "01:00",
            "02:30",
            "2026-03-08T06:30:00Z",
            true,
            "2026-03-08T07:00:00Z",
        ),
        // 1 November 2026: 02:00 EDT becomes 01:00 EST.
        (
            "New York autumn night",
            "America/New_York",
            "22:00",
            "07:00",
            "2026-11-01T11:30:00Z",
            true,
            "2026-11-01T12:00:00Z",
        ),
        (
            "New York end in the overlap",
            "America/New_York",
            "00:30",
            "01:30",
            "2026-11-01T05:00:00Z",
            true,
            "2026-11-01T05:30:00Z",
        ),
        (
            "New York repeated hour",
            "America/New_York",
            "00:30",
            "01:30",
            "2026-11-01T06:00:00Z",
            false,
            "2026-11-01T06:00:00Z",
        ),
        (
            "daytime span",
            "America/New_York",
            "12:00",
            "14:00",
            "2026-06-01T17:00:00Z",
            true,
            "2026-06-01T18:00:00Z",
        ),
        (
            "empty span",
            "Europe/Paris",
            "07:00",
            "07:00",
            "2026-06-01T05:00:00Z",
            false,
            "2026-06-01T05:00:00Z",
        ),
    ] {
        let q = QuietHours::parse(tz, start, end).unwrap();
        assert_eq!(q.contains(at(instant)), quiet, "{case}");
        assert_eq!(q.next_end(at(instant)), at(ends), "{case}");
        if quiet {
            assert!(!q.contains(at(ends)), "{case}: quiet hours are over at their end");
        }
    }
}
