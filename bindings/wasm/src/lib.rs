//! changegate for WebAssembly (wasm-bindgen), in Node and in the browser:
//! marshalling only, every operation, shape and error is [`changegate::api`]'s.
//! Documents cross as JSON text read with `JSON.parse`; failures are core's
//! error reports thrown as `ChangegateError`, wrong argument types `TypeError`s.

use changegate::api::{self, ChangeInput, DecisionField};
use changegate::{Error, Limits, Source};
use js_sys::{Array, JSON, Object};
use wasm_bindgen::JsCast as _;
use wasm_bindgen::prelude::*;

// Every shape, and `ChangegateError`, generated from core's types.
#[wasm_bindgen(typescript_custom_section)]
const SHAPES: &str = include_str!("../../types/changegate.d.ts");

// The error class shared with the Node package, exported by this one too (a
// function's re-export: a type's would be declared `unknown`). A script, like
// `decision.js` beside it, that `scripts/postbuild.mjs` makes a module.
#[wasm_bindgen(module = "/../types/error.js")]
extern "C" {
    type ChangegateError;
    #[wasm_bindgen(static_method_of = ChangegateError, js_name = fromReport)]
    fn from_report(json: &str) -> JsValue;
    #[wasm_bindgen(js_name = ChangegateError, reexport, skip_typescript)]
    fn changegate_error_class();
}

// The lazy decision shared with the Node package: given core's field names
// and which of them `toJSON()` leaves out when `null`, the function that
// wraps a `DecisionHandle` (whose `fieldAt` it reads).
#[wasm_bindgen(module = "/../types/decision.js")]
extern "C" {
    #[wasm_bindgen(js_name = lazyDecisions)]
    fn lazy_decisions(names: Array, omitted: Array) -> js_sys::Function;
}

thread_local! {
    // Made once: each call defines the class and its getters anew.
    static LAZY_DECISION: js_sys::Function = lazy_decisions(
        DecisionField::ALL.iter().map(|f| JsValue::from_str(f.name())).collect(),
        DecisionField::ALL.iter().map(|f| JsValue::from_bool(f.omitted_when_null())).collect(),
    );
}

/// A compiled policy set: compile once, evaluate any number of changes.
#[wasm_bindgen]
pub struct Policy(changegate::Policy);

#[wasm_bindgen]
impl Policy {
    /// Compiles policy files given as `{ name: text }` (or a `Map`), in that
    /// order; the names are what diagnostics and `fired[].file` show.
    #[wasm_bindgen(js_name = fromSources)]
    pub fn from_sources(
        #[wasm_bindgen(unchecked_param_type = "Record<string, string> | Map<string, string>")]
        sources: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Limits | null")] limits: Option<Object>,
    ) -> Result<Policy, JsValue> {
        api::compile(sources_from_js(&sources)?, &limits_from_js(limits)?)
            .map(Policy)
            .map_err(thrown)
    }

    /// Decides on a change (an object, or its JSON text). Each field is built
    /// when first read; `toJSON()` gives the decision JSON's object.
    #[wasm_bindgen(unchecked_return_type = "Decision & { toJSON(): Decision }")]
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Change | string")] change: JsValue,
        graph: &Graph,
    ) -> Result<JsValue, JsValue> {
        let text = match change.as_string() {
            Some(text) => text,
            None => JSON::stringify(&change)?
                .as_string()
                .ok_or_else(|| type_error("a change is an object or its JSON text"))?,
        };
        let decision =
            api::evaluate(&self.0, ChangeInput::Text(&text), &graph.0).map_err(thrown)?;
        let handle = JsValue::from(DecisionHandle(decision));
        LAZY_DECISION.with(|wrap| wrap.call1(&JsValue::UNDEFINED, &handle))
    }

    /// The decision JSON for a change given as JSON text, byte for byte what
    /// `changegate check --format json` prints.
    #[wasm_bindgen(js_name = evaluateJson)]
    pub fn evaluate_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        graph: &Graph,
    ) -> Result<String, JsValue> {
        let text = string(&text, "the change JSON")?;
        api::evaluate_json(&self.0, &text, &graph.0).map_err(thrown)
    }

    /// `sha256:` and the digest of the policy sources, as in `audit.policy_digest`.
    #[wasm_bindgen(getter)]
    pub fn digest(&self) -> String {
        self.0.digest().to_owned()
    }

    /// The names of the files the policy was compiled from, in that order.
    #[wasm_bindgen(getter)]
    pub fn files(&self) -> Vec<String> {
        self.0.files().to_vec()
    }

    /// The names of the rules, sorted.
    #[wasm_bindgen(getter)]
    pub fn rules(&self) -> Vec<String> {
        self.0.rules().map(str::to_owned).collect()
    }

    /// The IANA time zone of window `name` (`UTC` when it names none);
    /// `undefined` when there is no such window.
    #[wasm_bindgen(js_name = windowTimeZone)]
    pub fn window_time_zone(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    ) -> Result<Option<String>, JsValue> {
        let name = string(&name, "a window's name")?;
        Ok(self.0.window_time_zone(&name).map(str::to_owned))
    }
}

