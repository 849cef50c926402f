// Finds where an input error is in the JSON text, so the editor can mark it:
// the engine names the field (`backups[0].taken_at`, `nodes[17].tier`), or
// for a syntax error gives a line and column in its message.

/** Splits `a[0].b` into ["a", 0, "b"]. */
function segments(path) {
  const out = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

/**
 * A tolerant scanner over JSON text that records where values (and object
 * members) start and end. It only has to be right for text the engine has
 * already parsed far enough to name a path.
 */
class Scanner {
  constructor(text) {
    this.text = text;
    this.i = 0;
  }
  ws() {
    while (this.i < this.text.length && /\s/.test(this.text[this.i])) this.i++;
  }
  string() {
    const start = this.i++;
    while (this.i < this.text.length && this.text[this.i] !== '"') this.i += this.text[this.i] === "\\" ? 2 : 1;
    this.i++;
    return JSON.parse(this.text.slice(start, Math.min(this.i, this.text.length)) || '""');
  }
  /** Skips one value and returns its [start, end). Descends along `path`, returning the deepest match. */
  value(path) {
    this.ws();
    const start = this.i;
    const c = this.text[this.i];
    let found = null;
    if (c === "{") {
      this.i++;
      for (;;) {
        this.ws();
        if (this.text[this.i] === "}" || this.i >= this.text.length) break;
        const keyStart = this.i;
        const key = this.string();
        this.ws();
        if (this.text[this.i] === ":") this.i++;
        const wanted = path.length > 0 && path[0] === key;
        const sub = this.value(wanted ? path.slice(1) : []);
        if (wanted) found = sub.found ?? { start: keyStart, end: sub.end };
        this.ws();
        if (this.text[this.i] === ",") this.i++;
        else break;
      }
      this.i++;
    } else if (c === "[") {
      this.i++;
      let index = 0;
      for (;;) {
        this.ws();
        if (this.text[this.i] === "]" || this.i >= this.text.length) break;
        const wanted = path.length > 0 && path[0] === index;
        const sub = this.value(wanted ? path.slice(1) : []);
        if (wanted) found = sub.found ?? { start: sub.start, end: sub.end };
        index++;
        this.ws();
        if (this.text[this.i] === ",") this.i++;
        else break;
      }
      this.i++;
    } else if (c === '"') {
      this.string();
    } else {
      while (this.i < this.text.length && !/[\s,\]}]/.test(this.text[this.i])) this.i++;
    }
    return { start, end: this.i, found };
  }
}

function lineColumn(text, offset) {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = [...before.slice(before.lastIndexOf("\n") + 1)].length + 1;
  return { line, column };
}

/**
 * The range of an input error in `text` as a mark (1-based, end exclusive),
 * or null when it cannot be placed.
 * @param {string} text the JSON document
 * @param {{path: string, message: string}} error the engine's input error
 */
export function locate(text, error) {
  const syntax = /at line (\d+) column (\d+)$/.exec(error.message ?? "");
  if (syntax) {
    const line = Number(syntax[1]);
    const column = Math.max(1, Number(syntax[2]));
    return { line, column, end_line: line, end_column: column + 1 };
  }
  if (!error.path) return null;
  try {
    const scan = new Scanner(text);
    const { found } = scan.value(segments(error.path));
    if (!found) return null;
    const a = lineColumn(text, found.start);
    const b = lineColumn(text, found.end);
    return { line: a.line, column: a.column, end_line: b.line, end_column: b.column };
  } catch {
    return null;
  }
}

/**
 * The character range [start, end) of a top-level string member's value
 * (`"start": "…"`), for rewriting it in place; null if absent.
 */
export function memberValueRange(text, key) {
  try {
    const scan = new Scanner(text);
    const { found } = scan.value([key]);
    if (!found) return null;
    const member = text.slice(found.start, found.end);
    const colon = member.indexOf(":");
    const valueStart = found.start + colon + 1 + /^\s*/.exec(member.slice(colon + 1))[0].length;
    return { start: valueStart, end: found.end };
  } catch {
    return null;
  }
}
