//! Node.js bindings for changegate, built with napi-rs: marshalling only.
//! Every operation, shape and error is core's `changegate::api`; the shapes'
//! TypeScript comes from `bindings/types/changegate.d.ts` (see `node.mk`).
//! Objects and limits cross as `JSON.stringify` text, results as JSON text
//! given to `JSON.parse`, and a decision field by field (`decision`).

pub mod decision;
mod error;
pub mod tools;

use std::path::Path;
use std::sync::Arc;

use changegate::api::{self, ChangeInput};
use changegate::{Decision, Limits, Source};
use napi::bindgen_prelude::{
    AsyncTask, Either, Env, External, FnArgs, Function, FunctionRef, JsObjectValue, Object, Result,
    Unknown,
};
use napi::{JsString, JsValue, ScopedTask, ValueType};
use napi_derive::napi;

use crate::error::{guard, throw, throw_at};

/// What the addon keeps per JavaScript environment (the main thread, each
/// worker): the functions that make a decision object and an error.
struct Hooks {
    decision: FunctionRef<External<Decision>, Unknown<'static>>,
    error: FunctionRef<String, Unknown<'static>>,
}

/// Runs `bindings/types/decision.js` (its `lazyDecisions` is given the
/// fields and `__decisionField`, then hidden) and `bindings/types/error.js`
/// (its class is exported as `ChangegateError`) once per environment, each
/// inside a function (see docs/decisions.md, *Node binding*).
#[napi(module_exports)]
pub fn init(mut exports: Object, env: Env) -> Result<()> {
    type Wrap<'a> = Function<'a, External<Decision>, Unknown<'static>>;
    type Fields<'a> = FnArgs<(Vec<&'static str>, Vec<bool>, Unknown<'a>)>;
    let field: Unknown = exports.get_named_property("__decisionField")?;
    let make: Function<Fields, Wrap> = env.run_script(concat!(
        "(function () {\n",
        include_str!("../../types/decision.js"),
        "\nreturn lazyDecisions\n})()"
    ))?;
    let (names, omitted) = decision::fields();
    let wrap = make.call((names, omitted, field).into())?;
    let decision = wrap.create_ref()?;
    exports.delete_named_property("__decisionField")?;
    let evaluate: Function<FnArgs<(Unknown, Wrap)>, ()> = env.run_script(concat!(
        "(function () {\n",
        include_str!("evaluate.js"),
        "\nreturn lazyEvaluate\n})()"
    ))?;
    let policy: Unknown = exports.get_named_property("Policy")?;
    evaluate.call((policy, wrap).into())?;
    let class: Object = env.run_script(concat!(
        "(function () {\n",
        include_str!("../../types/error.js"),
        "\nreturn ChangegateError\n})()"
    ))?;
    let error: Function<String, Unknown<'static>> = class.get_named_property("fromReport")?;
    let error = error.create_ref()?;
    exports.set_named_property("ChangegateError", class)?;
    env.set_instance_data(Hooks { decision, error }, (), |_| {})
}

fn hooks(env: &Env) -> Result<&'static Hooks> {
    env.get_instance_data::<Hooks>()?
        .map(|h| &*h)
        .ok_or_else(|| napi::Error::from_reason("changegate: the addon was not initialised"))
}

/// What a `Policy` or a `Graph` object holds. Node-API hands a native
/// method the object given for a class parameter (or as `this`) without
/// checking its class, so a `Policy` passed where a `Graph` belongs would
/// be read as a `Graph`. Both classes hold this one type, laid out alike
/// (`repr(transparent)`), so such an object is read as what it is and
/// refused with an error.
enum Handle {
    Policy(Arc<changegate::Policy>),
    Graph(Arc<changegate::Graph>),
}

impl Handle {
    fn class(&self) -> &'static str {
        match self {
            Handle::Policy(_) => "a Policy",
            Handle::Graph(_) => "a Graph",
        }
    }
}

fn wrong_class(expected: &str, found: &Handle) -> napi::Error {
    napi::Error::new(
        napi::Status::InvalidArg,
        format!("expected {expected}, found {}", found.class()),
    )
}

