//! Entities into changegate's graph: a node per entity, identified by its
//! full reference, and an edge per dependency, with every reference
//! resolved against the catalog (without case).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value as Json;

use super::entity::{Entity, Target};
use super::options::{BackstageOptions, Dangling, OwnerForm};
use super::refs::{DEFAULT_NAMESPACE, EntityRef, Link, RefKey};
use crate::api::{GraphDocument, NodeDocument};
use crate::error::{Document, Error};
use crate::import::{ImportNote, Imported, input_error};
use crate::limits::Limits;

/// The graph of `entities`, in their order; placeholders (with
/// `dangling: placeholder`) follow, in the order first referenced.
pub(super) fn build(
    entities: Vec<Entity>,
    opts: &BackstageOptions,
    limits: &Limits,
    mut notes: Vec<ImportNote>,
) -> Result<Imported<GraphDocument>, Error> {
    let mut index: HashMap<RefKey, usize> = HashMap::with_capacity(entities.len());
    for (i, e) in entities.iter().enumerate() {
        if let Some(&first) = index.get(&e.me.key()) {
            let first = entities.get(first).map_or("", |f| f.place.as_str());
            return Err(input_error(
                Document::Backstage,
                e.place.clone(),
                format!(
                    "entity `{}` is declared twice: first at `{first}`",
                    e.me.canonical()
                ),
                Some(
                    "an entity is identified by its kind, namespace and name, compared \
                     without case; remove one of them or rename it"
                        .to_owned(),
                ),
            ));
        }
        index.insert(e.me.key(), i);
    }
    let mut g = Builder {
        ids: entities.iter().map(|e| e.me.canonical()).collect(),
        names: entities.iter().map(|e| e.me.clone()).collect(),
        index,
        placeholders: Vec::new(),
        depends_on: vec![Vec::new(); entities.len()],
        seen: HashSet::new(),
        edges: 0,
        opts,
        limits,
    };
    let mut nodes = Vec::with_capacity(entities.len());
    for (i, e) in entities.into_iter().enumerate() {
        let record = g.ids.get(i).cloned().unwrap_or_default();
        for l in &e.links {
            if !(l.always || opts.part_of_edges) {
                continue;
            }
            let Some(t) = g.resolve(&record, &l.target, &mut notes)? else {
                continue;
            };
            match l.link {
                Link::DependsOn | Link::HasPart => g.edge(i, t)?,
                Link::DependencyOf | Link::PartOf => g.edge(t, i)?,
            }
        }
        let mut attributes = e.attributes;
        let kind_lower = e.me.kind.to_lowercase();
        attributes.insert("entity_kind".to_owned(), Json::String(kind_lower.clone()));
        attributes.insert("name".to_owned(), Json::String(e.me.name.clone()));
        attributes.insert(
            "namespace".to_owned(),
            Json::String(e.me.namespace.to_lowercase()),
        );
        for (key, target) in [("system", &e.system), ("domain", &e.domain)] {
            let Some(target) = target else { continue };
            attributes.insert(
                key.to_owned(),
                Json::String(g.spelled(&target.to).canonical()),
            );
            if opts.part_of_edges {
                if let Some(t) = g.resolve(&record, target, &mut notes)? {
                    g.edge(t, i)?;
                }
            }
        }
        let owner = e.owner.as_ref().map(|o| {
            let spelled = g.spelled(&o.to);
            attributes.insert("owner_ref".to_owned(), Json::String(spelled.canonical()));
            owner_name(&spelled, opts.owner_form)
        });
        nodes.push(NodeDocument {
            aliases: Some(aliases(&e.me)),
            id: record,
            kind: Some(e.spec_type.unwrap_or(kind_lower)),
            tier: e.tier,
            owner,
            tags: (!e.tags.is_empty()).then_some(e.tags),
            attributes: Some(attributes),
            depends_on: None,
        });
    }
    for p in &g.placeholders {
        let mut attributes = BTreeMap::new();
        attributes.insert(
            "entity_kind".to_owned(),
            Json::String(p.kind.to_lowercase()),
        );
        attributes.insert("name".to_owned(), Json::String(p.name.clone()));
        attributes.insert(
            "namespace".to_owned(),
            Json::String(p.namespace.to_lowercase()),
        );
        attributes.insert("placeholder".to_owned(), Json::Bool(true));
        nodes.push(NodeDocument {
            id: p.canonical(),
            kind: Some(p.kind.to_lowercase()),
            tier: None,
            owner: None,
            tags: None,
            attributes: Some(attributes),
            depends_on: None,
            aliases: Some(aliases(p)),
        });
    }
    // An alias may not be another node's id (docs/language.md, *The
    // graph*). Names and namespaces hold neither `:` nor `/`, so the short
    // forms never are; this keeps the graph loadable whatever the refs.
    let ids: HashSet<&str> = nodes.iter().map(|n| n.id.as_str()).collect();
    let taken: Vec<Vec<String>> = nodes
        .iter()
        .map(|n| {
            let own = n.aliases.iter().flatten();
            own.filter(|a| ids.contains(a.as_str())).cloned().collect()
        })
        .collect();
    for (node, taken) in nodes.iter_mut().zip(taken) {
        if let Some(list) = &mut node.aliases {
            list.retain(|a| !taken.contains(a));
        }
    }
    for (node, deps) in nodes.iter_mut().zip(g.depends_on) {
        if !deps.is_empty() {
            node.depends_on = Some(
                deps.into_iter()
                    .filter_map(|d| g.ids.get(d).cloned())
                    .collect(),
            );
        }
    }
    Ok(Imported {
        document: GraphDocument { nodes, edges: None },
        notes,
    })
}

