//! A YAML stream (every document of a `catalog-info.yaml`) read into
//! [`Node`]s with their line and column.
//!
//! The events come from `saphyr-parser`; the tree is built here, with an
//! explicit stack (no recursion on the input's nesting), so that the limits
//! are ours: nesting at most [`MAX_DEPTH`] (serde_json's own limit for the
//! JSON exports), a key repeated in a mapping is an error (as in changegate's
//! JSON), and aliases may not expand the document beyond a budget
//! proportional to its size (an alias copies its anchor's value, so a few
//! lines of nested aliases could otherwise make billions of values).
//! Plain scalars are resolved with the YAML 1.2 core schema, which is what
//! Backstage's own YAML reader uses: `yes` and `on` stay strings.

use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser, ScalarStyle, Span, Tag};
use serde_json::Number;

use super::tree::{Node, Value};
use crate::input::InputError;

/// Deepest nesting of lists and mappings.
pub(super) const MAX_DEPTH: usize = 128;

/// Every document of `text` (a blank document is a `Null` node); an error's
/// path is `FILE:LINE:COL`.
pub(super) fn documents(file: &str, text: &str) -> Result<Vec<Node>, InputError> {
    let mut b = Builder {
        file,
        stack: Vec::new(),
        anchors: HashMap::new(),
        docs: Vec::new(),
        made: 0,
        budget: text.len().saturating_mul(2).saturating_add(4096),
    };
    for event in Parser::new_from_str(text) {
        match event {
            Ok((ev, span)) => b.event(ev, span)?,
            Err(e) => {
                let m = e.marker();
                return Err(InputError::new(
                    place(file, m.line(), m.col()),
                    format!("invalid YAML: {}", e.info()),
                )
                .with_help("fix the YAML syntax at this place"));
            }
        }
    }
    Ok(b.docs)
}

/// `FILE:LINE:COL` from the parser's 1-based line and 0-based column.
fn place(file: &str, line: usize, col: usize) -> String {
    format!("{file}:{line}:{}", col.saturating_add(1))
}

fn pos(span: &Span) -> (u32, u32) {
    let line = u32::try_from(span.start.line()).unwrap_or(u32::MAX);
    let col = u32::try_from(span.start.col().saturating_add(1)).unwrap_or(u32::MAX);
    (line, col)
}

enum Frame {
    List {
        pos: (u32, u32),
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        pos: (u32, u32),
        anchor: usize,
        entries: Vec<(String, Node)>,
        keys: HashSet<String>,
        key: Option<String>,
    },
}

struct Builder<'f> {
    file: &'f str,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    docs: Vec<Node>,
    /// Values made so far, alias copies included.
    made: usize,
    budget: usize,
}

