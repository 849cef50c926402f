// A small code editor: a native <textarea> (so typing, undo, selection and
// IME behave as the browser does) over a highlighted copy of its text that
// also shows marks (wavy underlines for problems), with a line-number gutter.
// The textarea's own text is transparent; the layer below is what you see.

const escapeHtml = (s) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);

/** Splits one line of `.gate` source into [class, text] tokens. */
const GATE_KEYWORDS = new Set(
  "rule window let when unless require deny during outside approval backup verified of kind within else because override by count between and or not in cron for where"
    .split(" "),
);
const GATE_BUILTINS = new Set("any all max min count targets impacted dependents dependencies depth owner change node true false null".split(" "));
const GATE_TOKEN =
  /(#.*$)|("(?:[^"\\]|\\.)*"?)|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?)|(\b\d+(?:w|d|h|m|s)(?:\d+(?:w|d|h|m|s))*\b)|(\b\d+\b)|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|<=|>=|[<>=(){}\[\],.])/g;

export function highlightGate(line) {
  const out = [];
  let last = 0;
  for (const m of line.matchAll(GATE_TOKEN)) {
    if (m.index > last) out.push(["", line.slice(last, m.index)]);
    const [text, comment, string, datetime, duration, number, word] = m;
    let cls = "";
    if (comment) cls = "t-comment";
    else if (string) cls = "t-string";
    else if (datetime) cls = "t-time";
    else if (duration) cls = "t-time";
    else if (number) cls = "t-number";
    else if (word && GATE_KEYWORDS.has(word)) cls = "t-keyword";
    else if (word && GATE_BUILTINS.has(word)) cls = "t-builtin";
    else if (word) cls = "t-name";
    else cls = "t-punct";
    out.push([cls, text]);
    last = m.index + text.length;
  }
  if (last < line.length) out.push(["", line.slice(last)]);
  return out;
}

const JSON_TOKEN = /("(?:[^"\\]|\\.)*"?)(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(\btrue\b|\bfalse\b|\bnull\b)|([{}\[\],])/g;

export function highlightJson(line) {
  const out = [];
  let last = 0;
  for (const m of line.matchAll(JSON_TOKEN)) {
    if (m.index > last) out.push(["", line.slice(last, m.index)]);
    const [text, string, colon, number, literal] = m;
    if (string && colon) {
      out.push(["t-key", string]);
      out.push(["t-punct", colon]);
    } else if (string) out.push(["t-string", string]);
    else if (number) out.push(["t-number", number]);
    else if (literal) out.push(["t-builtin", literal]);
    else out.push(["t-punct", text]);
    last = m.index + text.length;
  }
  if (last < line.length) out.push(["", line.slice(last)]);
  return out;
}

/**
 * A mark: a range to underline, in 1-based lines and columns (characters),
 * the end exclusive, with a message for its tooltip.
 * @typedef {{line: number, column: number, end_line: number, end_column: number, message: string, severity?: string}} Mark
 */

export class CodeEditor {
  /**
   * @param {HTMLElement} host where to build the editor
   * @param {{text: string, highlight: (line: string) => [string, string][], label: string, onChange: (text: string) => void}} options
   */
  constructor(host, { text, highlight, label, onChange }) {
    this.highlight = highlight;
    this.onChange = onChange;
    this.marks = [];
    this.root = document.createElement("div");
    this.root.className = "editor";
    this.root.innerHTML = `
      <div class="editor-gutter" aria-hidden="true"><div class="editor-gutter-inner"></div></div>
      <div class="editor-main">
        <pre class="editor-view" aria-hidden="true"><code></code></pre>
        <textarea class="editor-input" spellcheck="false" autocapitalize="off" autocomplete="off" wrap="off"></textarea>
      </div>`;
    host.append(this.root);
    this.gutter = this.root.querySelector(".editor-gutter-inner");
    this.view = this.root.querySelector(".editor-view");
    this.code = this.view.querySelector("code");
    this.input = this.root.querySelector("textarea");
    this.input.setAttribute("aria-label", label);
    this.input.value = text;
    this.input.addEventListener("input", () => {
      this.render();
      this.onChange(this.input.value);
    });
    this.input.addEventListener("scroll", () => this.syncScroll());
    this.input.addEventListener("keydown", (e) => this.keydown(e));
    this.lineCount = 0;
    this.render();
  }

  get text() {
    return this.input.value;
  }

  /** Replaces the whole text (undoable where the browser allows it). */
  setText(text) {
    this.input.focus({ preventScroll: true });
    this.input.select();
    if (!document.execCommand || !document.execCommand("insertText", false, text)) {
      this.input.value = text;
    }
    this.input.setSelectionRange(0, 0);
    this.input.scrollTop = 0;
    this.render();
    this.onChange(this.input.value);
  }

  /** Replaces the character range [from, to) with `text`. */
  replaceRange(from, to, text) {
    this.input.focus({ preventScroll: true });
    this.input.setSelectionRange(from, to);
    if (!document.execCommand || !document.execCommand("insertText", false, text)) {
      this.input.setRangeText(text, from, to, "end");
    }
    this.render();
    this.onChange(this.input.value);
  }

  /** @param {Mark[]} marks */
  setMarks(marks) {
    this.marks = marks;
    this.render();
  }