/// The engine's decision, held by the lazy decision
/// (`bindings/types/decision.js`).
#[wasm_bindgen(skip_typescript)]
pub struct DecisionHandle(changegate::Decision);

#[wasm_bindgen]
impl DecisionHandle {
    /// The JSON of field `k`, a position in `DecisionField::ALL`.
    #[wasm_bindgen(js_name = fieldAt)]
    pub fn field_at(&self, k: usize) -> Option<String> {
        let field = DecisionField::ALL.get(k)?;
        Some(api::decision_field_json(&self.0, *field))
    }
}

/// A dependency graph, loaded once and shared by evaluations.
#[wasm_bindgen]
pub struct Graph(changegate::Graph);

#[wasm_bindgen]
impl Graph {
    /// Loads a graph from its JSON text.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Limits | null")] limits: Option<Object>,
    ) -> Result<Graph, JsValue> {
        let text = string(&text, "the graph JSON")?;
        api::load_graph(&text, &limits_from_js(limits)?)
            .map(Graph)
            .map_err(thrown)
    }

    /// The number of nodes.
    #[wasm_bindgen(getter, js_name = nodeCount)]
    pub fn node_count(&self) -> usize {
        self.0.len()
    }

    /// The number of distinct edges.
    #[wasm_bindgen(getter, js_name = edgeCount)]
    pub fn edge_count(&self) -> usize {
        self.0.edge_count()
    }

    /// Whether a node has this id.
    pub fn has(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
    ) -> Result<bool, JsValue> {
        Ok(self.0.index_of(&string(&id, "a node id")?).is_some())
    }

    /// The nodes in document order, each with every id it depends on in
    /// `depends_on` (sorted); attributes are left out.
    #[wasm_bindgen(unchecked_return_type = "GraphNode[]")]
    pub fn nodes(&self) -> Result<JsValue, JsValue> {
        JSON::parse(&api::graph_nodes_json(&self.0))
    }
}

/// The blast radius of `targets` in `graph`, as a decision's `impact`.
#[wasm_bindgen(unchecked_return_type = "ImpactReport")]
pub fn impact(
    graph: &Graph,
    #[wasm_bindgen(unchecked_param_type = "string[]")] targets: JsValue,
) -> Result<JsValue, JsValue> {
    let ids: Option<Vec<String>> = targets
        .dyn_ref::<Array>()
        .and_then(|a| a.iter().map(|t| t.as_string()).collect());
    let ids = ids.ok_or_else(|| type_error("targets are an array of node ids"))?;
    JSON::parse(&api::impact_json(&graph.0, &ids).map_err(thrown)?)
}

/// The diagnostics of policy sources, `[]` when they compile (for editors).
#[wasm_bindgen(unchecked_return_type = "Diagnostic[]")]
pub fn validate(
    #[wasm_bindgen(unchecked_param_type = "Record<string, string> | Map<string, string>")]
    sources: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Limits | null")] limits: Option<Object>,
) -> Result<JsValue, JsValue> {
    JSON::parse(&api::validate_json(
        sources_from_js(&sources)?,
        &limits_from_js(limits)?,
    ))
}

/// One policy file in the canonical layout, what `changegate fmt` writes:
/// only whitespace changes and every comment stays where it was. `name` is
/// the file that errors name.
#[wasm_bindgen(js_name = formatPolicy)]
pub fn format_policy(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string | null")] name: Option<JsValue>,
    #[wasm_bindgen(unchecked_optional_param_type = "Limits | null")] limits: Option<Object>,
) -> Result<String, JsValue> {
    let name = match name {
        Some(n) => string(&n, "the file's name")?,
        None => "policy.gate".to_owned(),
    };
    let text = string(&text, "the policy text")?;
    let source = Source { name, text };
    api::format_with_limits(&source, &limits_from_js(limits)?).map_err(thrown)
}

