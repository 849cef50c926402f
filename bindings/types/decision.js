// The decision objects of both JavaScript packages (Node and WASM), made
// once per JavaScript environment from core's fields: `names`, in the
// decision JSON's order, `omitted`, whether the JSON leaves each out when
// `null`, and `field(handle, k)`, the JSON text of field k of the engine's
// decision (Node passes its native reader; WASM's handle has `fieldAt`).
// Each field is built the first time it is read, then kept (and can be
// assigned); `toJSON()` gives the decision JSON's object, which
// `util.inspect` shows. A script, like error.js: the Node addon runs it
// inside a function, the WASM package's build makes it a module.
function lazyDecisions(names, omitted, field = (handle, k) => handle.fieldAt(k)) {
  const parse = JSON.parse

  class Decision {
    #h
    #v = names.map(() => undefined)

    constructor(handle) {
      this.#h = handle
    }

    static {
      names.forEach((name, k) =>
        Object.defineProperty(this.prototype, name, {
          enumerable: true,
          get() {
            const v = this.#v[k]
            return v === undefined ? (this.#v[k] = parse(field(this.#h, k))) : v
          },
          set(v) {
            this.#v[k] = v
          },
        }),
      )
    }

    toJSON() {
      const out = {}
      names.forEach((name, k) => {
        const v = this[name]
        if (v !== null || !omitted[k]) out[name] = v
      })
      return out
    }

    [Symbol.for('nodejs.util.inspect.custom')](depth, options, inspect) {
      return inspect(this.toJSON(), options)
    }
  }

  return (handle) => new Decision(handle)
}
