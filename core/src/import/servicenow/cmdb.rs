//! `cmdb_ci` and `cmdb_rel_ci` records as a graph (docs/language.md,
//! *The graph*): a node per CI, an edge per relationship whose type says
//! which CI depends on which.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value as Json;

use super::super::{ImportNote, Imported};
use super::change::record_label;
use super::options::{CiIds, Direction, OnProblem, ServiceNowCmdbOptions};
use super::records::{self, Field, Names, Record, attribute};
use super::relations::Types;
use super::{err, options};
use crate::api::{EdgeDocument, GraphDocument, NodeDocument};
use crate::error::Error;
use crate::limits::Limits;
use crate::source::Source;

/// The `cmdb_ci` fields kept as attributes (besides every `u_*` field).
const KEPT: [&str; 22] = [
    "sys_id",
    "name",
    "sys_class_name",
    "operational_status",
    "install_status",
    "environment",
    "used_for",
    "category",
    "subcategory",
    "location",
    "company",
    "department",
    "ip_address",
    "fqdn",
    "os",
    "os_version",
    "version",
    "short_description",
    "business_criticality",
    "support_group",
    "owned_by",
    "managed_by",
];

/// One CI as read.
struct Ci<'a> {
    rec: &'a Record<'a>,
    sys_id: String,
    name: Option<String>,
    label: String,
}

