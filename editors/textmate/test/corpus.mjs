// The policy texts the grammar is tested on: every `.gate` file of the
// repository, the policies shown in its Markdown pages, and the hostile
// policies of core/tests/hostile/cases.json.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

function tracked(pattern) {
  const out = execFileSync('git', ['ls-files', '-z', '--', pattern], { cwd: REPO, encoding: 'utf8' });
  return out.split('\0').filter(Boolean).sort();
}

/** Every tracked `.gate` file: `{ name, text }`, `name` relative to the repository. */
export function gateFiles() {
  return tracked('*.gate').map((name) => ({ name, text: readFileSync(join(REPO, name), 'utf8') }));
}

/**
 * The policies in the Markdown pages: fenced blocks without a language (the
 * pages' convention for policy text; everything else is tagged `json`,
 * `sh`, `text`, ...) or tagged `gate`. Each is `{ name, text }`, named
 * `PAGE:LINE` after its opening fence, and `first`, its first line, which
 * names it in broken.json (it moves less than a line number).
 */
export function markdownPolicies() {
  const out = [];
  for (const page of tracked('*.md')) {
    const lines = readFileSync(join(REPO, page), 'utf8').split('\n');
    let open = null;
    lines.forEach((line, i) => {
      const fence = /^\s*```(.*)$/.exec(line);
      if (!fence) {
        if (open?.policy) open.lines.push(line);
        return;
      }
      if (open) {
        if (open.policy) {
          out.push({ name: `${page}:${open.line}`, page, first: open.lines[0] ?? '', text: open.lines.join('\n') });
        }
        open = null;
      } else {
        const tag = fence[1].trim();
        open = { line: i + 1, policy: tag === '' || tag === 'gate', lines: [] };
      }
    });
  }
  return out;
}

/**
 * Expands a content of the hostile list (core/tests/hostile/README.md,
 * *Contents*) to the text an editor would show: raw bytes that are not
 * UTF-8 become U+FFFD, as when a file is decoded; UTF-16 code units stay as
 * they are (a lone surrogate in a JavaScript string).
 */
export function expand(content, vars = {}) {
  if (typeof content === 'string') return content;
  if ('json' in content) return JSON.stringify(content.json);
  if ('concat' in content) return content.concat.map((c) => expand(c, vars)).join('');
  if ('repeat' in content) {
    const name = content.var ?? 'i';
    const parts = [];
    for (let i = 0; i < content.times; i++) parts.push(expand(content.repeat, { ...vars, [name]: i }));
    return parts.join(content.sep ?? '');
  }
  if ('var' in content) {
    if (!(content.var in vars)) throw new Error(`hostile content: \`${content.var}\` is no enclosing repeat's counter`);
    return String(vars[content.var] + (content.add ?? 0));
  }
  if ('bytes' in content) return new TextDecoder('utf-8').decode(new Uint8Array(content.bytes));
  if ('utf16' in content) return String.fromCharCode(...content.utf16);
  throw new Error(`hostile content: unknown form ${JSON.stringify(Object.keys(content))}`);
}

/** The hostile policies: `{ name, text }` for each policy file of each case, and the time limit. */
export function hostilePolicies() {
  const list = JSON.parse(readFileSync(join(REPO, 'core/tests/hostile/cases.json'), 'utf8'));
  const out = [];
  for (const c of [{ name: 'base', ...list.base }, ...list.cases]) {
    for (const [file, content] of Object.entries(c.policy ?? {})) {
      out.push({ name: `${c.name}/${file}`, text: expand(content) });
    }
  }
  return { policies: out, seconds: list.time_limit_seconds };
}

/**
 * The seconds a hostile policy may take to tokenize: the list's limit, and
 * 10 s per MiB for the texts of several MiB (vscode-textmate manages about
 * 2 s per MiB). A pattern tried at every character of a megabyte line would
 * take hours.
 */
export function budget(text, seconds) {
  return Math.max(seconds, (10 * text.length) / 2 ** 20);
}
