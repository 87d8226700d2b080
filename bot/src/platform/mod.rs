//! The chat platforms: each turns its own events into [`crate::chat`] calls and renders the
//! replies natively. Platform types never leave their module. Matrix is behind the `matrix`
//! cargo feature, Discord behind the `discord` one (both on by default).

pub mod console;
#[cfg(feature = "discord")]
pub mod discord;
#[cfg(feature = "matrix")]
pub mod matrix;

use std::future::Future;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

/// The first wait before restarting a service that failed; it doubles up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(300);
/// A service that ran this long before failing starts again from the first wait.
const HEALTHY_RUN: Duration = Duration::from_secs(60);
/// How long a service may take to finish after a stop was asked.
const STOP_GRACE: Duration = Duration::from_secs(8);

/// Runs a long-lived service until `cancel`, restarting it with exponential backoff when it
/// fails or returns early. Its errors are logged with their whole chain.
pub async fn supervise<F, Fut>(name: &'static str, cancel: CancellationToken, mut start: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let mut backoff = FIRST_BACKOFF;
    loop {
        let started = tokio::time::Instant::now();
        // The service watches `cancel` itself and finishes what it has in hand (replies in
        // flight); it gets a grace period to do so, then is dropped.
        let service = start();
        tokio::pin!(service);
        let result = tokio::select! {
            r = &mut service => r,
            _ = cancel.cancelled() => {
                if tokio::time::timeout(STOP_GRACE, &mut service).await.is_err() {
                    tracing::warn!(service = name, "still busy {STOP_GRACE:?} after the stop; dropped");
                }
                return;
            }
        };
        if cancel.is_cancelled() {
            return;
        }
        if started.elapsed() >= HEALTHY_RUN {
            backoff = FIRST_BACKOFF;
        }
        match result {
            Ok(()) => tracing::warn!(service = name, "stopped on its own; restarting in {backoff:?}"),
            Err(e) => tracing::error!(
                service = name,
                error = format!("{e:#}"),
                "failed; restarting in {backoff:?}"
            ),
        }
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(backoff) => {}
        }
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_failing_service_is_restarted_with_growing_waits_until_cancelled() {
        let cancel = CancellationToken::new();
        let starts = Arc::new(AtomicU32::new(0));
        let counted = starts.clone();
        let task = tokio::spawn(supervise("test", cancel.clone(), move || {
            let counted = counted.clone();
            async move {
                counted.fetch_add(1, Ordering::SeqCst);
                anyhow::bail!("boom")
            }
        }));
        // 1 + 2 + 4 + 8 = 15 s of waits: five starts by 16 s, not six.
        tokio::time::sleep(Duration::from_millis(15_500)).await;
        assert_eq!(starts.load(Ordering::SeqCst), 5);
        cancel.cancel();
        task.await.expect("the supervisor ends when cancelled");
    }
}
