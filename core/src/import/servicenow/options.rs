//! The options of the two ServiceNow adapters, as JSON objects; `null` is
//! every default.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use super::err;
use crate::error::Error;

/// How a CI is named as a graph node, the same in the change (its targets)
/// and in the CMDB graph.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum CiIds {
    /// The CI's name where the export carries it (the CMDB's `name`, a
    /// reference's display value), else its sys_id; in the CMDB graph a
    /// name that two CIs share is not used, and those CIs are named by
    /// sys_id.
    #[default]
    Name,
    /// Always the sys_id (the name is the node's `name` attribute): the
    /// change and the graph agree whatever the exports carry.
    SysId,
}

/// What to do with a record that cannot be used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OnProblem {
    /// Stop with an error naming the record and field.
    #[default]
    Error,
    /// Leave the record out and report it as a note.
    Note,
}

/// Which CI of a relationship depends on which: a change to the CI
/// depended on impacts the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The parent depends on the child (`Depends on::Used by`).
    ParentDependsOnChild,
    /// The child depends on the parent (`Contains::Contained by`).
    ChildDependsOnParent,
    /// Each depends on the other (`Connects to::Connected by`).
    Both,
    /// Neither: the relationship is read and makes no edge.
    None,
}

/// Options of the `servicenow-change` adapter.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct ServiceNowChangeOptions {
    /// The IANA time zone (such as `Europe/Berlin`) of dates given only as
    /// display values (`sysparm_display_value=true`), which are in the
    /// exporting user's zone. Without it such a date is an error; raw
    /// values are UTC and need no zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// How targets name their CIs; must match the CMDB import's `ci_ids`.
    pub ci_ids: CiIds,
    /// The group that an approval without a `group` (a person asked by
    /// name) approves for; without it such an approval is a note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approval_group: Option<String>,
    /// More `change_request` fields to keep as attributes, besides the
    /// documented ones and every `u_*` field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
}

/// Options of the `servicenow-cmdb` adapter.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct ServiceNowCmdbOptions {
    /// How nodes are named; must match the change import's `ci_ids`.
    pub ci_ids: CiIds,
    /// The CI field naming the owning group (`node.owner`): default
    /// `support_group`; `owned_by`, `managed_by` or `assignment_group` are
    /// common choices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner_field: Option<String>,
    /// The CI field giving the tier (`node.tier`): default
    /// `business_criticality` (`1 - most critical` … `4 - not critical`).
    /// Its value, or the number a label starts with, minus `tier_base` is
    /// the tier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier_field: Option<String>,
    /// The value of `tier_field` that means tier 0 (default 1, so that
    /// `1 - most critical` is tier 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier_base: Option<i64>,
    /// Relationship types to add to the built-in table or override there,
    /// by name (`Feeds::Fed by`) or by the `cmdb_rel_type` sys_id, which a
    /// raw export gives instead of the name.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub relationship_types: BTreeMap<String, Direction>,
    /// A relationship whose type is neither built in nor in
    /// `relationship_types`: an error (default) or a note.
    pub unknown_types: OnProblem,
    /// A relationship whose parent or child is not among the CIs: an error
    /// (default, since the graph would miss an impact) or a note.
    pub missing_cis: OnProblem,
    /// More CI fields to keep as attributes, besides the documented ones
    /// and every `u_*` field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
}

/// Reads an options object; `null` is the defaults. A bad option is an error
/// at `options.<field>`.
pub(super) fn read<T: DeserializeOwned + Default>(options: &Json) -> Result<T, Error> {
    if options.is_null() {
        return Ok(T::default());
    }
    let Json::Object(o) = options else {
        return Err(err::option(
            "",
            "the options are not an object",
            "pass an object such as `{\"ci_ids\": \"sys_id\"}`, or `null`",
        ));
    };
    serde_json::from_value(options.clone()).map_err(|whole| {
        // serde does not say which field failed: try each alone.
        for (k, v) in o {
            let mut one = serde_json::Map::new();
            one.insert(k.clone(), v.clone());
            if let Err(e) = serde_json::from_value::<T>(Json::Object(one)) {
                return err::option(
                    k,
                    first_line(&e),
                    "see docs/sources/servicenow.md, *Options*",
                );
            }
        }
        err::option(
            "",
            first_line(&whole),
            "see docs/sources/servicenow.md, *Options*",
        )
    })
}

fn first_line(e: &serde_json::Error) -> String {
    let s = e.to_string();
    // serde_json appends ` at line 1 column 0`, meaningless for a value.
    s.split(" at line ").next().unwrap_or(&s).to_owned()
}
