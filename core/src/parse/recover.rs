//! Error recovery: a file with syntax errors is read item by item, so that
//! every broken item is reported and every good one kept.

use pest::Parser as _;

use super::build::Builder;
use super::err::{Located, syntax_error};
use super::head::head_error;
use super::{GateParser, Rule, lexical};
use crate::ast::Item;
use crate::source::{FileId, Span};

/// Reads `text` (after `bom` bytes of byte order mark) one item at a time:
/// each is given to pest alone, cut where [`lexical::item_extent`] says it
/// ends at the latest; after a syntax error, reading goes on at the next
/// line that starts an item.
pub(super) fn parse_items(file: FileId, text: &str, bom: usize) -> (Vec<Item>, Vec<Located>) {
    let mut items = Vec::new();
    let mut errors = Vec::new();
    let mut pos = lexical::skip_trivia(text, bom);
    while pos < text.len() {
        let rest = text.get(pos..lexical::item_extent(text, pos)).unwrap_or("");
        match GateParser::parse(Rule::item, rest) {
            Ok(pairs) => {
                let mut end = pos;
                for pair in pairs {
                    end = pos + pair.as_span().end();
                    match Builder::new(file, pos).item(pair) {
                        Ok(item) => items.push(item),
                        Err(mut errs) => errors.append(&mut errs),
                    }
                }
                pos = lexical::skip_trivia(text, end.max(pos + 1));
            }
            Err(e) => {
                let at = match e.location {
                    pest::error::InputLocation::Pos(p) => p,
                    pest::error::InputLocation::Span((s, _)) => s,
                };
                let at = pos + at;
                let (at, end, err) = match head_error(text, pos).filter(|_| at == pos) {
                    Some(found) => found,
                    None => (at, lexical::token_end(text, at), syntax_error(&e, text, at)),
                };
                errors.push((Span::new(file, at, end), err));
                pos = lexical::next_item_start(text, at.max(pos + 1));
            }
        }
    }
    (items, errors)
}
