//! `changegate serve`: the decision service over HTTP, for tools that
//! cannot load a library (an ITSM platform, a pipeline, a chat bot). See
//! docs/serve.md.
//!
//! The routes are under `/v1` (decisions, the loaded set, blast radii,
//! policy validation, the OpenAPI document at `/v1/openapi.json`), with
//! `/healthz`, `/readyz` and `/metrics` beside them. Every answer is core's
//! bytes: a decision is what `changegate check --format json` prints, an
//! error is core's error JSON.

mod auth;
mod config;
mod err;
pub mod log_sink;
mod metrics;
mod openapi;
mod routes;
mod server;
mod state;
mod tls;
mod watch;

pub use auth::{Caller, LOCAL, hash_token};
pub use changegate_log::{Entry, Log, Record};
pub use config::{Config, LogSink, TlsFiles};
pub use err::ServeError;
pub use log_sink::DecisionLog;
pub use openapi::operations;
pub use server::{Server, start};

/// The `(method, path)` of every route of the router.
pub fn routes() -> Vec<(&'static str, &'static str)> {
    routes::routes()
        .into_iter()
        .map(|(m, p, _)| (m, p))
        .collect()
}

/// Runs the service until SIGTERM or Ctrl-C, then shuts down gracefully:
/// structured JSON logs on stderr, the set loaded and the address bound
/// before this returns an error or starts serving.
pub fn run(config: Config) -> Result<(), ServeError> {
    let _ = tracing_subscriber::fmt()
        .json()
        .with_writer(std::io::stderr)
        .with_current_span(false)
        .try_init();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| ServeError::Listen {
            addr: config.listen.clone(),
            message: format!("cannot start the runtime: {e}"),
        })?;
    runtime.block_on(async move {
        let server = start(config).await?;
        stopped().await;
        tracing::info!("stop requested");
        server.shutdown().await;
        tracing::info!("stopped");
        Ok(())
    })
}

/// Resolves on Ctrl-C or SIGTERM.
async fn stopped() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}
