//! Relationship types (`cmdb_rel_type`): which CI of a `cmdb_rel_ci` record
//! depends on which. A type is named `parent descriptor::child descriptor`
//! and read as "parent *descriptor* child": `A Runs on::Runs B` is "A runs
//! on B", so A depends on B and a change to B impacts A.

use std::collections::{BTreeMap, HashMap};

use super::options::Direction;

use Direction::{Both, ChildDependsOnParent as Up, ParentDependsOnChild as Down};

/// The types of a base instance that changegate knows, and the direction
/// of each (docs/sources/servicenow.md, *Relationship types*).
pub(super) const BUILT_IN: [(&str, Direction); 18] = [
    ("Depends on::Used by", Down),
    ("Uses::Used by", Down),
    ("Runs on::Runs", Down),
    ("Hosted on::Hosts", Down),
    ("Virtualized by::Virtualizes", Down),
    ("Instantiates::Instantiated by", Down),
    ("Registered on::Has registered", Down),
    ("Members::Member of", Down),
    ("Managed by::Manages", Down),
    ("Powered by::Powers", Down),
    ("Cooled by::Cools", Down),
    ("Located in::Houses", Down),
    ("Receives data from::Sends data to", Down),
    ("Provided by::Provides", Down),
    ("Sends data to::Receives data from", Up),
    ("Contains::Contained by", Up),
    ("Owns::Owned by", Up),
    ("Connects to::Connected by", Both),
];

/// The sys_ids a base instance gives some of these types, which a raw
/// export carries instead of the name.
pub(super) const BUILT_IN_IDS: [(&str, &str); 4] = [
    ("1a9cb166f1571100a92eb60da2bce5c5", "Depends on::Used by"),
    ("60bc4e22c0a8010e01f074cbe6bd73c3", "Runs on::Runs"),
    ("5f985e0ec0a8010e00a9714f2a172815", "Hosted on::Hosts"),
    ("55c95bf6c0a8010e0118ec7056ebc54d", "Contains::Contained by"),
];

/// The known types: the built-in ones with the user's additions and
/// overrides.
pub(super) struct Types {
    /// By name, folded (see [`fold`]), or by the user's sys_id.
    known: HashMap<String, Direction>,
    ids: HashMap<&'static str, &'static str>,
}

/// A type's name compared without case and with single spaces, so that
/// `Depends on::Used by` and `depends on :: used by` are one type.
pub(super) fn fold(name: &str) -> String {
    name.split("::")
        .map(|part| part.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("::")
        .to_lowercase()
}

impl Types {
    pub(super) fn new(user: &BTreeMap<String, Direction>) -> Types {
        let mut known: HashMap<String, Direction> =
            BUILT_IN.iter().map(|(n, d)| (fold(n), *d)).collect();
        for (k, d) in user {
            known.insert(fold(k), *d);
        }
        Types {
            known,
            ids: BUILT_IN_IDS.iter().copied().collect(),
        }
    }

    /// The direction of a type given by name or by sys_id.
    pub(super) fn direction(&self, type_: &str) -> Option<Direction> {
        if let Some(d) = self.known.get(&fold(type_)) {
            return Some(*d);
        }
        let name = self.ids.get(type_.trim())?;
        self.known.get(&fold(name)).copied()
    }
}
