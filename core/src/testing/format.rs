//! The test file, `*.test.json`, as the runner reads it (docs/testing.md).
//!
//! These types describe the format (and give its JSON Schema); the reader
//! in `read.rs` builds them by hand so that every error names the JSON path
//! of the culprit in the test file.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

use crate::decision::Outcome;

/// A test file: a policy, a graph, a base change and cases against them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TestFile {
    /// What the file tests, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The policy: `.gate` files or directories, relative to the test
    /// file; absent, the `.gate` files in the test file's own folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<Vec<String>>,
    /// The graph: a path relative to the test file, or the graph itself
    /// (docs/language.md, *11.1 The graph*).
    pub graph: GraphRef,
    /// The change every case starts from; each case's `change` is merged
    /// over it (docs/language.md, *11.2 The change*).
    #[serde(default)]
    pub base: Map<String, Json>,
    /// The cases.
    #[serde(default)]
    pub cases: Vec<Case>,
    /// Parameterised cases: each row of each table is one case.
    #[serde(default)]
    pub tables: Vec<Table>,
}

/// Where the graph is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum GraphRef {
    /// A graph JSON file, relative to the test file.
    Path(String),
    /// The graph itself.
    Inline(Map<String, Json>),
}

/// One case: a change and what the decision on it must be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The case's name, unique in its file.
    pub name: String,
    /// Why the case exists, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Present: the case is not run, and this says why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip: Option<String>,
    /// Merged over `base` (a JSON merge patch: objects key by key, `null`
    /// deletes a key, anything else replaces it).
    #[serde(default)]
    pub change: Map<String, Json>,
    /// What the decision must be.
    pub expect: Expect,
}

/// Many cases from one table: `change` and `expect` shared by every row,
/// and each row's values put at its columns' paths.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Table {
    /// The table's name; each row's case is named after it and its values.
    pub name: String,
    /// Why the table exists, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Present: no row is run, and this says why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip: Option<String>,
    /// Merged over `base` for every row.
    #[serde(default)]
    pub change: Map<String, Json>,
    /// What every row's decision must be, before the row's own values.
    #[serde(default)]
    pub expect: Map<String, Json>,
    /// Where each value of a row goes: `change.…`, `expect.…` or `name`.
    pub columns: Vec<Column>,
    /// The rows: one value per column.
    pub rows: Vec<Vec<Json>>,
}

/// A column's path: dotted (`change.attributes.risk`), or a list of keys
/// for keys holding a dot (`["expect", "impacted"]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Column {
    /// Keys joined by dots.
    Dotted(String),
    /// The keys.
    Keys(Vec<String>),
}

/// What a decision must be. Every expectation present is checked; the
/// others are not.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// By group: `true` met, `false` unmet, `null` not required, or an
    /// object whose fields must equal the requirement's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approvals: Option<BTreeMap<String, Json>>,
    /// Exactly the groups whose approval is unmet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approvals_unmet: Option<Vec<String>>,
    /// By `NODE` (any kind) or `NODE KIND`: as `approvals`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backups: Option<BTreeMap<String, Json>>,
    /// Exactly the backups (`NODE` or `NODE KIND`) that are unmet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backups_unmet: Option<Vec<String>>,
    /// By message: as `approvals`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<BTreeMap<String, Json>>,
    /// Exactly the messages of the conditions that are unmet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions_unmet: Option<Vec<String>>,
    /// By window (`during`, `outside`) or message (`deny`): `true` it
    /// blocks, `false` or `null` it does not, or an object whose fields
    /// must equal the block's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocks: Option<BTreeMap<String, Json>>,
    /// Exactly the windows and messages that block the change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blocked_by: Option<Vec<String>>,
    /// The next allowed start (any offset; compared as an instant), or
    /// `null`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_allowed_start: Option<Json>,
    /// Exactly the impacted node ids (targets included), in any order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impacted: Option<Vec<String>>,
    /// Exactly the rules that fired, in any order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fired: Option<Vec<String>>,
    /// Rules that must be among those that fired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fired_include: Option<Vec<String>>,
    /// Rules that must not have fired.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fired_exclude: Option<Vec<String>>,
    /// By rule: `true` an override lifted it, `false` none did, `null` the
    /// change carries none for it, or an object whose fields must equal the
    /// (first) override's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overrides: Option<BTreeMap<String, Json>>,
    /// Part of the decision JSON: objects match as subsets, lists element
    /// by element (the same length), anything else by equality.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<Json>,
    /// The change is refused: the error's message contains this text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The keys of [`Expect`], in its order.
pub(crate) const EXPECT_KEYS: [&str; 17] = [
    "outcome",
    "approvals",
    "approvals_unmet",
    "backups",
    "backups_unmet",
    "conditions",
    "conditions_unmet",
    "blocks",
    "blocked_by",
    "next_allowed_start",
    "impacted",
    "fired",
    "fired_include",
    "fired_exclude",
    "overrides",
    "decision",
    "error",
];
