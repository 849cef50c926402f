// The objects `Policy.evaluate` and `evaluateAsync` return, made once per
// JavaScript environment (src/lib.rs) from `field(handle, k)`, the JSON text
// of field k of the engine's decision, `names`, the fields in the decision
// JSON's order, and `omitted`, whether the JSON leaves each out when `null`.
// Each field is built the first time it is read, then kept (and can be
// assigned); `toJSON()` gives the decision JSON's object, which
// `util.inspect` shows.
;(function (field, names, omitted) {
  'use strict'
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
})
