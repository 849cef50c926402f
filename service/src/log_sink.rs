//! The decision-log hook: every decision the service returns is first
//! appended to the log, in batches (group commit), and answered only once
//! the append is durable. With no log configured there is no sink and
//! decisions are answered at once.

use std::sync::Arc;
use std::time::Instant;

use tokio::sync::{mpsc, oneshot};

use crate::metrics::Metrics;

/// One decision as the log records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// When the decision was made.
    pub at: jiff::Timestamp,
    /// Who asked: the name of the caller's token, or `anonymous` when the
    /// service runs without authentication.
    pub caller: String,
    /// The change's id, when it has one.
    pub change_id: Option<String>,
    /// The change JSON the decision was made on (for a ServiceNow record,
    /// the change the adapter made of it).
    pub change: String,
    /// The decision JSON, byte for byte what the caller receives.
    pub decision: String,
    /// `approved`, `pending` or `denied`.
    pub outcome: String,
    /// The policy's digest (`sha256:…`).
    pub policy_digest: String,
    /// The graph file's digest (`sha256:…`).
    pub graph_digest: String,
    /// `changegate` and its version.
    pub engine: String,
}

/// A durable store of decisions.
pub trait DecisionLog: Send + Sync + 'static {
    /// Appends `batch`, in order; returns only once the entries are durable.
    /// Blocking: the service calls it from its own writer thread.
    fn append(&self, batch: &[LogEntry]) -> Result<(), String>;
}

/// Entries waiting to be appended, and where to say how it went.
type Pending = (Vec<LogEntry>, oneshot::Sender<Result<(), String>>);

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
                    let batch: Vec<LogEntry> = waiting
                        .iter_mut()
                        .flat_map(|(entries, _)| std::mem::take(entries))
                        .collect();
                    let started = Instant::now();
                    let result = log.append(&batch);
                    metrics.log_write(started.elapsed().as_secs_f64(), batch.len());
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
    pub(crate) async fn append(&self, entries: Vec<LogEntry>) -> Result<(), String> {
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
