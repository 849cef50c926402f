//! changegate for WebAssembly: the change-policy engine in the browser and in
//! Node, through wasm-bindgen.
//!
//! This crate only translates between JavaScript values and the core's API;
//! every decision is made by [`changegate`]. JSON goes through the core's own
//! serialisation, so `evaluateJson` returns exactly the bytes the CLI prints
//! and `evaluate` returns those same bytes parsed.
//!
//! Errors are thrown as JavaScript `Error`s named `ChangegateError` that carry
//! the fields of the core's error JSON (`kind`, `message`, and `diagnostics`,
//! `document`, `path` or `help` as the kind has them). Wrong argument types
//! throw a `TypeError`.

use changegate::{Limits, Source, api};
use js_sys::{Array, JSON, Object};
use serde_json::json;
use wasm_bindgen::JsCast as _;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

/// A compiled policy set: compile once, evaluate any number of changes.
#[wasm_bindgen]
pub struct Policy {
    inner: changegate::Policy,
}

#[wasm_bindgen]
impl Policy {
    /// Compiles policy files given as `{ name: text }` (or a `Map`). The names
    /// are what diagnostics and the decision's `fired[].file` show. Throws a
    /// `ChangegateError` of kind `policy` with every problem in `diagnostics`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "PolicySources")] sources: JsValue,
    ) -> Result<Policy, JsValue> {
        let sources = sources_from_js(&sources)?;
        changegate::Policy::compile(sources, &Limits::default())
            .map(|inner| Policy { inner })
            .map_err(|e| to_js_error(&changegate::Error::Policy(e)))
    }

    /// The same as `new Policy(sources)`, named as in the Node package.
    #[wasm_bindgen(js_name = fromSources)]
    pub fn from_sources(
        #[wasm_bindgen(unchecked_param_type = "PolicySources")] sources: JsValue,
    ) -> Result<Policy, JsValue> {
        Policy::new(sources)
    }

    /// Evaluates a change (an object, or its JSON text) against this policy
    /// and a graph, and returns the decision.
    #[wasm_bindgen(unchecked_return_type = "Decision")]
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ChangeRecord | string")] change: JsValue,
        graph: &Graph,
    ) -> Result<JsValue, JsValue> {
        let text = json_text(&change)?;
        let out = self
            .inner
            .evaluate_json(&text, &graph.inner)
            .map_err(|e| to_js_error(&e))?;
        JSON::parse(&out)
    }

    /// Evaluates a change given as JSON text and returns the decision JSON,
    /// byte for byte what `changegate check --format json` prints.
    #[wasm_bindgen(js_name = evaluateJson)]
    pub fn evaluate_json(&self, text: &str, graph: &Graph) -> Result<String, JsValue> {
        self.inner
            .evaluate_json(text, &graph.inner)
            .map_err(|e| to_js_error(&e))
    }

    /// `sha256:` and the digest of the policy sources, as in `audit.policy_digest`.
    #[wasm_bindgen(getter)]
    pub fn digest(&self) -> String {
        self.inner.digest().to_owned()
    }

    /// The names of the files the policy was compiled from, in the order given.
    #[wasm_bindgen(getter)]
    pub fn files(&self) -> Vec<String> {
        self.inner.files().to_vec()
    }

    /// The names of the rules, sorted.
    #[wasm_bindgen(getter)]
    pub fn rules(&self) -> Vec<String> {
        self.inner.rules().map(str::to_owned).collect()
    }

    /// The IANA time zone of the window `name` (`UTC` when it names none), so
    /// a block's occurrence can be shown in the window's own wall-clock time;
    /// `undefined` when there is no such window.
    #[wasm_bindgen(js_name = windowTimeZone)]
    pub fn window_time_zone(&self, name: &str) -> Option<String> {
        self.inner.window_time_zone(name).map(str::to_owned)
    }
}

/// The impact dependency graph, loaded once and shared by evaluations.
#[wasm_bindgen]
pub struct Graph {
    inner: changegate::Graph,
}

#[wasm_bindgen]
impl Graph {
    /// Loads a graph from its JSON text. Throws a `ChangegateError` of kind
    /// `input` (document `graph`) naming the offending field.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: &str) -> Result<Graph, JsValue> {
        api::load_graph(text, &Limits::default())
            .map(|inner| Graph { inner })
            .map_err(|e| to_js_error(&e))
    }

    /// Number of nodes.
    #[wasm_bindgen(getter, js_name = nodeCount)]
    pub fn node_count(&self) -> usize {
        self.inner.len()
    }

    /// Number of distinct edges.
    #[wasm_bindgen(getter, js_name = edgeCount)]
    pub fn edge_count(&self) -> usize {
        self.inner.edge_count()
    }

    /// The nodes as the engine read them, in JSON order, each with the ids
    /// it depends on (its `depends_on` and the `edges` from it, sorted).
    #[wasm_bindgen(unchecked_return_type = "GraphNode[]")]
    pub fn nodes(&self) -> Result<JsValue, JsValue> {
        let g = &self.inner;
        let nodes: Vec<serde_json::Value> = g
            .nodes()
            .map(|(i, n)| {
                json!({
                    "id": &*n.id,
                    "kind": n.kind.as_deref(),
                    "tier": n.tier,
                    "owner": n.owner.as_deref(),
                    "tags": n.tags.iter().map(|t| &**t).collect::<Vec<_>>(),
                    "dependsOn": g.dependencies_of(i).iter().map(|&d| &*g.node(d).id).collect::<Vec<_>>(),
                })
            })
            .collect();
        JSON::parse(&serde_json::Value::Array(nodes).to_string())
    }
}

