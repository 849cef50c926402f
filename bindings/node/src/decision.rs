//! Decisions as JavaScript sees them: an object that holds core's
//! `Decision` (in an external) and builds each field the first time it is
//! read, from that field alone (`src/decision.js`, run once per JavaScript
//! environment when the addon loads). Nothing of a decision crosses into
//! JavaScript until it is read, so `evaluate` costs what the engine does
//! plus one wrap; `toJSON()` gives the decision JSON's object.

use changegate::Decision;
use napi::bindgen_prelude::{
    Env, External, Function, FunctionRef, JsObjectValue, Null, Object, Result, Unknown,
};
use napi_derive::napi;

/// What the addon keeps per JavaScript environment (the main thread, each
/// worker): the function that wraps a decision.
struct Hooks {
    decision: FunctionRef<External<Decision>, Unknown<'static>>,
}

/// Runs `src/decision.js` with `__decisionPart` and keeps the function it
/// returns for this environment.
#[napi(module_exports)]
pub fn init(exports: Object, env: Env) -> Result<()> {
    let part: Unknown = exports.get_named_property("__decisionPart")?;
    let make: Function<Unknown, Function<External<Decision>, Unknown<'static>>> =
        env.run_script(include_str!("decision.js"))?;
    let decision = make.call(part)?.create_ref()?;
    env.set_instance_data(Hooks { decision }, (), |_| {})
}

fn hooks(env: &Env) -> Result<&'static Hooks> {
    env.get_instance_data::<Hooks>()?
        .map(|h| &*h)
        .ok_or_else(|| napi::Error::from_reason("changegate: the addon was not initialised"))
}

/// The JavaScript object of a decision.
pub(crate) fn wrap<'env>(env: &'env Env, decision: Decision) -> Result<Unknown<'env>> {
    hooks(env)?
        .decision
        .borrow_back(env)?
        .call(External::new(decision))
}

/// Internal, not part of the API: one field of a decision, read by
/// `src/decision.js`: the text of `change` (0), `outcome` (1) and
/// `next_allowed_start` (6, or `null`), and the JSON text of the others
/// (2 approvals, 3 backups, 4 conditions, 5 blocks, 7 impact, 8 overrides,
/// 9 fired, 10 audit).
#[napi(js_name = "__decisionPart", skip_typescript)]
pub fn decision_part(handle: &External<Decision>, k: u32) -> Result<napi::Either<String, Null>> {
    let d: &Decision = handle;
    let json = |r: serde_json::Result<String>| {
        r.map(napi::Either::A)
            .map_err(|e| napi::Error::from_reason(e.to_string()))
    };
    match k {
        0 => Ok(napi::Either::A(d.change.to_string())),
        1 => Ok(napi::Either::A(d.outcome.as_str().to_owned())),
        2 => json(serde_json::to_string(&d.approvals)),
        3 => json(serde_json::to_string(&d.backups)),
        4 => json(serde_json::to_string(&d.conditions)),
        5 => json(serde_json::to_string(&d.blocks)),
        6 => Ok(d
            .next_allowed_start
            .clone()
            .map_or(napi::Either::B(Null), napi::Either::A)),
        7 => json(serde_json::to_string(&d.impact)),
        8 => json(serde_json::to_string(&d.overrides)),
        9 => json(serde_json::to_string(&d.fired)),
        10 => json(serde_json::to_string(&d.audit)),
        _ => Err(napi::Error::from_reason(format!("no decision part {k}"))),
    }
}
