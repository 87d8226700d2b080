//! Prometheus metrics of a running Vigie: commands answered (by outcome, with their duration),
//! how far behind each chat platform's sync is, each feed's health and the windows by state.
//!
//! [`Metrics`] is cheap to clone and shared by every part that records something; `/metrics`
//! (see [`crate::http`]) refreshes the feed and window gauges and encodes the whole registry as
//! OpenMetrics text. Nothing here does I/O.

use std::collections::HashSet;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::{Registry, Unit};
use vigie_rules::window::WindowState;
use vigie_storage::FeedHealth;

use crate::window::Snapshot;

/// At most this many distinct command names become label values; later ones are counted as
/// `other`, so that a caller passing what people typed cannot grow the series without bound.
const MAX_COMMANDS: usize = 100;

/// The label value that stands for commands beyond [`MAX_COMMANDS`].
const OTHER_COMMAND: &str = "other";

/// Every state a window can be in, so that `vigie_windows` shows zeros rather than gaps.
const WINDOW_STATES: [WindowState; 6] = [
    WindowState::Upcoming,
    WindowState::Open,
    WindowState::Closing,
    WindowState::Closed,
    WindowState::Cancelled,
    WindowState::Moved,
];

/// How a command ended, as the `outcome` label says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Answered as asked.
    Ok,
    /// Refused for bad input (the person got one sentence saying what to type).
    UserError,
    /// Refused by a permission or a rule (not a peer, already claimed…).
    Refused,
    /// Something went wrong on Vigie's side.
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ok => "ok",
            Self::UserError => "user_error",
            Self::Refused => "refused",
            Self::Failed => "failed",
        }
    }
}

