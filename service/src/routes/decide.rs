//! Decisions: a change, a ServiceNow `change_request`, a batch. Each
//! decision is recorded in the decision log (when there is one) before it
//! is answered: a decision the log could not record is never returned.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use changegate::api::{self, ChangeInput, ImportedDocument};
use changegate::{Decision, Document, Error, InputError};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{json_response, read_body, text};
use crate::auth::{Caller, LOCAL};
use crate::err::Reject;
use crate::state::{Loaded, Shared};

/// `POST /v1/evaluate`: the body is a change (docs/language.md, *The
/// change*), the answer its decision, byte for byte core's.
pub(crate) async fn evaluate(
    State(shared): State<Arc<Shared>>,
    request: Request,
) -> Result<Response, Reject> {
    let caller = caller_of(&request);
    let body = read_body(request, shared.config.max_body_bytes).await?;
    let change = text(&body, Document::Change)?;
    let set = shared.current.load_full();
    let decision =
        api::guard(|| api::evaluate(&set.policy, ChangeInput::Text(change), &set.graph))?;
    let json = decision.to_json();
    record(&shared, &set, &caller, vec![(&decision, change, &json)]).await?;
    Ok(json_response(StatusCode::OK, json))
}

/// The body of `POST /v1/evaluate/servicenow`: the records as the Table
/// API gives them (a record, a list, or `{"result": …}`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceNowRequest<'a> {
    #[serde(borrow)]
    change: &'a RawValue,
    #[serde(borrow, default)]
    approvals: Option<&'a RawValue>,
    #[serde(borrow, default)]
    affected: Option<&'a RawValue>,
    #[serde(borrow, default)]
    options: Option<&'a RawValue>,
}

/// `POST /v1/evaluate/servicenow`: a `change_request` record with its
/// approvals and affected CIs, read by the `servicenow-change` adapter into
/// a change, then decided.
pub(crate) async fn servicenow(
    State(shared): State<Arc<Shared>>,
    request: Request,
) -> Result<Response, Reject> {
    let caller = caller_of(&request);
    let body = read_body(request, shared.config.max_body_bytes).await?;
    let body = text(&body, Document::ServiceNow)?;
    let limits = &shared.config.limits;
    let parsed: ServiceNowRequest<'_> = serde_json::from_str(body).map_err(|e| {
        Error::Input {
            document: Document::ServiceNow,
            error: InputError::new("", e.to_string().split(" at line ").next().unwrap_or_default())
                .with_help("send {\"change\": RECORD, \"approvals\": [...], \"affected\": [...], \"options\": {...}}; only `change` is required"),
        }
    })?;
    let mut inputs = api::Inputs::new();
    let mut add = |role: &str, value: Option<&RawValue>| {
        if let Some(value) = value {
            let source = changegate::Source {
                name: role.to_owned(),
                text: value.get().to_owned(),
            };
            inputs.insert(role.to_owned(), vec![source]);
        }
    };
    add("change", Some(parsed.change));
    add("approvals", parsed.approvals);
    add("affected", parsed.affected);
    let options = match parsed.options {
        Some(raw) => api::options_from_json(raw.get(), limits)?,
        None => serde_json::Value::Null,
    };
    let adapter = api::adapter("servicenow-change")?;
    let imported = api::guard(|| api::import(adapter, &inputs, &options, limits))?;
    let ImportedDocument::Change(_) = &imported.document else {
        return Err(Error::internal("the servicenow-change adapter makes a change").into());
    };
    let change = api::document_json(&imported);
    let set = shared.current.load_full();
    let decision =
        api::guard(|| api::evaluate(&set.policy, ChangeInput::Text(&change), &set.graph))?;
    let json = decision.to_json();
    record(&shared, &set, &caller, vec![(&decision, &change, &json)]).await?;
    Ok(json_response(StatusCode::OK, json))
}

/// `POST /v1/evaluate/batch`: the body is a list of changes, the answer
/// the list of their decisions in the same order, each byte for byte the
/// decision `/v1/evaluate` gives (or the error it gives), decided on every
/// core.
pub(crate) async fn batch(
    State(shared): State<Arc<Shared>>,
    request: Request,
) -> Result<Response, Reject> {
    let caller = caller_of(&request);
    let body = read_body(request, shared.config.max_body_bytes).await?;
    let text = text(&body, Document::Change)?.to_owned();
    let set = shared.current.load_full();
    let threads = shared.config.batch_threads;
    let worker_set = Arc::clone(&set);
    // Deciding a batch takes a while: off the request threads.
    let (changes, results) = tokio::task::spawn_blocking(move || {
        let changes: Vec<&RawValue> = serde_json::from_str(&text).map_err(|e| Error::Input {
            document: Document::Change,
            error: InputError::new(
                "",
                e.to_string().split(" at line ").next().unwrap_or_default(),
            )
            .with_help("a batch is a JSON list of changes"),
        })?;
        let inputs: Vec<ChangeInput<'_>> =
            changes.iter().map(|c| ChangeInput::Text(c.get())).collect();
        let results = api::evaluate_many(&worker_set.policy, &inputs, &worker_set.graph, threads);
        let changes: Vec<String> = changes.iter().map(|c| c.get().to_owned()).collect();
        Ok::<_, Error>((changes, results))
    })
    .await
    .map_err(|e| Error::internal(&e.to_string()))??;
    let jsons: Vec<String> = results
        .iter()
        .map(|r| match r {
            Ok(d) => d.to_json(),
            Err(e) => e.to_json(),
        })
        .collect();
    let entries = results
        .iter()
        .zip(&changes)
        .zip(&jsons)
        .filter_map(|((r, c), j)| r.as_ref().ok().map(|d| (d, c.as_str(), j)))
        .collect();
    record(&shared, &set, &caller, entries).await?;
    let mut out = String::with_capacity(jsons.iter().map(String::len).sum::<usize>() + 8);
    out.push('[');
    for (i, json) in jsons.iter().enumerate() {
        out.push_str(if i == 0 { "\n" } else { ",\n" });
        out.push_str(json.trim_end_matches('\n'));
    }
    out.push_str(if jsons.is_empty() { "]\n" } else { "\n]\n" });
    Ok(json_response(StatusCode::OK, out))
}

fn caller_of(request: &Request) -> String {
    request
        .extensions()
        .get::<Caller>()
        .and_then(|c| c.0.clone())
        .unwrap_or_else(|| LOCAL.to_owned())
}

/// Hands the decisions to the decision log and waits until they are
/// durable; counts them once they may be answered.
async fn record(
    shared: &Shared,
    set: &Loaded,
    caller: &str,
    decisions: Vec<(&Decision, &str, &String)>,
) -> Result<(), Reject> {
    if let Some(log) = &shared.log {
        let at = jiff::Timestamp::now();
        let entries = decisions
            .iter()
            .map(|(d, change, json)| changegate_log::Entry {
                at,
                caller: caller.to_owned(),
                change_id: Some(d.change.to_string()).filter(|id| !id.is_empty()),
                change: (*change).to_owned(),
                decision: (*json).clone(),
                outcome: d.outcome.as_str().to_owned(),
                policy_digest: set.policy.digest().to_owned(),
                graph_digest: set.graph_digest.clone(),
                engine: d.audit.engine.to_string(),
            })
            .collect();
        log.append(entries).await.map_err(|e| {
            Reject::http(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                format!("the decision could not be recorded in the decision log: {e}"),
                "the decision was not returned because it is not on record; retry once the log is writable",
            )
        })?;
    }
    for (d, _, _) in &decisions {
        shared.metrics.decision(d.outcome.as_str());
    }
    Ok(())
}
