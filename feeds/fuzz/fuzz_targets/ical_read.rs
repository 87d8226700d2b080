//! Feeds arbitrary bytes to `vigie_feeds::ical::read`: it must never panic, never allocate
//! beyond its caps, and always locate what it reports.

#![no_main]

use libfuzzer_sys::fuzz_target;
use vigie_feeds::ical::{self, ReadOptions};

fuzz_target!(|data: &[u8]| {
    // Small caps keep each run fast; the code paths are the same as with the defaults.
    let options = ReadOptions {
        max_instances_per_rule: 300,
        max_instances_total: 3_000,
        ..ReadOptions::default()
    };
    let lines = data.iter().filter(|&&b| b == b'\n' || b == b'\r').count() + 1;
    match ical::read(data, &options) {
        Ok(calendar) => {
            for w in &calendar.warnings {
                assert!(w.line >= 1 && w.line <= lines, "warning out of the file: {w}");
                let _ = w.to_string();
            }
            for e in &calendar.events {
                assert!(e.line >= 1 && e.line <= lines);
                let _ = e.start.date();
                let _ = e.start.to_basic();
            }
            // Occurrences are capped in all; single events are bounded by the input's size.
            assert!(calendar.events.len() <= 3_000 + data.len() / 20 + 1);
        }
        Err(e) => {
            assert!(e.line >= 1 && e.line <= lines, "error out of the file: {e}");
            let _ = e.to_string();
        }
    }
});