/// A compiled policy set: compile once, evaluate any number of changes
/// (from any number of concurrent `evaluateAsync` calls).
#[repr(transparent)]
#[napi]
pub struct Policy {
    handle: Handle,
}

impl Policy {
    fn new(inner: changegate::Policy) -> Policy {
        Policy {
            handle: Handle::Policy(Arc::new(inner)),
        }
    }

    fn inner(&self) -> Result<&Arc<changegate::Policy>> {
        match &self.handle {
            Handle::Policy(p) => Ok(p),
            other => Err(wrong_class("a Policy", other)),
        }
    }
}

#[napi]
impl Policy {
    /// Reads and compiles `.gate` files. Each path is a file, or a directory
    /// whose `*.gate` files below it are all read, sorted by path. Relative
    /// paths are resolved against the working directory, and policy files
    /// are named as given (in `fired[].file` and in diagnostics).
    ///
    /// @throws {ChangegateError} `policy` with `diagnostics`, or `io`.
    #[napi(factory, ts_args_type = "paths: string | string[], limits?: Limits")]
    pub fn from_path(
        env: Env,
        paths: Either<String, Vec<String>>,
        limits: Option<Unknown>,
    ) -> Result<Policy> {
        let paths = match paths {
            Either::A(one) => vec![one],
            Either::B(many) => many,
        };
        let limits = read_limits(&env, limits)?;
        let inner = guard(&env, || api::compile_paths(Path::new(""), &paths, &limits))?;
        Ok(Policy::new(inner))
    }

