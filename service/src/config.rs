//! What the service is started with.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use changegate::Limits;

use crate::err::ServeError;
use crate::log_sink::DecisionLog;

/// The certificate the service presents, and the client certificates it
/// asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// The certificate chain, PEM, the server's own first.
    pub cert: PathBuf,
    /// The private key, PEM (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
    /// With a CA bundle (PEM), every client must present a certificate it
    /// signed (mutual TLS).
    pub client_ca: Option<PathBuf>,
}

/// Everything `changegate serve` is started with.
#[derive(Clone)]
pub struct Config {
    /// The policy's `.gate` files or folders, relative to `base`; files
    /// are named as given (in diagnostics and decisions).
    pub policy: Vec<PathBuf>,
    /// The folder relative policy paths are read from (`.`: the working
    /// folder).
    pub base: PathBuf,
    /// The graph file.
    pub graph: PathBuf,
    /// The address to listen on (`127.0.0.1:8080`; port 0 picks one).
    pub listen: String,
    /// Core's limits, for compiling, loading and every evaluation.
    pub limits: Limits,
    /// The tokens file: with it, every request but `/healthz` and
    /// `/readyz` needs a bearer token it lists.
    pub tokens: Option<PathBuf>,
    /// TLS, when given.
    pub tls: Option<TlsFiles>,
    /// The largest request body, in bytes.
    pub max_body_bytes: usize,
    /// The longest a request may take, from its headers to its response
    /// (its body included); headers themselves must arrive within it too.
    pub request_timeout: Duration,
    /// How long a shutdown waits for requests in flight.
    pub shutdown_grace: Duration,
    /// Reload when a policy file, the graph, the tokens file or a
    /// certificate changes.
    pub watch: bool,
    /// Threads for a batch (0: every core).
    pub batch_threads: usize,
    /// The decision log; `None`: decisions are not recorded.
    pub log: Option<LogSink>,
}

/// Where decisions are recorded.
#[derive(Clone)]
pub enum LogSink {
    /// A `changegate-log` location (a path, `sqlite:PATH`, `postgres://…`),
    /// opened (created when missing) once the set has loaded and the
    /// address is usable, so that a service that cannot start leaves no
    /// log behind.
    Url(String),
    /// A log of the embedder's own.
    Custom(Arc<dyn DecisionLog>),
}

impl Config {
    /// A configuration with the defaults: loopback port 8080, no
    /// authentication, no TLS, 16 MiB bodies, 30 s per request, 30 s to
    /// shut down, watching files, no log.
    pub fn new(policy: Vec<PathBuf>, graph: PathBuf) -> Config {
        Config {
            policy,
            base: PathBuf::from("."),
            graph,
            listen: "127.0.0.1:8080".to_owned(),
            limits: Limits::default(),
            tokens: None,
            tls: None,
            max_body_bytes: 16 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(30),
            watch: true,
            batch_threads: 0,
            log: None,
        }
    }

    /// The address to listen on, refused when it is not loopback and
    /// there is no authentication.
    pub(crate) fn address(&self) -> Result<SocketAddr, ServeError> {
        let addr: SocketAddr = self.listen.parse().map_err(|_| {
            ServeError::config(
                format!("`{}` is not an address to listen on", self.listen),
                "give an IP address and a port, such as `127.0.0.1:8080` or `[::1]:8080`",
            )
        })?;
        if !addr.ip().is_loopback() && self.tokens.is_none() {
            return Err(ServeError::config(
                format!(
                    "refusing to listen on `{addr}` without authentication: anyone who reaches it could use the service"
                ),
                "add `--tokens FILE` (make its entries with `changegate serve --hash-token NAME`), or listen on a loopback address such as `127.0.0.1:8080`",
            ));
        }
        Ok(addr)
    }
}