/// The short names Backstage itself accepts for an entity, as aliases of
/// its node (docs/sources/backstage.md, *Naming targets*): `namespace/name`
/// always; `kind:name` and `name` only in the default namespace, since
/// Backstage reads a reference without a namespace as one in `default`
/// (`component:artist-lookup` is `component:default/artist-lookup`, never
/// an entity of another namespace). Kind and namespace in lower case, the
/// name as spelled, like the id; other spellings match ignoring case.
fn aliases(me: &EntityRef) -> Vec<String> {
    let namespace = me.namespace.to_lowercase();
    let mut out = vec![format!("{namespace}/{}", me.name)];
    if namespace == DEFAULT_NAMESPACE {
        out.push(format!("{}:{}", me.kind.to_lowercase(), me.name));
        out.push(me.name.clone());
    }
    out
}

/// The owner as the node's `owner` (see [`OwnerForm`]).
fn owner_name(owner: &EntityRef, form: OwnerForm) -> String {
    let default_group = owner.kind.eq_ignore_ascii_case("group")
        && owner.namespace.eq_ignore_ascii_case(DEFAULT_NAMESPACE);
    match form {
        OwnerForm::Short if default_group => owner.name.clone(),
        _ => owner.canonical(),
    }
}

struct Builder<'o> {
    /// Node ids: the entities', then the placeholders'.
    ids: Vec<String>,
    /// The entities' references as declared.
    names: Vec<EntityRef>,
    index: HashMap<RefKey, usize>,
    placeholders: Vec<EntityRef>,
    depends_on: Vec<Vec<usize>>,
    seen: HashSet<(usize, usize)>,
    edges: usize,
    opts: &'o BackstageOptions,
    limits: &'o Limits,
}

impl Builder<'_> {
    /// `reference` spelled as the entity it names declares itself, when it
    /// is in the catalog.
    fn spelled(&self, reference: &EntityRef) -> EntityRef {
        self.index
            .get(&reference.key())
            .and_then(|&i| self.names.get(i))
            .map_or_else(|| reference.clone(), Clone::clone)
    }

    /// The node a reference names; for one outside the catalog, an error,
    /// or a note and no node, or a note and a placeholder (the option
    /// `dangling`).
    fn resolve(
        &mut self,
        record: &str,
        target: &Target,
        notes: &mut Vec<ImportNote>,
    ) -> Result<Option<usize>, Error> {
        let key = target.to.key();
        if let Some(&i) = self.index.get(&key) {
            return Ok(Some(i));
        }
        let missing = target.to.canonical();
        let (result, what) = match self.opts.dangling {
            Dangling::Error => {
                return Err(input_error(
                    Document::Backstage,
                    target.place.clone(),
                    format!(
                        "entity `{record}`: `{}` names `{missing}`, which is not in the catalog",
                        target.field
                    ),
                    Some(
                        "add the entity's file to the catalog inputs, correct the reference, \
                         or set the option `dangling` to `report` or `placeholder`"
                            .to_owned(),
                    ),
                ));
            }
            Dangling::Report => (None, "the edge is left out"),
            Dangling::Placeholder => {
                let i = self.ids.len();
                self.ids.push(missing.clone());
                self.depends_on.push(Vec::new());
                self.placeholders.push(target.to.clone());
                self.index.insert(key, i);
                (Some(i), "a placeholder node stands in for it")
            }
        };
        notes.push(ImportNote {
            record: record.to_owned(),
            field: Some(target.field.clone()),
            message: format!("`{missing}` is not in the catalog; {what}"),
        });
        Ok(result)
    }

    /// `from` depends on `to`, once.
    fn edge(&mut self, from: usize, to: usize) -> Result<(), Error> {
        if !self.seen.insert((from, to)) {
            return Ok(());
        }
        self.edges += 1;
        if self.edges > self.limits.max_graph_edges {
            return Err(input_error(
                Document::Backstage,
                "",
                format!(
                    "the catalog makes more than {} edges",
                    self.limits.max_graph_edges
                ),
                Some("raise `Limits::max_graph_edges` if this catalog is expected".to_owned()),
            ));
        }
        if let Some(deps) = self.depends_on.get_mut(from) {
            deps.push(to);
        }
        Ok(())
    }
}
