//! A parsed file as the formatter sees it: its tokens in order, each with
//! its place in the layout and the comments around it.
//!
//! The tokens the grammar names (keywords, names, literals, operators,
//! paths) come from pest's pairs; the punctuation it matches without a
//! name (`=`, `{`, `}`, `(`, `)`, `[`, `]`, `,`) and the comments are read
//! from the text between them, which holds nothing else (docs/language.md,
//! *Files, comments and names*: blanks, line breaks and `#` comments).

use std::collections::HashSet;

use pest::Parser as _;

use crate::parse::{GateParser, Rule};

/// Where a token stands in the layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// The first token of an item (`window`, `let`, `rule`): column 0.
    Item,
    /// The first token of a clause or effect of a rule: its own line.
    Clause,
    /// The `}` that closes a rule: its own line, column 0.
    Close,
    /// Anywhere else: on the line of the token before it.
    Inline,
}

/// A comment, `#` to the end of its line, trailing blanks removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Comment<'a> {
    pub(super) text: &'a str,
    /// A blank line separates it from what comes before it.
    pub(super) blank_before: bool,
}

/// One token, with the comments attached to it.
#[derive(Debug, Clone)]
pub(super) struct Token<'a> {
    /// The text as written (`not in` with one space).
    pub(super) text: &'a str,
    /// The grammar's rule; `None` for punctuation.
    pub(super) rule: Option<Rule>,
    pub(super) role: Role,
    /// A blank line separates it from what comes before it (a token or a
    /// comment).
    pub(super) blank_before: bool,
    /// The comments on their own lines just before it.
    pub(super) leading: Vec<Comment<'a>>,
    /// The comment after it on its line.
    pub(super) trailing: Option<&'a str>,
}

/// A file's tokens, and the comments after the last one.
#[derive(Debug, Clone, Default)]
pub(super) struct Stream<'a> {
    pub(super) tokens: Vec<Token<'a>>,
    pub(super) tail: Vec<Comment<'a>>,
}

/// Pairs that hold other tokens; every other pair is one token.
fn is_container(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::window_def
            | Rule::between
            | Rule::cron
            | Rule::in_tz
            | Rule::let_def
            | Rule::rule_def
            | Rule::set_expr
            | Rule::set_call
            | Rule::expr
            | Rule::call
            | Rule::list
    ) || role_of(rule).is_some()
}

/// The role of the first token of a pair of this rule, if it starts a line.
fn role_of(rule: Rule) -> Option<Role> {
    match rule {
        Rule::window_def | Rule::let_def | Rule::rule_def => Some(Role::Item),
        Rule::when_clause
        | Rule::unless_clause
        | Rule::because
        | Rule::override_by
        | Rule::require_owner
        | Rule::require_group
        | Rule::require_backup
        | Rule::require_cond
        | Rule::deny_during
        | Rule::deny_outside
        | Rule::deny_message => Some(Role::Clause),
        _ => None,
    }
}

/// Reads the tokens and comments of `text` (without a byte order mark);
/// `None` if it does not parse as a whole, or holds what the grammar's
/// blanks do not explain.
pub(super) fn read(text: &str) -> Option<Stream<'_>> {
    let pairs = GateParser::parse(Rule::file, text).ok()?;
    let mut reader = Reader {
        text,
        stream: Stream::default(),
        pending: Vec::new(),
        newlines: 0,
        role: None,
        closes: HashSet::new(),
    };
    let mut pos = 0;
    for pair in pairs.flatten() {
        let rule = pair.as_rule();
        let span = pair.as_span();
        if rule == Rule::rule_def {
            // Its last character is its `}`.
            reader.closes.insert(span.end());
        }
        if let Some(role) = role_of(rule) {
            reader.role.get_or_insert(role);
        }
        // Pairs inside a token (a path's fields, a string's characters) and
        // the end of input are not tokens.
        if is_container(rule) || rule == Rule::EOI || span.start() < pos {
            continue;
        }
        reader.gap(pos, span.start())?;
        let written = if rule == Rule::op_not_in {
            "not in"
        } else {
            pair.as_str()
        };
        let role = reader.role.take().unwrap_or(Role::Inline);
        reader.push(written, Some(rule), role);
        pos = span.end();
    }
    reader.gap(pos, text.len())?;
    let mut stream = reader.stream;
    stream.tail = reader.pending;
    Some(stream)
}

struct Reader<'a> {
    text: &'a str,
    stream: Stream<'a>,
    /// Comments on their own lines, waiting for the next token.
    pending: Vec<Comment<'a>>,
    /// Line breaks since the last token or comment.
    newlines: usize,
    /// The role of the next token, set by the pair that starts a line.
    role: Option<Role>,
    /// Where each rule ends: just after its `}`.
    closes: HashSet<usize>,
}

impl<'a> Reader<'a> {
    fn push(&mut self, text: &'a str, rule: Option<Rule>, role: Role) {
        self.stream.tokens.push(Token {
            text,
            rule,
            role,
            blank_before: self.newlines >= 2,
            leading: std::mem::take(&mut self.pending),
            trailing: None,
        });
        self.newlines = 0;
    }

    /// Reads the text between two tokens: blanks, comments and punctuation.
    fn gap(&mut self, from: usize, to: usize) -> Option<()> {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut i = from;
        while i < to {
            match *bytes.get(i)? {
                b'\n' => self.newlines += 1,
                b' ' | b'\t' | b'\r' => {}
                b'#' => {
                    let end = text.get(i..to)?.find('\n').map_or(to, |n| i + n);
                    let comment = text.get(i..end)?.trim_end();
                    let after_token = self
                        .stream
                        .tokens
                        .last_mut()
                        .filter(|t| t.trailing.is_none() && self.pending.is_empty());
                    match after_token {
                        Some(token) if self.newlines == 0 => token.trailing = Some(comment),
                        _ => self.pending.push(Comment {
                            text: comment,
                            blank_before: self.newlines >= 2,
                        }),
                    }
                    self.newlines = 0;
                    i = end;
                    continue;
                }
                b'=' | b'{' | b'}' | b'(' | b')' | b'[' | b']' | b',' => {
                    let role = if text.get(i..=i) == Some("}") && self.closes.contains(&(i + 1)) {
                        Role::Close
                    } else {
                        Role::Inline
                    };
                    self.push(text.get(i..=i)?, None, role);
                }
                _ => return None,
            }
            i += 1;
        }
        Some(())
    }
}