    /// Compiles policy files given as `{ name: text }`, in the object's key
    /// order. The names are what `fired[].file` and diagnostics show.
    ///
    /// @throws {ChangegateError} `policy` with `diagnostics`.
    #[napi(
        factory,
        ts_args_type = "sources: Record<string, string>, limits?: Limits"
    )]
    pub fn from_sources(env: Env, sources: Object, limits: Option<Unknown>) -> Result<Policy> {
        let (sources, limits) = (read_sources(&sources)?, read_limits(&env, limits)?);
        let inner = guard(&env, || api::compile(sources, &limits))?;
        Ok(Policy::new(inner))
    }

    /// Decides on a change: the decision JSON's keys and values, each field
    /// built when first read (then kept); `toJSON()` gives the plain object.
    ///
    /// @throws {ChangegateError} `input` (an invalid change, or a target the
    /// graph does not know) or `limit`.
    #[napi(
        ts_args_type = "change: Change, graph: Graph",
        ts_return_type = "Decision & { toJSON(): Decision }"
    )]
    // JavaScript never calls this directly: `init` puts `src/evaluate.js`'s
    // method in its place, which gives it the change's `JSON.stringify` text
    // and makes the decision object of what it returns, so neither step
    // calls from here back into JavaScript.
    pub fn evaluate(
        &self,
        env: Env,
        change_json: String,
        graph: &Graph,
    ) -> Result<External<Decision>> {
        let (policy, graph) = (self.inner()?, graph.inner()?);
        let decision = guard(&env, || {
            api::evaluate(policy, ChangeInput::Text(&change_json), graph)
        })?;
        Ok(External::new(decision))
    }

    /// Decides on a change given as JSON text and returns the decision JSON:
    /// two-space indented, ending with a newline, byte for byte what
    /// `changegate check --format json` prints.
    ///
    /// @throws {ChangegateError} `input` or `limit`.
    #[napi(ts_return_type = "string")]
    pub fn evaluate_json<'env>(
        &self,
        env: &'env Env,
        change_json: String,
        graph: &Graph,
    ) -> Result<JsString<'env>> {
        let (policy, graph) = (self.inner()?, graph.inner()?);
        let json = guard(env, || api::evaluate_json(policy, &change_json, graph))?;
        js_string(env, &json)
    }

    /// Like `evaluate`, but decides on a libuv worker thread, off the main
    /// thread. The promise rejects with the same errors `evaluate` throws.
    #[napi(
        ts_args_type = "change: Change, graph: Graph",
        ts_return_type = "Promise<Decision & { toJSON(): Decision }>"
    )]
    pub fn evaluate_async(
        &self,
        env: Env,
        change: Unknown,
        graph: &Graph,
    ) -> Result<AsyncTask<Task>> {
        let (policy, graph) = (Arc::clone(self.inner()?), Arc::clone(graph.inner()?));
        let change = stringify(&env, change)?;
        Ok(Task::new(move || {
            api::evaluate(&policy, ChangeInput::Text(&change), &graph)
        }))
    }

    /// Decides on many changes (a change calendar) on `threads` threads
    /// (0 or left out: one per core), blocking the calling thread; the
    /// decisions are in the order of `changes`.
    ///
    /// @throws {ChangegateError} the error of the first change that fails,
    /// with `index` set to its position.
    #[napi(
        ts_args_type = "changes: Change[], graph: Graph, threads?: number",
        ts_return_type = "Array<Decision & { toJSON(): Decision }>"
    )]
    pub fn evaluate_many<'env>(
        &self,
        env: &'env Env,
        changes: Vec<Unknown>,
        graph: &Graph,
        threads: Option<u32>,
    ) -> Result<Vec<Unknown<'env>>> {
        let texts = stringify_all(env, changes)?;
        let inputs: Vec<ChangeInput> = texts.iter().map(|t| ChangeInput::Text(t)).collect();
        let threads = threads.unwrap_or(0) as usize;
        let decided = api::evaluate_many(self.inner()?, &inputs, graph.inner()?, threads);
        decisions(env, decided)
    }

    /// Like `evaluateMany`, but decides on a libuv worker thread, off the
    /// main thread (and on `threads` threads from there). The promise
    /// rejects with the error `evaluateMany` throws.
    #[napi(
        ts_args_type = "changes: Change[], graph: Graph, threads?: number",
        ts_return_type = "Promise<Array<Decision & { toJSON(): Decision }>>"
    )]
    pub fn evaluate_many_async(
        &self,
        env: Env,
        changes: Vec<Unknown>,
        graph: &Graph,
        threads: Option<u32>,
    ) -> Result<AsyncTask<Batch>> {
        let (policy, graph) = (Arc::clone(self.inner()?), Arc::clone(graph.inner()?));
        let texts = stringify_all(&env, changes)?;
        let threads = threads.unwrap_or(0) as usize;
        Ok(AsyncTask::new(Batch(Some(Box::new(move || {
            let inputs: Vec<ChangeInput> = texts.iter().map(|t| ChangeInput::Text(t)).collect();
            api::evaluate_many(&policy, &inputs, &graph, threads)
        })))))
    }

    /// `sha256:` and a digest of the policy sources, as in `audit.policy_digest`.
    #[napi(getter)]
    pub fn digest(&self) -> Result<String> {
        Ok(self.inner()?.digest().to_owned())
    }

    /// The names of the policy files, in the order compiled.
    #[napi(getter)]
    pub fn files(&self) -> Result<Vec<String>> {
        Ok(self.inner()?.files().to_vec())
    }

    /// The names of the rules, sorted.
    #[napi(getter)]
    pub fn rules(&self) -> Result<Vec<String>> {
        Ok(self.inner()?.rules().map(str::to_owned).collect())
    }

    /// The IANA time zone of the window `name` (`UTC` when it names none), to
    /// show a block's occurrence in the window's own wall-clock time; `null`
    /// when the policy has no such window.
    #[napi]
    pub fn window_time_zone(&self, name: String) -> Result<Option<String>> {
        Ok(self.inner()?.window_time_zone(&name).map(str::to_owned))
    }
}

/// A service graph (see docs/language.md, *Inputs: the graph and the
/// change*). Immutable; share one between any number of evaluations.
#[repr(transparent)]
#[napi]
pub struct Graph {
    handle: Handle,
}

impl Graph {
    fn new(inner: changegate::Graph) -> Graph {
        Graph {
            handle: Handle::Graph(Arc::new(inner)),
        }
    }

