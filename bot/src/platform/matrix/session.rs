//! Vigie's Matrix session and its store folder: the matrix-sdk SQLite stores (room state, sync
//! token, and the encryption keys of this device), the session (user, device, access token) and,
//! when none is configured, the store passphrase. Everything secret is written readable by its
//! owner only, and nothing secret is ever logged.
//!
//! The device is what matters: a restart must come back as the *same* device, or the bot goes
//! deaf in encrypted rooms (senders share room keys with the devices they know). So the session
//! is saved after the first login and restored at every start; a login happens only when there is
//! no saved session, when the configured access token changed, or when the homeserver revoked the
//! saved one: after a soft logout Vigie logs in again on the same device id; after a real logout
//! the homeserver has deleted the device and its keys, so with a password Vigie starts as a new
//! device, keeping the old store aside.

use std::io::{Read, Write};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use matrix_sdk::authentication::matrix::MatrixSession;
use matrix_sdk::config::RequestConfig;
use matrix_sdk::ruma::api::error::ErrorKind;
use matrix_sdk::ruma::{OwnedDeviceId, OwnedUserId, UserId};
use matrix_sdk::{Client, SessionMeta, SessionTokens, SqliteStoreConfig};
use serde::{Deserialize, Serialize};

use crate::config::{Matrix, MatrixLogin};

/// The file of the saved session, in the store folder.
const SESSION_FILE: &str = "session.json";
/// The file of the generated store passphrase, in the store folder.
const PASSPHRASE_FILE: &str = "passphrase";
/// How many requests to the homeserver may be in flight at once (the sync's long poll is one);
/// more wait their turn, in order, so that a burst of replies cannot swamp a slow homeserver.
const MAX_REQUESTS: usize = 32;
/// How many of those may be messages being sent (replies, the outbox). The client's slots are
/// handed out in order of asking, so without this bound a burst of thousands of replies to a slow
/// homeserver would queue the next sync and the history fetches of limited timelines behind
/// every one of them: commands would wait seconds before Vigie even saw them. Sends wait for a
/// slot of their own first, so at least half of the client's slots stay free for reading.
pub(super) const SEND_SLOTS: usize = MAX_REQUESTS / 2;

/// The saved session. It holds the access token: written with mode 0600, never logged.
#[derive(Serialize, Deserialize)]
struct Saved {
    homeserver: String,
    #[serde(flatten)]
    session: MatrixSession,
}

/// A client logged in as the configured user, on its own store, with the same device as the last
/// run whenever there was one.
pub async fn connect(config: &Matrix) -> anyhow::Result<Client> {
    let store = &config.store;
    prepare_folder(store)?;
    let mut passphrase = match &config.store_passphrase {
        Some(p) => p.clone(),
        None => generated_passphrase(store)?,
    };
    let user: OwnedUserId = UserId::parse(config.user.as_str())
        .with_context(|| format!("matrix.user \"{}\" is not a Matrix user id", config.user))?;
    let saved = read_session(store)?;
    if let Some(saved) = &saved
        && saved.session.meta.user_id != user
    {
        bail!(
            "the Matrix store {} belongs to {}, not to {user}; point matrix.store at another folder",
            store.display(),
            saved.session.meta.user_id
        );
    }
    let mut client = build(config, &passphrase).await?;
    let mut device = None;
    if let Some(saved) = saved {
        device = Some(saved.session.meta.device_id.clone());
        let token_changed =
            matches!(&config.login, MatrixLogin::AccessToken(t) if *t != saved.session.tokens.access_token);
        if !token_changed {
            client
                .restore_session(saved.session)
                .await
                .context("the saved Matrix session cannot be restored")?;
            match client.whoami().await {
                Ok(_) => {
                    tracing::info!(user = %user, device = ?device, "Matrix session restored");
                    return Ok(client);
                }
                Err(e) => {
                    let Some(ErrorKind::UnknownToken(token)) = e.client_api_error_kind() else {
                        return Err(e).context("the Matrix homeserver cannot be reached");
                    };
                    drop(client);
                    if token.soft_logout {
                        tracing::warn!(
                            user = %user,
                            device = ?device,
                            "the homeserver asks Vigie to log in again (soft logout); logging in on the same device"
                        );
                    } else {
                        // The device was logged out: the homeserver deleted it with its keys, so
                        // the store's encryption keys are of no use any more. A password makes a
                        // new device; the old store is kept aside, never deleted.
                        if !matches!(config.login, MatrixLogin::Password(_)) {
                            bail!(
                                "the homeserver logged Vigie's Matrix device {} out; give a new access token, and move the store {} away so that Vigie starts as the new device",
                                device.as_ref().map(|d| d.as_str()).unwrap_or("?"),
                                store.display()
                            );
                        }
                        let aside = set_aside(store)?;
                        tracing::warn!(
                            user = %user,
                            device = ?device,
                            old_store = %aside.display(),
                            "the homeserver logged Vigie's Matrix device out; starting as a new device (the old store is kept aside)"
                        );
                        device = None;
                        prepare_folder(store)?;
                        passphrase = match &config.store_passphrase {
                            Some(p) => p.clone(),
                            None => generated_passphrase(store)?,
                        };
                    }
                    client = build(config, &passphrase).await?;
                }
            }
        }
    }
    log_in(&client, config, &user, device).await?;
    let session = client
        .matrix_auth()
        .session()
        .context("the Matrix login gave no session")?;
    tracing::info!(user = %user, device = %session.meta.device_id, "logged in to Matrix");
    write_session(
        store,
        &Saved {
            homeserver: config.homeserver.clone(),
            session,
        },
    )?;
    Ok(client)
}

