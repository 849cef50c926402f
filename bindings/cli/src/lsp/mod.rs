//! `changegate lsp`: the language server, over standard input and output
//! (docs/editors.md). One thread answers messages in the order they come,
//! so the same session always gets the same answers in the same order; the
//! queries are the engine's ([`changegate::api::ide`]), this module only
//! speaks the protocol. Documents are synchronised whole.
//!
//! `documents.rs` holds the open documents and builds each one's policy
//! set, `requests.rs` answers requests, `convert.rs` converts positions
//! (UTF-16) and URIs, `transport.rs` reads and writes the messages.

mod convert;
mod documents;
mod requests;
mod transport;

use std::path::{Path, PathBuf};

use changegate::api;
use changegate::api::ide::IdeSeverity;
use changegate::{Graph, Limits};
use jiff::Timestamp;
use lsp_server::{Connection, Message, Notification, ProtocolError};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics, ShowMessage,
};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions, Diagnostic,
    DiagnosticSeverity, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, HoverProviderCapability, MessageType,
    NumberOrString, OneOf, PublishDiagnosticsParams, SaveOptions, ServerCapabilities,
    ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri,
};
use serde_json::{Value, json};

use self::documents::Docs;
use crate::args::LspArgs;
use crate::run::read_limits;
use crate::style::{self, ColorChoice};

/// The server's state between messages.
pub(crate) struct Server {
    docs: Docs,
    limits: Limits,
    /// The graph whose node attributes `node.` completes.
    graph: Option<Graph>,
    /// The instant of `--at`, or none to use the clock.
    at: Option<Timestamp>,
}

impl Server {
    /// The instant window occurrences and window lints count from.
    fn now(&self) -> Timestamp {
        self.at.unwrap_or_else(Timestamp::now)
    }

    /// The lint options for the document `uri`, as `changegate lint` would
    /// use them there: the `changegate.toml` found from its folder, the
    /// graph, and `now`. A configuration that cannot be read leaves the
    /// defaults, and its error is returned to be shown.
    fn lint_options(&self, uri: &Uri) -> (api::LintOptions<'_>, Option<String>) {
        let mut options = api::LintOptions {
            at: Some(self.now()),
            graph: self.graph.as_ref(),
            ..api::LintOptions::default()
        };
        let found = convert::path_of(uri).and_then(|p| crate::lint::find_config(&p));
        let mut problem = None;
        if let Some(path) = found {
            match crate::lint::read_config_file(&path) {
                Ok(config) => options.config = config,
                Err(crate::err::Failure::Usage { message, help }) => {
                    problem = Some(match help {
                        Some(help) => {
                            format!("{message} (the lints use their defaults)\nhelp: {help}")
                        }
                        None => format!("{message} (the lints use their defaults)"),
                    });
                }
                Err(_) => {
                    let shown = path.display();
                    problem = Some(format!(
                        "`{shown}` cannot be read (the lints use their defaults)"
                    ));
                }
            }
        }
        (options, problem)
    }
}

/// Runs the server until the client's `exit`: 0 after a `shutdown`, 1
/// without one or on a broken connection (with the reason on stderr).
pub(crate) fn run(args: &LspArgs, limits: Option<&Path>, color: ColorChoice) -> u8 {
    let limits = match read_limits(limits) {
        Ok(l) => l,
        Err(f) => return crate::run::fail(&f, crate::args::Format::Text, color),
    };
    let (connection, io_threads) = match transport::stdio() {
        Ok(c) => c,
        Err(e) => {
            style::eprint(
                color,
                &format!("error: the language server cannot start: {e}\n"),
            );
            return 1;
        }
    };
    let code = match serve(&connection, limits, args.at) {
        Ok(code) => code,
        Err(e) => {
            style::eprint(
                color,
                &format!(
                    "error: the language server stopped: {e}\nhelp: an editor starts `changegate lsp` and speaks the Language Server Protocol to it: `initialize` first, `shutdown` then `exit` last\n"
                ),
            );
            1
        }
    };
    drop(connection);
    match io_threads.join() {
        Ok(()) => code,
        Err(e) => {
            style::eprint(
                color,
                &format!(
                    "error: the language server's input or output failed: {e}\nhelp: each message is JSON-RPC, framed by a `Content-Length` header\n"
                ),
            );
            1
        }
    }
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".to_owned()]),
            ..CompletionOptions::default()
        }),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

