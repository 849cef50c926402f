//! Node.js bindings for changegate, built with napi-rs.
//!
//! Only translation happens here. A decision is core's `Decision` behind an
//! object that builds each field from core's JSON of that field when it is
//! first read (`decision`), so what JavaScript sees is what the CLI prints,
//! and nothing crosses until it is read. Changes go the other way through
//! `JSON.stringify`, so the engine's input limits and error paths apply
//! unchanged.

pub mod decision;
mod error;
pub mod types;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use changegate::api;
use napi::bindgen_prelude::{
    AsyncTask, Either, Env, Function, JsObjectValue, Object, Result, Unknown,
};
use napi::{JsValue, ScopedTask, ValueType};
use napi_derive::napi;

use crate::error::{Failure, guard};

/// A compiled policy set: compile once, evaluate any number of changes
/// (from any number of concurrent `evaluateAsync` calls).
#[napi]
pub struct Policy {
    inner: Arc<changegate::Policy>,
}

#[napi]
impl Policy {
    /// Reads and compiles `.gate` files. Each path is a file, or a directory
    /// whose `*.gate` files below it are all read, sorted by path. Relative
    /// paths are resolved against the working directory, and policy files
    /// are named as given (in `fired[].file` and in diagnostics).
    ///
    /// @throws {ChangegateError} `POLICY` with `diagnostics`, or `IO`.
    #[napi(factory, ts_args_type = "paths: string | Array<string>")]
    pub fn from_path(env: Env, paths: Either<String, Vec<String>>) -> Result<Policy> {
        let paths = match paths {
            Either::A(one) => vec![one],
            Either::B(many) => many,
        };
        let inner = guard(&env, || changegate::Policy::from_paths(&paths))?;
        Ok(Policy {
            inner: Arc::new(inner),
        })
    }

    /// Compiles policy files given as `{ name: text }`, in the object's key
    /// order. The names are what `fired[].file` and diagnostics show.
    ///
    /// @throws {ChangegateError} `POLICY` with `diagnostics`.
    #[napi(factory, ts_args_type = "sources: Record<string, string>")]
    pub fn from_sources(env: Env, sources: Object) -> Result<Policy> {
        let mut named = Vec::new();
        for name in Object::keys(&sources)? {
            let text: String = sources.get_named_property(&name)?;
            named.push((name, text));
        }
        let inner = guard(&env, || {
            changegate::Policy::from_sources(named).map_err(Into::into)
        })?;
        Ok(Policy {
            inner: Arc::new(inner),
        })
    }

    /// Decides on a change: the decision of spec §4, with the keys and values
    /// of the decision JSON. Each field is built when first read (then kept);
    /// `JSON.stringify(decision)` writes the decision JSON's object.
    ///
    /// @throws {ChangegateError} `INPUT` (an invalid change, or a target the
    /// graph does not know) or `LIMIT`.
    #[napi(
        ts_args_type = "change: Change, graph: Graph",
        ts_return_type = "Decision & { toJSON(): Decision }"
    )]
    pub fn evaluate<'env>(
        &self,
        env: &'env Env,
        change: Unknown,
        graph: &Graph,
    ) -> Result<Unknown<'env>> {
        let change = stringify(env, change)?;
        let decision = guard(env, || {
            api::evaluate(&self.inner, api::ChangeInput::Text(&change), &graph.inner)
        })?;
        decision::wrap(env, decision)
    }

    /// Decides on a change given as JSON text and returns the decision JSON:
    /// two-space indented, ending with a newline, byte for byte what
    /// `changegate check --format json` prints.
    ///
    /// @throws {ChangegateError} `INPUT` or `LIMIT`.
    #[napi]
    pub fn evaluate_json(&self, env: Env, change_json: String, graph: &Graph) -> Result<String> {
        guard(&env, || {
            self.inner.evaluate_json(&change_json, &graph.inner)
        })
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
    ) -> Result<AsyncTask<Evaluation>> {
        Ok(AsyncTask::new(Evaluation {
            policy: Arc::clone(&self.inner),
            graph: Arc::clone(&graph.inner),
            change: stringify(&env, change)?,
        }))
    }

    /// `sha256:` and a digest of the policy sources, as in `audit.policy_digest`.
    #[napi(getter)]
    pub fn digest(&self) -> String {
        self.inner.digest().to_owned()
    }

    /// The names of the policy files, in the order compiled.
    #[napi(getter)]
    pub fn files(&self) -> Vec<String> {
        self.inner.files().to_vec()
    }

    /// The names of the rules, sorted.
    #[napi(getter)]
    pub fn rules(&self) -> Vec<String> {
        self.inner.rules().map(str::to_owned).collect()
    }
}

/// A service graph (spec §2.1): the nodes a change can touch and what
/// depends on what. Immutable; share one between any number of evaluations.
#[napi]
pub struct Graph {
    inner: Arc<changegate::Graph>,
}

