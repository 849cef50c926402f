//! The printer: a token stream ([`Stream`]) in the canonical layout (see
//! the module above for the rules).

use super::tokens::{Comment, Role, Stream, Token};
use crate::parse::Rule;

/// The width, in characters, above which a line breaks before its
/// outermost `or`s (or `and`s).
pub(super) const WIDTH: usize = 100;

/// How far a clause is indented in its rule.
const CLAUSE: usize = 2;
/// How much further a line continues a broken one.
const CONTINUED: usize = 4;

/// The stream, laid out.
pub(super) fn print(stream: &Stream<'_>) -> String {
    let mut p = Printer::default();
    let tokens = &stream.tokens;
    let mut start = 0;
    let mut previous: Option<Role> = None;
    let mut previous_item_rule = false;
    while start < tokens.len() {
        let end = tokens
            .iter()
            .skip(start + 1)
            .position(|t| t.role != Role::Inline)
            .map_or(tokens.len(), |n| start + 1 + n);
        let unit = tokens.get(start..end).unwrap_or_default();
        if let Some(first) = unit.first() {
            let is_rule = first.rule == Some(Rule::kw_rule);
            let source_blank = first
                .leading
                .first()
                .map_or(first.blank_before, |c| c.blank_before);
            let blank = match (first.role, previous) {
                (_, None) => false,
                (Role::Item, Some(_)) => source_blank || is_rule || previous_item_rule,
                // Right after `rule NAME {`, or before `}`: never.
                (Role::Clause, Some(Role::Item)) | (Role::Close, _) => false,
                (_, Some(_)) => source_blank,
            };
            if first.role == Role::Item {
                previous_item_rule = is_rule;
            }
            previous = Some(first.role);
            p.unit(unit, blank);
        }
        start = end;
    }
    p.tail(&stream.tail);
    p.out
}

#[derive(Default)]
struct Printer {
    out: String,
    /// The current line holds something.
    open: bool,
}

impl Printer {
    fn newline(&mut self) {
        if self.open {
            self.out.push('\n');
            self.open = false;
        }
    }

    fn line_start(&mut self, indent: usize, text: &str) {
        self.newline();
        self.out.extend(std::iter::repeat_n(' ', indent));
        self.out.push_str(text);
        self.open = true;
    }

    /// Comments on their own lines at `indent`; blank lines among them
    /// kept (as one) if `blanks`.
    fn comments(&mut self, comments: &[Comment<'_>], indent: usize, blanks: bool) {
        for (k, c) in comments.iter().enumerate() {
            if blanks && k > 0 && c.blank_before {
                self.newline();
                self.out.push('\n');
            }
            self.line_start(indent, c.text);
        }
    }

    /// One line unit: an item's first line, a clause, or a `}`, and the
    /// lines it breaks into.
    fn unit(&mut self, unit: &[Token<'_>], blank: bool) {
        let Some(first) = unit.first() else {
            return;
        };
        let indent = if first.role == Role::Clause {
            CLAUSE
        } else {
            0
        };
        let wrap = wraps(unit, indent);
        self.newline();
        if blank && !self.out.is_empty() {
            self.out.push('\n');
        }
        // Comments above a rule's `}` are inside its body.
        let above = if first.role == Role::Close {
            CLAUSE
        } else {
            indent
        };
        self.comments(&first.leading, above, true);
        if first.blank_before && !first.leading.is_empty() {
            self.newline();
            self.out.push('\n');
        }
        self.line_start(indent, first.text);
        self.trailing(first);
        let mut prev = first;
        for (i, token) in unit.iter().enumerate().skip(1) {
            let breaks = prev.trailing.is_some()
                || !token.leading.is_empty()
                || wrap.get(i).copied().unwrap_or(false);
            if breaks {
                self.comments(&token.leading, indent + CONTINUED, false);
                self.line_start(indent + CONTINUED, token.text);
            } else {
                if spaced(prev, token) {
                    self.out.push(' ');
                }
                self.out.push_str(token.text);
            }
            self.trailing(token);
            prev = token;
        }
    }

    fn trailing(&mut self, token: &Token<'_>) {
        if let Some(c) = token.trailing {
            self.out.push(' ');
            self.out.push_str(c);
        }
    }

    /// The comments after the last token, and the final newline.
    fn tail(&mut self, tail: &[Comment<'_>]) {
        if let Some(first) = tail.first() {
            self.newline();
            if first.blank_before && !self.out.is_empty() {
                self.out.push('\n');
            }
        }
        self.comments(tail, 0, true);
        self.newline();
    }
}

/// Whether one space separates two tokens on a line.
fn spaced(prev: &Token<'_>, next: &Token<'_>) -> bool {
    let call = matches!(prev.rule, Some(Rule::func | Rule::set_fn));
    !(matches!(next.text, "," | ")" | "]")
        || matches!(prev.text, "(" | "[")
        || (next.text == "(" && call))
}

/// Where a unit too wide for one line breaks: before each `or` outside
/// parentheses and brackets, or if there is none, each such `and`.
fn wraps(unit: &[Token<'_>], indent: usize) -> Vec<bool> {
    let mut width = indent;
    let mut prev: Option<&Token<'_>> = None;
    for token in unit {
        if prev.is_some_and(|p| spaced(p, token)) {
            width += 1;
        }
        width += token.text.chars().count();
        prev = Some(token);
    }
    if width <= WIDTH {
        return Vec::new();
    }
    let mut depth = 0usize;
    let mut ors = Vec::new();
    let mut ands = Vec::new();
    for (i, token) in unit.iter().enumerate() {
        match (token.text, token.rule) {
            ("(" | "[", None) => depth += 1,
            (")" | "]", None) => depth = depth.saturating_sub(1),
            (_, Some(Rule::op_or)) if depth == 0 => ors.push(i),
            (_, Some(Rule::op_and)) if depth == 0 => ands.push(i),
            _ => {}
        }
    }
    let at = if ors.is_empty() { ands } else { ors };
    let mut wrap = vec![false; unit.len()];
    for i in at {
        if let Some(w) = wrap.get_mut(i) {
            *w = true;
        }
    }
    wrap
}
