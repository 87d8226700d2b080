//! The `vigie` command: parses the command line and hands over to the library.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use vigie::cli;
use vigie::config::{self, Config, ConfigSource, LogFormat};

/// jemalloc, set up in `.cargo/config.toml` to give memory back when Vigie is idle.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Vigie watches election calendars and OGP member status, and tells steering-committee peers
/// when a political opportunity window opens.
#[derive(Parser)]
#[command(name = "vigie", version, about, long_about = None, propagate_version = true)]
struct Cli {
    /// The configuration file. Without it, ./config.toml is used if it exists, otherwise the
    /// built-in default (SQLite in ./vigie.db and the bundled data).
    #[arg(long, short, global = true, env = "VIGIE_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run Vigie: sync every feed on its refresh schedule until interrupted (Ctrl-C).
    Run,
    /// Check the configuration and report every problem found.
    Check,
    /// Show the health of every feed, or sync feeds.
    Feeds {
        #[command(subcommand)]
        action: Option<cli::feeds::Action>,
    },
    /// List calendar events (elections, cabinets, referendums…).
    Calendar(cli::calendar::Args),
    /// List OGP members.
    Members(cli::members::ListArgs),
    /// Show one OGP member: status, history, action plan and coming events; or correct its status.
    Member(cli::members::ShowArgs),
    /// Check rule files, or test one rule against the stored data.
    Rules {
        #[command(subcommand)]
        action: cli::rules::Action,
    },
    /// List political opportunity windows, as of today or any day (--at).
    Windows(cli::windows::ListArgs),
    /// Show one window: dates, state, priority, labels and why it exists.
    Window(cli::windows::ShowArgs),
    /// Replay history: when would windows have opened before each ParlGov election?
    Backtest(cli::backtest::Args),
    /// List member-status changes proposed by status feeds, or confirm or dismiss one.
    Candidates {
        #[command(subcommand)]
        action: Option<cli::candidates::Action>,
    },
    /// Recount a BLT or ABIF ballot file offline and print the winners and the transcript.
    Tally(cli::tally::Args),
}

fn main() -> ExitCode {
    quiet_on_closed_pipe();
    let cli = Cli::parse();
    // An offline recount needs no configuration, database or runtime.
    if let Command::Tally(args) = &cli.command {
        return cli::tally::run(args);
    }
    let config = match load_config(cli.config.as_deref()) {
        Ok(config) => config,
        Err(errors) => {
            eprintln!("{errors}");
            return ExitCode::from(2);
        }
    };
    if let Command::Check = cli.command {
        return match cli::rules::load(&config) {
            Ok(Some(rules)) => cli::check::report(&config, rules.len()),
            Ok(None) => ExitCode::from(2),
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(2)
            }
        };
    }
    init_logging(&config);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: the async runtime cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(dispatch(cli.command, config));
    // A console still blocked reading its input must not hold the process open.
    runtime.shutdown_timeout(std::time::Duration::from_millis(500));
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// `vigie windows | head` closes the pipe early: printing then fails, and Rust's `println!`
/// panics. A reader that stopped reading is not an error; leave quietly, as a shell tool would.
fn quiet_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if message.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}

fn load_config(path: Option<&std::path::Path>) -> Result<Config, config::ConfigErrors> {
    let default_path = std::path::Path::new("config.toml");
    let source = match path {
        Some(p) => ConfigSource::File(p),
        None if default_path.exists() => ConfigSource::File(default_path),
        None => ConfigSource::Default,
    };
    config::load(source, std::env::vars())
}

fn init_logging(config: &Config) {
    // matrix-sdk warns at every sync that no key backup is set up, which Vigie does not use;
    // keep that quiet unless the configuration asks about matrix-sdk explicitly.
    let mut level = config.log.filter();
    if !level.contains("matrix_sdk") {
        level.push_str(",matrix_sdk_crypto::backups=error");
    }
    // serenity traces each REST request in a span whose fields hold the route, and an
    // interaction's route holds its token (a secret for 15 minutes): below warn, its spans are
    // off, so no event carries that route into the logs, unless the configuration asks.
    if !level.contains("serenity") {
        level.push_str(",serenity=warn");
    }
    let filter = tracing_subscriber::EnvFilter::try_new(&level)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(ansi);
    match config.log.format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

async fn dispatch(command: Command, config: Config) -> anyhow::Result<ExitCode> {
    if let Command::Rules {
        action: action @ cli::rules::Action::Check,
    } = command
    {
        return cli::rules::run(action, &config, None).await;
    }
    let store = vigie_storage::Store::open(config.database_url())
        .await
        .with_context(|| format!("the database named in {} cannot be opened", config.origin))?;
    match command {
        Command::Check => unreachable!("handled before the runtime starts"),
        Command::Tally(_) => unreachable!("handled before the configuration is loaded"),
        Command::Run => cli::run::run(config, store).await,
        Command::Feeds { action } => cli::feeds::run(action, &config, store).await,
        Command::Calendar(args) => cli::calendar::run(args, store).await,
        Command::Members(args) => cli::members::list(args, store).await,
        Command::Member(args) => cli::members::show(args, store).await,
        Command::Candidates { action } => cli::candidates::run(action, store).await,
        Command::Rules { action } => cli::rules::run(action, &config, Some(store)).await,
        Command::Backtest(args) => cli::backtest::run_command(args, &config, store).await,
        Command::Windows(args) => cli::windows::list(args, &config, store).await,
        Command::Window(args) => cli::windows::show(args, &config, store).await,
    }
}
