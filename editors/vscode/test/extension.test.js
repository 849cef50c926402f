'use strict';
// src/extension.js against a fake VS Code: it starts `changegate lsp` over
// stdio with the configured program, passes the graph setting to the
// server, and restarts it when either setting changes.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const { loadExtension } = require('./stub-vscode');

const context = () => ({ subscriptions: [] });

test('activate starts `changegate lsp` over stdio with the configured program and graph', async () => {
  const { extension, record } = loadExtension({
    settings: { path: '/opt/changegate/bin/changegate', graph: '/srv/estate.json' },
  });
  await extension.activate(context());
  assert.equal(record.clients.length, 1);
  const [client] = record.clients;
  assert.equal(client.id, 'changegate', 'the id is the prefix of the `changegate.trace.server` setting');
  assert.deepEqual(client.serverOptions, { command: '/opt/changegate/bin/changegate', args: ['lsp'], transport: 0 });
  assert.deepEqual(client.clientOptions.initializationOptions, { graph: '/srv/estate.json' });
  assert.deepEqual(client.clientOptions.documentSelector, [
    { scheme: 'file', language: 'changegate' },
    { scheme: 'untitled', language: 'changegate' },
  ]);
  assert.equal(record.watchers[0].glob, '**/*.gate');
  assert.ok(client.started);
  assert.deepEqual(record.errors, []);
});

test('the defaults: `changegate` found on PATH, and no graph', async () => {
  const { extension, record } = loadExtension({ settings: { path: 'changegate', graph: '' } });
  await extension.activate(context());
  const [client] = record.clients;
  assert.equal(client.serverOptions.command, 'changegate');
  assert.deepEqual(client.clientOptions.initializationOptions, {});
  // No setting at all (VS Code gives the package.json defaults, a bare test may not).
  const bare = loadExtension({ settings: {} });
  await bare.extension.activate(context());
  assert.equal(bare.record.clients[0].serverOptions.command, 'changegate');
  assert.deepEqual(bare.record.clients[0].clientOptions.initializationOptions, {});
});

test('relative paths are taken from the first workspace folder', async () => {
  const { extension, record } = loadExtension({
    settings: { path: './target/release/changegate', graph: 'policies/estate.json' },
    folder: '/home/me/repo',
  });
  await extension.activate(context());
  const [client] = record.clients;
  assert.equal(client.serverOptions.command, path.join('/home/me/repo', 'target/release/changegate'));
  assert.deepEqual(client.clientOptions.initializationOptions, { graph: path.join('/home/me/repo', 'policies/estate.json') });
});

test('changing changegate.path or changegate.graph restarts the server with the new setting; other settings do not', async () => {
  const settings = { path: 'changegate', graph: '' };
  const { extension, record } = loadExtension({ settings });
  await extension.activate(context());
  const [listener] = record.configListeners;
  const event = (key) => ({ affectsConfiguration: (k) => k === key });

  listener(event('editor.tabSize'));
  await new Promise((r) => setImmediate(r));
  assert.equal(record.clients.length, 1);

  settings.graph = '/srv/other.json';
  listener(event('changegate.graph'));
  await new Promise((r) => setImmediate(r));
  assert.equal(record.clients.length, 2);
  assert.ok(record.clients[0].stopped, 'the old server is stopped');
  assert.deepEqual(record.clients[1].clientOptions.initializationOptions, { graph: '/srv/other.json' });

  await record.commands.get('changegate.restartServer')();
  assert.equal(record.clients.length, 3);
  assert.ok(record.clients[1].stopped);
  await extension.deactivate();
  assert.ok(record.clients[2].stopped, 'deactivate stops the server');
});

test('a server that cannot start is reported with the program and the setting to fix', async () => {
  const { extension, record } = loadExtension({
    settings: { path: '/nowhere/changegate' },
    startError: new Error('spawn /nowhere/changegate ENOENT'),
  });
  await extension.activate(context());
  assert.equal(record.errors.length, 1);
  assert.match(record.errors[0], /`\/nowhere\/changegate lsp`/);
  assert.match(record.errors[0], /ENOENT/);
  assert.match(record.errors[0], /changegate\.path/);
});
