//! End-to-end tests of the `vigie` binary: real files, a real SQLite database, and feeds served
//! over HTTP by a local server.

mod alert_commands;
mod alerts;
mod award;
mod award_console;
mod chart;
mod chat;
mod cli;
mod console;
#[cfg(feature = "discord")]
mod discord;
#[cfg(feature = "discord")]
mod discord_ballots;
mod discord_commands;
#[cfg(feature = "discord")]
mod discord_components;
#[cfg(feature = "discord-http")]
mod discord_endpoint;
#[cfg(feature = "discord")]
mod discord_fake;
mod discord_openapi;
#[cfg(feature = "discord")]
mod discord_polls;
mod feed_fault;
mod http;
#[cfg(feature = "matrix")]
mod matrix;
#[cfg(feature = "matrix")]
mod matrix_alerts;
#[cfg(feature = "matrix")]
mod matrix_award;
#[cfg(feature = "matrix")]
mod matrix_harness;
#[cfg(feature = "matrix")]
mod matrix_image;
#[cfg(feature = "matrix")]
mod matrix_poll;
mod poll;
mod rules;
#[cfg(all(feature = "matrix", feature = "discord"))]
mod scenario;
mod status_feed;
#[cfg(feature = "matrix")]
mod synapse;
mod tally;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A scratch folder with a configuration, in which `vigie` runs.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    /// A sandbox whose config.toml is `config` (the database is `vigie.db` inside it).
    pub fn new(config: &str) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        std::fs::write(dir.path().join("config.toml"), config).expect("config.toml is written");
        Self { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, text: &str) {
        std::fs::write(self.path(name), text).expect("a file of the sandbox is written");
    }

    /// Runs `vigie ARGS` in the sandbox, with no VIGIE_ variables from the test's environment.
    pub fn vigie(&self, args: &[&str]) -> Run {
        self.vigie_env(args, &[])
    }

    pub fn vigie_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_vigie"));
        cmd.current_dir(self.dir.path())
            .args(args)
            .env("NO_COLOR", "1")
            .env("RUST_LOG", "warn");
        for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("VIGIE_")) {
            cmd.env_remove(k);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        Run(cmd.output().expect("vigie runs"))
    }
}

/// The outcome of one run of `vigie`.
pub struct Run(pub Output);

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }

    pub fn code(&self) -> Option<i32> {
        self.0.status.code()
    }

    /// Asserts success and returns stdout.
    #[track_caller]
    pub fn ok(&self) -> String {
        assert!(
            self.0.status.success(),
            "vigie failed ({:?})\nstdout:\n{}\nstderr:\n{}",
            self.code(),
            self.stdout(),
            self.stderr()
        );
        self.stdout()
    }

    /// Asserts failure and returns stdout and stderr together.
    #[track_caller]
    pub fn fails(&self) -> String {
        assert!(
            !self.0.status.success(),
            "vigie should have failed\nstdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        format!("{}{}", self.stdout(), self.stderr())
    }
}

/// The repository's data folder.
pub fn repo_data() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../data"))
}

/// The line of `vigie feeds sync` output for one feed.
#[track_caller]
pub fn sync_line<'a>(out: &'a str, feed: &str) -> &'a str {
    out.lines()
        .find(|l| l.split_whitespace().next() == Some(feed))
        .unwrap_or_else(|| panic!("no line for feed {feed} in:\n{out}"))
}
