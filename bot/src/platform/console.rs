//! The terminal console: the same commands as in a chat room, typed at `vigie>`, as an admin.
//! It is what `vigie run` opens when no chat platform is configured, for trying Vigie with no
//! chat account.
//!
//! On a terminal it has line editing and a history kept in `.vigie/console-history`, and prints
//! window announcements above the prompt as they arrive; `quit`, Ctrl-D or Ctrl-C stops Vigie.
//! When standard input is not a terminal (a script, a test), it answers each line it reads, one
//! reply per line, and Vigie keeps running after the input ends, like a service.
//!
//! Alerts routed to the receiver `console` are printed too, as they are delivered from the
//! outbox (the console is their platform: they wait in the outbox while no console runs).
//!
//! A reply with a picture (award results as a chart) has it saved as a PNG file in
//! `.vigie/images/`, beside the history, and its path printed after the text; so has an outbox
//! message with one (the results of a campaign closed on its schedule).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio_util::sync::CancellationToken;

use crate::alert::sender::{Delivery, deliver_loop, owner};
use crate::chat::{Caller, Chat, Image, Reply};
use crate::engine::Announcement;

/// What the person types to leave.
const QUIT: [&str; 2] = ["quit", "exit"];

/// Runs the console until `cancel`, or until the person at the terminal leaves (which cancels).
pub async fn run(chat: Chat, history: PathBuf, cancel: CancellationToken) -> anyhow::Result<()> {
    let images = history
        .parent()
        .map_or_else(|| PathBuf::from("images"), |folder| folder.join("images"));
    let alerts = deliveries(&chat, images.clone(), &cancel);
    if std::io::stdin().is_terminal() {
        interactive(chat, history, images, alerts, cancel).await
    } else {
        scripted(chat, images, alerts, cancel).await
    }
}

/// A reply as the console prints it: its text, then where its picture was saved.
async fn printed(reply: Reply, images: &Path) -> String {
    with_image(reply.markdown, reply.image, images).await
}

/// `text`, then, when it has a picture, the line saying what the picture shows and where it was
/// saved (in the folder `images`): replies and outbox messages (scheduled award results with
/// their chart) alike.
async fn with_image(mut text: String, image: Option<Image>, images: &Path) -> String {
    if let Some(image) = image {
        let line = match save_image(images, &image).await {
            Ok(path) => format!("Image ({}): {}", image.alt, path.display()),
            Err(e) => {
                tracing::warn!(error = format!("{e:#}"), "an image was not saved");
                format!(
                    "The image {} could not be saved in {}: {e}",
                    image.name,
                    images.display()
                )
            }
        };
        text.push_str("\n\n");
        text.push_str(&line);
    }
    text
}

/// Writes `image` into the folder `images` under a new name (the time, then its own name made
/// safe for a file system), never over an earlier file; returns the file's path.
async fn save_image(images: &Path, image: &Image) -> std::io::Result<PathBuf> {
    tokio::fs::create_dir_all(images).await?;
    let stem = format!(
        "{}-{}",
        chrono::Utc::now().format("%Y%m%d-%H%M%S"),
        file_stem(&image.name)
    );
    for n in 1u32.. {
        let name = match n {
            1 => format!("{stem}.png"),
            n => format!("{stem}-{n}.png"),
        };
        let path = images.join(name);
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .await;
        match file {
            Ok(mut file) => {
                file.write_all(&image.png).await?;
                file.flush().await?;
                return Ok(std::path::absolute(&path).unwrap_or(path));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no free file name is left"))
}

/// `name` without its `.png` ending, with only letters, digits, `-` and `_` (anything else
/// becomes `-`), never empty: a name given by a command cannot leave the folder.
fn file_stem(name: &str) -> String {
    let name = name.strip_suffix(".png").unwrap_or(name);
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(80)
        .collect();
    let stem = stem.trim_matches('-');
    if stem.is_empty() {
        "image".to_owned()
    } else {
        stem.to_owned()
    }
}

/// Starts the sender of the console's outbox messages; they arrive on the channel returned, with
/// their pictures saved in the folder `images` and the line that says where after the text, as
/// for a reply.
fn deliveries(chat: &Chat, images: PathBuf, cancel: &CancellationToken) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel::<String>(16);
    let store = chat.store().clone();
    tokio::spawn(deliver_loop(
        store,
        "console",
        owner("console"),
        move |row| {
            let tx = tx.clone();
            let images = images.clone();
            async move {
                let image = row.image.map(|i| Image {
                    name: i.name,
                    png: i.png,
                    alt: i.alt,
                });
                let text = with_image(row.body_markdown, image, &images).await;
                match tx.send(text).await {
                    Ok(()) => Delivery::Sent(None),
                    Err(_) => Delivery::Retry {
                        after: std::time::Duration::from_secs(5),
                        error: "the console is not printing".to_owned(),
                    },
                }
            }
        },
        cancel.clone(),
    ));
    rx
}

/// Lines from a pipe or a file: each answered in order on standard output.
async fn scripted(
    chat: Chat,
    images: PathBuf,
    mut alerts: mpsc::Receiver<String>,
    cancel: CancellationToken,
) -> anyhow::Result<()> {
    let caller = Caller::console();
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    let mut out = tokio::io::stdout();
    let mut announcements = chat.engine().announcements();
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return Ok(()),
            Some(text) = alerts.recv() => {
                out.write_all(format!("{text}\n\n").as_bytes()).await?;
                out.flush().await?;
            }
            a = announcements.recv() => {
                if let Some(text) = announcement_text(&chat, a).await {
                    out.write_all(format!("{text}\n\n").as_bytes()).await?;
                    out.flush().await?;
                }
            }
            line = lines.next_line() => {
                let Some(line) = line? else {
                    tracing::debug!("the console's input ended; Vigie keeps running");
                    // Keep printing announcements and alerts until Vigie stops.
                    drain(chat, announcements, alerts, cancel).await;
                    return Ok(());
                };
                let line = line.trim();
                if line.is_empty() {
                    continue;
                }
                let reply = printed(chat.handle(&caller, line).await, &images).await;
                out.write_all(format!("{reply}\n\n").as_bytes()).await?;
                out.flush().await?;
            }
        }
    }
}

