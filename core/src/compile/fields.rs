//! The built-in fields of `change.X` and `node.X` (docs/language.md,
//! *Paths: `change.X` and `node.X`*): the one table of them, for the checks
//! (their types), the compiler (their selectors) and the evaluator (how to
//! read them). Any other name is an attribute, and a built-in field wins
//! over an attribute of the same name.

use std::sync::Arc;

use crate::change::Change;
use crate::graph::Node;
use crate::value::{Type, Value};

/// One built-in field of a record (the change or a node).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Field<F> {
    /// The name a path spells: `change.NAME`, `node.NAME`.
    pub(crate) name: &'static str,
    /// The selector a compiled path carries, and reads with.
    pub(crate) field: F,
    /// The type the checks know it has, when it is not `null`.
    pub(crate) ty: Type,
}

const fn row<F>(name: &'static str, field: F, ty: Type) -> Field<F> {
    Field { name, field, ty }
}

/// `change.X`: the record is the change being evaluated.
pub(crate) const CHANGE_FIELDS: [Field<ChangeField>; 7] = [
    row("id", ChangeField::Id, Type::Str),
    row("type", ChangeField::Type, Type::Str),
    row("start", ChangeField::Start, Type::DateTime),
    row("end", ChangeField::End, Type::DateTime),
    row("duration", ChangeField::Duration, Type::Duration),
    row("requested_by", ChangeField::RequestedBy, Type::Str),
    row("targets", ChangeField::Targets, Type::List),
];

/// `node.X`: the record is the node bound by a set filter or function.
pub(crate) const NODE_FIELDS: [Field<NodeField>; 6] = [
    row("id", NodeField::Id, Type::Str),
    row("kind", NodeField::Kind, Type::Str),
    row("tier", NodeField::Tier, Type::Number),
    row("owner", NodeField::Owner, Type::Str),
    row("tags", NodeField::Tags, Type::List),
    // Not stored on the node: its distance from the targets.
    row("depth", NodeField::Depth, Type::Number),
];

/// The first field of a `change.…` path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChangeField {
    Id,
    Type,
    Start,
    End,
    Duration,
    RequestedBy,
    Targets,
    /// Any other name: `attributes.NAME` of the change.
    Attr,
}

/// The first field of a `node.…` path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NodeField {
    Id,
    Kind,
    Tier,
    Owner,
    Tags,
    Depth,
    /// Any other name: `attributes.NAME` of the node.
    Attr,
}

/// A number or text field of a node as it lies in the node, to compare
/// without building a [`Value`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum InPlace<'n> {
    Int(Option<i64>),
    Text(Option<&'n Arc<str>>),
}

impl ChangeField {
    /// What `change.NAME` reads.
    pub(crate) fn named(name: &str) -> ChangeField {
        CHANGE_FIELDS
            .iter()
            .find(|f| f.name == name)
            .map_or(ChangeField::Attr, |f| f.field)
    }

    /// The type of `change.F`; `None` for an attribute, known only at run
    /// time.
    pub(crate) fn ty(self) -> Option<Type> {
        CHANGE_FIELDS.iter().find(|f| f.field == self).map(|f| f.ty)
    }

    /// Reads the field of `c`; `attr` names the attribute that
    /// [`ChangeField::Attr`] reads.
    #[inline]
    pub(crate) fn read(self, c: &Change, attr: Option<&str>) -> Value {
        match self {
            ChangeField::Id => Value::str(&c.id),
            ChangeField::Type => Value::str(c.change_type.as_str()),
            ChangeField::Start => Value::DateTime(c.start),
            ChangeField::End => Value::DateTime(c.end),
            ChangeField::Duration => Value::Duration(c.duration()),
            ChangeField::RequestedBy => c.requested_by.as_deref().map_or(Value::Null, Value::str),
            ChangeField::Targets => Value::List(c.targets.iter().map(|t| Value::str(t)).collect()),
            ChangeField::Attr => attr
                .and_then(|name| c.attributes.get(name))
                .cloned()
                .unwrap_or(Value::Null),
        }
    }

    /// The field as text read in place, for the fields that are always a
    /// string (`id`, `type`); `None` for the others.
    #[inline]
    pub(crate) fn text(self, c: &Change) -> Option<&str> {
        match self {
            ChangeField::Id => Some(&c.id),
            ChangeField::Type => Some(c.change_type.as_str()),
            _ => None,
        }
    }
}

impl NodeField {
    /// What `node.NAME` reads.
    pub(crate) fn named(name: &str) -> NodeField {
        NODE_FIELDS
            .iter()
            .find(|f| f.name == name)
            .map_or(NodeField::Attr, |f| f.field)
    }

    /// The type of `node.F`; `None` for an attribute, known only at run time.
    pub(crate) fn ty(self) -> Option<Type> {
        NODE_FIELDS.iter().find(|f| f.field == self).map(|f| f.ty)
    }

    /// Whether [`NodeField::in_place`] reads the field: the numbers and
    /// texts of the table (unit tests hold this to the types above).
    #[inline]
    pub(crate) fn is_scalar(self) -> bool {
        matches!(
            self,
            NodeField::Id | NodeField::Kind | NodeField::Tier | NodeField::Owner | NodeField::Depth
        )
    }

    /// Reads the field of `node`. `depth` gives the node's distance from
    /// the targets (`None` outside the blast radius), asked for only by
    /// [`NodeField::Depth`]; `attr` names the attribute that
    /// [`NodeField::Attr`] reads.
    #[inline]
    pub(crate) fn read(
        self,
        node: &Node,
        depth: impl FnOnce() -> Option<u32>,
        attr: Option<&str>,
    ) -> Value {
        match self {
            NodeField::Id => Value::Str(node.id.clone()),
            NodeField::Kind => node.kind.clone().map_or(Value::Null, Value::Str),
            NodeField::Tier => node.tier.map_or(Value::Null, Value::Int),
            NodeField::Owner => node.owner.clone().map_or(Value::Null, Value::Str),
            NodeField::Tags => {
                Value::List(node.tags.iter().map(|t| Value::Str(t.clone())).collect())
            }
            NodeField::Depth => depth().map_or(Value::Null, |d| Value::Int(i64::from(d))),
            NodeField::Attr => attr
                .and_then(|name| node.attributes.get(name))
                .cloned()
                .unwrap_or(Value::Null),
        }
    }

    /// The field as it lies in `node`, for the fields that
    /// [`NodeField::is_scalar`] names; `None` for the others.
    #[inline]
    pub(crate) fn in_place<'n>(
        self,
        node: &'n Node,
        depth: impl FnOnce() -> Option<u32>,
    ) -> Option<InPlace<'n>> {
        Some(match self {
            NodeField::Id => InPlace::Text(Some(&node.id)),
            NodeField::Kind => InPlace::Text(node.kind.as_ref()),
            NodeField::Tier => InPlace::Int(node.tier),
            NodeField::Owner => InPlace::Text(node.owner.as_ref()),
            NodeField::Depth => InPlace::Int(depth().map(i64::from)),
            NodeField::Tags | NodeField::Attr => return None,
        })
    }
}
