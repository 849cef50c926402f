//! Stage 1 and 2 of compilation: the pest grammar, and its pairs turned into
//! the AST ([`crate::ast`]). A file without syntax errors is read in one pest
//! call; a file with errors is read item by item (`recover.rs`), so a syntax
//! error in one item is reported and the parser goes on with the next one: a
//! file with three broken rules gives three errors.

mod bounds;
mod build;
mod err;
mod expr;
mod head;
pub(crate) mod lexical;
mod literal;
mod recover;

use pest::Parser as _;

use self::build::Builder;
use crate::ast::Item;
use crate::limits::Limits;
use crate::source::FileId;

pub(crate) use self::err::Located;

/// The pest parser generated from `grammar.pest`.
#[derive(pest_derive::Parser)]
#[grammar = "parse/grammar.pest"]
pub(crate) struct GateParser;

/// Parses one file into items; returns every item it could read and every
/// error it found.
pub(crate) fn parse_file(file: FileId, text: &str, limits: &Limits) -> (Vec<Item>, Vec<Located>) {
    if let Err(err) = bounds::check(file, text, limits) {
        return (Vec::new(), vec![err]);
    }

    // A leading byte order mark (some Windows editors write one) is not code.
    let bom = text.len() - crate::input::strip_bom(text).len();
    match parse_whole(file, text, bom) {
        Some(parsed) => parsed,
        None => recover::parse_items(file, text, bom),
    }
}

/// A file without syntax errors, read in one pest call: the items the item
/// by item loop ([`recover::parse_items`]) reads, with the same pairs (an
/// item never reaches past where [`lexical::item_extent`] cuts it, and
/// nothing after an item changes how it parses), without that loop's cost
/// for each item: a parser state, a line index of the item and a scan for
/// its extent. `None` at the first syntax error: the loop then finds and
/// reports every one.
fn parse_whole(file: FileId, text: &str, bom: usize) -> Option<(Vec<Item>, Vec<Located>)> {
    let pairs = GateParser::parse(Rule::file, text.get(bom..)?).ok()?;
    let mut items = Vec::new();
    let mut errors = Vec::new();
    for pair in pairs.filter(|p| p.as_rule() != Rule::EOI) {
        match Builder::new(file, bom).item(pair) {
            Ok(item) => items.push(item),
            Err(mut errs) => errors.append(&mut errs),
        }
    }
    Some((items, errors))
}

#[cfg(test)]
mod tests;
