//! The reload triggers besides the admin endpoint: SIGHUP, and a change to
//! any file the set is read from (policy files and folders, the graph, the
//! tokens file, the certificates).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher as _};
use tokio::sync::mpsc;

use crate::err::ServeError;
use crate::state::Shared;

/// Files written in several steps (an editor's save, a deploy tool's
/// copy) raise several events: a reload waits until none came for this
/// long.
const SETTLE: Duration = Duration::from_millis(200);

/// Reloads on a background thread, as compiling may take a while.
async fn reload(shared: &Arc<Shared>, trigger: &'static str) {
    let worker = Arc::clone(shared);
    let _ = tokio::task::spawn_blocking(move || worker.reload(trigger)).await;
}

/// Reloads on every SIGHUP. The handler is installed before this returns,
/// so a SIGHUP sent once the service has started never ends the process.
#[cfg(unix)]
pub(crate) fn on_sighup(shared: Arc<Shared>) -> Result<(), ServeError> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut hangups = signal(SignalKind::hangup()).map_err(|e| {
        ServeError::config(
            format!("cannot catch SIGHUP: {e}"),
            "run the service where signals can be caught",
        )
    })?;
    tokio::spawn(async move {
        while hangups.recv().await.is_some() {
            reload(&shared, "sighup").await;
        }
    });
    Ok(())
}

/// Without SIGHUP, reloads come from the admin endpoint and file changes.
#[cfg(not(unix))]
pub(crate) fn on_sighup(_shared: Arc<Shared>) -> Result<(), ServeError> {
    Ok(())
}

/// `path` made absolute, resolving what exists of it (a file replaced by
/// a rename may be missing for a moment).
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            parent
                .canonicalize()
                .map_or_else(|_| path.to_owned(), |p| p.join(name))
        }
        _ => path.to_owned(),
    }
}

/// Watches the set's files and reloads when one changes. The watcher
/// stops when the returned value is dropped.
pub(crate) fn on_change(shared: Arc<Shared>) -> Result<notify::RecommendedWatcher, ServeError> {
    let config = &shared.config;
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut files: Vec<PathBuf> = Vec::new();
    for p in &config.policy {
        let p = absolute(&config.base.join(p));
        if p.is_dir() {
            dirs.push(p)
        } else {
            files.push(p)
        }
    }
    files.push(absolute(&config.graph));
    files.extend(config.tokens.iter().map(|p| absolute(p)));
    if let Some(tls) = &config.tls {
        files.push(absolute(&tls.cert));
        files.push(absolute(&tls.key));
        files.extend(tls.client_ca.iter().map(|p| absolute(p)));
    }
    let (tx, mut rx) = mpsc::unbounded_channel::<()>();
    let (watched_dirs, watched_files) = (dirs.clone(), files.clone());
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        let relevant = event.paths.iter().any(|p| {
            watched_dirs.iter().any(|d| p.starts_with(d)) || watched_files.iter().any(|f| f == p)
        });
        if relevant {
            let _ = tx.send(());
        }
    })
    .map_err(|e| ServeError::config(format!("cannot watch the files: {e}"), "start the service with `--no-watch`, and reload with SIGHUP or `POST /v1/admin/reload`"))?;
    let mut parents: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| f.parent().map(Path::to_owned))
        .collect();
    parents.sort();
    parents.dedup();
    let watch_error = |p: &Path, e: notify::Error| {
        ServeError::config(
            format!("cannot watch `{}`: {e}", p.display()),
            "start the service with `--no-watch`, and reload with SIGHUP or `POST /v1/admin/reload`",
        )
    };
    for d in &dirs {
        watcher
            .watch(d, RecursiveMode::Recursive)
            .map_err(|e| watch_error(d, e))?;
    }
    // A file's folder, not the file: a file replaced by a rename (as
    // editors and deploy tools save) is then still seen.
    for p in &parents {
        watcher
            .watch(p, RecursiveMode::NonRecursive)
            .map_err(|e| watch_error(p, e))?;
    }
    tokio::spawn(async move {
        while rx.recv().await.is_some() {
            loop {
                tokio::time::sleep(SETTLE).await;
                let mut more = false;
                while rx.try_recv().is_ok() {
                    more = true;
                }
                if !more {
                    break;
                }
            }
            reload(&shared, "watch").await;
        }
    });
    Ok(watcher)
}