    fn inner(&self) -> Result<&Arc<changegate::Graph>> {
        match &self.handle {
            Handle::Graph(g) => Ok(g),
            other => Err(wrong_class("a Graph", other)),
        }
    }
}

#[napi]
impl Graph {
    /// Reads a graph from a JSON file.
    ///
    /// @throws {ChangegateError} `io`, or `input` with `document: "graph"`.
    #[napi(factory, ts_args_type = "path: string, limits?: Limits")]
    pub fn from_file(env: Env, path: String, limits: Option<Unknown>) -> Result<Graph> {
        let limits = read_limits(&env, limits)?;
        let inner = guard(&env, || api::load_graph_file(Path::new(&path), &limits))?;
        Ok(Graph::new(inner))
    }

    /// Reads a graph from JSON text.
    ///
    /// @throws {ChangegateError} `input` with `document: "graph"`.
    #[napi(factory, ts_args_type = "json: string, limits?: Limits")]
    pub fn from_json(env: Env, json: String, limits: Option<Unknown>) -> Result<Graph> {
        let limits = read_limits(&env, limits)?;
        let inner = guard(&env, || api::load_graph(&json, &limits))?;
        Ok(Graph::new(inner))
    }

    /// The number of nodes.
    #[napi(getter)]
    pub fn node_count(&self) -> Result<u32> {
        Ok(u32::try_from(self.inner()?.len()).unwrap_or(u32::MAX))
    }

    /// The number of distinct edges (dependencies).
    #[napi(getter)]
    pub fn edge_count(&self) -> Result<u32> {
        Ok(u32::try_from(self.inner()?.edge_count()).unwrap_or(u32::MAX))
    }

    /// Whether a node has this id.
    #[napi]
    pub fn has(&self, id: String) -> Result<bool> {
        Ok(self.inner()?.index_of(&id).is_some())
    }

    /// The nodes as the engine read them, in document order, each with every
    /// id it depends on in `depends_on` (its own and the `edges` from it,
    /// sorted); attributes are left out.
    #[napi(ts_return_type = "GraphNode[]")]
    pub fn nodes<'env>(&self, env: &'env Env) -> Result<Unknown<'env>> {
        parse(env, &api::graph_nodes_json(self.inner()?))
    }
}

/// The blast radius of `targets`: the targets and every node that
/// transitively depends on one, with depths and a shortest path to each.
///
/// @throws {ChangegateError} `input` for no targets or an unknown target.
#[napi(ts_return_type = "ImpactReport")]
pub fn impact<'env>(env: &'env Env, graph: &Graph, targets: Vec<String>) -> Result<Unknown<'env>> {
    let graph = graph.inner()?;
    let json = guard(env, || api::impact_json(graph, &targets))?;
    parse(env, &json)
}

/// The diagnostics of policy files given as `{ name: text }`: empty when
/// they compile. For editors that underline problems as the author types.
///
/// @throws {ChangegateError} `input` with `document: "limits"` for bad limits.
#[napi(
    ts_args_type = "sources: Record<string, string>, limits?: Limits",
    ts_return_type = "Diagnostic[]"
)]
pub fn validate<'env>(
    env: &'env Env,
    sources: Object,
    limits: Option<Unknown>,
) -> Result<Unknown<'env>> {
    let (sources, limits) = (read_sources(&sources)?, read_limits(env, limits)?);
    let json = guard(env, || Ok(api::validate_json(sources, &limits)))?;
    parse(env, &json)
}

/// Reads another tool's records into changegate's own document with
/// `adapter` (`servicenow-change`, `servicenow-cmdb`, `backstage`, `velero`
/// or `aws-backup`; see docs/sources/): `inputs` maps each of its roles to
/// its files as `{ name: text }`. The result's `document` is a change, a
/// graph or a change's backups; `notes` lists the records read but not
/// counted.
///
/// @throws {ChangegateError} `input` naming the file, record and field.
#[napi(
    ts_args_type = "adapter: string, inputs: Record<string, Record<string, string>>, options?: object, limits?: Limits",
    ts_return_type = "Imported"
)]
pub fn import_texts<'env>(
    env: &'env Env,
    adapter: String,
    inputs: Object,
    options: Option<Unknown>,
    limits: Option<Unknown>,
) -> Result<Unknown<'env>> {
    let (adapter, options, limits) = import_args(env, &adapter, options, limits)?;
    let mut files = api::Inputs::new();
    for role in Object::keys(&inputs)? {
        files.insert(
            role.clone(),
            read_sources(&inputs.get_named_property(&role)?)?,
        );
    }
    let json = guard(env, || {
        api::import(adapter, &files, &options, &limits).map(|i| api::imported_json(&i))
    })?;
    parse(env, &json)
}

