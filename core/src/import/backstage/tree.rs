//! One shape for what the YAML and the JSON readers make: values with, for
//! YAML, the line and column each starts at, so that an error names
//! `FILE:LINE:COL` for a descriptor file and `FILE: JSONPATH` for an API
//! export.

use serde_json::{Map, Number, Value as Json};

use crate::input::Path;

/// A value of a document, and where it starts (YAML only).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Node {
    /// 1-based line and column in the YAML text; `None` for JSON, whose
    /// places are JSON paths.
    pub(super) pos: Option<(u32, u32)>,
    /// The value.
    pub(super) value: Value,
}

/// A YAML or JSON value; a mapping keeps its keys in input order.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl Node {
    /// The entry `key` of a mapping (none for anything else).
    pub(super) fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The entry `key` of a mapping, with `null` read as absent (YAML's
    /// `dependsOn:` with nothing after it).
    pub(super) fn field(&self, key: &str) -> Option<&Node> {
        self.get(key).filter(|n| n.value != Value::Null)
    }

    /// The text, when this is a string.
    pub(super) fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// Values in this subtree, itself included (for the alias budget).
    pub(super) fn size(&self) -> usize {
        match &self.value {
            Value::List(items) => 1 + items.iter().map(Node::size).sum::<usize>(),
            Value::Map(entries) => 1 + entries.iter().map(|(_, v)| v.size()).sum::<usize>(),
            _ => 1,
        }
    }

    /// How an error describes this value: ``string `"x"` ``, `a list`.
    pub(super) fn describe(&self) -> String {
        match &self.value {
            Value::Null => "`null`".to_owned(),
            Value::Bool(b) => format!("boolean `{b}`"),
            Value::Number(n) => format!("number `{n}`"),
            Value::String(s) => crate::input::describe(&Json::String(s.clone())),
            Value::List(_) => "a list".to_owned(),
            Value::Map(_) => "a mapping".to_owned(),
        }
    }

    /// The value as JSON (for attributes).
    pub(super) fn to_json(&self) -> Json {
        match &self.value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Number(n) => Json::Number(n.clone()),
            Value::String(s) => Json::String(s.clone()),
            Value::List(items) => Json::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => {
                let mut map = Map::new();
                for (k, v) in entries {
                    map.insert(k.clone(), v.to_json());
                }
                Json::Object(map)
            }
        }
    }

    /// A JSON value as a node without positions (its places are paths).
    pub(super) fn from_json(v: Json) -> Node {
        let value = match v {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(b),
            Json::Number(n) => Value::Number(n),
            Json::String(s) => Value::String(s),
            Json::Array(items) => Value::List(items.into_iter().map(Node::from_json).collect()),
            Json::Object(map) => Value::Map(
                map.into_iter()
                    .map(|(k, v)| (k, Node::from_json(v)))
                    .collect(),
            ),
        };
        Node { pos: None, value }
    }
}

/// Where a value is: the file, the value's JSON path from the file's root,
/// and its node (whose YAML position, when it has one, is what is shown).
#[derive(Clone, Copy)]
pub(super) struct At<'a> {
    pub(super) file: &'a str,
    pub(super) path: &'a Path<'a>,
    pub(super) pos: Option<(u32, u32)>,
}

impl<'a> At<'a> {
    /// The place of `node` at `path` of `file`.
    pub(super) fn new(file: &'a str, path: &'a Path<'a>, node: &Node) -> At<'a> {
        At {
            file,
            path,
            pos: node.pos,
        }
    }

    /// The place as an error path: `catalog/a.yaml:12:7` for YAML,
    /// `entities.json: items[3].spec.owner` for JSON.
    pub(super) fn render(&self) -> String {
        match self.pos {
            Some((line, col)) => format!("{}:{line}:{col}", self.file),
            None => {
                let path = self.path.render();
                if path.is_empty() {
                    self.file.to_owned()
                } else {
                    format!("{}: {path}", self.file)
                }
            }
        }
    }
}
