//! The set the service decides with (policy, graph, tokens, TLS
//! configuration), swapped whole on a reload so that every request sees
//! one consistent set, and a failed reload never replaces a working one.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;
use changegate::{Graph, Policy, api};
use sha2::{Digest as _, Sha256};

use crate::auth::Tokens;
use crate::config::Config;
use crate::err::ServeError;
use crate::log_sink::{DecisionLog, LogWriter};
use crate::metrics::Metrics;

/// One loaded set.
pub(crate) struct Loaded {
    pub(crate) policy: Policy,
    pub(crate) graph: Graph,
    /// `sha256:` and the digest of the graph file's bytes.
    pub(crate) graph_digest: String,
    /// `None`: no authentication.
    pub(crate) tokens: Option<Tokens>,
    pub(crate) tls: Option<Arc<rustls::ServerConfig>>,
    pub(crate) loaded_at: jiff::Timestamp,
}

/// How the last reload went.
#[derive(Clone)]
pub(crate) struct ReloadStatus {
    pub(crate) at: jiff::Timestamp,
    pub(crate) trigger: &'static str,
    /// The error JSON of a failed reload.
    pub(crate) error: Option<serde_json::Value>,
}

/// What every request handler shares.
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) current: ArcSwap<Loaded>,
    pub(crate) last_reload: Mutex<Option<ReloadStatus>>,
    /// Reloads one at a time, so that two triggers do not race.
    reloading: Mutex<()>,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) log: Option<LogWriter>,
    /// The log itself, to read a change's history from.
    pub(crate) history: Option<Arc<dyn DecisionLog>>,
    pub(crate) openapi: String,
}

impl Shared {
    pub(crate) fn new(
        config: Config,
        loaded: Arc<Loaded>,
        metrics: Arc<Metrics>,
        log: Option<LogWriter>,
        history: Option<Arc<dyn DecisionLog>>,
    ) -> Shared {
        Shared {
            config,
            current: ArcSwap::new(loaded),
            last_reload: Mutex::new(None),
            reloading: Mutex::new(()),
            metrics,
            log,
            history,
            openapi: crate::openapi::document(),
        }
    }

    /// Loads the set again and swaps it in; on any failure the set in use
    /// stays, and the failure is reported on `/readyz`, in the log and in
    /// the metrics. Blocking (compiling takes a while): call it off the
    /// request threads.
    pub(crate) fn reload(&self, trigger: &'static str) -> Result<Arc<Loaded>, ServeError> {
        let _one = self
            .reloading
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let result = load(&self.config);
        let at = jiff::Timestamp::now();
        let status = match &result {
            Ok(loaded) => {
                self.current.store(Arc::clone(loaded));
                self.metrics.reload(true);
                tracing::info!(
                    trigger,
                    policy_digest = loaded.policy.digest(),
                    graph_digest = %loaded.graph_digest,
                    "reloaded"
                );
                ReloadStatus {
                    at,
                    trigger,
                    error: None,
                }
            }
            Err(e) => {
                self.metrics.reload(false);
                tracing::error!(trigger, error = %e, "reload failed; serving the previous set");
                ReloadStatus {
                    at,
                    trigger,
                    error: Some(serde_json::from_str(&e.to_json()).unwrap_or_default()),
                }
            }
        };
        *self
            .last_reload
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(status);
        result
    }
}

/// Reads and checks everything the service decides with.
pub(crate) fn load(config: &Config) -> Result<Arc<Loaded>, ServeError> {
    let policy = api::compile_paths(&config.base, &config.policy, &config.limits)?;
    let (graph, graph_digest) = load_graph(&config.graph, &config.limits)?;
    let tokens = match &config.tokens {
        Some(path) => Some(Tokens::read(path)?),
        None => None,
    };
    let tls = match &config.tls {
        Some(files) => Some(crate::tls::server_config(files)?),
        None => None,
    };
    Ok(Arc::new(Loaded {
        policy,
        graph,
        graph_digest,
        tokens,
        tls,
        loaded_at: jiff::Timestamp::now(),
    }))
}

/// The graph and the digest of the very bytes it was read from.
fn load_graph(path: &Path, limits: &changegate::Limits) -> Result<(Graph, String), ServeError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        // Core's own reader words the error (the path, the advice).
        Err(_) => {
            return Err(api::load_graph_file(path, limits).err().map_or_else(
                || {
                    ServeError::config(
                        format!("cannot read `{}`", path.display()),
                        "check the `--graph` path",
                    )
                },
                ServeError::Core,
            ));
        }
    };
    let graph = match std::str::from_utf8(&bytes) {
        Ok(text) => api::load_graph(text, limits)?,
        Err(_) => api::load_graph_file(path, limits)?,
    };
    Ok((graph, digest(&bytes)))
}

/// `sha256:` and the lowercase hex digest of `bytes`.
pub(crate) fn digest(bytes: &[u8]) -> String {
    let hash = Sha256::digest(bytes);
    let mut out = String::with_capacity(71);
    out.push_str("sha256:");
    for b in hash {
        let _ = write!(out, "{b:02x}");
    }
    out
}