impl Builder<'_> {
    fn error(&self, span: &Span, message: String, help: &str) -> InputError {
        InputError::new(
            place(self.file, span.start.line(), span.start.col()),
            message,
        )
        .with_help(help)
    }

    fn count(&mut self, n: usize, span: &Span) -> Result<(), InputError> {
        self.made = self.made.saturating_add(n);
        if self.made > self.budget {
            return Err(self.error(
                span,
                format!(
                    "aliases expand the document to more than {} values",
                    self.budget
                ),
                "write the repeated values out instead of nesting aliases",
            ));
        }
        Ok(())
    }

    /// Whether the innermost collection is a mapping waiting for a key.
    fn wants_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: None, .. }))
    }

    fn event(&mut self, ev: Event<'_>, span: Span) -> Result<(), InputError> {
        match ev {
            Event::Scalar(text, style, anchor, tag) => {
                self.count(1, &span)?;
                if self.wants_key() {
                    return self.key(text.into_owned(), &span);
                }
                let node = Node {
                    pos: Some(pos(&span)),
                    value: scalar(&text, style, tag.as_deref()),
                };
                self.anchor(anchor, &node, &span)?;
                self.value(node);
            }
            Event::Alias(id) => {
                if self.wants_key() {
                    return Err(self.error(
                        &span,
                        "an alias as a mapping key is not supported".to_owned(),
                        "write the key out",
                    ));
                }
                let Some(anchored) = self.anchors.get(&id) else {
                    return Err(self.error(
                        &span,
                        "alias of an unknown anchor".to_owned(),
                        "define the anchor (`&name`) before its alias (`*name`)",
                    ));
                };
                let mut node = anchored.clone();
                node.pos = Some(pos(&span));
                self.count(node.size(), &span)?;
                self.value(node);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.wants_key() {
                    return Err(self.error(
                        &span,
                        "a mapping key must be a scalar".to_owned(),
                        "Backstage entities have text keys only",
                    ));
                }
                if self.stack.len() >= MAX_DEPTH {
                    return Err(self.error(
                        &span,
                        format!("nested more than {MAX_DEPTH} levels deep"),
                        "catalog entities are a few levels deep; flatten this value",
                    ));
                }
                self.count(1, &span)?;
                let pos = pos(&span);
                self.stack.push(if matches!(ev, Event::SequenceStart(..)) {
                    Frame::List {
                        pos,
                        anchor,
                        items: Vec::new(),
                    }
                } else {
                    Frame::Map {
                        pos,
                        anchor,
                        entries: Vec::new(),
                        keys: HashSet::new(),
                        key: None,
                    }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor) = match self.stack.pop() {
                    Some(Frame::List { pos, anchor, items }) => (
                        Node {
                            pos: Some(pos),
                            value: Value::List(items),
                        },
                        anchor,
                    ),
                    Some(Frame::Map {
                        pos,
                        anchor,
                        entries,
                        ..
                    }) => (
                        Node {
                            pos: Some(pos),
                            value: Value::Map(entries),
                        },
                        anchor,
                    ),
                    // The parser pairs every end with its start.
                    None => return Ok(()),
                };
                self.anchor(anchor, &node, &span)?;
                self.value(node);
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart(_)
            | Event::DocumentEnd => {}
        }
        Ok(())
    }

    fn key(&mut self, key: String, span: &Span) -> Result<(), InputError> {
        if let Some(Frame::Map {
            keys, key: slot, ..
        }) = self.stack.last_mut()
        {
            if !keys.insert(key.clone()) {
                return Err(self.error(
                    span,
                    format!("duplicate key `{key}`"),
                    "a key may appear once in a mapping; remove one of them",
                ));
            }
            *slot = Some(key);
        }
        Ok(())
    }

    /// Keeps a copy of an anchored value for its aliases.
    fn anchor(&mut self, id: usize, node: &Node, span: &Span) -> Result<(), InputError> {
        if id > 0 {
            self.count(node.size(), span)?;
            self.anchors.insert(id, node.clone());
        }
        Ok(())
    }

    /// A finished value: an item of the innermost list, the value of the
    /// innermost mapping's pending key, or a document.
    fn value(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.docs.push(node),
            Some(Frame::List { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => {
                if let Some(k) = key.take() {
                    entries.push((k, node));
                }
            }
        }
    }
}

/// A scalar's value: quoted and block scalars and `!!str` are strings; a
/// plain scalar is resolved with the YAML 1.2 core schema.
fn scalar(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    let is_str = tag.is_some_and(|t| t.is_yaml_core_schema() && t.suffix == "str");
    if style != ScalarStyle::Plain || is_str {
        return Value::String(text.to_owned());
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    number(text).map_or_else(|| Value::String(text.to_owned()), Value::Number)
}

/// A core-schema integer or float; one JSON cannot hold (`.inf`, `.nan`,
/// an overflow) stays text.
fn number(text: &str) -> Option<Number> {
    let (sign, digits) = match text.as_bytes().first() {
        Some(b'-') => (-1i128, text.get(1..)?),
        Some(b'+') => (1, text.get(1..)?),
        _ => (1, text),
    };
    let radix = |prefix: &str, radix: u32| {
        let rest = text.strip_prefix(prefix)?;
        let n = u64::from_str_radix(rest, radix).ok()?;
        Some(Number::from(n))
    };
    if let Some(n) = radix("0x", 16).or_else(|| radix("0o", 8)) {
        return Some(n);
    }
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let n = sign.checked_mul(digits.parse::<i128>().ok()?)?;
        if let Ok(i) = i64::try_from(n) {
            return Some(Number::from(i));
        }
        if let Ok(u) = u64::try_from(n) {
            return Some(Number::from(u));
        }
    }
    if is_float(digits) {
        let f: f64 = text.parse().ok()?;
        return Number::from_f64(f).filter(|_| f.is_finite());
    }
    None
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` (the sign is off).
fn is_float(s: &str) -> bool {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (s.get(..i).unwrap_or(""), s.get(i + 1..)),
        None => (s, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => digits(frac),
        Some((int, frac)) => digits(int) && (frac.is_empty() || digits(frac)),
        None => digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}
