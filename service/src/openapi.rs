//! The OpenAPI 3.1 document of the service, served at `/v1/openapi.json`:
//! its schemas are core's published JSON Schemas (generated from the Rust
//! types, as `schemas/` is) and those of the service's own request and
//! answer types, so the document cannot drift from the bytes served.

use changegate::api::schema::schemas;
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{Map, Value as Json, json};

use crate::routes::info::{GraphInfo, ImpactRequest, PolicyInfo, ValidateRequest};

/// One operation of the document.
struct Operation {
    method: &'static str,
    path: &'static str,
    id: &'static str,
    summary: &'static str,
    /// The schema of the request body, if it takes one.
    request: Option<&'static str>,
    /// The schema of the answer.
    answer: &'static str,
    /// Whether a bearer token is needed (when the service has tokens).
    secured: bool,
}

const fn op(
    (method, path, id): (&'static str, &'static str, &'static str),
    summary: &'static str,
    request: Option<&'static str>,
    answer: &'static str,
    secured: bool,
) -> Operation {
    Operation {
        method,
        path,
        id,
        summary,
        request,
        answer,
        secured,
    }
}

/// Every operation.
const OPERATIONS: [Operation; 13] = [
    op(
        ("post", "/v1/evaluate", "evaluate"),
        "Decide on a change",
        Some("Change"),
        "Decision",
        true,
    ),
    op(
        ("post", "/v1/evaluate/servicenow", "evaluateServiceNow"),
        "Decide on a ServiceNow change_request with its approvals and affected CIs",
        Some("ServiceNowRequest"),
        "Decision",
        true,
    ),
    op(
        ("post", "/v1/evaluate/batch", "evaluateBatch"),
        "Decide on a list of changes, in order",
        Some("Batch"),
        "BatchResult",
        true,
    ),
    op(
        ("get", "/v1/decisions", "decisions"),
        "The decisions the decision log holds for one change (`?change=ID`), oldest first",
        None,
        "Decisions",
        true,
    ),
    op(
        ("post", "/v1/impact", "impact"),
        "The blast radius of some nodes of the loaded graph",
        Some("ImpactRequest"),
        "Impact",
        true,
    ),
    op(
        ("post", "/v1/validate", "validate"),
        "Compile a policy set and list its diagnostics (empty when it compiles)",
        Some("ValidateRequest"),
        "Diagnostics",
        true,
    ),
    op(
        ("get", "/v1/policy", "policy"),
        "The loaded policy: digest, files, rules",
        None,
        "PolicyInfo",
        true,
    ),
    op(
        ("get", "/v1/graph", "graph"),
        "The loaded graph: digest and size",
        None,
        "GraphInfo",
        true,
    ),
    op(
        ("get", "/v1/openapi.json", "openapi"),
        "This document",
        None,
        "OpenApi",
        true,
    ),
    op(
        ("post", "/v1/admin/reload", "reload"),
        "Load the policy, graph, tokens and certificates again; on failure the previous set stays",
        None,
        "Reloaded",
        true,
    ),
    op(
        ("get", "/healthz", "healthz"),
        "Liveness",
        None,
        "Health",
        false,
    ),
    op(
        ("get", "/readyz", "readyz"),
        "Readiness; the loaded set and the last reload for an authenticated caller",
        None,
        "Ready",
        false,
    ),
    op(
        ("get", "/metrics", "metrics"),
        "Metrics in the Prometheus (OpenMetrics) text format",
        None,
        "Metrics",
        true,
    ),
];

/// The `(method, path)` of every operation the document describes.
pub fn operations() -> Vec<(&'static str, &'static str)> {
    OPERATIONS.iter().map(|o| (o.method, o.path)).collect()
}

fn of<T: JsonSchema>(settings: SchemaSettings) -> Json {
    let mut schema = SchemaGenerator::new(settings)
        .into_root_schema_for::<T>()
        .to_value();
    if let Json::Object(map) = &mut schema {
        map.remove("$schema");
    }
    schema
}

fn component(name: &str) -> Json {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn error_schema() -> Json {
    json!({
        "type": "object",
        "description": "A refusal of the service itself, in the shape of core's errors",
        "required": ["error"],
        "additionalProperties": false,
        "properties": {"error": {
            "type": "object",
            "required": ["kind", "message", "help"],
            "additionalProperties": false,
            "properties": {
                "kind": {"enum": ["unauthorized", "not_found", "method", "too_large", "timeout", "request", "unavailable", "config"]},
                "message": {"type": "string"},
                "help": {"type": ["string", "null"]}
            }
        }}
    })
}

/// The document, as two-space indented JSON ending with a newline.
pub(crate) fn document() -> String {
    let mut components = Map::new();
    let core = schemas();
    let core_schema = |file: &str| {
        core.iter()
            .find(|(f, _)| *f == file)
            .map(|(_, s)| s.clone())
            .unwrap_or(Json::Null)
    };
    components.insert("Change".into(), core_schema("change.schema.json"));
    components.insert("Decision".into(), core_schema("decision.schema.json"));
    components.insert("Impact".into(), core_schema("impact.schema.json"));
    components.insert("Diagnostics".into(), core_schema("diagnostics.schema.json"));
    components.insert("CoreError".into(), core_schema("error.schema.json"));
    components.insert(
        "ServiceNowChangeOptions".into(),
        core_schema("servicenow-change-options.schema.json"),
    );
    components.insert("ServiceError".into(), error_schema());
    components.insert(
        "Error".into(),
        json!({"oneOf": [component("CoreError"), component("ServiceError")]}),
    );
    components.insert(
        "Batch".into(),
        json!({"type": "array", "items": component("Change")}),
    );
    components.insert(
        "BatchResult".into(),
        json!({"type": "array", "description": "One item per change, in order: its decision, or its error", "items": {"oneOf": [component("Decision"), component("CoreError")]}}),
    );
    components.insert(
        "ServiceNowRequest".into(),
        json!({
            "type": "object",
            "description": "Table API records (a record, a list of records, or `{\"result\": ...}`), read by the servicenow-change adapter",
            "required": ["change"],
            "additionalProperties": false,
            "properties": {
                "change": {"description": "the change_request record"},
                "approvals": {"description": "its sysapproval_approver records"},
                "affected": {"description": "its task_ci records"},
                "options": component("ServiceNowChangeOptions")
            }
        }),
    );
    let input = || SchemaSettings::draft2020_12().for_deserialize();
    let output = || SchemaSettings::draft2020_12().for_serialize();
    components.insert("ImpactRequest".into(), of::<ImpactRequest>(input()));
    components.insert("ValidateRequest".into(), of::<ValidateRequest>(input()));
    components.insert("PolicyInfo".into(), of::<PolicyInfo>(output()));
    components.insert("GraphInfo".into(), of::<GraphInfo>(output()));
    components.insert(
        "Health".into(),
        json!({"type": "object", "required": ["status"], "additionalProperties": false, "properties": {"status": {"const": "ok"}}}),
    );
    components.insert(
        "Ready".into(),
        json!({
            "type": "object",
            "required": ["ready"],
            "additionalProperties": false,
            "properties": {
                "ready": {"type": "boolean"},
                "policy_digest": {"type": "string"},
                "graph_digest": {"type": "string"},
                "loaded_at": {"type": "string", "format": "date-time"},
                "last_reload": {"oneOf": [{"type": "null"}, {
                    "type": "object",
                    "required": ["at", "trigger", "ok", "error"],
                    "additionalProperties": false,
                    "properties": {
                        "at": {"type": "string", "format": "date-time"},
                        "trigger": {"enum": ["admin", "sighup", "watch"]},
                        "ok": {"type": "boolean"},
                        "error": {"type": ["object", "null"]}
                    }
                }]}
            }
        }),
    );
    components.insert(
        "Reloaded".into(),
        json!({"type": "object", "required": ["reloaded", "policy_digest", "graph_digest"], "additionalProperties": false, "properties": {
            "reloaded": {"const": true}, "policy_digest": {"type": "string"}, "graph_digest": {"type": "string"}}}),
    );
    components.insert(
        "Decisions".into(),
        json!({
            "type": "object",
            "description": "A change's records in the decision log, oldest first, each as a line of an export (docs/log.md, *The record*)",
            "required": ["change_id", "decisions"],
            "additionalProperties": false,
            "properties": {
                "change_id": {"type": "string"},
                "decisions": {"type": "array", "items": {
                    "type": "object",
                    "required": ["seq", "at", "caller", "change_id", "change", "decision", "outcome", "policy_digest", "graph_digest", "engine", "prev", "hash"],
                    "additionalProperties": false,
                    "properties": {
                        "seq": {"type": "integer", "minimum": 1},
                        "at": {"type": "string", "format": "date-time"},
                        "caller": {"type": "string"},
                        "change_id": {"type": ["string", "null"]},
                        "change": {"type": "string", "description": "the change exactly as received"},
                        "decision": {"type": "string", "description": "the decision exactly as returned"},
                        "outcome": {"type": "string"},
                        "policy_digest": {"type": "string"},
                        "graph_digest": {"type": "string"},
                        "engine": {"type": "string"},
                        "prev": {"type": "string"},
                        "hash": {"type": "string"}
                    }
                }}
            }
        }),
    );
    components.insert("OpenApi".into(), json!({"type": "object"}));
    components.insert("Metrics".into(), json!({"type": "string"}));

    let mut paths = Map::new();
    for Operation {
        method,
        path,
        id,
        summary,
        request,
        answer,
        secured,
    } in OPERATIONS
    {
        let content_type = if answer == "Metrics" {
            "application/openmetrics-text"
        } else {
            "application/json"
        };
        let mut responses = Map::new();
        responses.insert(
            "200".into(),
            json!({"description": summary, "content": {content_type: {"schema": component(answer)}}}),
        );
        if secured {
            responses.insert(
                "401".into(),
                json!({"$ref": "#/components/responses/Unauthorized"}),
            );
        }
        if request.is_some() {
            responses.insert(
                "400".into(),
                json!({"$ref": "#/components/responses/BadRequest"}),
            );
            responses.insert(
                "408".into(),
                json!({"$ref": "#/components/responses/Timeout"}),
            );
            responses.insert(
                "413".into(),
                json!({"$ref": "#/components/responses/TooLarge"}),
            );
        }
        if path.starts_with("/v1/evaluate") {
            responses.insert("422".into(), json!({"description": "a limit was reached (`limit` error)", "content": {"application/json": {"schema": component("Error")}}}));
            responses.insert("503".into(), json!({"description": "the decision log could not record the decision, which is therefore not returned", "content": {"application/json": {"schema": component("Error")}}}));
        }
        if path == "/v1/decisions" {
            responses.insert(
                "400".into(),
                json!({"$ref": "#/components/responses/BadRequest"}),
            );
            responses.insert("404".into(), json!({"description": "the service keeps no decision log (`--no-log`)", "content": {"application/json": {"schema": component("Error")}}}));
            responses.insert("503".into(), json!({"description": "the decision log cannot be read", "content": {"application/json": {"schema": component("Error")}}}));
        }
        if path == "/v1/admin/reload" {
            responses.insert("422".into(), json!({"description": "the new set does not load; the previous set is still served", "content": {"application/json": {"schema": component("Error")}}}));
        }
        let mut operation = json!({"operationId": id, "summary": summary, "responses": responses});
        if let (Some(request), Json::Object(op)) = (request, &mut operation) {
            op.insert(
                "requestBody".into(),
                json!({"required": true, "content": {"application/json": {"schema": component(request)}}}),
            );
        }
        if let (true, Json::Object(op)) = (path == "/v1/decisions", &mut operation) {
            op.insert(
                "parameters".into(),
                json!([{"name": "change", "in": "query", "required": true, "description": "the change's id", "schema": {"type": "string"}}]),
            );
        }
        if let (false, Json::Object(op)) = (secured, &mut operation) {
            op.insert("security".into(), json!([{}, {"bearer": []}]));
        }
        let entry = paths.entry(path.to_owned()).or_insert_with(|| json!({}));
        if let Json::Object(entry) = entry {
            entry.insert(method.to_owned(), operation);
        }
    }
    let error_response = |description: &str| json!({"description": description, "content": {"application/json": {"schema": component("Error")}}});
    let document = json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "changegate decision service",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Decisions on changes against the loaded change policy and impact graph (docs/serve.md)."
        },
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "a token of the service's tokens file; not needed when the service runs without `--tokens` on a loopback address"}},
            "responses": {
                "BadRequest": error_response("the body is not a valid document (core's `input` error, at its JSON path)"),
                "Unauthorized": error_response("no bearer token, or one the tokens file does not list"),
                "Timeout": error_response("the request took longer than the service's request time limit"),
                "TooLarge": error_response("the body is larger than the service's body limit")
            }
        }
    });
    crate::err::pretty(&document)
}