#[napi]
impl Graph {
    /// Reads a graph from a JSON file.
    ///
    /// @throws {ChangegateError} `IO`, or `INPUT` with `document: "graph"`.
    #[napi(factory)]
    pub fn from_file(env: Env, path: String) -> Result<Graph> {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Failure::graph_file(&path, &e).into_js(&env))?;
        Graph::from_json(env, text)
    }

    /// Reads a graph from JSON text.
    ///
    /// @throws {ChangegateError} `INPUT` with `document: "graph"`.
    #[napi(factory)]
    pub fn from_json(env: Env, json: String) -> Result<Graph> {
        let inner = guard(&env, || {
            api::load_graph(&json, &changegate::Limits::default())
        })?;
        Ok(Graph {
            inner: Arc::new(inner),
        })
    }

    /// The number of nodes.
    #[napi(getter)]
    pub fn node_count(&self) -> u32 {
        u32::try_from(self.inner.len()).unwrap_or(u32::MAX)
    }
}

/// The blast radius of `targets`: the targets and every node that
/// transitively depends on one, with depths and a shortest path to each.
///
/// @throws {ChangegateError} `INPUT` for no targets or an unknown target.
#[napi(ts_return_type = "ImpactReport")]
pub fn impact<'env>(env: &'env Env, graph: &Graph, targets: Vec<String>) -> Result<Unknown<'env>> {
    let json = guard(env, || api::impact_json(&graph.inner, &targets))?;
    parse(env, &json)
}

/// Test-only, not part of the API: panics inside the guard every call goes
/// through, so the tests can check that a panic becomes an `INTERNAL` error
/// and the process lives on.
#[napi(js_name = "__panicForTests", skip_typescript)]
pub fn panic_for_tests(env: Env) -> Result<()> {
    guard(&env, || {
        std::panic::resume_unwind(Box::new("a deliberate panic"))
    })
}

/// Test-only, not part of the API: panics on a libuv worker thread, as
/// `evaluateAsync` computes, so the tests can check that the promise rejects
/// with an `INTERNAL` error instead of the process aborting.
#[napi(js_name = "__panicForTestsAsync", skip_typescript)]
pub fn panic_for_tests_async() -> AsyncTask<Panic> {
    AsyncTask::new(Panic)
}

/// The task of `__panicForTestsAsync`.
pub struct Panic;

impl<'env> ScopedTask<'env> for Panic {
    type Output = ();
    type JsValue = ();

    fn compute(&mut self) -> Result<Self::Output> {
        catch_unwind(|| std::panic::resume_unwind(Box::new("a deliberate panic")))
            .map_err(|_| napi::Error::from_reason("panic"))
    }

    fn resolve(&mut self, _env: &'env Env, (): Self::Output) -> Result<Self::JsValue> {
        Ok(())
    }

    fn reject(&mut self, env: &'env Env, _panic: napi::Error) -> Result<Self::JsValue> {
        Err(Failure::Panic.into_js(env))
    }
}

/// One `evaluateAsync` call: the decision is made on a libuv worker thread.
pub struct Evaluation {
    policy: Arc<changegate::Policy>,
    graph: Arc<changegate::Graph>,
    change: String,
}

impl<'env> ScopedTask<'env> for Evaluation {
    type Output = std::result::Result<changegate::Decision, changegate::Error>;
    type JsValue = Unknown<'env>;

    fn compute(&mut self) -> Result<Self::Output> {
        // A panic must not unwind into libuv (that would abort Node): it
        // becomes a rejected promise, in `reject`.
        catch_unwind(AssertUnwindSafe(|| {
            api::evaluate(
                &self.policy,
                api::ChangeInput::Text(&self.change),
                &self.graph,
            )
        }))
        .map_err(|_| napi::Error::from_reason("panic"))
    }

    fn resolve(&mut self, env: &'env Env, output: Self::Output) -> Result<Self::JsValue> {
        match output {
            Ok(decision) => decision::wrap(env, decision),
            Err(e) => Err(Failure::Core(e).into_js(env)),
        }
    }

    fn reject(&mut self, env: &'env Env, _panic: napi::Error) -> Result<Self::JsValue> {
        Err(Failure::Panic.into_js(env))
    }
}

/// `JSON.stringify(value)`, refusing values that have no JSON text.
fn stringify(env: &Env, value: Unknown) -> Result<String> {
    let json: Object = env.get_global()?.get_named_property_unchecked("JSON")?;
    let func: Function<Unknown, Unknown> = json.get_named_property_unchecked("stringify")?;
    let text = func.call(value)?;
    match text.get_type()? {
        ValueType::String => text.coerce_to_string()?.into_utf8()?.into_owned(),
        other => Err(Failure::not_json(other).into_js(env)),
    }
}

/// `JSON.parse(text)`.
fn parse<'env>(env: &'env Env, text: &str) -> Result<Unknown<'env>> {
    let json: Object = env.get_global()?.get_named_property_unchecked("JSON")?;
    let func: Function<&str, Unknown> = json.get_named_property_unchecked("parse")?;
    func.call(text)
}