/// The blast radius of `targets` in `graph`: the targets and every node that
/// transitively depends on one, by depth, each with one shortest path.
#[wasm_bindgen(unchecked_return_type = "ImpactReport")]
pub fn impact(
    graph: &Graph,
    #[wasm_bindgen(unchecked_param_type = "string[]")] targets: JsValue,
) -> Result<JsValue, JsValue> {
    if !Array::is_array(&targets) {
        return Err(type_error("targets must be an array of node ids"));
    }
    let ids = Array::from(&targets)
        .iter()
        .map(|t| {
            t.as_string()
                .ok_or_else(|| type_error("targets must be an array of node ids"))
        })
        .collect::<Result<Vec<String>, JsValue>>()?;
    let out = api::impact_json(&graph.inner, &ids).map_err(|e| to_js_error(&e))?;
    JSON::parse(&out)
}

/// Compiles policy files and returns their diagnostics (an empty array when
/// the policy compiles). Never throws for a bad policy: meant for editors
/// that underline problems as the author types.
#[wasm_bindgen(unchecked_return_type = "Diagnostic[]")]
pub fn check(
    #[wasm_bindgen(unchecked_param_type = "PolicySources")] sources: JsValue,
) -> Result<JsValue, JsValue> {
    let sources = sources_from_js(&sources)?;
    JSON::parse(&api::validate_json(sources, &Limits::default()))
}

/// Test-only, not part of the API: panics, so the tests can show what a
/// panic is on `wasm32` (built with `panic = "abort"`): a trap, thrown to
/// JavaScript as `WebAssembly.RuntimeError: unreachable`, after which the
/// instance should be dropped.
#[wasm_bindgen(js_name = __panicForTests, skip_typescript)]
#[expect(clippy::panic, reason = "the test-only export exists to panic")]
pub fn panic_for_tests() {
    panic!("a deliberate panic")
}

/// The engine's version, as in `audit.engine`.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// `{ name: text }` or a `Map` of names to texts, in insertion order.
fn sources_from_js(v: &JsValue) -> Result<Vec<Source>, JsValue> {
    const SHAPE: &str = "policy sources must be an object (or a Map) of file names to texts";
    let entries = if let Some(map) = v.dyn_ref::<js_sys::Map>() {
        Array::from(&map.entries())
    } else if v.is_object() && !Array::is_array(v) {
        Object::entries(v.unchecked_ref())
    } else {
        return Err(type_error(SHAPE));
    };
    entries
        .iter()
        .map(|entry| {
            let pair: Array = entry.unchecked_into();
            let name = pair.get(0).as_string().ok_or_else(|| type_error(SHAPE))?;
            let text = pair.get(1).as_string().ok_or_else(|| {
                type_error(&format!(
                    "the text of policy file `{name}` must be a string"
                ))
            })?;
            Ok(Source { name, text })
        })
        .collect()
}

/// A change given as JSON text, or as a value to serialise (`JSON.stringify`).
fn json_text(v: &JsValue) -> Result<String, JsValue> {
    if let Some(s) = v.as_string() {
        return Ok(s);
    }
    match JSON::stringify(v)?.as_string() {
        Some(s) => Ok(s),
        None => Err(to_js_error(&changegate::Error::Input {
            document: changegate::Document::Change,
            error: changegate::InputError::new(
                "",
                format!(
                    "expected a JSON object, found {}",
                    v.js_typeof().as_string().unwrap_or_default()
                ),
            )
            .with_help("pass the change record as an object, or its JSON text to `evaluateJson`"),
        })),
    }
}

fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

/// A `ChangegateError` carrying the fields of the core's error JSON, and
/// `code` (`POLICY`, `INPUT`, `IO` or `LIMIT`) as the Node package has it.
fn to_js_error(e: &changegate::Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("ChangegateError");
    let body = JSON::parse(&e.to_json())
        .and_then(|doc| js_sys::Reflect::get(&doc, &JsValue::from_str("error")));
    if let Some(body) = body.ok().filter(JsValue::is_object) {
        Object::assign(&err, body.unchecked_ref());
    }
    let code = JsValue::from_str(&e.kind().as_str().to_uppercase());
    // Setting a property on a fresh Error cannot fail; if it did, the error
    // would still carry `kind`.
    let _ = js_sys::Reflect::set(&err, &JsValue::from_str("code"), &code);
    err.into()
}
