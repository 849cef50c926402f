// The decision `Policy.evaluate` returns: it holds the engine's decision (a
// handle into the module) and builds each field the first time it is read,
// from that field's JSON, then keeps it; a field can be assigned, as on a
// plain object. The fields are getters on the prototype, one per name core
// gives. A script, like bindings/types/error.js: scripts/postbuild.mjs makes
// it a module (CommonJS for Node, ES for the browser).
class Decision {
  static names = null
  #handle
  #fields = {}

  constructor(handle) {
    this.#handle = handle
  }

  // The decision JSON's object, keys in its order: what JSON.stringify writes.
  toJSON() {
    return Object.fromEntries(Decision.names.map((name) => [name, this[name]]))
  }

  [Symbol.for('nodejs.util.inspect.custom')](depth, options, inspect) {
    return inspect(this.toJSON(), options)
  }

  static define(names) {
    Decision.names = names
    for (const name of names) {
      Object.defineProperty(Decision.prototype, name, {
        enumerable: true,
        get() {
          const fields = this.#fields
          return name in fields ? fields[name] : (fields[name] = JSON.parse(this.#handle.field(name)))
        },
        set(value) {
          this.#fields[name] = value
        },
      })
    }
  }
}

function lazyDecision(handle) {
  if (Decision.names === null) Decision.define(handle.fields())
  return new Decision(handle)
}
