// The TextMate grammar of changegate policy files (docs/language.md), as a
// JavaScript object. `node build.mjs` writes it to changegate.tmLanguage.json,
// the file editors read; it is built rather than written by hand because the
// reserved words appear in several patterns (a keyword cannot be a name, so
// the patterns for names must exclude them) and must be listed once.

/** The reserved words (*Files, comments and names*), by the scope each gets. */
export const KEYWORDS = {
  'storage.type.window.changegate': ['window'],
  'storage.type.let.changegate': ['let'],
  'storage.type.rule.changegate': ['rule'],
  'keyword.control.conditional.changegate': ['when', 'unless'],
  'keyword.control.effect.changegate': ['require', 'deny'],
  'keyword.other.changegate': [
    'approval', 'owner', 'of', 'count', 'verified', 'backup', 'kind', 'within', 'else',
    'during', 'outside', 'because', 'override', 'by', 'between', 'cron', 'for', 'depth',
    'where',
  ],
  'keyword.operator.logical.changegate': ['and', 'or', 'not'],
  'keyword.operator.word.changegate': ['in'],
  'support.function.set.changegate': ['any', 'all', 'max', 'min'],
  'support.function.graph.changegate': ['dependents', 'dependencies'],
  'variable.language.set.changegate': ['targets', 'impacted'],
  'variable.language.changegate': ['change', 'node'],
  'constant.language.boolean.changegate': ['true', 'false'],
  'constant.language.null.changegate': ['null'],
};

/** Every reserved word, sorted. */
export const RESERVED = Object.values(KEYWORDS).flat().sort();

/** The first-class fields of `change.` and `node.` (*Paths*). */
export const FIELDS = {
  change: ['id', 'type', 'start', 'end', 'duration', 'requested_by', 'targets'],
  node: ['id', 'kind', 'tier', 'owner', 'tags', 'depth'],
};

// A word ends where no name character follows (the parser's `!ident_char`).
const END = '(?![A-Za-z0-9_])';
const START = '(?<![A-Za-z0-9_])';
const NAME = '[A-Za-z_][A-Za-z0-9_]*';
// A name that is not a reserved word (longest words first, so that the
// alternation never stops at a shorter one).
const byLength = [...RESERVED].sort((a, b) => b.length - a.length || a.localeCompare(b));
const RESERVED_RE = `(?:${byLength.join('|')})${END}`;

const words = (list) => `${START}(?:${list.join('|')})${END}`;

function keywordPatterns() {
  const out = [];
  for (const [scope, list] of Object.entries(KEYWORDS)) {
    if (scope === 'keyword.other.changegate') {
      // `count(SET)` is the set function, `count N` the keyword.
      out.push({ match: `${START}count(?=\\s*\\()`, name: 'support.function.set.changegate' });
    }
    out.push({ match: words(list), name: scope });
  }
  return out;
}

