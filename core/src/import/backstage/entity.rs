//! One catalog entity read from its envelope (`apiVersion`, `kind`,
//! `metadata`, `spec`, and `relations` in an API export): what becomes its
//! node, and the references that become edges.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::options::{BackstageOptions, DEFAULT_TIER_ANNOTATION};
use super::refs::{self, DEFAULT_NAMESPACE, EntityRef, Link, SPEC_LINKS};
use super::tree::{At, Node, Value};
use crate::import::ImportNote;
use crate::input::{InputError, Path};

/// An entity, read.
#[derive(Debug)]
pub(super) struct Entity {
    /// Where it is declared (`a.yaml:3:1`, `entities.json: [4]`).
    pub(super) place: String,
    /// Its kind, namespace and name as declared (`default` when no
    /// namespace is given).
    pub(super) me: EntityRef,
    /// `spec.type`.
    pub(super) spec_type: Option<String>,
    /// `spec.owner`.
    pub(super) owner: Option<Target>,
    /// `metadata.tags`.
    pub(super) tags: Vec<String>,
    /// From the tier annotation.
    pub(super) tier: Option<i64>,
    /// `spec.system` and `spec.domain`, attributes once resolved.
    pub(super) system: Option<Target>,
    pub(super) domain: Option<Target>,
    /// Every other attribute.
    pub(super) attributes: BTreeMap<String, Json>,
    /// References that may become edges, in input order.
    pub(super) links: Vec<LinkTo>,
}

/// A reference, and where it was written.
#[derive(Debug)]
pub(super) struct Target {
    pub(super) to: EntityRef,
    /// `spec.dependsOn[1]`, `relations[3]`.
    pub(super) field: String,
    /// `a.yaml:12:7`, `entities.json: [0].relations[3]`.
    pub(super) place: String,
}

/// A link to another entity.
#[derive(Debug)]
pub(super) struct LinkTo {
    pub(super) link: Link,
    /// Whether it is an edge whatever the options (a part-whole link is
    /// one only between components, or with `part_of_edges`).
    pub(super) always: bool,
    pub(super) target: Target,
}

fn error(at: At<'_>, message: String, help: &str) -> InputError {
    InputError::new(at.render(), message).with_help(help)
}

/// Reads the entity `node` at `path` of `file`; notes go to `notes`.
pub(super) fn read(
    node: &Node,
    file: &str,
    path: &Path<'_>,
    opts: &BackstageOptions,
    notes: &mut Vec<ImportNote>,
) -> Result<Entity, InputError> {
    let at = At::new(file, path, node);
    if !matches!(node.value, Value::Map(_)) {
        return Err(error(
            at,
            format!(
                "expected an entity (a mapping with `apiVersion`, `kind` and `metadata`), found {}",
                node.describe()
            ),
            "each YAML document, and each item of an API export, is one entity",
        ));
    }
    let kind_path = path.key("kind");
    let kind = match node.field("kind") {
        None => {
            return Err(error(
                at,
                "an entity has no `kind`".to_owned(),
                "write its kind, such as `kind: Component`",
            ));
        }
        Some(k) => match k.as_str() {
            Some(s) if refs::valid_kind(s) => s,
            _ => {
                return Err(error(
                    At::new(file, &kind_path, k),
                    format!("an entity's `kind` is {}, not a kind", k.describe()),
                    "a kind is a letter then letters and digits, such as `Component`",
                ));
            }
        },
    };
    let meta_path = path.key("metadata");
    let Some(meta) = node
        .field("metadata")
        .filter(|m| matches!(m.value, Value::Map(_)))
    else {
        return Err(error(
            node.field("metadata")
                .map_or(at, |m| At::new(file, &meta_path, m)),
            format!("the `{kind}` entity has no `metadata` mapping"),
            "an entity's `metadata` holds at least its `name`",
        ));
    };
    let name_path = meta_path.key("name");
    let name = match meta.field("name") {
        None => {
            return Err(error(
                At::new(file, &meta_path, meta),
                format!("the `{kind}` entity has no `metadata.name`"),
                "every entity has a name, unique for its kind and namespace",
            ));
        }
        Some(n) => match n.as_str() {
            Some(s) if refs::valid_name(s) => s,
            _ => {
                return Err(error(
                    At::new(file, &name_path, n),
                    format!(
                        "the `{kind}` entity's `metadata.name` is {}, not a name",
                        n.describe()
                    ),
                    "a name is text without spaces, such as `artist-lookup`",
                ));
            }
        },
    };
    let ns_path = meta_path.key("namespace");
    let namespace = match meta.field("namespace") {
        None => DEFAULT_NAMESPACE,
        Some(n) => match n.as_str() {
            Some(s) if refs::valid_namespace(s) => s,
            _ => {
                return Err(error(
                    At::new(file, &ns_path, n),
                    format!(
                        "entity `{}`: `metadata.namespace` is {}, not a namespace",
                        name,
                        n.describe()
                    ),
                    "a namespace is letters and digits separated by `-`, such as `default`",
                ));
            }
        },
    };
    let me = EntityRef {
        kind: kind.to_owned(),
        namespace: namespace.to_owned(),
        name: name.to_owned(),
    };
    let record = me.canonical();
    let r = Reader {
        file,
        record: &record,
        namespace,
    };
    let api_path = path.key("apiVersion");
    match node.field("apiVersion") {
        Some(v) if v.as_str().is_some_and(|s| !s.is_empty()) => {}
        Some(v) => {
            return Err(r.error(
                At::new(file, &api_path, v),
                format!("`apiVersion` is {}, not a version", v.describe()),
                "Backstage's own kinds are `backstage.io/v1alpha1`",
            ));
        }
        None => {
            return Err(r.error(
                at,
                "has no `apiVersion`".to_owned(),
                "write the version, such as `apiVersion: backstage.io/v1alpha1`",
            ));
        }
    }
    let mut e = Entity {
        place: at.render(),
        me: me.clone(),
        spec_type: None,
        owner: None,
        tags: Vec::new(),
        tier: None,
        system: None,
        domain: None,
        attributes: BTreeMap::new(),
        links: Vec::new(),
    };
    r.metadata(meta, &meta_path, opts, &mut e)?;
    if let Some(spec) = node.field("spec") {
        r.spec(spec, &path.key("spec"), &mut e)?;
    }
    if let Some(rels) = node.field("relations") {
        r.relations(rels, &path.key("relations"), &mut e, notes)?;
    }
    Ok(e)
}

