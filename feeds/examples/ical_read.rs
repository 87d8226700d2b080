//! Reads an iCalendar file with `vigie_feeds::ical::read` and prints its events, its warnings
//! and how fast it was read.
//!
//! ```text
//! cargo run --release -p vigie-feeds --example ical_read -- FILE [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--cap N] [--quiet]
//! ```
//!
//! Events go to standard output, one a line: start, end, uid, summary (tab-separated).
//! Warnings and the closing summary (calendars, events, warnings, MB/s where 1 MB is 10^6
//! bytes, timing `read` alone) go to standard error. `--quiet` prints the summary only.

use std::io::{BufWriter, Write};
use std::process::ExitCode;
use std::time::Instant;

use chrono::NaiveDate;
use vigie_feeds::ical::{self, ReadOptions};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("ical_read: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut path = None;
    let mut options = ReadOptions::default();
    let mut quiet = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--from" => options.horizon_start = date(&value("--from")?)?,
            "--to" => options.horizon_end = date(&value("--to")?)?,
            "--cap" => {
                let v = value("--cap")?;
                options.max_instances_per_rule =
                    v.parse().map_err(|_| format!("--cap {v:?} is not a number"))?;
            }
            "--quiet" => quiet = true,
            "-h" | "--help" => {
                println!("usage: ical_read FILE [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--cap N] [--quiet]");
                return Ok(());
            }
            _ if path.is_none() && !arg.starts_with("--") => path = Some(arg),
            _ => return Err(format!("unexpected argument {arg:?}; see --help")),
        }
    }
    let path = path.ok_or("no file given; usage: ical_read FILE [--from D] [--to D] [--cap N] [--quiet]")?;
    let bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;

    let started = Instant::now();
    let calendar = ical::read(&bytes, &options).map_err(|e| format!("{path}: {e}"))?;
    let elapsed = started.elapsed().as_secs_f64();

    if !quiet {
        let stdout = std::io::stdout();
        let mut out = BufWriter::new(stdout.lock());
        for e in &calendar.events {
            let end = e.end.map(|t| t.to_string()).unwrap_or_default();
            writeln!(
                out,
                "{}\t{}\t{}\t{}",
                e.start,
                end,
                e.uid,
                e.summary.replace('\n', " ")
            )
            .map_err(|e| e.to_string())?;
        }
        out.flush().map_err(|e| e.to_string())?;
        for w in &calendar.warnings {
            eprintln!("warning: {w}");
        }
    }
    let mb = bytes.len() as f64 / 1e6;
    eprintln!(
        "{path}: {:.1} MB ({:?}) read in {:.3} s = {:.1} MB/s: {} calendars, {} events, {} warnings, {} overrides applied",
        mb,
        calendar.encoding,
        elapsed,
        mb / elapsed.max(1e-9),
        calendar.calendars,
        calendar.events.len(),
        calendar.warnings.len(),
        calendar.overrides_applied,
    );
    Ok(())
}

fn date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("{s:?} is not a date; expected YYYY-MM-DD"))
}