  /** Puts the caret on a line and column and scrolls it into view. */
  reveal(line, column = 1, endLine = line, endColumn = column) {
    const from = this.offsetOf(line, column);
    const to = this.offsetOf(endLine, endColumn);
    this.input.focus({ preventScroll: true });
    this.input.setSelectionRange(from, Math.max(from, to));
    const lh = this.lineHeight();
    const target = (line - 1) * lh - this.input.clientHeight / 3;
    this.input.scrollTop = Math.max(0, target);
    this.syncScroll();
    this.root.classList.remove("flash");
    void this.root.offsetWidth;
    this.root.classList.add("flash");
  }

  offsetOf(line, column) {
    const lines = this.input.value.split("\n");
    let offset = 0;
    for (let i = 0; i < Math.min(line - 1, lines.length); i++) offset += lines[i].length + 1;
    const current = lines[Math.min(line - 1, lines.length - 1)] ?? "";
    return offset + Math.min(Math.max(column - 1, 0), current.length);
  }

  lineHeight() {
    return parseFloat(getComputedStyle(this.input).lineHeight) || 20;
  }

  keydown(e) {
    if (e.key === "Tab" && !e.ctrlKey && !e.metaKey && !e.altKey) {
      // Two spaces, as the policy library is indented; Shift+Tab leaves the editor.
      if (e.shiftKey) return;
      e.preventDefault();
      document.execCommand("insertText", false, "  ");
    } else if (e.key === "Enter" && !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey && !e.isComposing) {
      // Keep the indentation of the line above.
      const { selectionStart: at, value } = this.input;
      const lineStart = value.lastIndexOf("\n", at - 1) + 1;
      const indent = /^[ \t]*/.exec(value.slice(lineStart, at))[0];
      if (indent) {
        e.preventDefault();
        document.execCommand("insertText", false, "\n" + indent);
      }
    }
  }

  syncScroll() {
    const { scrollTop, scrollLeft } = this.input;
    this.view.style.transform = `translate(${-scrollLeft}px, ${-scrollTop}px)`;
    this.gutter.style.transform = `translateY(${-scrollTop}px)`;
  }

  render() {
    const lines = this.input.value.split("\n");
    const byLine = new Map();
    for (const m of this.marks) {
      for (let l = m.line; l <= Math.max(m.line, m.end_line); l++) {
        if (!byLine.has(l)) byLine.set(l, []);
        byLine.get(l).push(m);
      }
    }
    const html = [];
    lines.forEach((line, i) => {
      const n = i + 1;
      const marks = byLine.get(n) ?? [];
      const cls = marks.length ? ` l-${marks[0].severity ?? "error"}` : "";
      html.push(`<span class="l${cls}">${this.renderLine(line, n, marks)}</span>`);
    });
    this.code.innerHTML = html.join("\n") + "\n";
    if (lines.length !== this.lineCount || this.marks !== this.renderedMarks) {
      this.lineCount = lines.length;
      this.renderedMarks = this.marks;
      const gutter = [];
      for (let n = 1; n <= lines.length; n++) {
        const marks = byLine.get(n);
        const title = marks ? ` title="${escapeHtml(marks.map((m) => m.message).join("\n"))}"` : "";
        gutter.push(`<div class="ln${marks ? ` ln-${marks[0].severity ?? "error"}` : ""}"${title}>${n}</div>`);
      }
      this.gutter.innerHTML = gutter.join("");
    }
    this.syncScroll();
  }

  /** The highlighted HTML of one line, with marked ranges wrapped. */
  renderLine(line, n, marks) {
    // Character ranges on this line to underline.
    const ranges = marks.map((m) => {
      const from = m.line < n ? 0 : m.column - 1;
      let to = m.end_line > n ? line.length : m.end_column - 1;
      if (to <= from) to = from + 1; // an empty span (end of input) still shows
      return [from, to, m];
    });
    const chars = [...line];
    // Tokens -> per-character classes, so marks can cut through tokens.
    const classes = new Array(chars.length).fill("");
    let at = 0;
    for (const [cls, text] of this.highlight(line)) {
      const len = [...text].length;
      for (let k = 0; k < len; k++) classes[at + k] = cls;
      at += len;
    }
    const marked = new Array(Math.max(chars.length, ...ranges.map((r) => r[1]))).fill(null);
    for (const [from, to, m] of ranges) for (let k = from; k < to; k++) marked[k] = m;
    let html = "";
    let k = 0;
    while (k < marked.length) {
      const m = marked[k];
      let j = k;
      while (j < marked.length && marked[j] === m) j++;
      const inner = this.tokensHtml(chars, classes, k, j);
      html += m ? `<span class="mark mark-${m.severity ?? "error"}">${inner}</span>` : inner;
      k = j;
    }
    return html;
  }

  tokensHtml(chars, classes, from, to) {
    let html = "";
    let k = from;
    while (k < to) {
      let j = k;
      while (j < to && classes[j] === classes[k]) j++;
      const text = escapeHtml(chars.slice(k, j).join("") || (k >= chars.length ? " ".repeat(j - k) : ""));
      html += classes[k] ? `<span class="${classes[k]}">${text}</span>` : text;
      k = j;
    }
    return html;
  }
}