pub(super) struct Reader<'a> {
    pub(super) file: &'a str,
    /// The entity's full reference, for messages.
    pub(super) record: &'a str,
    /// Its namespace, the default for its references.
    pub(super) namespace: &'a str,
}

impl Reader<'_> {
    pub(super) fn error(&self, at: At<'_>, message: String, help: &str) -> InputError {
        error(at, format!("entity `{}`: {message}", self.record), help)
    }

    pub(super) fn expected(
        &self,
        node: &Node,
        path: &Path<'_>,
        field: &str,
        what: &str,
    ) -> InputError {
        self.error(
            At::new(self.file, path, node),
            format!("`{field}` is {}, not {what}", node.describe()),
            "see the descriptor format of catalog entities",
        )
    }

    fn metadata(
        &self,
        meta: &Node,
        path: &Path<'_>,
        opts: &BackstageOptions,
        e: &mut Entity,
    ) -> Result<(), InputError> {
        for key in ["title", "description"] {
            if let Some(v) = meta.field(key) {
                e.attributes.insert(key.to_owned(), v.to_json());
            }
        }
        let tags_path = path.key("tags");
        if let Some(tags) = meta.field("tags") {
            let Value::List(items) = &tags.value else {
                return Err(self.expected(tags, &tags_path, "metadata.tags", "a list"));
            };
            for (i, t) in items.iter().enumerate() {
                let Some(s) = t.as_str().filter(|s| !s.is_empty()) else {
                    let p = tags_path.index(i);
                    return Err(self.expected(t, &p, &format!("metadata.tags[{i}]"), "a tag"));
                };
                if !e.tags.iter().any(|x| x == s) {
                    e.tags.push(s.to_owned());
                }
            }
        }
        for key in ["labels", "annotations"] {
            let p = path.key(key);
            if let Some(v) = meta.field(key) {
                if !matches!(v.value, Value::Map(_)) {
                    return Err(self.expected(v, &p, &format!("metadata.{key}"), "a mapping"));
                }
                e.attributes.insert(key.to_owned(), v.to_json());
            }
        }
        let ann_path = path.key("annotations");
        let annotations = meta.field("annotations");
        let tier_key = opts
            .tier_annotation
            .as_deref()
            .unwrap_or(DEFAULT_TIER_ANNOTATION);
        if let Some(v) = annotations.and_then(|a| a.field(tier_key)) {
            let p = ann_path.key(tier_key);
            let tier = match &v.value {
                Value::String(s) => parse_tier(s),
                Value::Number(n) => n.as_i64().filter(|t| *t >= 0),
                _ => None,
            };
            let Some(tier) = tier else {
                return Err(self.error(
                    At::new(self.file, &p, v),
                    format!("annotation `{tier_key}` is {}, not a tier", v.describe()),
                    "a tier is a whole number, 0 the most critical: `0`, `1`, or `tier-1`",
                ));
            };
            e.tier = Some(tier);
        }
        for (attr, key) in &opts.annotation_attributes {
            if let Some(v) = annotations.and_then(|a| a.field(key)) {
                e.attributes.insert(attr.clone(), v.to_json());
            }
        }
        Ok(())
    }

    fn spec(&self, spec: &Node, path: &Path<'_>, e: &mut Entity) -> Result<(), InputError> {
        if !matches!(spec.value, Value::Map(_)) {
            return Err(self.expected(spec, path, "spec", "a mapping"));
        }
        let type_path = path.key("type");
        if let Some(t) = spec.field("type") {
            match t.as_str() {
                Some(s) if !s.is_empty() => e.spec_type = Some(s.to_owned()),
                _ => return Err(self.expected(t, &type_path, "spec.type", "a type")),
            }
        }
        if let Some(l) = spec.field("lifecycle") {
            e.attributes.insert("lifecycle".to_owned(), l.to_json());
        }
        let owner_path = path.key("owner");
        if let Some(o) = spec.field("owner") {
            e.owner = Some(self.target(o, &owner_path, "spec.owner", Some("group"))?);
        }
        for &(field, default_kind, is_list, link) in SPEC_LINKS {
            let Some(v) = spec.field(field) else { continue };
            let p = path.key(field);
            let name = format!("spec.{field}");
            let mut add = |target: Target| match field {
                "system" if e.system.is_none() => e.system = Some(target),
                "domain" if e.domain.is_none() => e.domain = Some(target),
                _ => e.links.push(LinkTo {
                    link,
                    always: field == "subcomponentOf" || link != Link::PartOf,
                    target,
                }),
            };
            if !is_list {
                add(self.target(v, &p, &name, default_kind)?);
                continue;
            }
            let Value::List(items) = &v.value else {
                return Err(self.expected(v, &p, &name, "a list of entity references"));
            };
            for (i, item) in items.iter().enumerate() {
                let ip = p.index(i);
                add(self.target(item, &ip, &format!("{name}[{i}]"), default_kind)?);
            }
        }
        Ok(())
    }

    /// A reference: the string form, or the compound form
    /// `{kind, namespace, name}`.
    pub(super) fn target(
        &self,
        v: &Node,
        path: &Path<'_>,
        field: &str,
        default_kind: Option<&str>,
    ) -> Result<Target, InputError> {
        let at = At::new(self.file, path, v);
        let help = match default_kind {
            Some(k) => {
                format!("write `[<kind>:][<namespace>/]<name>`; the kind is `{k}` when left out")
            }
            None => {
                format!("`{field}` needs the kind: write `component:<name>` or `resource:<name>`")
            }
        };
        let to = match &v.value {
            Value::String(s) => refs::parse(s, default_kind, self.namespace)
                .map_err(|m| self.error(at, format!("`{field}`: {m}"), &help))?,
            Value::Map(_) => {
                let part = |key: &str| {
                    v.field(key)
                        .and_then(Node::as_str)
                        .filter(|s| !s.is_empty())
                };
                let (Some(name), Some(kind)) = (part("name"), part("kind").or(default_kind)) else {
                    return Err(self.error(
                        at,
                        format!("`{field}` is a mapping without a `kind` and a `name`"),
                        &help,
                    ));
                };
                EntityRef {
                    kind: kind.to_owned(),
                    namespace: part("namespace").unwrap_or(self.namespace).to_owned(),
                    name: name.to_owned(),
                }
            }
            _ => return Err(self.expected(v, path, field, "an entity reference")),
        };
        Ok(Target {
            to,
            field: field.to_owned(),
            place: at.render(),
        })
    }
}

/// A tier from an annotation's text: a whole number, optionally after
/// `tier` or `t` and one `-`, `_` or space, in any case (`1`, `tier-1`,
/// `Tier 1`, `t1`).
pub(super) fn parse_tier(text: &str) -> Option<i64> {
    let lower = text.trim().to_ascii_lowercase();
    let rest = lower
        .strip_prefix("tier")
        .or_else(|| lower.strip_prefix('t'))
        .map_or(lower.as_str(), |r| {
            r.strip_prefix(['-', '_', ' ']).unwrap_or(r)
        });
    if rest.is_empty() || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    rest.parse().ok()
}