/// `importTexts` reading files: each role's path or paths, a directory
/// standing for its files of the role's kind (`*.yaml`, `*.yml`, `*.json`
/// for a catalog, `*.json` otherwise); relative paths are resolved against
/// the working directory and files are named as given.
///
/// @throws {ChangegateError} `io` for a path that cannot be read, or `input`.
#[napi(
    ts_args_type = "adapter: string, inputs: Record<string, string | string[]>, options?: object, limits?: Limits",
    ts_return_type = "Imported"
)]
pub fn import_files<'env>(
    env: &'env Env,
    adapter: String,
    inputs: Object,
    options: Option<Unknown>,
    limits: Option<Unknown>,
) -> Result<Unknown<'env>> {
    let (adapter, options, limits) = import_args(env, &adapter, options, limits)?;
    let mut paths = std::collections::BTreeMap::new();
    for role in Object::keys(&inputs)? {
        let given: Either<String, Vec<String>> = inputs.get_named_property(&role)?;
        paths.insert(
            role,
            match given {
                Either::A(one) => vec![one],
                Either::B(many) => many,
            },
        );
    }
    let json = guard(env, || {
        api::import_paths(adapter, Path::new(""), &paths, &options, &limits)
            .map(|i| api::imported_json(&i))
    })?;
    parse(env, &json)
}

/// The adapter, its options (as JSON) and the limits of an import.
fn import_args(
    env: &Env,
    adapter: &str,
    options: Option<Unknown>,
    limits: Option<Unknown>,
) -> Result<(api::Adapter, serde_json::Value, Limits)> {
    let adapter = guard(env, || api::adapter(adapter))?;
    let options = stringify_optional(env, options)?;
    let limits = read_limits(env, limits)?;
    let options = guard(env, || api::options_from_json(&options, &limits))?;
    Ok((adapter, options, limits))
}

/// Test-only, not part of the API: panics inside the guard every call goes
/// through, so the tests can check that a panic becomes an `internal` error
/// and the process lives on.
#[napi(js_name = "__panicForTests", skip_typescript)]
pub fn panic_for_tests(env: Env) -> Result<()> {
    guard(&env, || {
        std::panic::resume_unwind(Box::new("a deliberate panic"))
    })
}

/// Test-only, not part of the API: panics on a libuv worker thread, as
/// `evaluateAsync` computes, so the tests can check that the promise rejects
/// with an `internal` error instead of the process aborting.
#[napi(js_name = "__panicForTestsAsync", skip_typescript)]
pub fn panic_for_tests_async() -> AsyncTask<Task> {
    Task::new(|| std::panic::resume_unwind(Box::new("a deliberate panic")))
}

/// A decision made on a libuv worker thread (`evaluateAsync`).
pub struct Task(Option<Box<dyn FnOnce() -> Decided + Send>>);

type Decided = std::result::Result<Decision, changegate::Error>;

impl Task {
    fn new(f: impl FnOnce() -> Decided + Send + 'static) -> AsyncTask<Task> {
        AsyncTask::new(Task(Some(Box::new(f))))
    }
}

impl<'env> ScopedTask<'env> for Task {
    type Output = Decided;
    type JsValue = Unknown<'env>;

    fn compute(&mut self) -> Result<Self::Output> {
        // A panic must not unwind into libuv (that would abort Node): it
        // becomes an `internal` error, and the promise rejects with it.
        let f = self
            .0
            .take()
            .ok_or_else(|| napi::Error::from_reason("computed twice"))?;
        Ok(changegate::api::guard(f))
    }

