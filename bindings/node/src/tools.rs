//! The policy author's tools: `formatPolicy`, `lint` and `runTests`, each one
//! call of core's `changegate::api`, as `changegate fmt`, `lint` and `test`.

use std::path::Path;

use changegate::Source;
use changegate::api;
use napi::bindgen_prelude::{Env, Object, Result, Unknown};
use napi_derive::napi;

use crate::error::guard;
use crate::{parse, read_limits, read_sources, stringify_optional};

/// One policy file in the canonical layout, what `changegate fmt` writes:
/// only whitespace changes, every comment stays where it was, and
/// formatting again changes nothing. `name` is the file that errors name.
///
/// @throws {ChangegateError} `policy` when the file has syntax errors.
#[napi(ts_args_type = "text: string, name?: string, limits?: Limits")]
pub fn format_policy(
    env: Env,
    text: String,
    name: Option<String>,
    limits: Option<Unknown>,
) -> Result<String> {
    let limits = read_limits(&env, limits)?;
    let source = Source {
        name: name.unwrap_or_else(|| "policy.gate".to_owned()),
        text,
    };
    guard(&env, || api::format_with_limits(&source, &limits))
}

/// The lint findings of policy files given as `{ name: text }`, what
/// `changegate lint` reports, sorted by file, line and column; comments
/// `# changegate: allow(name)` suppress them. `request` gives the instant
/// of the window lints (`at`), the configuration (`config`, as
/// `changegate.toml` reads), example changes (`changes`) and a graph
/// (`graph`, its document) for the lints that read them.
///
/// @throws {ChangegateError} `policy` when the files do not compile, `input`
/// with `document: "lint"` for a bad request.
#[napi(
    ts_args_type = "sources: Record<string, string>, request?: LintRequest | null, limits?: Limits",
    ts_return_type = "Finding[]"
)]
pub fn lint<'env>(
    env: &'env Env,
    sources: Object,
    request: Option<Unknown>,
    limits: Option<Unknown>,
) -> Result<Unknown<'env>> {
    let (sources, limits) = (read_sources(&sources)?, read_limits(env, limits)?);
    let request = stringify_optional(env, request)?;
    let request = guard(env, || api::lint_request_from_json(&request, &limits))?;
    let json = guard(env, || {
        let options = request.options(None);
        api::lint_with(sources, &limits, &options).map(|f| api::findings_json(&f))
    })?;
    parse(env, &json)
}

/// What to run and gather in `runTests`.
#[napi(object)]
pub struct TestOptions {
    /// Run only the cases whose name contains this text.
    pub filter: Option<String>,
    /// Add which rules, effects and windows no case exercised.
    pub coverage: Option<bool>,
}

/// Runs the policy tests (`*.test.json`, docs/testing.md) in `paths` as
/// `changegate test` does: a folder stands for every test file below it;
/// relative paths are resolved against the working directory. A broken
/// test file is reported in its `error`, not thrown.
///
/// @throws {ChangegateError} `io` for a path that cannot be read.
#[napi(
    ts_args_type = "paths: string | string[], options?: TestOptions, limits?: Limits",
    ts_return_type = "TestReport"
)]
pub fn run_tests<'env>(
    env: &'env Env,
    paths: napi::Either<String, Vec<String>>,
    options: Option<TestOptions>,
    limits: Option<Unknown>,
) -> Result<Unknown<'env>> {
    let paths = match paths {
        napi::Either::A(one) => vec![one],
        napi::Either::B(many) => many,
    };
    let options = options.unwrap_or(TestOptions {
        filter: None,
        coverage: None,
    });
    let options = api::TestOptions {
        filter: options.filter,
        coverage: options.coverage.unwrap_or(false),
    };
    let limits = read_limits(env, limits)?;
    let json = guard(env, || {
        api::run_tests(Path::new(""), &paths, &options, &limits).map(|r| r.to_json())
    })?;
    parse(env, &json)
}
