'use strict';
// A stand-in for the `vscode` module and for vscode-languageclient's
// LanguageClient, enough for src/extension.js (VS Code itself cannot run
// here): it records what the extension asks of them.
const Module = require('node:module');
const path = require('node:path');

/** A fresh fake VS Code: `settings` are the `changegate.*` values, `folder` the first workspace folder. */
function fakeVscode({ settings = {}, folder = '/work/space', startError = null } = {}) {
  const record = { clients: [], errors: [], commands: new Map(), configListeners: [], watchers: [] };
  const vscode = {
    workspace: {
      workspaceFolders: folder ? [{ uri: { fsPath: folder } }] : undefined,
      getConfiguration(section) {
        if (section !== 'changegate') throw new Error(`unexpected configuration section ${section}`);
        return { get: (key) => settings[key] };
      },
      createFileSystemWatcher(glob) {
        const watcher = { glob, dispose() {} };
        record.watchers.push(watcher);
        return watcher;
      },
      onDidChangeConfiguration(listener) {
        record.configListeners.push(listener);
        return { dispose() {} };
      },
    },
    window: {
      createOutputChannel: (name) => ({ name, dispose() {} }),
      showErrorMessage: async (message) => {
        record.errors.push(message);
      },
    },
    commands: {
      registerCommand(name, fn) {
        record.commands.set(name, fn);
        return { dispose() {} };
      },
    },
  };
  class LanguageClient {
    constructor(id, name, serverOptions, clientOptions) {
      Object.assign(this, { id, name, serverOptions, clientOptions, started: false, stopped: false });
      record.clients.push(this);
    }
    async start() {
      if (startError) throw startError;
      this.started = true;
    }
    async stop() {
      this.stopped = true;
    }
  }
  const languageclient = { LanguageClient, TransportKind: { stdio: 0, ipc: 1, pipe: 2, socket: 3 } };
  return { vscode, languageclient, record };
}

const EXTENSION = path.join(__dirname, '..', 'src', 'extension.js');

/** Loads src/extension.js afresh against a fake VS Code; returns the module and the record. */
function loadExtension(options) {
  const fake = fakeVscode(options);
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    if (request === 'vscode') return fake.vscode;
    if (request === 'vscode-languageclient/node') return fake.languageclient;
    return load.call(this, request, parent, isMain);
  };
  try {
    delete require.cache[require.resolve(EXTENSION)];
    return { extension: require(EXTENSION), ...fake };
  } finally {
    Module._load = load;
  }
}

module.exports = { loadExtension };
