//! A sharper error for an item whose head is wrong. After `rule NAME`,
//! `window NAME` or `let NAME` the grammar expects a literal (`{` or `=`),
//! which pest does not track, so it reports such an error at the item's
//! first character, naming the keyword it did read. Reading the head again
//! places the error where it is: a name with a character that is not ASCII,
//! or the token where `{` or `=` belongs.

use super::err::ParseError;
use super::lexical;

/// The place and error of a wrong head of the item that starts at `at`, or
/// `None` when the head is right (the error is elsewhere) or is not one of
/// these forms.
pub(super) fn head_error(text: &str, at: usize) -> Option<(usize, usize, ParseError)> {
    let rest = text.get(at..)?;
    let (keyword, expected) = [("rule", "{"), ("window", "="), ("let", "=")]
        .into_iter()
        .find(|(k, _)| rest.starts_with(k))?;
    let bytes = text.as_bytes();
    let after = at + keyword.len();
    if !matches!(bytes.get(after), Some(b' ' | b'\t')) {
        return None;
    }
    let name = lexical::skip_trivia(text, after);
    if !bytes
        .get(name)
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
    {
        return None; // pest's own error (`expected a name`) is at the right place
    }
    let mut end = name;
    while bytes.get(end).is_some_and(|&b| lexical::is_ident(b)) {
        end += 1;
    }
    let next = text.get(end..).and_then(|s| s.chars().next());
    if next.is_some_and(|c| c.is_alphanumeric() && !c.is_ascii()) {
        let word_end = text
            .get(end..)
            .and_then(|s| s.find(|c: char| !(c.is_alphanumeric() || c == '_')))
            .map_or(text.len(), |i| end + i);
        let word = text.get(name..word_end).unwrap_or("").to_owned();
        return Some((name, word_end, ParseError::NonAsciiName(word)));
    }
    let token = lexical::skip_trivia(text, end);
    if text.get(token..).is_some_and(|s| s.starts_with(expected)) {
        return None;
    }
    let error = ParseError::Syntax {
        expected: format!("`{expected}`"),
        found: lexical::describe_token(text, token),
    };
    Some((token, lexical::token_end(text, token), error))
}
