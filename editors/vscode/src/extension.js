'use strict';
// The changegate extension: the language (contributed in package.json) and
// a client of the language server `changegate lsp`, started over stdio.

const path = require('node:path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');

/** The client id: also the prefix of the `changegate.trace.server` setting, which the client reads itself. */
const CLIENT_ID = 'changegate';
/** The settings that take a new server to apply. */
const RESTART_ON = ['changegate.path', 'changegate.graph'];

/** @type {LanguageClient | undefined} */
let client;
/** @type {vscode.OutputChannel | undefined} */
let output;

/**
 * A setting that names a file, made usable: a name without a folder (the
 * default `changegate`) is left for the system to find on `PATH`; a relative
 * path is taken from the first workspace folder, as people write them in a
 * workspace's settings.
 */
function resolvePath(value, { bareName }) {
  const text = (value ?? '').trim();
  if (text === '' || path.isAbsolute(text)) return text;
  if (bareName && !/[\\/]/.test(text)) return text;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri?.fsPath;
  return folder ? path.join(folder, text) : text;
}

/** The settings the server is started with. */
function settings() {
  const config = vscode.workspace.getConfiguration('changegate');
  return {
    command: resolvePath(config.get('path'), { bareName: true }) || 'changegate',
    graph: resolvePath(config.get('graph'), { bareName: false }),
  };
}

/** A client for `COMMAND lsp` with the current settings. */
function createClient() {
  const { command, graph } = settings();
  /** @type {import('vscode-languageclient/node').ServerOptions} */
  const serverOptions = { command, args: ['lsp'], transport: TransportKind.stdio };
  /** @type {import('vscode-languageclient/node').LanguageClientOptions} */
  const clientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'changegate' },
      { scheme: 'untitled', language: 'changegate' },
    ],
    // The server reads the graph for completion of `node.` attributes.
    initializationOptions: graph ? { graph } : {},
    // A policy set spans files: the server hears when another one changes.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.gate') },
    outputChannel: output,
  };
  return { client: new LanguageClient(CLIENT_ID, 'changegate', serverOptions, clientOptions), command };
}

/** Starts a client; a server that cannot start is reported with the setting to fix. */
async function start() {
  const created = createClient();
  client = created.client;
  try {
    await client.start();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(
      `changegate: could not start \`${created.command} lsp\`: ${reason}. ` +
        'Install changegate or set `changegate.path` to the program.',
    );
  }
}

async function stop() {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch {
      // A server that never started has nothing to stop.
    }
  }
}

async function restart() {
  await stop();
  await start();
}

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  output = vscode.window.createOutputChannel('changegate');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('changegate.restartServer', restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (RESTART_ON.some((key) => event.affectsConfiguration(key))) void restart();
    }),
  );
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
