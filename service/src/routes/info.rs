//! What the service has loaded, blast radii, policy validation, and the
//! OpenAPI document.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use changegate::{Source, api};
use serde::{Deserialize, Serialize};

use super::{json_response, read_body};
use crate::err::{Reject, pretty};
use crate::state::Shared;

/// The body of `POST /v1/impact`.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ImpactRequest {
    /// The nodes (ids or aliases) that change.
    pub(crate) targets: Vec<String>,
}

/// A policy file given as text.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourceFile {
    /// Its name, shown in diagnostics (`freeze.gate`).
    pub(crate) name: String,
    /// Its text.
    pub(crate) text: String,
}

/// The body of `POST /v1/validate`.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ValidateRequest {
    /// The files of one policy set, compiled together.
    pub(crate) sources: Vec<SourceFile>,
}

/// The answer of `GET /v1/policy`.
#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct PolicyInfo {
    /// `sha256:` and the digest of the policy sources, as decisions carry
    /// it in `audit.policy_digest`.
    pub(crate) digest: String,
    /// The files it was compiled from.
    pub(crate) files: Vec<String>,
    /// The names of its rules, sorted.
    pub(crate) rules: Vec<String>,
    /// When this set was loaded (RFC 3339, UTC).
    pub(crate) loaded_at: String,
}

/// The answer of `GET /v1/graph`.
#[derive(Serialize, schemars::JsonSchema)]
pub(crate) struct GraphInfo {
    /// `sha256:` and the digest of the graph file's bytes.
    pub(crate) digest: String,
    /// How many nodes it has.
    pub(crate) nodes: usize,
    /// How many edges (`depends_on` entries and `edges`).
    pub(crate) edges: usize,
}

/// A JSON body read as `T`; a problem is a `request` error (these bodies
/// are the service's own envelopes, not documents of core's).
fn parse<T: for<'de> Deserialize<'de>>(body: &Bytes, help: &str) -> Result<T, Reject> {
    serde_json::from_slice(body).map_err(|e| {
        Reject::http(
            StatusCode::BAD_REQUEST,
            "request",
            format!("invalid request body: {e}"),
            help,
        )
    })
}

/// `POST /v1/impact`: the blast radius of `targets` in the loaded graph.
pub(crate) async fn impact(
    State(shared): State<Arc<Shared>>,
    request: Request,
) -> Result<Response, Reject> {
    let body = read_body(request, shared.config.max_body_bytes).await?;
    let request: ImpactRequest = parse(&body, "send {\"targets\": [\"node-id\", ...]}")?;
    let set = shared.current.load();
    let json = api::guard(|| api::impact_json(&set.graph, &request.targets))?;
    Ok(json_response(StatusCode::OK, json))
}

/// `POST /v1/validate`: the diagnostics of a policy set (empty when it
/// compiles), under the service's limits.
pub(crate) async fn validate(
    State(shared): State<Arc<Shared>>,
    request: Request,
) -> Result<Response, Reject> {
    let body = read_body(request, shared.config.max_body_bytes).await?;
    let request: ValidateRequest = parse(
        &body,
        "send {\"sources\": [{\"name\": \"a.gate\", \"text\": \"...\"}]}",
    )?;
    let sources = request
        .sources
        .into_iter()
        .map(|s| Source {
            name: s.name,
            text: s.text,
        })
        .collect();
    let limits = shared.config.limits.clone();
    let json = api::guard(|| Ok(api::validate_json(sources, &limits)))?;
    Ok(json_response(StatusCode::OK, json))
}

/// `GET /v1/policy`.
pub(crate) async fn policy(State(shared): State<Arc<Shared>>) -> Response {
    let set = shared.current.load();
    let info = PolicyInfo {
        digest: set.policy.digest().to_owned(),
        files: set.policy.files().to_vec(),
        rules: set.policy.rules().map(str::to_owned).collect(),
        loaded_at: set.loaded_at.to_string(),
    };
    json_response(
        StatusCode::OK,
        pretty(&serde_json::to_value(info).unwrap_or_default()),
    )
}

/// `GET /v1/graph`.
pub(crate) async fn graph(State(shared): State<Arc<Shared>>) -> Response {
    let set = shared.current.load();
    let info = GraphInfo {
        digest: set.graph_digest.clone(),
        nodes: set.graph.len(),
        edges: set.graph.edge_count(),
    };
    json_response(
        StatusCode::OK,
        pretty(&serde_json::to_value(info).unwrap_or_default()),
    )
}

/// `GET /v1/openapi.json`.
pub(crate) async fn openapi(State(shared): State<Arc<Shared>>) -> Response {
    json_response(StatusCode::OK, shared.openapi.clone())
}
