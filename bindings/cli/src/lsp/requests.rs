//! The requests: each reads its parameters, asks the policy set of its
//! document ([`changegate::api::ide`]) and converts the answer to the
//! protocol's shapes. Parameters that do not fit are an `InvalidParams`
//! error naming the method; an unknown method is `MethodNotFound`.

use std::collections::HashMap;

use changegate::api::ide::{CompletionKind, Edit, Place};
use lsp_server::{ErrorCode, Request, Response};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CompletionItem,
    CompletionItemKind, CompletionParams, DocumentFormattingParams, GotoDefinitionParams, Hover,
    HoverContents, HoverParams, Location, MarkupContent, MarkupKind, NumberOrString,
    ReferenceParams, TextEdit, WorkspaceEdit,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::documents::Set;
use super::{Server, convert};

/// Answers one request.
pub(super) fn answer(server: &Server, req: Request) -> Response {
    let id = req.id.clone();
    let result = match req.method.as_str() {
        "textDocument/hover" => params(&req).and_then(|p| hover(server, p)),
        "textDocument/definition" => params(&req).and_then(|p| definition(server, p)),
        "textDocument/references" => params(&req).and_then(|p| references(server, p)),
        "textDocument/completion" => params(&req).and_then(|p| completion(server, p)),
        "textDocument/formatting" => params(&req).and_then(|p| formatting(server, p)),
        "textDocument/codeAction" => params(&req).and_then(|p| code_action(server, p)),
        other => Err((
            ErrorCode::MethodNotFound,
            format!("`{other}` is not a method changegate's language server knows"),
        )),
    };
    match result {
        Ok(value) => Response::new_ok(id, value),
        Err((code, message)) => Response::new_err(id, code as i32, message),
    }
}

type Answer = Result<Value, (ErrorCode, String)>;

fn params<P: DeserializeOwned>(req: &Request) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(req.params.clone()).map_err(|e| {
        (
            ErrorCode::InvalidParams,
            format!("the parameters of `{}` do not fit: {e}", req.method),
        )
    })
}

fn json(v: impl serde::Serialize) -> Answer {
    serde_json::to_value(v).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

fn set(server: &Server, uri: &lsp_types::Uri) -> Result<Set, (ErrorCode, String)> {
    server
        .docs
        .set(uri, &server.limits)
        .map_err(|m| (ErrorCode::InvalidParams, m))
}

/// The location of a place of the set.
fn location(set: &Set, p: Place) -> Option<Location> {
    Some(Location {
        uri: set.uris.get(p.file)?.clone(),
        range: convert::range(set.text(p.file), p.start, p.end),
    })
}

fn text_edit(set: &Set, e: &Edit) -> TextEdit {
    TextEdit {
        range: convert::range(set.text(e.place.file), e.place.start, e.place.end),
        new_text: e.new_text.clone(),
    }
}

fn hover(server: &Server, p: HoverParams) -> Answer {
    let d = p.text_document_position_params;
    let set = set(server, &d.text_document.uri)?;
    let offset = convert::offset(set.text(set.file), d.position);
    let h = set.workspace.hover(set.file, offset, server.now());
    json(h.map(|h| Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: h.markdown,
        }),
        range: Some(convert::range(
            set.text(set.file),
            h.place.start,
            h.place.end,
        )),
    }))
}

fn definition(server: &Server, p: GotoDefinitionParams) -> Answer {
    let d = p.text_document_position_params;
    let set = set(server, &d.text_document.uri)?;
    let offset = convert::offset(set.text(set.file), d.position);
    json(
        set.workspace
            .definition(set.file, offset)
            .and_then(|p| location(&set, p)),
    )
}

fn references(server: &Server, p: ReferenceParams) -> Answer {
    let d = p.text_document_position;
    let set = set(server, &d.text_document.uri)?;
    let offset = convert::offset(set.text(set.file), d.position);
    let places = set
        .workspace
        .references(set.file, offset, p.context.include_declaration);
    json(
        places
            .into_iter()
            .filter_map(|p| location(&set, p))
            .collect::<Vec<_>>(),
    )
}

fn completion(server: &Server, p: CompletionParams) -> Answer {
    let d = p.text_document_position;
    let set = set(server, &d.text_document.uri)?;
    let offset = convert::offset(set.text(set.file), d.position);
    let items: Vec<CompletionItem> = set
        .workspace
        .completions(set.file, offset, server.graph.as_ref())
        .into_iter()
        .map(|c| CompletionItem {
            label: c.label,
            kind: Some(match c.kind {
                CompletionKind::Window => CompletionItemKind::CONSTANT,
                CompletionKind::Let => CompletionItemKind::VARIABLE,
                CompletionKind::Field => CompletionItemKind::FIELD,
                CompletionKind::Keyword => CompletionItemKind::KEYWORD,
            }),
            detail: Some(c.detail),
            ..CompletionItem::default()
        })
        .collect();
    json(items)
}

fn formatting(server: &Server, p: DocumentFormattingParams) -> Answer {
    let set = set(server, &p.text_document.uri)?;
    // `null` when the file has syntax errors, which its diagnostics show.
    let Some(edit) = set.workspace.format(set.file) else {
        return Ok(Value::Null);
    };
    let edits: Vec<TextEdit> = if edit.new_text == set.text(set.file) {
        Vec::new()
    } else {
        vec![text_edit(&set, &edit)]
    };
    json(edits)
}

fn code_action(server: &Server, p: CodeActionParams) -> Answer {
    let uri = p.text_document.uri;
    let set = set(server, &uri)?;
    let text = set.text(set.file);
    let start = convert::offset(text, p.range.start);
    let end = convert::offset(text, p.range.end);
    let actions: Vec<CodeActionOrCommand> = set
        .workspace
        .fixes(set.file, start, end, &server.lint_options(&uri).0)
        .into_iter()
        .map(|f| {
            let diagnostics: Vec<_> = p
                .context
                .diagnostics
                .iter()
                .filter(|d| d.code == Some(NumberOrString::String(f.lint.clone())))
                .cloned()
                .collect();
            // `Uri` caches its parse in a cell, which clippy counts as a
            // mutable key; the protocol's type is keyed by it all the same.
            #[expect(
                clippy::mutable_key_type,
                reason = "lsp-types keys workspace edits by `Uri`"
            )]
            let changes = HashMap::from([(uri.clone(), vec![text_edit(&set, &f.edit)])]);
            CodeActionOrCommand::CodeAction(CodeAction {
                title: f.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
                edit: Some(WorkspaceEdit {
                    changes: Some(changes),
                    ..WorkspaceEdit::default()
                }),
                ..CodeAction::default()
            })
        })
        .collect();
    json(actions)
}
