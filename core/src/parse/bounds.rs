//! What bounds the parser's work, checked on the raw text before pest sees
//! it: the size of the file and how deep its expressions nest.
//!
//! These two bounds are all the parser needs; it sets no pest call limit
//! (`pest::set_call_limit` is process-wide, so it would change every other
//! pest parser of the host application, and theirs would change ours). The
//! grammar never reads a nested construct twice at the same place: the
//! alternatives that recurse (`"(" expr ")"`, `list`, `call`, `set_call`,
//! `"(" set_expr ")"`, and `not` in the Pratt parser) each start with a
//! token no other alternative at that place starts with, so a failure
//! inside one is not retried by another, and the work is linear in the
//! size of the item. `tests/parser_work.rs` checks this against pest's own
//! count of calls.

use super::err::{Located, ParseError};
use super::lexical::is_ident;
use crate::limits::Limits;
use crate::source::{FileId, Span};

/// Refuses a file over `limits.max_source_bytes`, or one whose parentheses,
/// brackets and `not`s nest deeper than `limits.max_nesting`, with the
/// place of the first one too deep.
pub(super) fn check(file: FileId, text: &str, limits: &Limits) -> Result<(), Located> {
    if text.len() > limits.max_source_bytes {
        let err = ParseError::TooLarge {
            size: text.len(),
            limit: limits.max_source_bytes,
        };
        return Err((Span::new(file, 0, 0), err));
    }
    check_nesting(text, limits.max_nesting)
        .map_err(|(pos, err)| (Span::new(file, pos, pos + 1), err))
}

/// Fails when parentheses, brackets or `not`s nest deeper than `max`, before
/// the recursive-descent parser meets them. Strings and comments are skipped.
fn check_nesting(text: &str, max: usize) -> Result<(), (usize, ParseError)> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut nots = 0usize;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'#' => {
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
                continue;
            }
            b'"' => {
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'\\' => i += 2,
                        b'"' | b'\n' => break,
                        _ => i += 1,
                    }
                }
            }
            b'(' | b'[' => {
                depth += 1;
                if depth + nots > max {
                    return Err((i, ParseError::TooDeep(max)));
                }
            }
            b')' | b']' => depth = depth.saturating_sub(1),
            b'n' if text.get(i..i + 3) == Some("not")
                && !bytes.get(i + 3).is_some_and(|&c| is_ident(c))
                && (i == 0 || !bytes.get(i - 1).is_some_and(|&c| is_ident(c))) =>
            {
                nots += 1;
                if depth + nots > max {
                    return Err((i, ParseError::TooDeep(max)));
                }
                i += 3;
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ => {
                // Any other token ends a run of `not`s.
                if is_ident(b) {
                    while bytes.get(i).is_some_and(|&c| is_ident(c)) {
                        i += 1;
                    }
                    nots = 0;
                    continue;
                }
                nots = 0;
            }
        }
        i += 1;
    }
    Ok(())
}