/// Reads the graph; see [`super::cmdb`].
pub(super) fn import(
    cis: &[Source],
    relationships: &[Source],
    options: &Json,
    limits: &Limits,
) -> Result<Imported<GraphDocument>, Error> {
    let opts: ServiceNowCmdbOptions = options::read(options)?;
    if cis.is_empty() {
        return Err(err::at(
            "",
            "",
            "the cis input has no file",
            "pass the `cmdb_ci` records (`GET /api/now/table/cmdb_ci`) as `cis`",
        ));
    }
    let ci_files = records::parse(cis, limits)?;
    let rel_files = records::parse(relationships, limits)?;
    let ci_records = records::records(&ci_files, "cmdb_ci")?;
    let rel_records = records::records(&rel_files, "cmdb_rel_ci")?;
    let mut notes = Vec::new();

    // The CIs, each once: an export of several class tables can hold a CI
    // twice (`cmdb_ci_server` and `cmdb_ci_linux_server`).
    let mut list: Vec<Ci<'_>> = Vec::new();
    let mut by_sys_id: HashMap<String, usize> = HashMap::new();
    for rec in &ci_records {
        let Some(sys_id) = rec.sys_id() else {
            return Err(err::at(
                rec.file,
                &rec.path("sys_id"),
                format!("the CI at `{}`: `sys_id` is missing", rec.place),
                "export the CIs with their `sys_id` (if `sysparm_fields` is given, it must \
                 include `sys_id`)",
            ));
        };
        let name_field = rec.field("name", &format!("CI `{sys_id}`"))?;
        let name = name_field.value.or(name_field.display);
        let label = match &name {
            Some(n) => format!("CI `{n}` (`{sys_id}`)"),
            None => format!("CI `{sys_id}`"),
        };
        if by_sys_id.contains_key(&sys_id) {
            notes.push(ImportNote {
                record: sys_id,
                field: Some("sys_id".to_owned()),
                message: format!(
                    "{label} appears again in `{}` at `{}`: the first is kept",
                    rec.file, rec.place
                ),
            });
            continue;
        }
        by_sys_id.insert(sys_id.clone(), list.len());
        list.push(Ci {
            rec,
            sys_id,
            name,
            label,
        });
    }

    let ids = node_ids(&list, opts.ci_ids, &mut notes);
    let mut names = Names::default();
    for ci in &list {
        if let Some(n) = &ci.name {
            names.insert(&ci.sys_id, n);
        }
    }
    names.learn(&ci_records);
    names.learn(&rel_records);

    let mut nodes = Vec::with_capacity(list.len());
    for (ci, id) in list.iter().zip(&ids) {
        nodes.push(node(ci, id, &opts, &names)?);
    }

    let types = Types::new(&opts.relationship_types);
    // A relationship given by names only (`sysparm_display_value=true`)
    // finds its CIs by a name that only one CI has.
    let mut by_name: HashMap<&str, Option<usize>> = HashMap::new();
    for (i, ci) in list.iter().enumerate() {
        if let Some(n) = &ci.name {
            by_name
                .entry(n.as_str())
                .and_modify(|e| *e = None)
                .or_insert(Some(i));
        }
    }
    let mut edges = Vec::new();
    let mut seen = HashSet::new();
    for r in &rel_records {
        let label = record_label("relationship", r);
        let record = r.sys_id().unwrap_or_else(|| r.place.clone());
        let type_field = r.field("type", &label)?;
        let Some(type_name) = type_field.display.clone().or(type_field.value.clone()) else {
            return Err(err::at(
                r.file,
                &r.path("type"),
                format!("{label}: `type` is missing"),
                "a relationship's `type` is a `cmdb_rel_type` such as `Depends on::Used by`",
            ));
        };
        let direction = type_field
            .display
            .as_deref()
            .and_then(|d| types.direction(d))
            .or_else(|| type_field.value.as_deref().and_then(|v| types.direction(v)));
        let Some(direction) = direction else {
            let message = format!(
                "{label}: `type` `{type_name}` is not a relationship type changegate knows"
            );
            if opts.unknown_types == OnProblem::Note {
                notes.push(ImportNote {
                    record,
                    field: Some("type".to_owned()),
                    message: format!("{message}: left out"),
                });
                continue;
            }
            return Err(err::at(
                r.file,
                &r.path("type"),
                message,
                "add it to the `relationship_types` option with the CI that depends on the \
                 other (`{\"Feeds::Fed by\": \"child_depends_on_parent\"}`; a raw export gives \
                 the type's sys_id, which works as the key too), or set `unknown_types: note` \
                 to leave such relationships out",
            ));
        };
        let mut ends = [0usize; 2];
        let mut missing = None;
        for (slot, field) in ends.iter_mut().zip(["parent", "child"]) {
            let f = r.field(field, &label)?;
            match find(&f, &by_sys_id, &by_name) {
                Some(i) => *slot = i,
                None => {
                    missing = Some((field, names.shown(&f).unwrap_or_default()));
                    break;
                }
            }
        }
        if let Some((field, what)) = missing {
            let message = if what.is_empty() {
                format!("{label}: `{field}` is missing")
            } else {
                format!("{label}: `{field}` `{what}` is not among the CIs")
            };
            if opts.missing_cis == OnProblem::Note && !what.is_empty() {
                notes.push(ImportNote {
                    record,
                    field: Some(field.to_owned()),
                    message: format!("{message}: left out"),
                });
                continue;
            }
            return Err(err::at(
                r.file,
                &r.path(field),
                message,
                "export that CI too (the `cis` input may hold several class tables, or all of \
                 `cmdb_ci`), or set `missing_cis: note` to leave such relationships out",
            ));
        }
        let [parent, child] = ends;
        let pairs: &[(usize, usize)] = match direction {
            Direction::ParentDependsOnChild => &[(parent, child)],
            Direction::ChildDependsOnParent => &[(child, parent)],
            Direction::Both => &[(parent, child), (child, parent)],
            Direction::None => &[],
        };
        for &(from, to) in pairs {
            if !seen.insert((from, to)) {
                continue;
            }
            let (Some(from), Some(to)) = (ids.get(from), ids.get(to)) else {
                continue;
            };
            edges.push(EdgeDocument {
                from: from.clone(),
                to: to.clone(),
            });
        }
    }

    Ok(Imported {
        document: GraphDocument {
            nodes,
            edges: (!edges.is_empty()).then_some(edges),
        },
        notes,
    })
}

/// The CI a relationship's end names: by sys_id, else by a name only one
/// CI has.
fn find(
    f: &Field,
    by_sys_id: &HashMap<String, usize>,
    by_name: &HashMap<&str, Option<usize>>,
) -> Option<usize> {
    if let Some(v) = &f.value {
        return by_sys_id.get(v).copied();
    }
    let d = f.display.as_deref()?;
    by_name.get(d).copied().flatten()
}

