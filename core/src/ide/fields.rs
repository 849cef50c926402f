//! The fields of `change.X` and `node.X` in words (docs/language.md,
//! *Paths: `change.X` and `node.X`*), for hover.

use super::words;
use crate::compile::fields::{CHANGE_FIELDS, NODE_FIELDS};

fn change_doc(name: &str) -> Option<&'static str> {
    Some(match name {
        "id" => "the change id",
        "type" => "`standard`, `normal` or `emergency`",
        "start" => "the start of the planned interval",
        "end" => "the end of the planned interval",
        "duration" => "`end − start`",
        "requested_by" => "the requester, or `null`",
        "targets" => "the target ids (a target named by an alias gives its node's id)",
        _ => return None,
    })
}

fn node_doc(name: &str) -> Option<&'static str> {
    Some(match name {
        "id" => "the node id",
        "kind" => "what the node is, e.g. `database`, or `null`",
        "tier" => "0 = most critical, or `null`",
        "owner" => "the owning group, or `null`",
        "tags" => "the node's tags, e.g. `[\"pii\"]`, or `null`",
        "depth" => "the distance from the nearest target in the blast radius, or `null` outside it",
        _ => return None,
    })
}

/// What the first field of a path means, when the word at `start..end` of
/// `text` is one (`change.type`, `node.region`).
pub(crate) fn hover(text: &str, start: usize, word: &str) -> Option<String> {
    let head = text.get(..start)?.strip_suffix('.')?;
    let root_len: usize = head
        .chars()
        .rev()
        .take_while(|&c| words::is_word(c))
        .map(char::len_utf8)
        .sum();
    let root = head.get(head.len() - root_len..)?;
    match root {
        "change" => Some(match CHANGE_FIELDS.iter().find(|f| f.name == word) {
            Some(f) => format!(
                "**change.{word}** ({}): {}",
                f.ty,
                change_doc(word).unwrap_or_default()
            ),
            None => format!(
                "**change.{word}**: the change's attribute `{word}` (its `attributes.{word}`), \
                 `null` when absent"
            ),
        }),
        "node" => Some(match NODE_FIELDS.iter().find(|f| f.name == word) {
            Some(f) => format!(
                "**node.{word}** ({}): {}",
                f.ty,
                node_doc(word).unwrap_or_default()
            ),
            None => format!(
                "**node.{word}**: the node's attribute `{word}` (its `attributes.{word}` in the \
                 graph), `null` when absent"
            ),
        }),
        _ => None,
    }
}