/// The lint findings of policy sources, what `changegate lint` reports;
/// throws the policy's diagnostics when it does not compile. `request`
/// gives the instant of the window lints (`at`), the configuration
/// (`config`), example changes (`changes`) and a graph (`graph`, its
/// document) for the lints that read them.
#[wasm_bindgen(unchecked_return_type = "Finding[]")]
pub fn lint(
    #[wasm_bindgen(unchecked_param_type = "Record<string, string> | Map<string, string>")]
    sources: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "LintRequest | null")] request: Option<Object>,
    #[wasm_bindgen(unchecked_optional_param_type = "Limits | null")] limits: Option<Object>,
) -> Result<JsValue, JsValue> {
    let (sources, limits) = (sources_from_js(&sources)?, limits_from_js(limits)?);
    let request = json_or_null(request.as_ref())?;
    let request = api::lint_request_from_json(&request, &limits).map_err(thrown)?;
    let options = request.options(None);
    let found = api::lint_with(sources, &limits, &options).map_err(thrown)?;
    JSON::parse(&api::findings_json(&found))
}

/// Reads another tool's records into changegate's own document with
/// `adapter` (`servicenow-change`, `servicenow-cmdb`, `backstage`, `velero`
/// or `aws-backup`): `inputs` maps each of its roles to its files as
/// `{ name: text }` (or a `Map`); `notes` lists the records read but not
/// counted.
#[wasm_bindgen(js_name = importTexts, unchecked_return_type = "Imported")]
pub fn import_texts(
    #[wasm_bindgen(unchecked_param_type = "string")] adapter: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Record<string, Record<string, string>>")]
    inputs: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "object | null")] options: Option<Object>,
    #[wasm_bindgen(unchecked_optional_param_type = "Limits | null")] limits: Option<Object>,
) -> Result<JsValue, JsValue> {
    let adapter = api::adapter(&string(&adapter, "the adapter's name")?).map_err(thrown)?;
    let mut files = api::Inputs::new();
    for (role, sources) in entries(&inputs, "import inputs are an object of roles")? {
        let role = role.as_string().unwrap_or_default();
        files.insert(role, sources_from_js(&sources)?);
    }
    let limits = limits_from_js(limits)?;
    let options = json_or_null(options.as_ref())?;
    let options = api::options_from_json(&options, &limits).map_err(thrown)?;
    let imported = api::import(adapter, &files, &options, &limits).map_err(thrown)?;
    JSON::parse(&api::imported_json(&imported))
}

/// The engine's version, as in `audit.engine`.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// Test-only: a panic on `wasm32` is a trap (`WebAssembly.RuntimeError`).
#[wasm_bindgen(js_name = __panicForTests, skip_typescript)]
#[expect(clippy::panic, reason = "the test-only export exists to panic")]
pub fn panic_for_tests() {
    panic!("a deliberate panic")
}

/// The `[key, value]` pairs of an object or a `Map`, in insertion order.
fn entries(v: &JsValue, expected: &str) -> Result<Vec<(JsValue, JsValue)>, JsValue> {
    let entries = match v.dyn_ref::<js_sys::Map>() {
        Some(map) => Array::from(&map.entries()),
        None if v.is_object() && !Array::is_array(v) => Object::entries(v.unchecked_ref()),
        None => return Err(type_error(expected)),
    };
    let pair = |entry: JsValue| {
        let pair: Array = entry.unchecked_into();
        (pair.get(0), pair.get(1))
    };
    Ok(entries.iter().map(pair).collect())
}

/// `{ name: text }` or a `Map` of names to texts, in insertion order.
fn sources_from_js(v: &JsValue) -> Result<Vec<Source>, JsValue> {
    entries(v, "sources are an object or a Map")?
        .into_iter()
        .map(|(name, text)| {
            let name = name.as_string().unwrap_or_default();
            let text = text.as_string();
            let text =
                text.ok_or_else(|| type_error(&format!("the text of `{name}` is not a string")))?;
            Ok(Source { name, text })
        })
        .collect()
}

/// The JSON text of an optional object argument: `null` when it was not given.
fn json_or_null(v: Option<&Object>) -> Result<String, JsValue> {
    v.map_or_else(
        || Ok("null".to_owned()),
        |o| Ok(String::from(JSON::stringify(o)?)),
    )
}

/// Any of the keys of `Limits`; `undefined` or `null` for the defaults.
fn limits_from_js(v: Option<Object>) -> Result<Limits, JsValue> {
    match v {
        None => Ok(Limits::default()),
        Some(v) => api::limits_from_json(&String::from(JSON::stringify(&v)?)).map_err(thrown),
    }
}

fn thrown(e: Error) -> JsValue {
    ChangegateError::from_report(&e.report().to_json())
}

/// A string argument: wasm-bindgen does not check that a `&str` parameter
/// was given a string, and reading another value as one traps the module.
fn string(v: &JsValue, what: &str) -> Result<String, JsValue> {
    v.as_string()
        .ok_or_else(|| type_error(&format!("{what} is not a string")))
}

fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}
