//! Listening, TLS, connections and graceful shutdown.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};

use crate::config::{Config, LogSink};
use crate::err::ServeError;
use crate::log_sink::{DecisionLog, LogWriter};
use crate::metrics::Metrics;
use crate::state::{self, Shared};

/// A running service.
pub struct Server {
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    done: tokio::task::JoinHandle<()>,
    _watcher: Option<notify::RecommendedWatcher>,
}

impl Server {
    /// The address it listens on (the port picked, for port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting connections, lets the requests in flight finish
    /// (within the configured grace period), and returns once they have.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        let _ = self.done.await;
    }
}

/// Loads the set, binds the address and starts serving; fails when the
/// set does not load or the address cannot be used.
pub async fn start(config: Config) -> Result<Server, ServeError> {
    let addr = config.address()?;
    let loaded = {
        let config = config.clone();
        tokio::task::spawn_blocking(move || state::load(&config))
            .await
            .map_err(|e| changegate::Error::internal(&e.to_string()))??
    };
    let metrics = Arc::new(Metrics::new());
    let log: Option<Arc<dyn DecisionLog>> = match &config.log {
        None => None,
        Some(LogSink::Custom(log)) => Some(Arc::clone(log)),
        Some(LogSink::Url(url)) => {
            let url = url.clone();
            let log = tokio::task::spawn_blocking(move || changegate_log::Log::open(&url))
                .await
                .map_err(|e| changegate::Error::internal(&e.to_string()))??;
            Some(Arc::new(log))
        }
    };
    let (writer, _log_thread) = match &log {
        Some(log) => {
            let (writer, thread) = LogWriter::start(Arc::clone(log), Arc::clone(&metrics))
                .map_err(|e| {
                    ServeError::config(
                        format!("cannot start the decision log writer: {e}"),
                        "the process may be at its thread limit",
                    )
                })?;
            (Some(writer), Some(thread))
        }
        None => (None, None),
    };
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| ServeError::Listen {
            addr: addr.to_string(),
            message: e.to_string(),
        })?;
    let addr = listener.local_addr().map_err(|e| ServeError::Listen {
        addr: addr.to_string(),
        message: e.to_string(),
    })?;
    let tls = config.tls.is_some();
    if !addr.ip().is_loopback() && !tls {
        tracing::warn!(%addr, "listening without TLS on a non-loopback address: bearer tokens travel in clear text");
    }
    let shared = Arc::new(Shared::new(config, loaded, metrics, writer, log));
    crate::watch::on_sighup(Arc::clone(&shared))?;
    let watcher = if shared.config.watch {
        Some(crate::watch::on_change(Arc::clone(&shared))?)
    } else {
        None
    };
    let (shutdown, shutdown_rx) = watch::channel(false);
    let router = crate::routes::router(Arc::clone(&shared));
    tracing::info!(%addr, tls, policy_digest = shared.current.load().policy.digest(), "listening");
    let done = tokio::spawn(accept(listener, router, shared, shutdown_rx));
    Ok(Server {
        addr,
        shutdown,
        done,
        _watcher: watcher,
    })
}

async fn accept(
    listener: TcpListener,
    router: Router,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    // Every connection holds a sender; when all are dropped, every
    // connection has ended.
    let (open, mut closed) = mpsc::channel::<()>(1);
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    let _ = stream.set_nodelay(true);
                    let tls = shared.current.load().tls.clone();
                    let (router, shared, shutdown, open) = (router.clone(), Arc::clone(&shared), shutdown.clone(), open.clone());
                    tokio::spawn(async move {
                        match tls {
                            None => connection(stream, router, &shared, shutdown).await,
                            Some(tls) => {
                                let acceptor = tokio_rustls::TlsAcceptor::from(tls);
                                match tokio::time::timeout(shared.config.request_timeout, acceptor.accept(stream)).await {
                                    Ok(Ok(stream)) => connection(stream, router, &shared, shutdown).await,
                                    Ok(Err(e)) => tracing::warn!(error = %e, "TLS handshake failed"),
                                    Err(_) => tracing::warn!("TLS handshake timed out"),
                                }
                            }
                        }
                        drop(open);
                    });
                }
                // Out of file descriptors, say: wait a moment rather than spin.
                Err(e) => {
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
            },
            _ = shutdown.changed() => break,
        }
    }
    drop(listener);
    drop(open);
    let grace = shared.config.shutdown_grace;
    tracing::info!(
        grace_ms = grace.as_millis() as u64,
        "shutting down: finishing the requests in flight"
    );
    if tokio::time::timeout(grace, closed.recv()).await.is_err() {
        tracing::warn!("the grace period ended with requests still in flight");
    }
}

async fn connection<I>(io: I, router: Router, shared: &Shared, mut shutdown: watch::Receiver<bool>)
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(shared.config.request_timeout);
    let conn = http.serve_connection(TokioIo::new(io), TowerToHyperService::new(router));
    tokio::pin!(conn);
    if *shutdown.borrow_and_update() {
        conn.as_mut().graceful_shutdown();
    }
    tokio::select! {
        _ = conn.as_mut() => {}
        _ = shutdown.changed() => {
            // Finish the request in flight, then close.
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}
