//! Decisions as JavaScript sees them: an object that holds core's
//! `Decision` (in an external) and builds each field the first time it is
//! read, from `api::decision_field_json` (`bindings/types/decision.js`,
//! shared with the WASM package). Nothing of a decision crosses into
//! JavaScript until it is read, so `evaluate` costs what the engine does
//! plus one wrap.

use changegate::Decision;
use changegate::api::{DecisionField, decision_field_json};
use napi::bindgen_prelude::{Env, External, Result, Unknown};
use napi_derive::napi;

/// The decision's fields for `bindings/types/decision.js`, in the decision
/// JSON's order: their names (a getter each, reading its field by position) and
/// whether `toJSON()` leaves each out when it is `null`.
pub(crate) fn fields() -> (Vec<&'static str>, Vec<bool>) {
    let all = DecisionField::ALL;
    (
        all.map(|f| f.name()).to_vec(),
        all.map(|f| f.omitted_when_null()).to_vec(),
    )
}

/// The JavaScript object of a decision.
pub(crate) fn wrap<'env>(env: &'env Env, decision: Decision) -> Result<Unknown<'env>> {
    crate::hooks(env)?
        .decision
        .borrow_back(env)?
        .call(External::new(decision))
}

/// Internal, not part of the API: the JSON text of field `k` (a position
/// in `DecisionField::ALL`) of a decision, read by
/// `bindings/types/decision.js`.
#[napi(js_name = "__decisionField", skip_typescript)]
pub fn decision_field(handle: &External<Decision>, k: u32) -> Result<String> {
    let field = DecisionField::ALL.get(k as usize);
    field
        .map(|&f| decision_field_json(handle, f))
        .ok_or_else(|| napi::Error::from_reason(format!("no decision field {k}")))
}