    fn resolve(&mut self, env: &'env Env, output: Self::Output) -> Result<Self::JsValue> {
        match output {
            Ok(decision) => decision::wrap(env, decision),
            Err(e) => Err(throw(env, &e.report())),
        }
    }
}

/// Decisions made on a libuv worker thread (`evaluateManyAsync`).
pub struct Batch(Option<Box<dyn FnOnce() -> Vec<Decided> + Send>>);

impl<'env> ScopedTask<'env> for Batch {
    type Output = Vec<Decided>;
    type JsValue = Vec<Unknown<'env>>;

    fn compute(&mut self) -> Result<Self::Output> {
        let f = self
            .0
            .take()
            .ok_or_else(|| napi::Error::from_reason("computed twice"))?;
        // Each change's panic is caught inside; this catches one outside them.
        let all = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        all.map_err(|_| napi::Error::from_reason("changegate: a batch panicked"))
    }

    fn resolve(&mut self, env: &'env Env, output: Self::Output) -> Result<Self::JsValue> {
        decisions(env, output)
    }
}

/// The JSON text of each change.
fn stringify_all(env: &Env, changes: Vec<Unknown>) -> Result<Vec<String>> {
    changes.into_iter().map(|c| stringify(env, c)).collect()
}

/// A batch's decisions as decision objects, or the error of the first
/// change that failed, with its `index`.
fn decisions<'env>(env: &'env Env, decided: Vec<Decided>) -> Result<Vec<Unknown<'env>>> {
    decided
        .into_iter()
        .enumerate()
        .map(|(i, d)| match d {
            Ok(decision) => decision::wrap(env, decision),
            Err(e) => Err(throw_at(env, &e.report(), i)),
        })
        .collect()
}

/// `{ name: text }` as sources, in key order.
pub(crate) fn read_sources(sources: &Object) -> Result<Vec<Source>> {
    Object::keys(sources)?
        .into_iter()
        .map(|name| {
            Ok(Source {
                text: sources.get_named_property(&name)?,
                name,
            })
        })
        .collect()
}

/// Limits from an object with any of `Limits`' keys; the defaults without one.
pub(crate) fn read_limits(env: &Env, limits: Option<Unknown>) -> Result<Limits> {
    match limits {
        None => Ok(Limits::default()),
        Some(value) => {
            let text = stringify(env, value)?;
            guard(env, || api::limits_from_json(&text))
        }
    }
}

/// [`stringify`] of an optional argument: `null` when it was not given.
pub(crate) fn stringify_optional(env: &Env, value: Option<Unknown>) -> Result<String> {
    value.map_or_else(|| Ok("null".to_owned()), |v| stringify(env, v))
}

/// `JSON.stringify(value)`; `null` for a value that has no JSON text
/// (`undefined`, a function), which the engine then refuses.
pub(crate) fn stringify(env: &Env, value: Unknown) -> Result<String> {
    let json: Object = env.get_global()?.get_named_property_unchecked("JSON")?;
    let func: Function<Unknown, Unknown> = json.get_named_property_unchecked("stringify")?;
    let text = func.call(value)?;
    match text.get_type()? {
        ValueType::String => text.coerce_to_string()?.into_utf8()?.into_owned(),
        _ => Ok("null".to_owned()),
    }
}

/// A JavaScript string of `text`. ASCII text (every byte below 0x80) is
/// the same bytes in Latin-1, which V8 copies as they are into a one-byte
/// string; any other text goes through V8's UTF-8 decoder.
pub(crate) fn js_string<'env>(env: &'env Env, text: &str) -> Result<JsString<'env>> {
    if text.is_ascii() {
        env.create_string_latin1(text.as_bytes())
    } else {
        env.create_string(text)
    }
}

/// `JSON.parse(text)`.
pub(crate) fn parse<'env>(env: &'env Env, text: &str) -> Result<Unknown<'env>> {
    let json: Object = env.get_global()?.get_named_property_unchecked("JSON")?;
    let func: Function<&str, Unknown> = json.get_named_property_unchecked("parse")?;
    func.call(text)
}