/// The matrix-sdk stores (state, crypto, event cache, media) are four SQLite databases, each
/// with its own pool of connections. The SDK's defaults (four connections per core, a 2 MB page
/// cache on each) are sized for a client with a large timeline on screen; Vigie reads little
/// back, so two connections (one writes, one reads) with a small cache each keep it lean at 100 rooms and more.
const STORE_CONNECTIONS: usize = 2;
const STORE_CACHE_BYTES: u32 = 256 * 1024;

fn store_config(config: &Matrix, passphrase: &str) -> SqliteStoreConfig {
    SqliteStoreConfig::new(&config.store)
        .passphrase(Some(passphrase))
        .pool_max_size(STORE_CONNECTIONS)
        .cache_size(STORE_CACHE_BYTES)
        .journal_size_limit(4 * 1024 * 1024)
}

async fn build(config: &Matrix, passphrase: &str) -> anyhow::Result<Client> {
    Client::builder()
        .homeserver_url(&config.homeserver)
        .request_config(RequestConfig::new().max_concurrent_requests(NonZeroUsize::new(MAX_REQUESTS)))
        .sqlite_store_with_config_and_cache_path(store_config(config, passphrase), None::<&Path>)
        .build()
        .await
        .with_context(|| {
            format!(
                "the Matrix store {} cannot be opened (was it created with another passphrase?)",
                config.store.display()
            )
        })
}

async fn log_in(
    client: &Client,
    config: &Matrix,
    user: &UserId,
    device: Option<OwnedDeviceId>,
) -> anyhow::Result<()> {
    match &config.login {
        MatrixLogin::Password(password) => {
            let mut login = client
                .matrix_auth()
                .login_username(user, password)
                .initial_device_display_name(&config.device_name);
            if let Some(device) = &device {
                login = login.device_id(device.as_str());
            }
            login
                .send()
                .await
                .with_context(|| format!("logging in to Matrix as {user} failed"))?;
        }
        MatrixLogin::AccessToken(token) => {
            let (owner, token_device) = token_owner(config, token).await?;
            if owner != user {
                bail!("the Matrix access token belongs to {owner}, not to {user} (matrix.user)");
            }
            if let Some(device) = device.filter(|d| *d != token_device) {
                bail!(
                    "the Matrix access token is for device {token_device}, but the store {} holds device {device}; \
                     use a token of device {device}, or a new matrix.store folder",
                    config.store.display()
                );
            }
            client
                .restore_session(MatrixSession {
                    meta: SessionMeta {
                        user_id: owner,
                        device_id: token_device,
                    },
                    tokens: SessionTokens {
                        access_token: token.clone(),
                        refresh_token: None,
                    },
                })
                .await
                .context("the Matrix session of the access token cannot be set up")?;
        }
    }
    Ok(())
}