async fn drain(
    chat: Chat,
    mut announcements: broadcast::Receiver<Announcement>,
    mut alerts: mpsc::Receiver<String>,
    cancel: CancellationToken,
) {
    let mut out = tokio::io::stdout();
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            Some(text) = alerts.recv() => {
                let _ = out.write_all(format!("{text}\n\n").as_bytes()).await;
                let _ = out.flush().await;
            }
            a = announcements.recv() => {
                if matches!(a, Err(broadcast::error::RecvError::Closed)) {
                    return;
                }
                if let Some(text) = announcement_text(&chat, a).await {
                    let _ = out.write_all(format!("{text}\n\n").as_bytes()).await;
                    let _ = out.flush().await;
                }
            }
        }
    }
}

/// One announcement as a line for the console.
async fn announcement_text(
    chat: &Chat,
    a: Result<Announcement, broadcast::error::RecvError>,
) -> Option<String> {
    let a = match a {
        Ok(a) => a,
        Err(broadcast::error::RecvError::Lagged(n)) => {
            return Some(format!(
                "({n} announcements were skipped: the console was too slow)"
            ));
        }
        Err(broadcast::error::RecvError::Closed) => return None,
    };
    let w = &a.window;
    let lang = chat.language(&Caller::console()).await;
    let state = chat
        .locales()
        .text(lang, &format!("state-{}", w.state.as_str()), &[]);
    let id = match a.before {
        None => "announce-new",
        Some(_) => "announce-state",
    };
    use crate::command::locale::arg;
    Some(chat.locales().text(
        lang,
        id,
        &[
            ("id", arg(w.id.to_string())),
            ("title", arg(w.title.clone())),
            ("state", arg(state)),
            ("opens", arg(w.opens.to_string())),
            ("closes", arg(w.closes.to_string())),
        ],
    ))
}

/// A request from the line editor's thread: a line to answer, and where to send the answer.
type Request = (String, oneshot::Sender<String>);