// By hand: the derive would write `Ok`, `UserError`…
impl EncodeLabelValue for Outcome {
    fn encode(
        &self,
        encoder: &mut prometheus_client::encoding::LabelValueEncoder<'_>,
    ) -> Result<(), std::fmt::Error> {
        EncodeLabelValue::encode(&self.as_str(), encoder)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct CommandLabels {
    command: String,
    outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct CommandLabel {
    command: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct PlatformLabel {
    platform: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct FeedLabel {
    feed: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct StateLabel {
    state: String,
}

type FloatGauge = Gauge<f64, AtomicU64>;

fn duration_histogram() -> Histogram {
    // 50 µs doubling up to about 26 s: a lookup in the snapshot (~100 µs) and one that reads the
    // database (~10 ms) fall in different buckets.
    Histogram::new(exponential_buckets(50e-6, 2.0, 20))
}

struct Inner {
    registry: Registry,
    commands: Family<CommandLabels, Counter>,
    durations: Family<CommandLabel, Histogram, fn() -> Histogram>,
    sync_lag: Family<PlatformLabel, FloatGauge>,
    feed_up: Family<FeedLabel, Gauge>,
    feed_items: Family<FeedLabel, Gauge>,
    feed_last_success: Family<FeedLabel, FloatGauge>,
    feed_age: Family<FeedLabel, FloatGauge>,
    windows: Family<StateLabel, Gauge>,
    /// The command names seen so far, bounded by [`MAX_COMMANDS`].
    known_commands: Mutex<HashSet<String>>,
    /// Held while a family is cleared and refilled, and while encoding, so that a scrape never
    /// sees a family half refilled.
    refresh: Mutex<()>,
}

/// Vigie's metrics. Clones share one registry.
#[derive(Clone)]
pub struct Metrics {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::default();
        let commands = Family::<CommandLabels, Counter>::default();
        registry.register(
            "vigie_commands",
            "Commands answered, by command and outcome",
            commands.clone(),
        );
        let durations =
            Family::<CommandLabel, Histogram, fn() -> Histogram>::new_with_constructor(duration_histogram);
        registry.register_with_unit(
            "vigie_command_duration",
            "Time taken to answer a command",
            Unit::Seconds,
            durations.clone(),
        );
        let sync_lag = Family::<PlatformLabel, FloatGauge>::default();
        registry.register_with_unit(
            "vigie_sync_lag",
            "Time since the chat platform's last successful sync",
            Unit::Seconds,
            sync_lag.clone(),
        );
        let feed_up = Family::<FeedLabel, Gauge>::default();
        registry.register(
            "vigie_feed_up",
            "1 if the feed's last attempt succeeded, 0 if it failed or never succeeded",
            feed_up.clone(),
        );
        let feed_items = Family::<FeedLabel, Gauge>::default();
        registry.register(
            "vigie_feed_items",
            "Items the feed's last successful sync read",
            feed_items.clone(),
        );
        let feed_last_success = Family::<FeedLabel, FloatGauge>::default();
        registry.register_with_unit(
            "vigie_feed_last_success_timestamp",
            "When the feed was last fetched successfully (Unix time)",
            Unit::Seconds,
            feed_last_success.clone(),
        );
        let feed_age = Family::<FeedLabel, FloatGauge>::default();
        registry.register_with_unit(
            "vigie_feed_last_success_age",
            "Time since the feed was last fetched successfully",
            Unit::Seconds,
            feed_age.clone(),
        );
        let windows = Family::<StateLabel, Gauge>::default();
        registry.register(
            "vigie_windows",
            "Windows of the last evaluation, by state",
            windows.clone(),
        );
        Self {
            inner: Arc::new(Inner {
                registry,
                commands,
                durations,
                sync_lag,
                feed_up,
                feed_items,
                feed_last_success,
                feed_age,
                windows,
                known_commands: Mutex::new(HashSet::new()),
                refresh: Mutex::new(()),
            }),
        }
    }

    /// Counts one command and its duration.
    pub fn record_command(&self, command: &str, outcome: Outcome, elapsed: Duration) {
        let command = self.command_label(command);
        self.inner
            .commands
            .get_or_create(&CommandLabels {
                command: command.clone(),
                outcome,
            })
            .inc();
        self.inner
            .durations
            .get_or_create(&CommandLabel { command })
            .observe(elapsed.as_secs_f64());
    }

    /// The label value for `command`: itself while fewer than [`MAX_COMMANDS`] are known.
    fn command_label(&self, command: &str) -> String {
        let mut known = self
            .inner
            .known_commands
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if known.contains(command) {
            command.to_owned()
        } else if known.len() < MAX_COMMANDS {
            known.insert(command.to_owned());
            command.to_owned()
        } else {
            OTHER_COMMAND.to_owned()
        }
    }

    /// Sets how long ago `platform` (matrix, discord…) last synced successfully.
    pub fn set_sync_lag(&self, platform: &str, lag: Duration) {
        self.inner
            .sync_lag
            .get_or_create(&PlatformLabel {
                platform: platform.to_owned(),
            })
            .set(lag.as_secs_f64());
    }

    /// Replaces the feed gauges with `feeds` (a feed no longer listed disappears).
    pub fn set_feeds(&self, feeds: &[FeedHealth], now: DateTime<Utc>) {
        let _refreshing = self.lock_refresh();
        let i = &self.inner;
        i.feed_up.clear();
        i.feed_items.clear();
        i.feed_last_success.clear();
        i.feed_age.clear();
        for feed in feeds {
            let label = FeedLabel {
                feed: feed.name.clone(),
            };
            let up = feed.last_error.is_none() && feed.last_success.is_some();
            i.feed_up.get_or_create(&label).set(i64::from(up));
            i.feed_items
                .get_or_create(&label)
                .set(i64::try_from(feed.items).unwrap_or(i64::MAX));
            if let Some(at) = feed.last_success {
                i.feed_last_success.get_or_create(&label).set(unix_seconds(at));
                let age = (now - at).to_std().unwrap_or(Duration::ZERO);
                i.feed_age.get_or_create(&label).set(age.as_secs_f64());
            }
        }
    }

    /// Sets the window counts by state from `snapshot`.
    pub fn set_windows(&self, snapshot: &Snapshot) {
        let _refreshing = self.lock_refresh();
        for state in WINDOW_STATES {
            let count = snapshot.windows.iter().filter(|w| w.state == state).count();
            self.inner
                .windows
                .get_or_create(&StateLabel {
                    state: state.as_str().to_owned(),
                })
                .set(i64::try_from(count).unwrap_or(i64::MAX));
        }
    }

    /// The whole registry as OpenMetrics text, ending with `# EOF`.
    pub fn encode(&self) -> String {
        let _refreshing = self.lock_refresh();
        let mut text = String::new();
        // Writing into a String cannot fail; an encoder error would leave the text as far as it
        // got, which a scraper reports as malformed rather than Vigie crashing.
        if let Err(e) = prometheus_client::encoding::text::encode(&mut text, &self.inner.registry) {
            tracing::error!(error = %e, "encoding the metrics failed");
        }
        text
    }

    fn lock_refresh(&self) -> std::sync::MutexGuard<'_, ()> {
        self.inner.refresh.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn unix_seconds(at: DateTime<Utc>) -> f64 {
    // Milliseconds are exact in an f64 for any date Vigie meets.
    at.timestamp_millis() as f64 / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn feed(name: &str, error: Option<&str>, success: Option<DateTime<Utc>>, items: u64) -> FeedHealth {
        FeedHealth {
            name: name.to_owned(),
            kind: "csv".to_owned(),
            last_attempt: success,
            last_success: success,
            last_error: error.map(str::to_owned),
            last_error_at: None,
            items,
            added: 0,
            changed: 0,
            removed: 0,
            validators: Default::default(),
        }
    }

    /// The sample line of `name` with exactly these labels, as written.
    fn sample<'a>(text: &'a str, series: &str) -> Option<&'a str> {
        text.lines()
            .find(|l| l.starts_with(series) && l[series.len()..].starts_with(' '))
            .map(|l| l[series.len() + 1..].trim())
    }

    #[test]
    fn a_recorded_command_is_counted_by_outcome_and_timed() {
        let metrics = Metrics::new();
        metrics.record_command("windows", Outcome::Ok, Duration::from_micros(80));
        metrics.record_command("windows", Outcome::Ok, Duration::from_millis(12));
        metrics.record_command("windows", Outcome::UserError, Duration::from_micros(80));
        let text = metrics.encode();
        let cases = [
            (r#"vigie_commands_total{command="windows",outcome="ok"}"#, "2"),
            (
                r#"vigie_commands_total{command="windows",outcome="user_error"}"#,
                "1",
            ),
            (r#"vigie_command_duration_seconds_count{command="windows"}"#, "3"),
            (
                r#"vigie_command_duration_seconds_bucket{le="0.0001",command="windows"}"#,
                "2",
            ),
            (
                r#"vigie_command_duration_seconds_bucket{le="0.0128",command="windows"}"#,
                "3",
            ),
            (
                r#"vigie_command_duration_seconds_bucket{le="0.0064",command="windows"}"#,
                "2",
            ),
        ];
        for (series, value) in cases {
            assert_eq!(sample(&text, series), Some(value), "{series} in\n{text}");
        }
        assert!(text.ends_with("# EOF\n"), "{text}");
        assert!(
            text.contains("# UNIT vigie_command_duration_seconds seconds"),
            "{text}"
        );
    }

    #[test]
    fn command_names_beyond_the_limit_are_counted_as_other() {
        let metrics = Metrics::new();
        for i in 0..MAX_COMMANDS + 5 {
            metrics.record_command(&format!("c{i}"), Outcome::Failed, Duration::ZERO);
        }
        metrics.record_command("c0", Outcome::Failed, Duration::ZERO);
        let text = metrics.encode();
        assert_eq!(
            sample(&text, r#"vigie_commands_total{command="other",outcome="failed"}"#),
            Some("5")
        );
        assert_eq!(
            sample(&text, r#"vigie_commands_total{command="c0",outcome="failed"}"#),
            Some("2")
        );
    }

    #[test]
    fn feed_gauges_follow_the_last_health_list() {
        let metrics = Metrics::new();
        let now = Utc.with_ymd_and_hms(2026, 5, 1, 12, 0, 0).unwrap();
        let earlier = now - chrono::Duration::minutes(90);
        metrics.set_feeds(
            &[
                feed("elections", None, Some(earlier), 42),
                feed("broken", Some("HTTP 500"), Some(earlier), 7),
                feed("gone-later", None, Some(earlier), 1),
                feed("never", Some("timeout"), None, 0),
            ],
            now,
        );
        metrics.set_feeds(
            &[
                feed("elections", None, Some(earlier), 42),
                feed("broken", Some("HTTP 500"), Some(earlier), 7),
                feed("never", Some("timeout"), None, 0),
            ],
            now,
        );
        let text = metrics.encode();
        let stamp = unix_seconds(earlier).to_string();
        let cases: [(&str, Option<&str>); 9] = [
            (r#"vigie_feed_up{feed="elections"}"#, Some("1")),
            (r#"vigie_feed_up{feed="broken"}"#, Some("0")),
            (r#"vigie_feed_up{feed="never"}"#, Some("0")),
            (r#"vigie_feed_items{feed="elections"}"#, Some("42")),
            (
                r#"vigie_feed_last_success_age_seconds{feed="elections"}"#,
                Some("5400.0"),
            ),
            (r#"vigie_feed_last_success_timestamp_seconds{feed="never"}"#, None),
            (r#"vigie_feed_up{feed="gone-later"}"#, None),
            (r#"vigie_feed_items{feed="gone-later"}"#, None),
            (
                r#"vigie_feed_last_success_timestamp_seconds{feed="elections"}"#,
                Some(stamp.as_str()),
            ),
        ];
        for (series, value) in cases {
            let got = sample(&text, series).map(|v| v.trim_end_matches(".0").to_owned());
            let want = value.map(|v| v.trim_end_matches(".0").to_owned());
            assert_eq!(got, want, "{series} in\n{text}");
        }
    }

    #[test]
    fn window_gauges_count_every_state_including_empty_ones() {
        let metrics = Metrics::new();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        metrics.set_windows(&Snapshot::empty(day));
        let text = metrics.encode();
        for state in WINDOW_STATES {
            let series = format!(r#"vigie_windows{{state="{}"}}"#, state.as_str());
            assert_eq!(sample(&text, &series), Some("0"), "{series} in\n{text}");
        }
    }

    #[test]
    fn sync_lag_is_in_seconds_per_platform() {
        let metrics = Metrics::new();
        metrics.set_sync_lag("matrix", Duration::from_millis(2500));
        let text = metrics.encode();
        assert_eq!(
            sample(&text, r#"vigie_sync_lag_seconds{platform="matrix"}"#),
            Some("2.5")
        );
    }
}