fn serve(
    connection: &Connection,
    limits: Limits,
    at: Option<Timestamp>,
) -> Result<u8, ProtocolError> {
    let caps = serde_json::to_value(capabilities()).unwrap_or(Value::Null);
    let (id, init) = connection.initialize_start()?;
    connection.initialize_finish(
        id,
        json!({
            "capabilities": caps,
            "serverInfo": {"name": "changegate", "version": env!("CARGO_PKG_VERSION")},
        }),
    )?;
    let mut server = Server {
        docs: Docs::default(),
        limits,
        graph: None,
        at,
    };
    if let Some(message) = load_graph(&mut server, &init) {
        send(
            connection,
            Notification::new(
                ShowMessage::METHOD.to_owned(),
                ShowMessageParams {
                    typ: MessageType::WARNING,
                    message,
                },
            ),
        );
    }
    for msg in &connection.receiver {
        match msg {
            Message::Request(req) => {
                if connection.handle_shutdown(&req)? {
                    return Ok(0);
                }
                send(connection, requests::answer(&server, req));
            }
            Message::Notification(n) if n.method == "exit" => return Ok(1),
            Message::Notification(n) => {
                for out in notified(&mut server, n) {
                    send(connection, out);
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(1)
}

fn send(connection: &Connection, msg: impl Into<Message>) {
    // A client that has gone away ends the loop when its input closes.
    let _ = connection.sender.send(msg.into());
}

/// Reads the graph named by `initializationOptions.graph` (relative to the
/// first workspace folder, else the root URI, else the current folder);
/// what went wrong, for the client, when it cannot be read.
fn load_graph(server: &mut Server, init: &Value) -> Option<String> {
    let graph = init.pointer("/initializationOptions/graph")?;
    let Some(name) = graph.as_str() else {
        return Some("`initializationOptions.graph` must be a path (a string)".to_owned());
    };
    let root = init
        .pointer("/workspaceFolders/0/uri")
        .or_else(|| init.pointer("/rootUri"))
        .and_then(Value::as_str)
        .and_then(|s| s.parse::<Uri>().ok())
        .and_then(|u| convert::path_of(&u));
    let path = match root {
        Some(root) => root.join(name),
        None => PathBuf::from(name),
    };
    match api::load_graph_file(&path, &server.limits) {
        Ok(g) => {
            server.graph = Some(g);
            None
        }
        Err(e) => Some(format!(
            "the graph `{}` cannot be read, so `node.` completes only the node's fields: {}",
            path.display(),
            e.message()
        )),
    }
}

/// Applies a notification; returns the diagnostics to publish.
fn notified(server: &mut Server, n: Notification) -> Vec<Notification> {
    let touched = match n.method.as_str() {
        DidOpenTextDocument::METHOD => {
            let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) else {
                return Vec::new();
            };
            let uri = p.text_document.uri;
            server.docs.open(uri.clone(), p.text_document.text);
            uri
        }
        DidChangeTextDocument::METHOD => {
            let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) else {
                return Vec::new();
            };
            // Full synchronisation: the last change is the whole text.
            let Some(change) = p.content_changes.into_iter().last() else {
                return Vec::new();
            };
            let uri = p.text_document.uri;
            server.docs.change(uri.clone(), change.text);
            uri
        }
        DidSaveTextDocument::METHOD => {
            let Ok(p) = serde_json::from_value::<DidSaveTextDocumentParams>(n.params) else {
                return Vec::new();
            };
            p.text_document.uri
        }
        DidCloseTextDocument::METHOD => {
            let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) else {
                return Vec::new();
            };
            let uri = p.text_document.uri;
            server.docs.close(&uri);
            let mut out = vec![publish(uri.clone(), Vec::new())];
            out.extend(
                server
                    .docs
                    .neighbours(&uri)
                    .into_iter()
                    .map(|u| diagnose(server, u)),
            );
            return out;
        }
        _ => return Vec::new(),
    };
    // A change to one file of a folder can change the findings of the
    // others (a set used, a name defined twice): every open file of the
    // folder is diagnosed again.
    server
        .docs
        .neighbours(&touched)
        .into_iter()
        .map(|u| diagnose(server, u))
        .collect()
}

/// The diagnostics of an open document, as a notification.
fn diagnose(server: &Server, uri: Uri) -> Notification {
    let Ok(set) = server.docs.set(&uri, &server.limits) else {
        return publish(uri, Vec::new());
    };
    let text = set.text(set.file);
    let (options, config_problem) = server.lint_options(&uri);
    let config_note = config_problem.map(|message| Diagnostic {
        range: convert::range(text, 0, 0),
        severity: Some(DiagnosticSeverity::WARNING),
        source: Some("changegate".to_owned()),
        message,
        ..Diagnostic::default()
    });
    let diagnostics = config_note
        .into_iter()
        .chain(
            set.workspace
                .diagnostics(set.file, &options)
                .into_iter()
                .map(|d| Diagnostic {
                    range: convert::range(text, d.place.start, d.place.end),
                    severity: Some(match d.severity {
                        IdeSeverity::Error => DiagnosticSeverity::ERROR,
                        IdeSeverity::Warning => DiagnosticSeverity::WARNING,
                        IdeSeverity::Info => DiagnosticSeverity::INFORMATION,
                    }),
                    code: d.lint.map(NumberOrString::String),
                    source: Some("changegate".to_owned()),
                    message: match d.help {
                        Some(help) => format!("{}\nhelp: {help}", d.message),
                        None => d.message,
                    },
                    ..Diagnostic::default()
                }),
        )
        .collect();
    publish(uri, diagnostics)
}

fn publish(uri: Uri, diagnostics: Vec<Diagnostic>) -> Notification {
    Notification::new(
        PublishDiagnostics::METHOD.to_owned(),
        PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        },
    )
}
