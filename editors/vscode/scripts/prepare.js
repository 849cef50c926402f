'use strict';
// Copies into the extension what it ships from elsewhere in the repository:
// the grammar (editors/textmate, its one source) and the license. `vsce
// package` runs this first (`vscode:prepublish`); the copies are ignored by
// git.
const fs = require('node:fs');
const path = require('node:path');

const extension = path.join(__dirname, '..');
const repo = path.join(extension, '..', '..');
const copies = [
  [path.join(repo, 'editors', 'textmate', 'changegate.tmLanguage.json'), path.join(extension, 'syntaxes', 'changegate.tmLanguage.json')],
  [path.join(repo, 'LICENSE'), path.join(extension, 'LICENSE')],
];
for (const [from, to] of copies) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}
