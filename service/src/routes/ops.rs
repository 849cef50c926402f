//! Operations: liveness, readiness, metrics, and reloading on demand.

use std::sync::Arc;

use axum::Extension;
use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse as _, Response};
use serde_json::json;

use super::json_response;
use crate::auth::Caller;
use crate::err::{Reject, pretty};
use crate::state::Shared;

/// `GET /healthz`: the process answers.
pub(crate) async fn healthz() -> Response {
    json_response(StatusCode::OK, pretty(&json!({"status": "ok"})))
}

/// `GET /readyz`: the service has a working set and decides with it
/// (always, once started: a failed reload keeps the previous set). An
/// authenticated caller also sees the set's digests and how the last
/// reload went, its error included; others see only `ready`.
pub(crate) async fn readyz(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
) -> Response {
    if caller.0.is_none() {
        return json_response(StatusCode::OK, pretty(&json!({"ready": true})));
    }
    let set = shared.current.load();
    let last = shared
        .last_reload
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    let last = last.map(|r| {
        json!({
            "at": r.at.to_string(),
            "trigger": r.trigger,
            "ok": r.error.is_none(),
            "error": r.error.and_then(|e| e.get("error").cloned()),
        })
    });
    json_response(
        StatusCode::OK,
        pretty(&json!({
            "ready": true,
            "policy_digest": set.policy.digest(),
            "graph_digest": set.graph_digest,
            "loaded_at": set.loaded_at.to_string(),
            "last_reload": last,
        })),
    )
}

/// `GET /metrics`: Prometheus' text format.
pub(crate) async fn metrics(State(shared): State<Arc<Shared>>) -> Response {
    let mut response = shared.metrics.encode().into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
    );
    response
}

/// `POST /v1/admin/reload`: loads the policy, graph, tokens and
/// certificates again; on failure the previous set stays and the error is
/// the answer (422).
pub(crate) async fn reload(State(shared): State<Arc<Shared>>) -> Result<Response, Reject> {
    let worker = Arc::clone(&shared);
    let result = tokio::task::spawn_blocking(move || worker.reload("admin"))
        .await
        .map_err(|e| changegate::Error::internal(&e.to_string()))?;
    match result {
        Ok(set) => Ok(json_response(
            StatusCode::OK,
            pretty(&json!({
                "reloaded": true,
                "policy_digest": set.policy.digest(),
                "graph_digest": set.graph_digest,
            })),
        )),
        Err(e) => Ok(json_response(StatusCode::UNPROCESSABLE_ENTITY, e.to_json())),
    }
}
