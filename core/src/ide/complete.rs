//! Completion: after `change.` the change's fields (docs/language.md,
//! *Paths: `change.X` and `node.X`*); after `node.` the node's fields and
//! the attributes of a graph's nodes, when the caller gives one; after
//! `deny during` or `deny outside` (and the commas of their lists) the
//! windows; at the start of a line outside a rule the item keywords;
//! elsewhere every reserved word, window and set.

use std::collections::BTreeSet;

use super::{SymbolKind, Workspace, words};
use crate::compile::fields::{CHANGE_FIELDS, NODE_FIELDS};
use crate::graph::Graph;

/// What a completion inserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CompletionKind {
    /// A window's name.
    Window,
    /// A `let` set's name.
    Let,
    /// A field or attribute after `change.` or `node.`.
    Field,
    /// A reserved word.
    Keyword,
}

/// One completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    /// What it inserts.
    pub label: String,
    /// What it is.
    pub kind: CompletionKind,
    /// A short description.
    pub detail: String,
}

fn item(label: &str, kind: CompletionKind, detail: impl Into<String>) -> Completion {
    Completion {
        label: label.to_owned(),
        kind,
        detail: detail.into(),
    }
}

impl Workspace {
    /// The completions at `offset` of `file`, whose word so far (the
    /// letters before `offset`) they start with; `graph` adds its nodes'
    /// attributes after `node.`. Sorted by kind, then label. None in a
    /// comment or a string.
    pub fn completions(
        &self,
        file: usize,
        offset: usize,
        graph: Option<&Graph>,
    ) -> Vec<Completion> {
        let text = self.text(file);
        let Some(before) = text.get(..offset) else {
            return Vec::new();
        };
        if !words::in_code(text, offset) {
            return Vec::new();
        }
        let prefix_len = before
            .chars()
            .rev()
            .take_while(|&c| words::is_word(c))
            .map(char::len_utf8)
            .sum::<usize>();
        let (head, prefix) = before.split_at(before.len() - prefix_len);
        let mut out = if let Some(root) = head.strip_suffix('.') {
            fields(root, graph)
        } else if after_deny_list(head) {
            self.names(SymbolKind::Window)
        } else if at_item_start(head) {
            ["window", "let", "rule"]
                .into_iter()
                .filter_map(|k| Some(item(k, CompletionKind::Keyword, words::keyword_doc(k)?)))
                .collect()
        } else {
            let mut all = self.names(SymbolKind::Window);
            all.extend(self.names(SymbolKind::Let));
            all.extend(
                words::KEYWORDS
                    .iter()
                    .map(|(k, d)| item(k, CompletionKind::Keyword, *d)),
            );
            all
        };
        out.retain(|c| c.label.starts_with(prefix) && c.label != prefix);
        out.sort_by(|a, b| (a.kind, &a.label).cmp(&(b.kind, &b.label)));
        out.dedup_by(|a, b| a.kind == b.kind && a.label == b.label);
        out
    }

    /// Every defined name of a kind.
    fn names(&self, kind: SymbolKind) -> Vec<Completion> {
        let ck = match kind {
            SymbolKind::Window => CompletionKind::Window,
            _ => CompletionKind::Let,
        };
        self.index
            .defs
            .iter()
            .filter(|d| d.kind == kind)
            .map(|d| {
                let file = self
                    .sources
                    .get(d.place.file)
                    .map_or("", |s| s.name.as_str());
                item(&d.name, ck, format!("{} in {file}", kind.keyword()))
            })
            .collect()
    }
}

/// The fields after `change.` or `node.` (only the first step of a path:
/// deeper steps are the JSON of an attribute, which nothing here knows).
fn fields(root: &str, graph: Option<&Graph>) -> Vec<Completion> {
    let path_start = root
        .char_indices()
        .rev()
        .take_while(|&(_, c)| words::is_word(c) || c == '.' || c == '-')
        .last()
        .map_or(root.len(), |(i, _)| i);
    match root.get(path_start..) {
        Some("change") => CHANGE_FIELDS
            .iter()
            .map(|f| {
                item(
                    f.name,
                    CompletionKind::Field,
                    format!("change field ({})", f.ty),
                )
            })
            .collect(),
        Some("node") => {
            let mut out: Vec<Completion> = NODE_FIELDS
                .iter()
                .map(|f| {
                    item(
                        f.name,
                        CompletionKind::Field,
                        format!("node field ({})", f.ty),
                    )
                })
                .collect();
            let builtin: BTreeSet<&str> = NODE_FIELDS.iter().map(|f| f.name).collect();
            let attrs: BTreeSet<&str> = graph
                .into_iter()
                .flat_map(|g| g.nodes())
                .flat_map(|(_, n)| n.attributes.iter().map(|(k, _)| k))
                .filter(|k| !builtin.contains(k))
                .collect();
            out.extend(
                attrs
                    .into_iter()
                    .map(|a| item(a, CompletionKind::Field, "node attribute (in the graph)")),
            );
            out
        }
        _ => Vec::new(),
    }
}

/// Whether the text before the word being typed ends a `deny during` or
/// `deny outside` list so far: the keyword, then names and commas.
fn after_deny_list(head: &str) -> bool {
    let mut rest = head.trim_end();
    loop {
        if rest.ends_with("during") || rest.ends_with("outside") {
            let kw = if rest.ends_with("during") { 6 } else { 7 };
            let before = rest.get(..rest.len() - kw).unwrap_or("");
            return !before.ends_with(|c: char| words::is_word(c));
        }
        let Some(r) = rest.strip_suffix(',') else {
            return false;
        };
        let r = r.trim_end();
        let name_len: usize = r
            .chars()
            .rev()
            .take_while(|&c| words::is_word(c))
            .map(char::len_utf8)
            .sum();
        if name_len == 0 {
            return false;
        }
        rest = r.get(..r.len() - name_len).unwrap_or("").trim_end();
    }
}

/// Whether the word being typed starts an unindented line outside every
/// rule's braces (where only `window`, `let` and `rule` can start).
fn at_item_start(head: &str) -> bool {
    let line = head.rsplit('\n').next().unwrap_or(head);
    // Items start at the margin; an indented line continues one.
    if !line.is_empty() {
        return false;
    }
    let mut depth = 0i64;
    let mut in_string = false;
    let mut in_comment = false;
    let mut escaped = false;
    for c in head.chars() {
        if in_comment {
            in_comment = c != '\n';
        } else if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' || c == '\n' {
                in_string = false;
            }
        } else {
            match c {
                '"' => in_string = true,
                '#' => in_comment = true,
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
        }
    }
    depth <= 0
}
