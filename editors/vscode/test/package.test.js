'use strict';
// Packages the extension with vsce into target/editors/ (as `make vsix`
// does) and checks the .vsix: the manifest, the grammar copied from
// editors/textmate, the client and the runtime dependencies it needs, and
// nothing of the tests or the build.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { readZip } = require('./zip');

const EXTENSION = path.join(__dirname, '..');
const REPO = path.join(EXTENSION, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(EXTENSION, 'package.json'), 'utf8'));
const OUT = path.join(REPO, 'target', 'editors');
const VSIX = path.join(OUT, `${manifest.name}-${manifest.version}.vsix`);

function packageOnce() {
  fs.mkdirSync(OUT, { recursive: true });
  fs.rmSync(VSIX, { force: true });
  // `npm run package` holds vsce's arguments, for `make vsix` and this test.
  execFileSync('npm', ['run', '--silent', 'package', '--', '--out', VSIX], { cwd: EXTENSION, stdio: 'pipe' });
  return readZip(fs.readFileSync(VSIX));
}

const entries = packageOnce();
const text = (name) => {
  const data = entries.get(name);
  assert.ok(data, `${name} is not in the .vsix`);
  return data.toString('utf8');
};

test('the .vsix holds the client, the grammar, the language configuration and the documents', () => {
  for (const name of [
    'extension.vsixmanifest',
    'extension/package.json',
    'extension/src/extension.js',
    'extension/language-configuration.json',
    'extension/syntaxes/changegate.tmLanguage.json',
    'extension/readme.md',
    'extension/changelog.md',
    'extension/LICENSE.txt',
  ]) {
    assert.ok(entries.has(name), `${name} is not in the .vsix`);
  }
  const grammar = fs.readFileSync(path.join(REPO, 'editors', 'textmate', 'changegate.tmLanguage.json'), 'utf8');
  assert.equal(text('extension/syntaxes/changegate.tmLanguage.json'), grammar, 'the packed grammar is not editors/textmate\'s');
  assert.equal(text('extension/LICENSE.txt'), fs.readFileSync(path.join(REPO, 'LICENSE'), 'utf8'));
});

test('the .vsix leaves out the tests, the build scripts and the development dependencies', () => {
  const unwanted = [...entries.keys()].filter(
    (n) => /^extension\/(test|scripts)\//.test(n) || n.includes('node_modules/@vscode/vsce') || n.includes('node_modules/.bin/'),
  );
  assert.deepEqual(unwanted, []);
});

test('the packed manifest contributes the language, its grammar and the settings, with files that exist', () => {
  const packed = JSON.parse(text('extension/package.json'));
  assert.equal(packed.name, 'changegate');
  assert.ok(entries.has(`extension/${path.posix.normalize(packed.main)}`), `main ${packed.main}`);
  const [language] = packed.contributes.languages;
  assert.equal(language.id, 'changegate');
  assert.deepEqual(language.extensions, ['.gate']);
  assert.ok(entries.has(`extension/${path.posix.normalize(language.configuration)}`));
  const [grammar] = packed.contributes.grammars;
  assert.equal(grammar.language, 'changegate');
  const grammarFile = JSON.parse(text(`extension/${path.posix.normalize(grammar.path)}`));
  assert.equal(grammar.scopeName, grammarFile.scopeName);
  assert.deepEqual(Object.keys(packed.contributes.configuration.properties).sort(), [
    'changegate.graph',
    'changegate.path',
    'changegate.trace.server',
  ]);
  assert.deepEqual(Object.keys(packed.dependencies), ['vscode-languageclient']);
  const vsixManifest = text('extension.vsixmanifest');
  assert.match(vsixManifest, new RegExp(`<Identity [^>]*Id="changegate"[^>]*Version="${manifest.version}"[^>]*Publisher="${manifest.publisher}"`));
});

test('the packed client loads with the dependencies packed beside it', () => {
  // Unpack, then require the packed extension with a `vscode` that answers
  // anything: a runtime dependency left out of the .vsix fails here.
  const dir = path.join(OUT, 'unpacked');
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [name, data] of entries) {
    if (name.endsWith('/')) continue;
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, data);
  }
  const anything = { get: (t, p) => (p in t ? t[p] : (t[p] = new Proxy(function () {}, anything))) };
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    if (request === 'vscode') return new Proxy({}, anything);
    return load.call(this, request, parent, isMain);
  };
  try {
    const extension = require(path.join(dir, 'extension', 'src', 'extension.js'));
    assert.equal(typeof extension.activate, 'function');
    assert.equal(typeof extension.deactivate, 'function');
    const client = require(path.join(dir, 'extension', 'node_modules', 'vscode-languageclient', 'node'));
    // The stand-in of stub-vscode.js uses the same numbers.
    assert.equal(client.TransportKind.stdio, 0);
  } finally {
    Module._load = load;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the links of the packed README lead to files of the repository', () => {
  // vsce makes relative links absolute; a link to a file that moved, or one
  // that climbs out of the repository, fails here.
  const base = '/changegate/changegate/blob/HEAD/';
  const links = [...text('extension/readme.md').matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
  assert.ok(links.length > 3, `links: ${links}`);
  for (const link of links) {
    const url = new URL(link);
    assert.equal(url.protocol, 'https:', link);
    if (url.host !== 'github.com' || !url.pathname.startsWith('/changegate/changegate/')) continue;
    if (url.pathname === '/changegate/changegate') continue;
    assert.ok(url.pathname.startsWith(base), `${link} leaves the repository's files`);
    const file = path.join(REPO, decodeURIComponent(url.pathname.slice(base.length)));
    assert.ok(fs.existsSync(file), `${link}: no ${path.relative(REPO, file)}`);
  }
});