/// The terminal: rustyline runs on its own thread (it blocks on the keyboard); commands run on
/// the async side; announcements are printed above the prompt.
async fn interactive(
    chat: Chat,
    history: PathBuf,
    images: PathBuf,
    mut alerts: mpsc::Receiver<String>,
    cancel: CancellationToken,
) -> anyhow::Result<()> {
    let (tx, mut rx) = mpsc::channel::<Request>(1);
    let mut editor = rustyline::DefaultEditor::new()?;
    let printer = editor.create_external_printer().ok();
    if let Some(parent) = history.parent() {
        let _ = std::fs::create_dir_all(parent);
    }
    let _ = editor.load_history(&history);
    println!(
        "Vigie's console: the chat commands, as an admin. `help` lists them; `quit` or Ctrl-D stops Vigie."
    );
    let editor_cancel = cancel.clone();
    let thread = std::thread::Builder::new()
        .name("console".into())
        .spawn(move || edit_loop(editor, history, tx, editor_cancel))?;
    if let Some(mut printer) = printer {
        let chat = chat.clone();
        let cancel = cancel.clone();
        let mut announcements = chat.engine().announcements();
        tokio::spawn(async move {
            use rustyline::ExternalPrinter as _;
            loop {
                tokio::select! {
                    _ = cancel.cancelled() => return,
                    Some(text) = alerts.recv() => {
                        let _ = printer.print(format!("{text}\n"));
                    }
                    a = announcements.recv() => {
                        if matches!(a, Err(broadcast::error::RecvError::Closed)) { return; }
                        if let Some(text) = announcement_text(&chat, a).await {
                            let _ = printer.print(format!("{text}\n"));
                        }
                    }
                }
            }
        });
    } else {
        // No way to print above the prompt: alerts go straight to standard output.
        let cancel = cancel.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = cancel.cancelled() => return,
                    text = alerts.recv() => match text {
                        Some(text) => println!("{text}\n"),
                        None => return,
                    },
                }
            }
        });
    }
    let caller = Caller::console();
    loop {
        tokio::select! {
            _ = cancel.cancelled() => break,
            request = rx.recv() => {
                let Some((line, answer)) = request else {
                    // The person left: Vigie stops.
                    cancel.cancel();
                    break;
                };
                let reply = printed(chat.handle(&caller, &line).await, &images).await;
                let _ = answer.send(reply);
            }
        }
    }
    // The editor's thread ends at its next key press or line; do not wait for it.
    drop(thread);
    Ok(())
}

fn edit_loop(
    mut editor: rustyline::DefaultEditor,
    history: PathBuf,
    tx: mpsc::Sender<Request>,
    cancel: CancellationToken,
) {
    use rustyline::error::ReadlineError;
    while !cancel.is_cancelled() {
        match editor.readline("vigie> ") {
            Ok(line) => {
                let line = line.trim().to_owned();
                if line.is_empty() {
                    continue;
                }
                let _ = editor.add_history_entry(line.as_str());
                if QUIT.contains(&line.as_str()) {
                    break;
                }
                let (answer, reply) = oneshot::channel();
                if tx.blocking_send((line, answer)).is_err() {
                    break;
                }
                match reply.blocking_recv() {
                    Ok(text) => println!("{text}\n"),
                    Err(_) => break,
                }
            }
            Err(ReadlineError::Interrupted | ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("the console cannot read the terminal: {e}");
                break;
            }
        }
    }
    if let Err(e) = editor.save_history(&history) {
        tracing::debug!(error = %e, "the console history was not saved");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(name: &str) -> Image {
        Image {
            name: name.to_owned(),
            png: b"\x89PNG\r\n\x1a\n not really".to_vec(),
            alt: "results".to_owned(),
        }
    }

    #[test]
    fn a_file_name_keeps_only_safe_characters_and_is_never_empty() {
        assert_eq!(file_stem("results-open-gov_2026.png"), "results-open-gov_2026");
        assert_eq!(file_stem("../../etc/passwd"), "etc-passwd");
        assert_eq!(file_stem("Résultats 2026"), "R-sultats-2026");
        assert_eq!(file_stem(""), "image");
        assert_eq!(file_stem("/..//"), "image");
        assert_eq!(file_stem(&"x".repeat(500)).len(), 80);
    }

    #[tokio::test]
    async fn images_are_saved_in_their_folder_without_overwriting_earlier_ones() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let folder = dir.path().join("images");
        let first = save_image(&folder, &image("../chart.png")).await.expect("saved");
        let second = save_image(&folder, &image("../chart.png")).await.expect("saved");
        assert_ne!(first, second);
        for path in [&first, &second] {
            assert!(path.is_absolute(), "{}", path.display());
            assert_eq!(path.parent(), Some(folder.as_path()));
            assert_eq!(std::fs::read(path).expect("the file"), image("x").png);
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            assert!(name.contains("-chart") && name.ends_with(".png"), "{name}");
        }
    }

    #[tokio::test]
    async fn a_reply_with_an_image_prints_its_text_then_the_saved_path() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let reply = Reply {
            markdown: "**Results**".to_owned(),
            outcome: crate::metrics::Outcome::Ok,
            image: Some(image("results.png")),
            redact_command: None,
        };
        let text = printed(reply, dir.path()).await;
        let (head, line) = text.split_once("\n\n").expect("text, then the image line");
        assert_eq!(head, "**Results**");
        let path = line.strip_prefix("Image (results): ").expect("the image line");
        assert!(Path::new(path).is_file(), "{path}");

        let plain = Reply {
            markdown: "no picture".to_owned(),
            outcome: crate::metrics::Outcome::Ok,
            image: None,
            redact_command: None,
        };
        assert_eq!(printed(plain, dir.path()).await, "no picture");
    }
}
