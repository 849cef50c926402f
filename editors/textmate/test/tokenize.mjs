// Tokenizes text with changegate.tmLanguage.json the way VS Code does:
// vscode-textmate with the Oniguruma regular expressions compiled to
// WebAssembly (vscode-oniguruma).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import vsctm from 'vscode-textmate';
import oniguruma from 'vscode-oniguruma';

const require = createRequire(import.meta.url);
export const GRAMMAR_PATH = fileURLToPath(new URL('../changegate.tmLanguage.json', import.meta.url));
export const ROOT_SCOPE = 'source.changegate';

let loaded;

/** The grammar, loaded once. */
export async function loadGrammar() {
  if (!loaded) {
    loaded = (async () => {
      const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
      await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
      const registry = new vsctm.Registry({
        onigLib: Promise.resolve({
          createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
          createOnigString: (s) => new oniguruma.OnigString(s),
        }),
        loadGrammar: async (scopeName) =>
          scopeName === ROOT_SCOPE
            ? vsctm.parseRawGrammar(readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH)
            : null,
      });
      return registry.loadGrammar(ROOT_SCOPE);
    })();
  }
  return loaded;
}

/**
 * The tokens of a text, line by line: `{ line, column, text, scopes }` with
 * 1-based line and column (in UTF-16 code units, as editors count) and the
 * scopes below the root. A leading byte order mark is dropped, as editors do
 * when they read a file. With `lineTimeLimitMs`, a line that takes longer
 * is an error.
 */
export async function tokenize(text, { lineTimeLimitMs = 0 } = {}) {
  const grammar = await loadGrammar();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const out = [];
  let state = vsctm.INITIAL;
  lines.forEach((line, i) => {
    const result = grammar.tokenizeLine(line, state, lineTimeLimitMs);
    if (result.stoppedEarly) {
      throw new Error(`line ${i + 1} (${line.length} characters) took more than ${lineTimeLimitMs} ms to tokenize`);
    }
    for (const t of result.tokens) {
      const end = Math.min(t.endIndex, line.length);
      if (end <= t.startIndex) continue;
      out.push({
        line: i + 1,
        column: t.startIndex + 1,
        text: line.slice(t.startIndex, end),
        scopes: t.scopes.filter((s) => s !== ROOT_SCOPE),
      });
    }
    state = result.ruleStack;
  });
  return out;
}

/** Whether a character is a blank of the language (space, tab, CR, LF). */
export const isBlank = (c) => c === ' ' || c === '\t' || c === '\r' || c === '\n';

/** The tokens as text: one line per token, `line:column  "text"  scopes`. */
export function render(tokens) {
  return tokens
    .filter((t) => [...t.text].some((c) => !isBlank(c)))
    .map((t) => `${t.line}:${t.column}\t${JSON.stringify(t.text)}\t${t.scopes.join(' ')}`)
    .join('\n') + '\n';
}