/// The user and device an access token belongs to, asked of the homeserver by a throw-away
/// client (a session needs the device id before it can be set up on the real store).
async fn token_owner(config: &Matrix, token: &str) -> anyhow::Result<(OwnedUserId, OwnedDeviceId)> {
    let probe = Client::builder()
        .homeserver_url(&config.homeserver)
        .build()
        .await
        .context("a Matrix client cannot be built")?;
    probe
        .restore_session(MatrixSession {
            meta: SessionMeta {
                user_id: UserId::parse(config.user.as_str())?,
                device_id: "VIGIEPROBE".into(),
            },
            tokens: SessionTokens {
                access_token: token.to_owned(),
                refresh_token: None,
            },
        })
        .await
        .context("the Matrix access token cannot be tried")?;
    let whoami = probe
        .whoami()
        .await
        .context("the homeserver refused the Matrix access token")?;
    let device = whoami
        .device_id
        .context("the Matrix access token belongs to no device; expected a token from a login")?;
    Ok((whoami.user_id, device))
}

/// Renames the store folder to a sibling `NAME.logged-out-SECONDS`, and returns that.
fn set_aside(store: &Path) -> anyhow::Result<PathBuf> {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let name = store
        .file_name()
        .map_or_else(|| "matrix".into(), |n| n.to_string_lossy());
    let aside = store.with_file_name(format!("{name}.logged-out-{seconds}"));
    std::fs::rename(store, &aside).with_context(|| {
        format!(
            "the Matrix store {} cannot be moved to {}",
            store.display(),
            aside.display()
        )
    })?;
    Ok(aside)
}

/// Creates the store folder (readable by its owner only) if it does not exist.
fn prepare_folder(store: &Path) -> anyhow::Result<()> {
    if store.is_dir() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(store)
        .with_context(|| format!("the Matrix store folder {} cannot be created", store.display()))
}

/// The passphrase generated into the store folder on the first run, read back on later runs.
fn generated_passphrase(store: &Path) -> anyhow::Result<String> {
    let path = store.join(PASSPHRASE_FILE);
    match std::fs::read_to_string(&path) {
        Ok(p) if !p.trim().is_empty() => return Ok(p.trim().to_owned()),
        Ok(_) => bail!(
            "{} is empty; restore it, or remove the whole store folder to start as a new device",
            path.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("{} cannot be read", path.display())),
    }
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .context("no randomness for the Matrix store passphrase (/dev/urandom); set VIGIE_MATRIX__STORE_PASSPHRASE")?;
    let passphrase: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    write_private(&path, passphrase.as_bytes())?;
    tracing::info!(file = %path.display(), "generated a passphrase for the Matrix store");
    Ok(passphrase)
}

fn read_session(store: &Path) -> anyhow::Result<Option<Saved>> {
    let path = store.join(SESSION_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("{} cannot be read", path.display())),
    };
    // The error of a broken file is not shown: it could quote the token.
    serde_json::from_str(&text).map(Some).map_err(|_| {
        anyhow::anyhow!(
            "{} is not a saved Matrix session; remove it to log in again",
            path.display()
        )
    })
}

fn write_session(store: &Path, saved: &Saved) -> anyhow::Result<()> {
    let json = serde_json::to_vec_pretty(saved).context("the Matrix session cannot be serialised")?;
    write_private(&store.join(SESSION_FILE), &json)
}

/// Writes `bytes` to `path` through a temporary file renamed into place, so that a crash leaves
/// the old file or the new one, never half of one; the file is readable by its owner only.
fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let tmp: PathBuf = path.with_extension("tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(&tmp)
        .with_context(|| format!("{} cannot be written", tmp.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("{} cannot be written", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("{} cannot be written", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_passphrase_is_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = generated_passphrase(dir.path()).unwrap();
        assert_eq!(first.len(), 64);
        assert_eq!(generated_passphrase(dir.path()).unwrap(), first);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(PASSPHRASE_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_broken_session_file_is_reported_without_its_content() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(SESSION_FILE), "{\"access_token\": \"syt_secret\"").unwrap();
        let error = read_session(dir.path()).err().unwrap().to_string();
        assert!(error.contains("is not a saved Matrix session"), "{error}");
        assert!(!error.contains("syt_secret"), "{error}");
    }

    #[test]
    fn a_saved_session_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let saved = Saved {
            homeserver: "http://127.0.0.1:8008".into(),
            session: MatrixSession {
                meta: SessionMeta {
                    user_id: "@vigie:localhost".try_into().unwrap(),
                    device_id: "ABCDEF".into(),
                },
                tokens: SessionTokens {
                    access_token: "syt_token".into(),
                    refresh_token: None,
                },
            },
        };
        write_session(dir.path(), &saved).unwrap();
        let back = read_session(dir.path()).unwrap().unwrap();
        assert_eq!(back.session, saved.session);
        assert_eq!(back.homeserver, saved.homeserver);
    }
}
