// The objects `Policy.evaluate` and `evaluateAsync` return. Run once per
// JavaScript environment when the addon loads (src/decision.rs); `part`
// is the addon's `__decisionPart(handle, k)`, which gives field `k` of the
// engine's decision: the text of `change`, `outcome` and
// `next_allowed_start`, and the JSON text of every other field.
//
// A decision holds the engine's decision and builds each field the first
// time it is read (then keeps it: the same object on every read), so a
// decision costs little until it is looked at. Fields can be assigned, as
// on a plain object. `toJSON()` gives the decision JSON's object (what
// `JSON.stringify` writes), and `util.inspect` shows that object.
;(function (part) {
  'use strict'
  const parse = JSON.parse
  const UNSET = undefined

  class Decision {
    #h
    #change = UNSET
    #outcome = UNSET
    #approvals = UNSET
    #backups = UNSET
    #conditions = UNSET
    #blocks = UNSET
    #nextAllowedStart = UNSET
    #impact = UNSET
    #overrides = UNSET
    #fired = UNSET
    #audit = UNSET

    constructor(handle) {
      this.#h = handle
    }

    get change() {
      return this.#change === UNSET ? (this.#change = part(this.#h, 0)) : this.#change
    }
    set change(v) {
      this.#change = v
    }
    get outcome() {
      return this.#outcome === UNSET ? (this.#outcome = part(this.#h, 1)) : this.#outcome
    }
    set outcome(v) {
      this.#outcome = v
    }
    get approvals() {
      return this.#approvals === UNSET ? (this.#approvals = parse(part(this.#h, 2))) : this.#approvals
    }
    set approvals(v) {
      this.#approvals = v
    }
    get backups() {
      return this.#backups === UNSET ? (this.#backups = parse(part(this.#h, 3))) : this.#backups
    }
    set backups(v) {
      this.#backups = v
    }
    get conditions() {
      return this.#conditions === UNSET ? (this.#conditions = parse(part(this.#h, 4))) : this.#conditions
    }
    set conditions(v) {
      this.#conditions = v
    }
    get blocks() {
      return this.#blocks === UNSET ? (this.#blocks = parse(part(this.#h, 5))) : this.#blocks
    }
    set blocks(v) {
      this.#blocks = v
    }
    get next_allowed_start() {
      return this.#nextAllowedStart === UNSET
        ? (this.#nextAllowedStart = part(this.#h, 6))
        : this.#nextAllowedStart
    }
    set next_allowed_start(v) {
      this.#nextAllowedStart = v
    }
    get impact() {
      return this.#impact === UNSET ? (this.#impact = parse(part(this.#h, 7))) : this.#impact
    }
    set impact(v) {
      this.#impact = v
    }
    get overrides() {
      return this.#overrides === UNSET ? (this.#overrides = parse(part(this.#h, 8))) : this.#overrides
    }
    set overrides(v) {
      this.#overrides = v
    }
    get fired() {
      return this.#fired === UNSET ? (this.#fired = parse(part(this.#h, 9))) : this.#fired
    }
    set fired(v) {
      this.#fired = v
    }
    get audit() {
      return this.#audit === UNSET ? (this.#audit = parse(part(this.#h, 10))) : this.#audit
    }
    set audit(v) {
      this.#audit = v
    }

    // The decision JSON's object, keys in its order.
    toJSON() {
      return {
        change: this.change,
        outcome: this.outcome,
        approvals: this.approvals,
        backups: this.backups,
        conditions: this.conditions,
        blocks: this.blocks,
        next_allowed_start: this.next_allowed_start,
        impact: this.impact,
        overrides: this.overrides,
        fired: this.fired,
        audit: this.audit,
      }
    }

    [Symbol.for('nodejs.util.inspect.custom')](depth, options, inspect) {
      return inspect(this.toJSON(), options)
    }
  }

  for (const key of Object.getOwnPropertyNames(Decision.prototype)) {
    if (key !== 'constructor') {
      const d = Object.getOwnPropertyDescriptor(Decision.prototype, key)
      if (d.get) Object.defineProperty(Decision.prototype, key, { ...d, enumerable: true })
    }
  }

  return (handle) => new Decision(handle)
})