/** The grammar, as written to changegate.tmLanguage.json. */
export function grammar() {
  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'changegate',
    scopeName: 'source.changegate',
    fileTypes: ['gate'],
    patterns: [
      { include: '#comment' },
      { include: '#string' },
      { include: '#definition' },
      { include: '#window-list' },
      { include: '#path' },
      { include: '#keyword' },
      { include: '#number' },
      { include: '#operator' },
      { include: '#punctuation' },
      { include: '#set-name' },
      { include: '#invalid' },
    ],
    repository: {
      comment: {
        patterns: [
          {
            // `# changegate: allow(a, b)`: lints the linter does not report
            // here (*The command line*); spacing as the linter reads it.
            match: '(#)\\s*(changegate:)\\s*(allow)\\s*(\\()([^)]*)(\\))(.*)$',
            name: 'comment.line.number-sign.allow.changegate',
            captures: {
              1: { name: 'punctuation.definition.comment.changegate' },
              2: { name: 'keyword.other.directive.changegate' },
              3: { name: 'keyword.other.directive.allow.changegate' },
              4: { name: 'punctuation.section.parens.begin.changegate' },
              5: {
                patterns: [
                  { match: '[^,\\s]+', name: 'constant.other.lint.changegate' },
                  { match: ',', name: 'punctuation.separator.comma.changegate' },
                ],
              },
              6: { name: 'punctuation.section.parens.end.changegate' },
            },
          },
          {
            match: '(#).*$',
            name: 'comment.line.number-sign.changegate',
            captures: { 1: { name: 'punctuation.definition.comment.changegate' } },
          },
        ],
      },
      string: {
        patterns: [
          {
            // The cron expression of a window (*Windows*): its fields.
            begin: `${START}(cron)\\s*(")`,
            beginCaptures: {
              1: { name: 'keyword.other.changegate' },
              2: { name: 'string.quoted.double.cron.changegate punctuation.definition.string.begin.changegate' },
            },
            end: '(")|$',
            endCaptures: {
              1: { name: 'string.quoted.double.cron.changegate punctuation.definition.string.end.changegate' },
            },
            contentName: 'string.quoted.double.cron.changegate',
            patterns: [
              { include: '#escape' },
              { match: '[0-9]+', name: 'constant.numeric.cron.changegate' },
              { match: '[A-Za-z]+', name: 'constant.language.cron.changegate' },
              { match: '[*/,-]', name: 'keyword.operator.cron.changegate' },
            ],
          },
          {
            // The time zone of a window: `in "Europe/Berlin"`.
            begin: `${START}(in)\\s*(")`,
            beginCaptures: {
              1: { name: 'keyword.other.changegate' },
              2: { name: 'string.quoted.double.timezone.changegate punctuation.definition.string.begin.changegate' },
            },
            end: '(")|$',
            endCaptures: {
              1: { name: 'string.quoted.double.timezone.changegate punctuation.definition.string.end.changegate' },
            },
            contentName: 'string.quoted.double.timezone.changegate',
            patterns: [{ include: '#escape' }],
          },
          {
            // A string is on one line: one left open ends with its line.
            begin: '"',
            beginCaptures: { 0: { name: 'punctuation.definition.string.begin.changegate' } },
            end: '(")|$',
            endCaptures: { 1: { name: 'punctuation.definition.string.end.changegate' } },
            name: 'string.quoted.double.changegate',
            patterns: [{ include: '#escape' }],
          },
        ],
      },
      escape: {
        patterns: [
          { match: '\\\\["\\\\nt]', name: 'constant.character.escape.changegate' },
          { match: '\\\\.?', name: 'invalid.illegal.escape.changegate' },
          // No closing quote before the end of the line: the string's text
          // from its last escape on is marked, so that an open string shows.
          // Tried only after the opening quote or an escape, and possessive,
          // so that a long string costs one pass, not one per character.
          { match: '(?<="|\\\\.)[^"\\\\]++$', name: 'invalid.illegal.unterminated-string.changegate' },
        ],
      },
      definition: {
        patterns: [
          {
            match: `${START}(window)\\s+(?:(${RESERVED_RE})|(${NAME}))?`,
            captures: {
              1: { name: 'storage.type.window.changegate' },
              2: { name: 'invalid.illegal.reserved-name.changegate' },
              3: { name: 'entity.name.type.window.changegate' },
            },
          },
          {
            match: `${START}(let)\\s+(?:(${RESERVED_RE})|(${NAME}))?`,
            captures: {
              1: { name: 'storage.type.let.changegate' },
              2: { name: 'invalid.illegal.reserved-name.changegate' },
              3: { name: 'entity.name.variable.set.changegate' },
            },
          },
          {
            match: `${START}(rule)\\s+(?:(${RESERVED_RE})|(${NAME}))?`,
            captures: {
              1: { name: 'storage.type.rule.changegate' },
              2: { name: 'invalid.illegal.reserved-name.changegate' },
              3: { name: 'entity.name.function.rule.changegate' },
            },
          },
        ],
      },
      'window-list': {
        // `deny during W1, W2` and `deny outside W1, W2`: the names are
        // windows. The list ends after a name that no comma follows.
        begin: `${START}(during|outside)${END}(?:\\s*(?!${RESERVED_RE})(${NAME}))?`,
        beginCaptures: {
          1: { name: 'keyword.other.changegate' },
          2: { name: 'variable.other.window.changegate' },
        },
        end: '(?<=[A-Za-z0-9_])(?!\\s*,)|(?=[^\\s,#A-Za-z_])',
        patterns: [
          { include: '#comment' },
          { include: '#keyword' },
          { match: NAME, name: 'variable.other.window.changegate' },
          { match: ',', name: 'punctuation.separator.comma.changegate' },
        ],
      },
      path: {
        patterns: [
          ...Object.entries(FIELDS).map(([root, fields]) => ({
            match: `(?<=\\b${root})(\\.)(${fields.join('|')})(?![A-Za-z0-9_-])`,
            captures: {
              1: { name: 'punctuation.accessor.changegate' },
              2: { name: `support.variable.property.${root}.changegate` },
            },
          })),
          {
            // Any other field, or a step deeper into JSON; `-` is allowed
            // in field names (`node.cost-center`).
            match: '(\\.)([A-Za-z_][A-Za-z0-9_-]*)',
            captures: {
              1: { name: 'punctuation.accessor.changegate' },
              2: { name: 'variable.other.property.changegate' },
            },
          },
        ],
      },
      keyword: { patterns: keywordPatterns() },
      number: {
        patterns: [
          {
            match: `${START}[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2})?(?:Z|[+-][0-9]{2}:[0-9]{2})?${END}`,
            name: 'constant.numeric.datetime.changegate',
          },
          {
            match: `${START}(?:[0-9]+[wdhms])+${END}`,
            name: 'constant.numeric.duration.changegate',
          },
          { match: `${START}-?[0-9]+${END}`, name: 'constant.numeric.integer.changegate' },
          // Digits run into letters (`1x`, `5y`): no literal of the language.
          { match: `${START}[0-9][A-Za-z0-9_:+-]*`, name: 'invalid.illegal.numeric.changegate' },
        ],
      },
      operator: {
        patterns: [
          { match: '==|!=|<=|>=|<|>', name: 'keyword.operator.comparison.changegate' },
          { match: '=', name: 'keyword.operator.assignment.changegate' },
        ],
      },
      punctuation: {
        patterns: [
          { match: '\\{', name: 'punctuation.section.block.begin.changegate' },
          { match: '\\}', name: 'punctuation.section.block.end.changegate' },
          { match: '\\(', name: 'punctuation.section.parens.begin.changegate' },
          { match: '\\)', name: 'punctuation.section.parens.end.changegate' },
          { match: '\\[', name: 'punctuation.section.brackets.begin.changegate' },
          { match: '\\]', name: 'punctuation.section.brackets.end.changegate' },
          { match: ',', name: 'punctuation.separator.comma.changegate' },
        ],
      },
      'set-name': {
        // Outside definitions and window lists, a name can only be a `let`.
        match: NAME,
        name: 'variable.other.set.changegate',
      },
      invalid: {
        // A character the language has no token for (the parser's blanks
        // are space, tab, carriage return and line feed).
        match: '[^ \\t\\r\\n]',
        name: 'invalid.illegal.character.changegate',
      },
    },
  };
}

/** The grammar as the JSON text of changegate.tmLanguage.json. */
export function grammarJson() {
  return `${JSON.stringify(grammar(), null, 2)}\n`;
}
