//! The decision-log hook: every decision the service returns is first
//! appended to the log, in batches (group commit), and answered only once
//! the append is durable. With no log configured there is no sink and
//! decisions are answered at once.

use std::sync::Arc;
use std::time::Instant;

use changegate_log::{Entry, Record};
use tokio::sync::{mpsc, oneshot};

use crate::metrics::Metrics;

/// A durable store of decisions. `changegate_log::Log` is one (SQLite or
/// PostgreSQL, docs/log.md); an embedder may bring its own.
pub trait DecisionLog: Send + Sync + 'static {
    /// Appends `batch`, in order; returns only once the entries are durable.
    /// Blocking: the service calls it from its own writer thread.
    fn append(&self, batch: &[Entry]) -> Result<(), String>;

    /// Every record of the change `change_id`, oldest first, for
    /// `GET /v1/decisions`. Blocking. A log that cannot be read back says
    /// so (the route answers 503).
    fn history(&self, change_id: &str) -> Result<Vec<Record>, String> {
        let _ = change_id;
        Err("this decision log cannot be read back".to_owned())
    }
}

impl DecisionLog for changegate_log::Log {
    fn append(&self, batch: &[Entry]) -> Result<(), String> {
        changegate_log::Log::append(self, batch)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    fn history(&self, change_id: &str) -> Result<Vec<Record>, String> {
        changegate_log::Log::history(self, change_id).map_err(|e| e.to_string())
    }
}

/// Entries waiting to be appended, and where to say how it went.
type Pending = (Vec<Entry>, oneshot::Sender<Result<(), String>>);

/// The handle request handlers send entries to. Cloning it is cheap.
#[derive(Clone)]
pub(crate) struct LogWriter {
    queue: mpsc::UnboundedSender<Pending>,
}

impl LogWriter {
    /// Starts the writer thread for `log`. It ends when every handle is
    /// dropped, after appending what is still pending.
    pub(crate) fn start(
        log: Arc<dyn DecisionLog>,
        metrics: Arc<Metrics>,
    ) -> std::io::Result<(LogWriter, std::thread::JoinHandle<()>)> {
        let (queue, mut rx) = mpsc::unbounded_channel::<Pending>();
        let thread = std::thread::Builder::new()
            .name("changegate-log".to_owned())
            .spawn(move || {
                while let Some(first) = rx.blocking_recv() {
                    // Group commit: everything that arrived while the last
                    // append ran goes into one append.
                    let mut waiting = vec![first];
                    while let Ok(more) = rx.try_recv() {
                        waiting.push(more);
                    }
                    let batch: Vec<Entry> = waiting
                        .iter_mut()
                        .flat_map(|(entries, _)| std::mem::take(entries))
                        .collect();
                    let started = Instant::now();
                    let result = log.append(&batch);
                    let stored = if result.is_ok() { batch.len() } else { 0 };
                    metrics.log_write(started.elapsed().as_secs_f64(), stored);
                    if let Err(e) = &result {
                        tracing::error!(error = %e, entries = batch.len(), "decision log append failed");
                    }
                    for (_, reply) in waiting {
                        let _ = reply.send(result.clone());
                    }
                }
            })?;
        Ok((LogWriter { queue }, thread))
    }

    /// Appends `entries` (with whatever else is pending) and waits until the
    /// log says they are durable.
    pub(crate) async fn append(&self, entries: Vec<Entry>) -> Result<(), String> {
        if entries.is_empty() {
            return Ok(());
        }
        let (reply, done) = oneshot::channel();
        self.queue
            .send((entries, reply))
            .map_err(|_| "the decision log writer has stopped".to_owned())?;
        done.await
            .map_err(|_| "the decision log writer has stopped".to_owned())?
    }
}