/// Each CI's node id: its name when the name is set, no other CI has it and
/// it is no other CI's sys_id (with `ci_ids: name`); else its sys_id.
fn node_ids(list: &[Ci<'_>], ci_ids: CiIds, notes: &mut Vec<ImportNote>) -> Vec<String> {
    if ci_ids == CiIds::SysId {
        return list.iter().map(|c| c.sys_id.clone()).collect();
    }
    let mut count: HashMap<&str, usize> = HashMap::new();
    for c in list {
        if let Some(n) = &c.name {
            *count.entry(n.as_str()).or_default() += 1;
        }
    }
    let sys_ids: HashSet<&str> = list.iter().map(|c| c.sys_id.as_str()).collect();
    list.iter()
        .map(|c| match &c.name {
            Some(n)
                if count.get(n.as_str()) == Some(&1)
                    && (!sys_ids.contains(n.as_str()) || *n == c.sys_id) =>
            {
                n.clone()
            }
            Some(n) => {
                let others = count
                    .get(n.as_str())
                    .copied()
                    .unwrap_or(1)
                    .saturating_sub(1);
                let why = if others == 1 {
                    format!("another CI has the name `{n}`")
                } else if others > 1 {
                    format!("{others} other CIs have the name `{n}`")
                } else {
                    format!("`{n}` is another CI's sys_id")
                };
                notes.push(ImportNote {
                    record: c.sys_id.clone(),
                    field: Some("name".to_owned()),
                    message: format!("{}: {why}, so the node is named by its sys_id", c.label),
                });
                c.sys_id.clone()
            }
            None => {
                notes.push(ImportNote {
                    record: c.sys_id.clone(),
                    field: Some("name".to_owned()),
                    message: format!("{} has no name: the node is named by its sys_id", c.label),
                });
                c.sys_id.clone()
            }
        })
        .collect()
}

fn node(
    ci: &Ci<'_>,
    id: &str,
    opts: &ServiceNowCmdbOptions,
    names: &Names,
) -> Result<NodeDocument, Error> {
    let rec = ci.rec;
    let label = &ci.label;
    let class = rec.field("sys_class_name", label)?;
    let kind = class.value.or(class.display);
    let owner_field = opts.owner_field.as_deref().unwrap_or("support_group");
    let owner = names.shown(&rec.field(owner_field, label)?);
    let tier = tier(ci, opts)?;
    let mut attributes = BTreeMap::new();
    let custom = rec.names().filter(|n| n.starts_with("u_"));
    let wanted = KEPT
        .iter()
        .copied()
        .chain(custom)
        .chain(opts.fields.iter().map(String::as_str));
    for name in wanted {
        if attributes.contains_key(name) {
            continue;
        }
        if let Some(v) = attribute(&rec.field(name, label)?, names) {
            attributes.insert(name.to_owned(), v);
        }
    }
    attributes.insert("sys_id".to_owned(), Json::String(ci.sys_id.clone()));
    // A node named by its name answers to its sys_id too, so that a change
    // exported with sys_ids only names it (docs/sources/servicenow.md). The
    // sys_id is never another node's id: `node_ids` names no CI by a name
    // that is another CI's sys_id.
    let aliases = (id != ci.sys_id).then(|| vec![ci.sys_id.clone()]);
    Ok(NodeDocument {
        aliases,
        id: id.to_owned(),
        kind,
        tier,
        owner,
        tags: None,
        attributes: Some(attributes),
        depends_on: None,
    })
}

/// The tier: the number `tier_field` holds or its label starts with
/// (`1 - most critical`), minus `tier_base`.
fn tier(ci: &Ci<'_>, opts: &ServiceNowCmdbOptions) -> Result<Option<i64>, Error> {
    let rec = ci.rec;
    let field = opts.tier_field.as_deref().unwrap_or("business_criticality");
    let base = opts.tier_base.unwrap_or(1);
    let f = rec.field(field, &ci.label)?;
    let Some(text) = f.value.as_deref().or(f.display.as_deref()) else {
        return Ok(None);
    };
    let head = text.split(" - ").next().unwrap_or(text).trim();
    let tier = head
        .parse::<i64>()
        .ok()
        .and_then(|n| n.checked_sub(base))
        .filter(|t| *t >= 0);
    match tier {
        Some(t) => Ok(Some(t)),
        None => Err(err::at(
            rec.file,
            &rec.path(field),
            format!("{}: `{field}` `{text}` is not a tier", ci.label),
            &format!(
                "a tier is a whole number of at least `{base}` (the `tier_base` option), or a \
                 label that starts with one, such as `1 - most critical`"
            ),
        )),
    }
}
