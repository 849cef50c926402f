//! `GET /v1/decisions?change=ID`: a change's decisions as the decision log
//! holds them, oldest first; the same object `changegate log show --format
//! json` lists for that change (docs/log.md, *The commands*).

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};

use super::json_response;
use crate::err::{Reject, pretty};
use crate::state::Shared;

/// The query of `GET /v1/decisions`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionsQuery {
    change: String,
}

/// `GET /v1/decisions?change=ID`.
pub(crate) async fn decisions(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
) -> Result<Response, Reject> {
    let Query(query) = Query::<DecisionsQuery>::try_from_uri(&uri).map_err(|e| {
        Reject::http(
            StatusCode::BAD_REQUEST,
            "request",
            format!("the query is not `change=ID`: {}", e.body_text()),
            "ask for one change, such as `/v1/decisions?change=CHG-7` (URL-encoded)",
        )
    })?;
    let Some(log) = shared.history.clone() else {
        return Err(Reject::http(
            StatusCode::NOT_FOUND,
            "not_found",
            "this service keeps no decision log",
            "start `changegate serve` without `--no-log` (or with `--log URL`) to record decisions",
        ));
    };
    let id = query.change;
    let records = {
        let id = id.clone();
        tokio::task::spawn_blocking(move || log.history(&id))
            .await
            .map_err(|e| changegate::Error::internal(&e.to_string()))?
    }
    .map_err(|e| {
        Reject::http(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            format!("the decision log cannot be read: {e}"),
            "retry once the log's store is reachable; `changegate log show` reads it directly",
        )
    })?;
    let decisions: Vec<Value> = records
        .iter()
        .map(|r| serde_json::from_str(&changegate_log::line(r)).unwrap_or(Value::Null))
        .collect();
    Ok(json_response(
        StatusCode::OK,
        pretty(&json!({"change_id": id, "decisions": decisions})),
    ))
}
