//! The Backstage adapter's options.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

use crate::error::{Document, Error};
use crate::import::input_error;
use crate::input::{backticked, did_you_mean};

/// How the Backstage catalog is read into a graph (see
/// docs/sources/backstage.md).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct BackstageOptions {
    /// The annotation whose value is the node's tier: `0`, `1`, … or
    /// `tier-1`, `tier 1`, `t1` (any case). Default `changegate/tier`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier_annotation: Option<String>,
    /// What a reference to an entity that is not in the catalog does:
    /// `error` (the default), `report` (a note, and the edge is left out)
    /// or `placeholder` (a note, and a node with only the reference's
    /// kind, namespace and name stands in for the entity).
    pub dangling: Dangling,
    /// How `spec.owner` becomes the node's owner: `short` (the default: a
    /// group of the `default` namespace by its name, `team-a`; any other
    /// owner by its full reference, `user:default/jdoe`) or `ref` (always
    /// the full reference, `group:default/team-a`).
    pub owner_form: OwnerForm,
    /// Whether a system depends on its components, APIs and resources
    /// (`spec.system`), and a domain on its systems and subdomains
    /// (`spec.domain`, `spec.subdomainOf`): `false` by default, when the
    /// system and domain are attributes only.
    pub part_of_edges: bool,
    /// More node attributes from annotations: attribute name → annotation
    /// key, e.g. `{"pagerduty": "pagerduty.com/service-id"}`, since a
    /// policy path cannot name an annotation key with `/` or `.` in it.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotation_attributes: BTreeMap<String, String>,
}

/// What a reference to an entity outside the catalog does.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Dangling {
    /// The import fails, naming the entity and field.
    #[default]
    Error,
    /// A note; the edge is left out.
    Report,
    /// A note; a node stands in for the missing entity.
    Placeholder,
}

/// How a node's owner is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum OwnerForm {
    /// A group of the `default` namespace by name, anything else by its
    /// full reference.
    #[default]
    Short,
    /// Always the full reference.
    Ref,
}

/// The annotation read for the tier when the options name none.
pub(super) const DEFAULT_TIER_ANNOTATION: &str = "changegate/tier";

const FIELDS: &[&str] = &[
    "tier_annotation",
    "dangling",
    "owner_form",
    "part_of_edges",
    "annotation_attributes",
];

/// The options from their JSON (`null` for the defaults); an error names
/// `options.<field>`.
pub(super) fn read(options: &Json) -> Result<BackstageOptions, Error> {
    let error = |path: String, message: String, help: String| {
        input_error(Document::Backstage, path, message, Some(help))
    };
    let obj = match options {
        Json::Null => return Ok(BackstageOptions::default()),
        Json::Object(obj) => obj,
        other => {
            return Err(error(
                "options".to_owned(),
                format!(
                    "expected an object of options, found {}",
                    crate::input::describe(other)
                ),
                format!("the options are {}", backticked(FIELDS)),
            ));
        }
    };
    // Each field on its own, so that the error names the one that is wrong.
    for (key, value) in obj {
        if !FIELDS.contains(&key.as_str()) {
            let help = match did_you_mean(key, FIELDS.iter().copied()) {
                Some(m) => format!("did you mean `{m}`?"),
                None => format!("the options are {}", backticked(FIELDS)),
            };
            return Err(error(
                format!("options.{key}"),
                format!("unknown option `{key}`"),
                help,
            ));
        }
        let one = Json::Object([(key.clone(), value.clone())].into_iter().collect());
        if let Err(e) = serde_json::from_value::<BackstageOptions>(one) {
            return Err(error(
                format!("options.{key}"),
                format!("option `{key}`: {e}"),
                help_for(key),
            ));
        }
    }
    let opts: BackstageOptions = serde_json::from_value(options.clone()).map_err(|e| {
        error(
            "options".to_owned(),
            format!("invalid options: {e}"),
            "see docs/sources/backstage.md".to_owned(),
        )
    })?;
    if opts.tier_annotation.as_deref() == Some("") {
        return Err(error(
            "options.tier_annotation".to_owned(),
            "option `tier_annotation` is empty".to_owned(),
            help_for("tier_annotation"),
        ));
    }
    if let Some(name) = opts
        .annotation_attributes
        .keys()
        .find(|k| k.is_empty() || RESERVED.contains(&k.as_str()))
    {
        return Err(error(
            format!("options.annotation_attributes.{name}"),
            format!("attribute `{name}` cannot be taken from an annotation"),
            format!(
                "the node's fields and the adapter's own attributes are {}; choose another name",
                backticked(RESERVED)
            ),
        ));
    }
    Ok(opts)
}

/// Names an annotation cannot fill: the node's first-class fields (which
/// win over attributes) and the attributes the adapter writes itself.
const RESERVED: &[&str] = &[
    "id",
    "kind",
    "tier",
    "owner",
    "tags",
    "depth",
    "entity_kind",
    "name",
    "namespace",
    "title",
    "description",
    "labels",
    "annotations",
    "lifecycle",
    "system",
    "domain",
    "owner_ref",
    "placeholder",
];

fn help_for(key: &str) -> String {
    match key {
        "tier_annotation" => "an annotation key such as `example.com/tier`".to_owned(),
        "dangling" => "one of `error`, `report`, `placeholder`".to_owned(),
        "owner_form" => "one of `short`, `ref`".to_owned(),
        "part_of_edges" => "`true` or `false`".to_owned(),
        _ => "an object of attribute names to annotation keys, such as \
              `{\"pagerduty\": \"pagerduty.com/service-id\"}`"
            .to_owned(),
    }
}
