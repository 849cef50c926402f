//! The quick reading of a valid change: its JSON read straight into typed
//! fields, without a JSON tree. Any doubt (a field missing, unknown,
//! repeated or of another type, a spelling not known, a bad timestamp, a
//! change that ends before it starts) gives `None`, and the change is then
//! read by `read.rs`, whose errors name the place; so errors are the same
//! whichever reader would have met them first.

use std::collections::{BTreeMap, HashSet};

use jiff::Timestamp;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor, value::MapAccessDeserializer};

use super::{Approval, ApprovalStatus, Backup, BackupStatus, Change, ChangeType, Override};
use crate::input::Unrepeated;
use crate::value::Value;

/// The change's fields as JSON has them; `Option` where `null` or absent is
/// allowed, or where `read.rs` reports the absence.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Doc {
    id: Option<String>,
    #[serde(rename = "type")]
    change_type: Option<String>,
    targets: Option<Vec<String>>,
    start: Option<String>,
    end: Option<String>,
    requested_by: Option<String>,
    approvals: Option<Vec<Obj<ApprovalDoc>>>,
    backups: Option<Vec<Obj<BackupDoc>>>,
    overrides: Option<Vec<Obj<OverrideDoc>>>,
    attributes: Option<Unrepeated>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApprovalDoc {
    group: Option<String>,
    by: Option<String>,
    at: Option<String>,
    status: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BackupDoc {
    resource: Option<String>,
    kind: Option<String>,
    taken_at: Option<String>,
    verified: Option<bool>,
    status: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OverrideDoc {
    rule: Option<String>,
    group: Option<String>,
    by: Option<String>,
    reason: Option<String>,
}

/// `T` read from a JSON object only: a derived reader also takes a list
/// of the fields' values in order, which the change's JSON does not allow.
struct Obj<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Fields<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Fields<T> {
            type Value = T;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map))
            }
        }
        d.deserialize_map(Fields(PhantomData)).map(Obj)
    }
}

/// The change in `text` (size checked, byte order mark stripped), if it is
/// valid; `None` if anything is off.
pub(super) fn read(text: &str) -> Option<Change> {
    let Obj(doc) = serde_json::from_str::<Obj<Doc>>(text).ok()?;
    let start = timestamp(doc.start)?;
    let end = timestamp(doc.end)?;
    if end <= start {
        return None;
    }
    let attributes = match doc.attributes {
        None | Some(Unrepeated(serde_json::Value::Null)) => BTreeMap::new(),
        Some(Unrepeated(serde_json::Value::Object(map))) => map
            .iter()
            .map(|(k, v)| (k.clone(), Value::from_json(v)))
            .collect(),
        Some(_) => return None,
    };
    Some(Change {
        id: nonempty(doc.id)?,
        change_type: one_of(doc.change_type?, &ChangeType::ALL, ChangeType::as_str)?,
        targets: targets(doc.targets?)?,
        start,
        end,
        requested_by: doc.requested_by,
        approvals: doc
            .approvals
            .unwrap_or_default()
            .into_iter()
            .map(|a| approval(a.0))
            .collect::<Option<_>>()?,
        backups: doc
            .backups
            .unwrap_or_default()
            .into_iter()
            .map(|b| backup(b.0))
            .collect::<Option<_>>()?,
        overrides: doc
            .overrides
            .unwrap_or_default()
            .into_iter()
            .map(|o| override_(o.0))
            .collect::<Option<_>>()?,
        attributes,
    })
}

fn nonempty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

fn timestamp(s: Option<String>) -> Option<Timestamp> {
    s?.parse().ok()
}

fn one_of<T: Copy>(s: String, all: &[T], name: fn(T) -> &'static str) -> Option<T> {
    all.iter().copied().find(|&t| name(t) == s)
}

/// Non-empty ids, first occurrences in order.
fn targets(list: Vec<String>) -> Option<Vec<String>> {
    if list.is_empty() || list.iter().any(String::is_empty) {
        return None;
    }
    let mut seen = HashSet::with_capacity(list.len());
    let keep: Vec<bool> = list.iter().map(|t| seen.insert(t.as_str())).collect();
    Some(
        list.into_iter()
            .zip(keep)
            .filter_map(|(t, k)| k.then_some(t))
            .collect(),
    )
}

fn approval(a: ApprovalDoc) -> Option<Approval> {
    Some(Approval {
        group: nonempty(a.group)?,
        by: nonempty(a.by)?,
        at: match a.at {
            Some(at) => Some(at.parse().ok()?),
            None => None,
        },
        status: match a.status {
            Some(s) => one_of(s, &ApprovalStatus::ALL, ApprovalStatus::as_str)?,
            None => ApprovalStatus::Approved,
        },
    })
}

fn backup(b: BackupDoc) -> Option<Backup> {
    Some(Backup {
        resource: nonempty(b.resource)?,
        kind: b.kind,
        taken_at: timestamp(b.taken_at)?,
        verified: b.verified.unwrap_or(false),
        status: match b.status {
            Some(s) => one_of(s, &BackupStatus::ALL, BackupStatus::as_str)?,
            None => BackupStatus::Completed,
        },
    })
}

fn override_(o: OverrideDoc) -> Option<Override> {
    Some(Override {
        rule: nonempty(o.rule)?,
        group: nonempty(o.group)?,
        by: nonempty(o.by)?,
        reason: o.reason.unwrap_or_default(),
    })
}
