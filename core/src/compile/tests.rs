//! The table of built-in fields holds the checker's types, the selectors
//! and the readers together; these tests hold them to each other and to the
//! public readers `Change::field` and `Node::field`.

use super::fields::{CHANGE_FIELDS, InPlace, NODE_FIELDS};
use super::*;
use crate::change::Change;
use crate::graph::{Graph, Node};
use crate::value::Type;

fn change() -> Change {
    Change::from_json(
        r#"{"id": "CHG1", "type": "normal", "targets": ["db"],
            "start": "2026-03-02T10:00:00Z", "end": "2026-03-02T12:00:00Z",
            "requested_by": "carol",
            "attributes": {"risk": "high", "id": "shadowed", "meta": {"level": 2}}}"#,
    )
    .unwrap()
}

fn graph() -> Graph {
    Graph::from_json(
        r#"{"nodes": [{"id": "db", "kind": "database", "tier": 0, "owner": "dba",
            "tags": ["pii"], "attributes": {"region": "eu", "tier": 9}}]}"#,
    )
    .unwrap()
}

fn db(g: &Graph) -> &Node {
    g.node(g.index_of("db").unwrap())
}

/// Every selector but `Attr` is in the table once; a new variant fails to
/// compile here until it is.
#[test]
fn every_built_in_field_is_in_the_table_once() {
    for f in [
        ChangeField::Id,
        ChangeField::Type,
        ChangeField::Start,
        ChangeField::End,
        ChangeField::Duration,
        ChangeField::RequestedBy,
        ChangeField::Targets,
        ChangeField::Attr,
    ] {
        let rows = CHANGE_FIELDS.iter().filter(|r| r.field == f).count();
        match f {
            ChangeField::Id
            | ChangeField::Type
            | ChangeField::Start
            | ChangeField::End
            | ChangeField::Duration
            | ChangeField::RequestedBy
            | ChangeField::Targets => assert_eq!(rows, 1, "{f:?}"),
            ChangeField::Attr => assert_eq!(rows, 0),
        }
    }
    for f in [
        NodeField::Id,
        NodeField::Kind,
        NodeField::Tier,
        NodeField::Owner,
        NodeField::Tags,
        NodeField::Depth,
        NodeField::Attr,
    ] {
        let rows = NODE_FIELDS.iter().filter(|r| r.field == f).count();
        match f {
            NodeField::Id
            | NodeField::Kind
            | NodeField::Tier
            | NodeField::Owner
            | NodeField::Tags
            | NodeField::Depth => assert_eq!(rows, 1, "{f:?}"),
            NodeField::Attr => assert_eq!(rows, 0),
        }
    }
}

#[test]
fn names_select_their_field_and_anything_else_is_an_attribute() {
    for r in CHANGE_FIELDS {
        assert_eq!(ChangeField::named(r.name), r.field);
        assert_eq!(r.field.ty(), Some(r.ty));
    }
    for r in NODE_FIELDS {
        assert_eq!(NodeField::named(r.name), r.field);
        assert_eq!(r.field.ty(), Some(r.ty));
    }
    for name in ["risk", "", "ID", "requested-by", "approvals", "attributes"] {
        assert_eq!(ChangeField::named(name), ChangeField::Attr, "{name}");
    }
    for name in ["region", "", "Tier", "depends_on", "attributes"] {
        assert_eq!(NodeField::named(name), NodeField::Attr, "{name}");
    }
    assert_eq!(ChangeField::Attr.ty(), None);
    assert_eq!(NodeField::Attr.ty(), None);
}

#[test]
fn change_fields_read_values_of_their_type_as_change_field_does() {
    let c = change();
    for r in CHANGE_FIELDS {
        let v = r.field.read(&c, None);
        assert_eq!(v.type_of(), r.ty, "change.{}", r.name);
        assert_eq!(v, c.field(r.name), "change.{}", r.name);
        if let Some(t) = r.field.text(&c) {
            assert_eq!(Value::str(t), v, "change.{}", r.name);
        }
    }
    assert_eq!(ChangeField::Attr.read(&c, Some("risk")), Value::str("high"));
    assert_eq!(ChangeField::Attr.read(&c, Some("nope")), Value::Null);
    assert_eq!(ChangeField::Attr.read(&c, None), Value::Null);
    // A built-in field wins over an attribute of the same name.
    assert_eq!(c.field("id"), Value::str("CHG1"));
}

#[test]
fn node_fields_read_values_of_their_type_as_node_field_does() {
    let g = graph();
    let n = db(&g);
    for r in NODE_FIELDS {
        let v = r.field.read(n, || Some(2), None);
        assert_eq!(v.type_of(), r.ty, "node.{}", r.name);
        if r.field != NodeField::Depth {
            // `Node::field` leaves `depth` to the evaluator.
            assert_eq!(v, n.field(r.name), "node.{}", r.name);
        }
        let scalar = matches!(r.ty, Type::Number | Type::Str);
        assert_eq!(r.field.is_scalar(), scalar, "node.{}", r.name);
        let in_place = r.field.in_place(n, || Some(2)).map(|p| match p {
            InPlace::Int(x) => x.map_or(Value::Null, Value::Int),
            InPlace::Text(x) => x.map_or(Value::Null, |s| Value::Str(s.clone())),
        });
        assert_eq!(in_place, scalar.then(|| v.clone()), "node.{}", r.name);
    }
    assert_eq!(NodeField::Depth.read(n, || None, None), Value::Null);
    assert_eq!(
        NodeField::Attr.read(n, || None, Some("region")),
        Value::str("eu")
    );
    assert_eq!(NodeField::Attr.read(n, || None, None), Value::Null);
    let bare = Node::default();
    assert_eq!(NodeField::Kind.read(&bare, || None, None), Value::Null);
    assert!(matches!(
        NodeField::Tier.in_place(&bare, || None),
        Some(InPlace::Int(None))
    ));
}
