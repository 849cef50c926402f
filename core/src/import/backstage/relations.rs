//! `relations[]` of an entity read from the catalog API: the relations
//! Backstage deduced, each `{type, targetRef}`.

use super::entity::{Entity, LinkTo, Reader};
use super::refs::{self, EntityRef, Link};
use super::tree::{Node, Value};
use crate::import::ImportNote;
use crate::input::{InputError, Path};

impl Reader<'_> {
    /// `relations[]` of an API export: `{type, targetRef}` (or an older
    /// export's `target: {kind, namespace, name}`).
    pub(super) fn relations(
        &self,
        rels: &Node,
        path: &Path<'_>,
        e: &mut Entity,
        notes: &mut Vec<ImportNote>,
    ) -> Result<(), InputError> {
        let Value::List(items) = &rels.value else {
            return Err(self.expected(rels, path, "relations", "a list"));
        };
        for (i, rel) in items.iter().enumerate() {
            let p = path.index(i);
            let field = format!("relations[{i}]");
            let type_path = p.key("type");
            let Some(kind) = rel.field("type") else {
                return Err(self.expected(rel, &p, &field, "a relation with a `type`"));
            };
            let Some(kind) = kind.as_str() else {
                let f = format!("{field}.type");
                return Err(self.expected(kind, &type_path, &f, "a relation type"));
            };
            let link = match refs::relation(kind) {
                Ok(Some(link)) => link,
                // Ownership and membership: the owner is `spec.owner`.
                Ok(None) => continue,
                Err(()) => {
                    let hint = crate::input::did_you_mean(kind, refs::RELATIONS.iter().copied())
                        .map(|m| format!(" (did you mean `{m}`?)"))
                        .unwrap_or_default();
                    notes.push(ImportNote {
                        record: self.record.to_owned(),
                        field: Some(field),
                        message: format!(
                            "relation type `{kind}` is not one changegate knows{hint}; no edge is made for it"
                        ),
                    });
                    continue;
                }
            };
            let ref_path = p.key("targetRef");
            let old_path = p.key("target");
            let target = match (rel.field("targetRef"), rel.field("target")) {
                (Some(t), _) => self.target(t, &ref_path, &format!("{field}.targetRef"), None)?,
                (None, Some(t)) => self.target(t, &old_path, &format!("{field}.target"), None)?,
                (None, None) => {
                    return Err(self.expected(rel, &p, &field, "a relation with a `targetRef`"));
                }
            };
            let components = |r: &EntityRef| r.kind.eq_ignore_ascii_case("component");
            let always = !matches!(link, Link::PartOf | Link::HasPart)
                || (components(&e.me) && components(&target.to));
            e.links.push(LinkTo {
                link,
                always,
                target,
            });
        }
        Ok(())
    }
}
