// `Policy#evaluate` as JavaScript, installed by the addon once per
// environment (run inside a function, like bindings/types/error.js): it
// turns the change into JSON text here, gives the native method that text,
// and makes the decision object of the handle it returns. Both steps run in
// JavaScript, so the call crosses into the addon once and never calls back
// out of it; the native method is reachable only through this one.
function lazyEvaluate(Policy, decision) {
  const native = Policy.prototype.evaluate
  Policy.prototype.evaluate = function evaluate(change, graph) {
    // `undefined`, a function: no JSON text, so `null`, which the engine
    // refuses as a change.
    const text = JSON.stringify(change)
    return decision(native.call(this, typeof text === 'string' ? text : 'null', graph))
  }
}
